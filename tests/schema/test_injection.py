"""SQL and wildcard metacharacters in every string argument change nothing and leak nothing.

The arguments are found in the schema itself, so one added later is tested too: every
String or ID argument of a root field, every String field of a root field's input (nested
inputs included), and every string argument of a nested field that no root field shares,
asked through a parent object. Each payload must match nothing (a null object, an empty
connection or list, empty statistics) or be refused as BAD_USER_INPUT (NOT_FOUND where an
argument must name a record); `search(text:)` must answer exactly as it does for the
payload's words alone. No error may say anything about SQL or the server; no row may change.
"""

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLArgument,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
    get_named_type,
)
from sqlalchemy import func, select
from sqlmodel import SQLModel

from api.settings import Settings
from schema import build_schema
from schema.errors import unstorable
from tests.conftest import StatementCounter
from tests.graphql import post

SCHEMA = build_schema(Settings())._schema

PAYLOADS = [
    "%",
    "_",
    "%%",
    "*",
    "KG%",
    "O_S",
    "%OTS%",
    "[A-Z]*",
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "'; DROP TABLE state; --",
    "OTS' --",
    "\\",
    "\\%",
    "ots\x00",
    "\x00",
    "\ud800",
    "🏃",
    "a" * 1000,
]

# Words that would betray the SQL or the server behind an error message.
LEAKS = ["select ", "sqlalchemy", "sqlite", "asyncpg", "postgres", "traceback", ".py", "/work"]

# Values for the required arguments beside the one under test.
SAMPLES: dict[str, Any] = {
    "search(text)": "turk",
    "armsTransferStats(groupBy)": ["SUPPLIER"],
    "membershipStats(years)": {"gte": 2020, "lte": 2025},
    "connections(from)": "TUR",
    "connections(to)": "KGZ",
    "network(center)": "TUR",
    "sipriChanges(release)": 2025,
}
# Objects through which nested fields with string arguments of their own are asked.
PARENTS = {"State": 'state(code: "KGZ")'}
# What a non-null object that matches nothing looks like; None: every payload is refused.
NOTHING: dict[str, tuple[str, Any]] = {
    "ArmsTransferStats": ("{ buckets { count } }", {"buckets": []}),
    "MembershipStats": ("{ rows { count } }", {"rows": []}),
    "ActorPaths": ("{ hops }", None),
    "Network": ("{ truncated }", None),
}
# Arguments that must name an existing record: an unknown name is NOT_FOUND.
NAMING = {"connections(from)", "connections(to)", "network(center)"}
WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Target:
    """One string argument, and how to ask through it."""

    name: str
    query: str
    is_list: bool
    path: tuple[str, ...]  # where the payload sits in the variable
    samples: dict[str, Any]  # the other required arguments
    nothing: Any  # the answer that matches nothing; None with `refused`: no answer at all
    refused: bool = False  # every payload must be refused (an argument naming a record)
    parent: str | None = None  # the root field a nested target is asked through

    def answer(self, data: dict[str, Any]) -> Any:
        return data["r"] if self.parent is None else data[self.parent]["r"]

    def variables(self, payload: str) -> dict[str, Any]:
        value: Any = [payload] if self.is_list else payload
        for key in reversed(self.path):
            value = {key: value}
        return {**self.samples, "v": value}


def _string_like(type_: Any) -> tuple[bool, bool]:
    """Whether a GraphQL input type is String/ID, and whether it is a list of them."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    is_list = isinstance(type_, GraphQLList)
    named = get_named_type(type_)
    return isinstance(named, GraphQLScalarType) and named.name in {"String", "ID"}, is_list


def _string_paths(
    input_type: GraphQLInputObjectType, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], bool]]:
    """(path, is a list) of every String field of an input, inside nested inputs too."""
    found = []
    for name, field in input_type.fields.items():
        string, is_list = _string_like(field.type)
        if string:
            found.append(((*prefix, name), is_list))
        named = get_named_type(field.type)
        if isinstance(named, GraphQLInputObjectType) and named is not input_type:
            found += _string_paths(named, (*prefix, name))
    return found


def _answer(type_: Any, field: str) -> tuple[str, Any, bool]:
    """How to select a field's answer and what it is when nothing matches."""
    named: GraphQLNamedType = get_named_type(type_)
    if "pageInfo" in getattr(named, "fields", {}):
        return "{ totalCount }", {"totalCount": 0}, False
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        return "{ __typename }", [], False
    if named.name in NOTHING:
        selection, nothing = NOTHING[named.name]
        return selection, nothing, nothing is None
    assert not isinstance(type_, GraphQLNonNull), f"{field}: add {named.name} to NOTHING"
    return "{ __typename }", None, False


