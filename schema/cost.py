"""The cost of an operation, computed and checked before it runs, like GitHub's node limit.

An operation's cost is the most objects its answer can hold: every field returning an object
or a list of them counts once per parent object (scalars are free: they come with a row
already loaded), a connection's items count `first`/`last` (or the default page size, capped
at the largest page) per parent, and a plain list, whose length no argument bounds, counts
`list_size` items per parent. So `states(first: 100) { edges { node { code } } }` costs
1 (states) + 1 (edges) + 100 (node) = 102. Introspection is free: its size is the schema's,
not the data's. The cost is checked during validation, so a refused operation sends no SQL,
and it is reported in every response's `extensions.cost` next to the limit.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
    is_leaf_type,
    value_from_ast,
)
from graphql.language import DocumentNode, VariableNode
from strawberry.extensions import SchemaExtension

from schema.errors import ErrorCode

PAGE_ARGUMENTS = ("first", "last")


@dataclass(frozen=True)
class CostModel:
    default_page_size: int
    max_page_size: int
    list_size: int


def _is_connection(type_: GraphQLNamedType) -> bool:
    return (
        isinstance(type_, GraphQLObjectType)
        and "edges" in type_.fields
        and "pageInfo" in type_.fields
    )


def _is_list(type_: GraphQLOutputType) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


class _Walker:
    """Sums the cost of one operation; unknown fields and types are left to validation."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        model: CostModel,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.model = model

    def page_size(self, field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value not in PAGE_ARGUMENTS:
                continue
            value = argument.value
            if isinstance(value, VariableNode) and value.name.value not in self.variables:
                continue  # an unset variable: the default page size applies
            size = value_from_ast(value, GraphQLInt, dict(self.variables))
            if isinstance(size, int):
                # Beyond the largest page the request fails with BAD_USER_INPUT anyway.
                return max(0, min(size, self.model.max_page_size))
        return self.model.default_page_size

    def fields(
        self, selections: SelectionSetNode, parent: GraphQLNamedType, visiting: frozenset[str]
    ) -> Iterator[tuple[FieldNode, GraphQLNamedType]]:
        """The fields of a selection set with the type each is asked on, through fragments."""
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                if on is not None:
                    yield from self.fields(selection.selection_set, on, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in visiting:
                    continue
                on = self.schema.get_type(fragment.type_condition.name.value)
                if on is not None:
                    yield from self.fields(fragment.selection_set, on, visiting | {name})

    def cost(
        self,
        selections: SelectionSetNode,
        parent: GraphQLNamedType,
        multiplier: int,
        page_size: int | None = None,
        visiting: frozenset[str] = frozenset(),
    ) -> int:
        total = 0
        for node, on in self.fields(selections, parent, visiting):
            name = node.name.value
            if name.startswith("__") or not isinstance(
                on, (GraphQLObjectType, GraphQLInterfaceType)
            ):
                continue
            definition = on.fields.get(name)
            if definition is None:
                continue
            named = get_named_type(definition.type)
            if node.selection_set is None or is_leaf_type(named):
                continue  # scalars come with the row already loaded
            total += multiplier
            inner, inner_page = multiplier, None
            if page_size is not None and name == "edges":
                inner = multiplier * page_size
            elif _is_connection(named):
                inner_page = self.page_size(node)
            elif _is_list(definition.type):
                inner = multiplier * self.model.list_size
            total += self.cost(node.selection_set, named, inner, inner_page, visiting)
        return total


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    model: CostModel,
) -> int | None:
    """The cost of the operation a request runs; None if the document names no such one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    operation = operations[0]
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walker = _Walker(schema, fragments, variables or {}, model)
    return walker.cost(operation.selection_set, root, 1)


class QueryCost(SchemaExtension):
    """Refuses operations costing more than `limit` with QUERY_TOO_COMPLEX before they run,
    and reports `{requested, limit}` in the response's `extensions.cost`."""

    def __init__(self, model: CostModel, limit: int) -> None:
        self.model = model
        self.limit = limit
        self.requested: int | None = None

    def on_operation(self) -> Iterator[None]:
        self.execution_context.validation_rules = (
            *self.execution_context.validation_rules,
            self._rule(),
        )
        yield

    def _rule(self) -> type[ValidationRule]:
        extension = self

        class QueryCostRule(ValidationRule):
            per_request = True  # reads variables (`first: $n`): never served from schema.caching

            def __init__(self, context: ValidationContext) -> None:
                super().__init__(context)
                execution = extension.execution_context
                requested = operation_cost(
                    context.schema,
                    context.document,
                    execution.operation_name,
                    execution.variables,
                    extension.model,
                )
                extension.requested = requested
                if requested is not None and requested > extension.limit:
                    context.report_error(
                        GraphQLError(
                            f"This operation would cost {requested}, above the limit of "
                            f"{extension.limit}: a connection costs its `first`/`last` items "
                            f"(default {extension.model.default_page_size}) per parent, a "
                            f"plain list {extension.model.list_size}. Ask for fewer items or "
                            "split the operation.",
                            extensions={
                                "code": ErrorCode.QUERY_TOO_COMPLEX.value,
                                "cost": {"requested": requested, "limit": extension.limit},
                            },
                        )
                    )

        return QueryCostRule

    def get_results(self) -> dict[str, Any]:
        if self.requested is None:
            return {}
        return {"cost": {"requested": self.requested, "limit": self.limit}}
