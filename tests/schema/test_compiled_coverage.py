"""What the compiled path leaves to the resolvers is a short, named list, and stays one.

The differential tests (tests/schema/test_compiled.py) prove that what is compiled answers
like the resolvers; this one proves what is compiled at all. Every field of every type the
compiled path knows, and every root field, is planned on its own: only the analyses, search,
stats and graph fields the issue leaves to the resolvers may be refused. A field added to the
schema without a way to compile it fails here, by name, rather than quietly sending whole
operations the slow way.
"""

from collections.abc import Mapping

from graphql import (
    GraphQLArgument,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
    is_leaf_type,
    parse,
)
from graphql.execution.values import get_variable_values
from graphql.language import OperationDefinitionNode

from api.settings import Settings
from schema import build_schema
from schema.compiled.plan import TYPES, Plan, PlanCache

# Computed answers, not column or relation reads: the resolvers' own analyses.
ANALYSES = {
    "Document.coverage",
    "Organisation.membershipHistory",
    "Organisation.nameAsOf",
    "Organisation.timeline",
    "State.armsSupplierDiversification",
    "State.membershipHistory",
    "State.sharedOrganisations",
    "State.timeline",
}
RESOLVED_ROOTS = {
    "search",
    "armsTransferStats",
    "membershipStats",
    "armsSupplierDiversification",
    "connections",
    "network",
}


def _leaf(type_: GraphQLOutputType) -> bool:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return is_leaf_type(type_)


def _compiles(plans: PlanCache, text: str) -> bool:
    operation = parse(text).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    variables = get_variable_values(plans.planner.schema, [], {})
    assert not isinstance(variables, list)
    found = plans.get(text, operation, {}, variables)
    return isinstance(found, Plan) and not found.resolved


def _required(arguments: Mapping[str, GraphQLArgument]) -> str:
    """Placeholder values for required arguments: planning never reads them."""
    names = [
        name
        for name, argument in arguments.items()
        if isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
    ]
    values = ", ".join(f'{name}: "x"' for name in names)
    return f"({values})" if names else ""


def _plans() -> PlanCache:
    return PlanCache(build_schema(Settings())._schema)


def test_every_field_of_a_compiled_type_compiles_but_the_analyses() -> None:
    plans = _plans()
    schema = plans.planner.schema
    refused, seen = set(), 0
    # Every type the compiled path maps, reached as a Node through node(id:) when it is one,
    # else through the field of a Node type that leads to it.
    for type_name in sorted(TYPES):
        object_type = schema.get_type(type_name)
        assert isinstance(object_type, GraphQLObjectType), type_name
        if not any(interface.name == "Node" for interface in object_type.interfaces):
            continue
        for name, definition in object_type.fields.items():
            selection = name + _required(definition.args)
            if not _leaf(definition.type):
                selection += " { __typename }"
            text = f'{{ node(id: "x") {{ ... on {type_name} {{ {selection} }} }} }}'
            seen += 1
            if not _compiles(plans, text):
                refused.add(f"{type_name}.{name}")
    assert refused == ANALYSES
    assert seen > 250  # the walk reached the types' fields, not a handful


def test_every_root_field_compiles_but_search_stats_and_graph() -> None:
    plans = _plans()
    query = plans.planner.schema.query_type
    assert query is not None
    refused = set()
    for name, definition in query.fields.items():
        selection = name + _required(definition.args)
        if not _leaf(definition.type):
            selection += " { __typename }"
        if not _compiles(plans, f"{{ {selection} }}"):
            refused.add(name)
    assert refused == RESOLVED_ROOTS
