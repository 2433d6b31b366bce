"""SQL and wildcard metacharacters in every string argument change nothing and leak nothing.

The arguments are found in the schema itself, so one added later is tested too: every
String or ID argument of a root field, and every String field of a root field's filter.
Each payload must match nothing (a null object, an empty connection) or be refused as
BAD_USER_INPUT; no error may say anything about SQL or the server; no row may change.
"""

import base64
import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
)
from sqlalchemy import func, select
from sqlmodel import SQLModel

from api.settings import Settings
from schema import build_schema
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


@dataclass(frozen=True)
class Target:
    """One string argument, and how to ask through it."""

    name: str
    query: str
    variable_type: str
    is_list: bool
    path: tuple[str, ...]  # where the payload sits in the variable
    connection: bool

    def variables(self, payload: str) -> dict[str, Any]:
        value: Any = [payload] if self.is_list else payload
        for key in reversed(self.path):
            value = {key: value}
        return {"v": value}


def _string_like(type_: Any) -> tuple[bool, bool]:
    """Whether a GraphQL input type is String/ID, and whether it is a list of them."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    is_list = isinstance(type_, GraphQLList)
    named = get_named_type(type_)
    return isinstance(named, GraphQLScalarType) and named.name in {"String", "ID"}, is_list


def _type_name(type_: Any) -> str:
    return str(type_)


def _targets() -> list[Target]:
    targets: list[Target] = []
    assert SCHEMA.query_type is not None
    for field_name, field in SCHEMA.query_type.fields.items():
        returns: GraphQLNamedType = get_named_type(field.type)
        connection = "edges" in getattr(returns, "fields", {})
        selection = "{ totalCount }" if connection else "{ __typename }"
        for argument_name, argument in field.args.items():
            string, is_list = _string_like(argument.type)
            if string:
                targets.append(
                    Target(
                        f"{field_name}({argument_name})",
                        f"query ($v: {_type_name(argument.type)}) "
                        f"{{ r: {field_name}({argument_name}: $v) {selection} }}",
                        _type_name(argument.type),
                        is_list,
                        (),
                        connection,
                    )
                )
            named = get_named_type(argument.type)
            if isinstance(named, GraphQLInputObjectType):
                for input_name, input_field in named.fields.items():
                    string, is_list = _string_like(input_field.type)
                    if string:
                        targets.append(
                            Target(
                                f"{field_name}({argument_name}.{input_name})",
                                f"query ($v: {named.name}) "
                                f"{{ r: {field_name}({argument_name}: $v) {selection} }}",
                                named.name,
                                is_list,
                                (input_name,),
                                connection,
                            )
                        )
    return targets


TARGETS = _targets()


def test_every_string_argument_is_a_target() -> None:
    names = {t.name for t in TARGETS}

    # The ones known today; a new one joins automatically, this only shows the search works.
    assert {
        "state(code)",
        "organisation(acronym)",
        "agreement(key)",
        "company(key)",
        "node(id)",
        "states(filter.region)",
        "states(filter.codes)",
        "organisations(filter.acronyms)",
        "memberships(filter.organisation)",
        "memberships(filter.member)",
        "agreements(filter.party)",
        "armsTransfers(filter.supplier)",
        "armsTransfers(filter.recipient)",
    } <= names
    # Nested fields take no string arguments but cursors (tested below); if one ever does,
    # it must be tested here.
    nested = [
        f"{type_.name}.{name}({argument})"
        for type_ in SCHEMA.type_map.values()
        if type_ is not SCHEMA.query_type and not type_.name.startswith("__")
        for name, field in getattr(type_, "fields", {}).items()
        if not isinstance(type_, GraphQLInputObjectType)
        for argument, definition in field.args.items()
        if _string_like(definition.type)[0] and argument not in {"after", "before"}
    ]
    assert nested == []


async def _row_counts(client: httpx.AsyncClient) -> dict[str, int]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    async with engine.connect() as connection:
        return {
            table.name: (await connection.execute(select(func.count()).select_from(table))).scalar()
            for table in SQLModel.metadata.sorted_tables
        }


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
async def test_metacharacters_match_nothing_and_leak_nothing(
    client: httpx.AsyncClient, target: Target
) -> None:
    before = await _row_counts(client)

    for payload in PAYLOADS:
        body = await post(client, target.query, target.variables(payload))

        errors = body.get("errors", [])
        assert {e["extensions"]["code"] for e in errors} <= {"BAD_USER_INPUT"}, (payload, body)
        text = str(errors).lower()
        assert not [leak for leak in LEAKS if leak in text], (payload, errors)
        if not errors:
            result = body["data"]["r"]
            assert result == ({"totalCount": 0} if target.connection else None), (payload, body)

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
