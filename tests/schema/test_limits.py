"""Hostile operations are refused before they run, each with a code that says why."""

from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.conftest import StatementCounter
from tests.graphql import client_for, data_of, errors_of, post

# Fourteen levels of `parent`: cheap (one object each) but deeper than the default 12.
DEEP = '{ organisation(acronym: "TURKPA") { ' + "parent { " * 13 + "acronym" + " }" * 14 + " }"

# 100 states, each with up to 10 memberships, each organisation with up to 10 members, each
# member state with up to 10 memberships: far beyond any answer a client needs at once.
COSTLY = """{ states(first: 100) { edges { node { memberships { organisation {
  members { member { ... on State { memberships { organisation { acronym } } } } } } } } } } }"""


async def test_too_deep_an_operation_is_refused_before_any_sql(
    client: httpx.AsyncClient, count_statements: StatementCounter
) -> None:
    with count_statements:
        errors = await errors_of(client, DEEP)

    assert {e["extensions"]["code"] for e in errors} == {"QUERY_TOO_DEEP"}
    assert "exceeds maximum operation depth of 12" in errors[0]["message"]
    assert count_statements.count == 0


async def test_depth_limit_is_a_setting(settings: Settings) -> None:
    async with client_for(settings, max_query_depth=1) as client:
        errors = await errors_of(client, '{ state(code: "KAZ") { memberships { role } } }')
        allowed = await data_of(client, '{ state(code: "KAZ") { name } }')

    assert errors[0]["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert allowed == {"state": {"name": "Kazakhstan"}}


async def test_introspection_is_not_held_to_the_depth_limit(settings: Settings) -> None:
    async with client_for(settings, max_query_depth=2) as client:
        data = await data_of(
            client, "{ __schema { types { fields { type { ofType { ofType { name } } } } } } }"
        )

    assert data["__schema"]["types"]


async def test_too_many_aliases_are_refused(client: httpx.AsyncClient) -> None:
    aliases = " ".join(f'a{i}: state(code: "KAZ") {{ name }}' for i in range(31))

    errors = await errors_of(client, f"{{ {aliases} }}")

    assert errors[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert errors[0]["message"] == "31 aliases found. Allowed: 30"


async def test_too_many_tokens_are_refused(settings: Settings) -> None:
    async with client_for(settings, max_tokens=50) as client:
        errors = await errors_of(client, "{ " + "__typename " * 60 + "}")

    assert errors[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "more than 50 tokens" in errors[0]["message"]


async def test_a_document_nested_beyond_the_parser_is_too_deep(client: httpx.AsyncClient) -> None:
    errors = await errors_of(client, "{" + "a{" * 300 + "b" + "}" * 300 + "}")

    assert errors[0]["extensions"]["code"] == "QUERY_TOO_DEEP"


# -- cost ------------------------------------------------------------------------------------


async def test_too_costly_an_operation_is_refused_before_any_sql(
    client: httpx.AsyncClient, count_statements: StatementCounter
) -> None:
    with count_statements:
        body = await post(client, COSTLY)

    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"] == {"requested": 122202, "limit": 50000}
    assert "would cost 122202, above the limit of 50000" in error["message"]
    assert body["extensions"]["cost"] == {"requested": 122202, "limit": 50000}
    assert count_statements.count == 0


@pytest.mark.parametrize(
    ("query", "variables", "cost"),
    [
        # states + edges + 100 nodes; scalars are free
        ("{ states(first: 100) { edges { node { code name } } } }", {}, 102),
        # the default page is 20
        ("{ states { totalCount edges { cursor node { code } } } }", {}, 22),
        # from variables, and `last` too
        ("query ($n: Int) { states(last: $n) { edges { node { code } } } }", {"n": 7}, 9),
        # a plain list counts 10 items per parent: state + memberships + 10 organisations
        ('{ state(code: "KAZ") { memberships { organisation { acronym } } } }', {}, 12),
        # a nested connection multiplies: 1 + 1 + 5 + 5 × (1 + 1 + 3)
        (
            "{ states(first: 5) { edges { node { armsImports(first: 3) { "
            "totalCount edges { node { key } } } } } } }",
            {},
            32,
        ),
        # fragments count like inline fields; introspection is free
        (
            'query { __schema { types { name } } organisation(acronym: "OTS") { ...o } } '
            "fragment o on Organisation { members { member { __typename } } }",
            {},
            12,
        ),
    ],
)
async def test_every_response_reports_its_cost(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], cost: int
) -> None:
    body = await post(client, query, variables)

    assert "errors" not in body, body
    assert body["extensions"]["cost"] == {"requested": cost, "limit": 50000}


async def test_the_cost_limit_is_a_setting(settings: Settings) -> None:
    async with client_for(settings, max_query_cost=101) as client:
        refused = await post(client, "{ states(first: 100) { edges { node { code } } } }")
        allowed = await post(client, "{ states(first: 99) { edges { node { code } } } }")

    assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "errors" not in allowed
    assert allowed["extensions"]["cost"] == {"requested": 101, "limit": 101}


async def test_a_page_beyond_the_largest_is_bad_input_not_too_costly(
    client: httpx.AsyncClient,
) -> None:
    for first in (101, -1):
        errors = await errors_of(client, f"{{ states(first: {first}) {{ totalCount }} }}")

        assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
        assert f"between 0 and 100, got {first}" in errors[0]["message"]


async def test_a_bad_cursor_is_bad_input(client: httpx.AsyncClient) -> None:
    errors = await errors_of(client, '{ states(after: "bm90IGEgY3Vyc29y") { totalCount } }')

    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_the_largest_page_is_a_setting(settings: Settings) -> None:
    async with client_for(settings, max_page_size=150) as client:
        data = await data_of(client, "{ states(first: 150) { edges { cursor } } }")

    assert len(data["states"]["edges"]) == 150


# -- introspection ---------------------------------------------------------------------------


async def test_introspection_and_suggestions_are_on_by_default(client: httpx.AsyncClient) -> None:
    data = await data_of(client, '{ __type(name: "State") { name } }')
    errors = await errors_of(client, '{ state(code: "KAZ") { nam } }')

    assert data == {"__type": {"name": "State"}}
    assert "Did you mean 'name'" in errors[0]["message"]


async def test_introspection_can_be_switched_off_and_suggestions_with_it(
    settings: Settings,
) -> None:
    async with client_for(settings, introspection=False) as client:
        schema_errors = await errors_of(client, "{ __schema { types { name } } }")
        type_errors = await errors_of(client, '{ __type(name: "State") { name } }')
        typo_errors = await errors_of(client, '{ state(code: "KAZ") { nam } }')
        typename = await data_of(client, "{ __typename }")
        graphiql = await client.get("/graphql", headers={"accept": "text/html"})

    for errors in (schema_errors, type_errors):
        assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection" in errors[0]["message"].lower()
    assert typo_errors[0]["message"] == "Cannot query field 'nam' on type 'State'."
    assert typename == {"__typename": "Query"}
    assert graphiql.status_code == 404