def _arguments(
    owner: str, arguments: dict[str, GraphQLArgument], target: str
) -> tuple[list[str], list[str], dict[str, Any]]:
    """The variables and arguments of a call: `$v` for the target, samples for the other
    required arguments."""
    declared, given, samples = [], [f"{target}: $v"], {}
    for name, argument in arguments.items():
        required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
        if name == target or not required:
            continue
        key = f"{owner}({name})"
        assert key in SAMPLES, f"{key} is required: give it a value in SAMPLES"
        declared.append(f"${name}: {argument.type}")
        given.append(f"{name}: ${name}")
        samples[name] = SAMPLES[key]
    return declared, given, samples


def _targets() -> list[Target]:
    targets: list[Target] = []
    covered: set[tuple[str, tuple[str, ...]]] = set()
    assert SCHEMA.query_type is not None
    owners: list[tuple[GraphQLObjectType, str | None]] = [(SCHEMA.query_type, None)]
    owners += [
        (type_, PARENTS.get(type_.name))
        for type_ in SCHEMA.type_map.values()
        if isinstance(type_, GraphQLObjectType)
        and type_ is not SCHEMA.query_type
        and not type_.name.startswith("__")
    ]
    for owner, parent in owners:
        root = owner is SCHEMA.query_type
        for field_name, field in owner.fields.items():
            label = field_name if root else f"{owner.name}.{field_name}"
            for argument_name, argument in field.args.items():
                calls: list[tuple[str, str, bool, tuple[str, ...]]] = []
                string, is_list = _string_like(argument.type)
                if string and (root or argument_name not in {"after", "before"}):
                    calls.append((f"{label}({argument_name})", str(argument.type), is_list, ()))
                named = get_named_type(argument.type)
                if isinstance(named, GraphQLInputObjectType):
                    for path, is_list in _string_paths(named):
                        if not root and (named.name, path) in covered:
                            continue  # the same input, hence the same SQL, is tested at the root
                        covered.add((named.name, path))
                        calls.append(
                            (
                                f"{label}({argument_name}.{'.'.join(path)})",
                                named.name,
                                is_list,
                                path,
                            )
                        )
                for name, variable_type, is_list, path in calls:
                    assert root or parent is not None, f"{name}: add {owner.name} to PARENTS"
                    selection, nothing, refused = _answer(field.type, name)
                    declared, given, samples = _arguments(label, field.args, argument_name)
                    call = f"r: {field_name}({', '.join(given)}) {selection}"
                    body = call if root else f"{parent} {{ {call} }}"
                    variables = ", ".join([f"$v: {variable_type}", *declared])
                    targets.append(
                        Target(
                            name,
                            f"query ({variables}) {{ {body} }}",
                            is_list,
                            path,
                            samples,
                            nothing,
                            refused or name in NAMING,
                            None if root or parent is None else parent.split("(")[0],
                        )
                    )
    return targets


TARGETS = _targets()


def test_every_string_argument_is_a_target() -> None:
    names = {t.name for t in TARGETS}

    # Some known today; a new one joins automatically, this only shows the search works.
    assert {
        "state(code)",
        "organisation(acronym)",
        "agreement(key)",
        "company(key)",
        "node(id)",
        "states(filter.region)",
        "states(filter.codes)",
        "states(filter.memberships.member)",
        "organisations(filter.acronyms)",
        "memberships(filter.organisation)",
        "memberships(filter.member)",
        "agreements(filter.party)",
        "armsTransfers(filter.supplier)",
        "armsTransfers(filter.recipient)",
        "search(text)",
        "connections(from)",
        "State.sharedOrganisations(with)",
    } <= names


async def _row_counts(client: httpx.AsyncClient) -> dict[str, int]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    async with engine.connect() as connection:
        return {
            table.name: (await connection.execute(select(func.count()).select_from(table))).scalar()
            for table in SQLModel.metadata.sorted_tables
        }


