"""One rule for lists, held over the whole schema: a list field of a filter given as `[]` matches
nothing.

The targets are found in the schema itself, so a filter or list field added later is tested
too: every argument of every field (root fields, and nested fields asked through a page of
their parent type's root connection) whose input type has a list field, at any depth of nested
inputs (`states(filter: {memberships: {roles: []}})`). Each field is asked in one operation
with an empty filter, which must find rows (or the test would prove nothing), and, under one
alias per list field, with that list empty, which must find none and raise no error. The
database holds the fixtures and an extract of the SIPRI edition with actors of every kind, so
that every nested connection has rows to leave out.
"""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
    get_named_type,
)

from api.settings import PROJECT_ROOT, Settings
from schema import build_schema
from tests.conftest import Templates, _database, template_with_sipri
from tests.graphql import client_for, post

SCHEMA = build_schema(Settings())._schema
EXTRACT = PROJECT_ROOT / "tests" / "data" / "sipri" / "actors-of-every-kind.csv"

# Values for the required arguments beside the filter.
SAMPLES: dict[str, Any] = {
    "armsTransferStats(groupBy)": ["SUPPLIER"],
    "membershipStats(years)": {"gte": 1990, "lte": 2025},
}
# Which parents a nested field is asked through: a page of the root connection, narrowed to
# parents that have rows of every kind the nested fields hold.
PARENT_ARGUMENTS = {
    "State": 'first: 20, filter: {codes: ["KAZ", "KGZ", "TUR", "AZE", "UZB", "RUS", "USA"]}',
}
DEFAULT_PARENT_ARGUMENTS = "first: 100"
# Objects that are not lists: how to select them, and how many rows an answer holds.
ROWS_OF_OBJECT: dict[str, tuple[str, Callable[[dict[str, Any]], int]]] = {
    "ArmsTransferStats": ("{ buckets { count } }", lambda a: len(a["buckets"])),
    "MembershipStats": ("{ rows { count } }", lambda a: len(a["rows"])),
    "ArmsSupplierDiversification": (
        "{ deals suppliers { deals } }",
        lambda a: a["deals"] + len(a["suppliers"]),
    ),
}


@pytest.fixture(scope="session")
async def extract_template(templates: Templates) -> Templates:
    return await template_with_sipri(templates, "actors_of_every_kind", EXTRACT)


@pytest.fixture
async def database_url(
    backend: str, extract_template: Templates, tmp_path: Path
) -> AsyncIterator[str]:
    async for url in _database(backend, "actors_of_every_kind", extract_template, tmp_path):
        yield url


def _is_list(type_: Any) -> bool:
    return isinstance(type_.of_type if isinstance(type_, GraphQLNonNull) else type_, GraphQLList)


def list_paths(
    input_type: GraphQLInputObjectType, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], str]]:
    """The path of every list field of an input, inside nested inputs too, and the name of
    the input holding it."""
    found = []
    for name, field in input_type.fields.items():
        if _is_list(field.type):
            found.append(((*prefix, name), input_type.name))
        named = get_named_type(field.type)
        if isinstance(named, GraphQLInputObjectType) and named is not input_type:
            found += list_paths(named, (*prefix, name))
    return found


def rows(type_: GraphQLOutputType, answer: Any) -> int:
    """How many rows an answer of `type_` holds (selected by `_selection(type_)`)."""
    named = get_named_type(type_)
    if "pageInfo" in getattr(named, "fields", {}):
        return max(int(answer["totalCount"]), len(answer["edges"]))
    if _is_list(type_):
        return len(answer)
    _, count = ROWS_OF_OBJECT[named.name]
    return int(count(answer))


def _selection(type_: GraphQLOutputType, label: str) -> str:
    named = get_named_type(type_)
    if "pageInfo" in getattr(named, "fields", {}):
        return "{ totalCount edges { cursor } }"
    if _is_list(type_):
        return "{ __typename }"
    assert named.name in ROWS_OF_OBJECT, f"{label}: add {named.name} to ROWS_OF_OBJECT"
    return ROWS_OF_OBJECT[named.name][0]


@dataclass(frozen=True)
class Call:
    """A field with a filter argument: once with `{}` (alias `e`), once per list field of the
    filter with that list empty (aliases `n0`, `n1` …)."""

    label: str  # `State.armsImports(filter)`
    paths: list[tuple[tuple[str, ...], str]]  # each list field's path and holding input
    query: str
    samples: dict[str, Any]
    field_type: GraphQLOutputType
    parent: str | None  # the root connection the field is asked through

    def name(self, i: int) -> str:
        return self.label.replace(")", f".{'.'.join(self.paths[i][0])})")

    def variables(self) -> dict[str, Any]:
        values: dict[str, Any] = {**self.samples, "e": {}}
        for i, (path, _) in enumerate(self.paths):
            value: Any = []
            for key in reversed(path):
                value = {key: value}
            values[f"n{i}"] = value
        return values

    def rows(self, data: dict[str, Any], alias: str) -> int:
        if self.parent is None:
            return rows(self.field_type, data[alias])
        return sum(rows(self.field_type, e["node"][alias]) for e in data[self.parent]["edges"])