def _judge(target: Target, payload: str, body: dict[str, Any], allowed: set[str]) -> None:
    """Refused with an allowed code, or matching nothing; leaking nothing either way."""
    errors = body.get("errors", [])
    assert {e["extensions"]["code"] for e in errors} <= allowed, (payload, body)
    text = str(errors).lower()
    assert not [leak for leak in LEAKS if leak in text], (payload, errors)
    if not errors and "data" in body:
        assert not target.refused, (payload, body)
        assert target.answer(body["data"]) == target.nothing, (payload, body)


def _outcome(body: dict[str, Any]) -> tuple[Any, list[tuple[str, str]]]:
    errors = [(e["extensions"]["code"], e["message"]) for e in body.get("errors", [])]
    return body.get("data"), errors


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
async def test_metacharacters_match_nothing_and_leak_nothing(
    client: httpx.AsyncClient, target: Target
) -> None:
    before = await _row_counts(client)
    allowed = {"BAD_USER_INPUT"} | ({"NOT_FOUND"} if target.name in NAMING else set())

    for payload in PAYLOADS:
        body = await post(client, target.query, target.variables(payload))

        if target.name == "search(text)" and not unstorable(payload):
            # Full-text search reads words: the metacharacters around them must do nothing.
            words = " ".join(WORDS.findall(payload))
            alone = await post(client, target.query, target.variables(words))
            assert _outcome(body) == _outcome(alone), (payload, body, alone)
            _judge(target, payload, {"errors": body.get("errors", [])}, allowed)
        else:
            _judge(target, payload, body, allowed)

    assert await _row_counts(client) == before


def _cursor(signature: str, values: list[Any]) -> str:
    payload = json.dumps({"o": signature, "k": values})
    return base64.b64encode(f"keyset:{payload}".encode()).decode()


STATES_AFTER = "query ($c: String) { r: states(after: $c) { totalCount } }"
IMPORTS_BEFORE = """query ($c: String) { state(code: "KGZ") {
  r: armsImports(last: 2, before: $c) { totalCount } } }"""


@pytest.mark.parametrize(
    ("query", "signature", "values"),
    [
        (STATES_AFTER, "code:ASC,id:ASC", [5, 1]),
        (STATES_AFTER, "code:ASC,id:ASC", ["KGZ", "1"]),
        (STATES_AFTER, "code:ASC,id:ASC", ["KGZ", 2**40]),
        (STATES_AFTER, "code:ASC,id:ASC", ["KGZ", 1.5]),
        (STATES_AFTER, "code:ASC,id:ASC", ["KGZ", True]),
        (STATES_AFTER, "code:ASC,id:ASC", ["K\x00", 1]),
        (STATES_AFTER, "code:ASC,id:ASC", [{"a": 1}, [1]]),
        (STATES_AFTER, "code:ASC,id:ASC", ["' OR 1=1 --", None]),
        (IMPORTS_BEFORE, "orderYear:DESC,id:ASC", ["2024", 1]),
        (IMPORTS_BEFORE, "orderYear:DESC,id:ASC", [2**63, 1]),
    ],
)
async def test_tampered_cursors_are_bad_input(
    client: httpx.AsyncClient, query: str, signature: str, values: list[Any]
) -> None:
    body = await post(client, query, {"c": _cursor(signature, values)})

    errors = body["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"], body
    assert "is not a cursor this API issued" in errors[0]["message"]


async def test_a_well_formed_cursor_still_works(client: httpx.AsyncClient) -> None:
    body = await post(
        client,
        "query ($c: String) { states(first: 1, after: $c) { edges { node { code } } } }",
        {"c": _cursor("code:ASC,id:ASC", ["KAZ", 0])},
    )

    assert body["data"]["states"]["edges"] == [{"node": {"code": "KAZ"}}]


async def test_text_no_column_can_hold_is_refused_in_literals_too(
    client: httpx.AsyncClient, count_statements: StatementCounter
) -> None:
    with count_statements:
        body = await post(client, '{ organisation(acronym: "OTS\\u0000") { name } }')

    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("A string argument holds a NUL character")
    assert count_statements.count == 0