def _root_connections() -> dict[str, str]:
    """Object type name → a root field paging through all of them."""
    assert SCHEMA.query_type is not None
    found: dict[str, str] = {}
    for name, field in SCHEMA.query_type.fields.items():
        named: Any = get_named_type(field.type)
        if "pageInfo" in getattr(named, "fields", {}):
            edge: Any = get_named_type(named.fields["edges"].type)
            node = get_named_type(edge.fields["node"].type)
            found.setdefault(node.name, name)
    return found


def _samples(label: str, field: GraphQLField, argument: str) -> tuple[list[str], dict[str, Any]]:
    """The declared variables and values of the required arguments beside `argument`."""
    declared, samples = [], {}
    for name, other in field.args.items():
        required = isinstance(other.type, GraphQLNonNull) and other.default_value is Undefined
        if name == argument or not required:
            continue
        key = f"{label}({name})"
        assert key in SAMPLES, f"{key} is required: give it a value in SAMPLES"
        declared.append(f"${name}: {other.type}")
        samples[name] = SAMPLES[key]
    return declared, samples


def _calls() -> list[Call]:
    assert SCHEMA.query_type is not None
    connections = _root_connections()
    calls = []
    for owner in SCHEMA.type_map.values():
        if not isinstance(owner, GraphQLObjectType) or owner.name.startswith("__"):
            continue
        root = owner is SCHEMA.query_type
        for field_name, field in owner.fields.items():
            label = field_name if root else f"{owner.name}.{field_name}"
            for argument_name, argument in field.args.items():
                input_type = get_named_type(argument.type)
                if not isinstance(input_type, GraphQLInputObjectType) or _is_list(argument.type):
                    continue  # not an input, or `orderBy`: a list of sort terms, not a filter
                paths = list_paths(input_type)
                if not paths:
                    continue
                parent = None if root else connections.get(owner.name)
                assert root or parent, f"{label}: no root connection pages {owner.name}"
                declared, samples = _samples(label, field, argument_name)
                given = [f"{name}: ${name}" for name in samples]
                selection = _selection(field.type, label)
                aliases = ["e", *(f"n{i}" for i in range(len(paths)))]
                body = " ".join(
                    f"{a}: {field_name}({', '.join([f'{argument_name}: ${a}', *given])}) "
                    f"{selection}"
                    for a in aliases
                )
                if parent is not None:
                    page = PARENT_ARGUMENTS.get(owner.name, DEFAULT_PARENT_ARGUMENTS)
                    body = f"{parent}({page}) {{ edges {{ node {{ {body} }} }} }}"
                variables = [f"${a}: {input_type.name}" for a in aliases] + declared
                calls.append(
                    Call(
                        f"{label}({argument_name})",
                        paths,
                        f"query ({', '.join(variables)}) {{ {body} }}",
                        samples,
                        field.type,
                        parent,
                    )
                )
    return calls


CALLS = _calls()


def test_every_list_field_of_every_input_is_a_target() -> None:
    wanted = {
        (type_.name, name)
        for type_ in SCHEMA.type_map.values()
        if isinstance(type_, GraphQLInputObjectType)
        for name, field in type_.fields.items()
        if _is_list(field.type)
    }
    covered = {(holder, path[-1]) for call in CALLS for path, holder in call.paths}
    names = {call.name(i) for call in CALLS for i in range(len(call.paths))}

    assert wanted <= covered, wanted - covered
    # The ones issue 14 found matching everything, and nested ones, are among them.
    assert {
        "armsTransfers(filter.supplierKinds)",
        "armsTransfers(filter.recipientKinds)",
        "agreements(filter.parties)",
        "corridors(filter.modes)",
        "armsSupplierDiversification(filter.supplierKinds)",
        "states(filter.memberships.roles)",
        "State.armsImports(filter.supplierKinds)",
        "Organisation.members(filter.roles)",
        "NonStateActor.armsExports(filter.conditions)",
    } <= names


async def test_an_empty_list_matches_nothing(settings: Settings) -> None:
    wrong, unfound = [], []
    # Dozens of requests in a row: the rate limit has its own tests.
    async with client_for(settings, rate_limit_enabled=False) as client:
        for call in CALLS:
            body = await post(client, call.query, call.variables())

            if "errors" in body:
                wrong.append(f"{call.label}: {body['errors']}")
                continue
            if call.rows(body["data"], "e") == 0:
                unfound.append(call.label)
            wrong += [
                call.name(i) for i in range(len(call.paths)) if call.rows(body["data"], f"n{i}")
            ]

    assert wrong == []
    # Without rows to leave out, an empty answer would prove nothing.
    assert unfound == []
