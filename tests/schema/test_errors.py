"""Every error has a code; internals never reach the client."""

import base64

import httpx
import pytest
from sqlalchemy import text

from tests.graphql import errors_of


@pytest.mark.parametrize(
    "global_id",
    ["garbage!!", base64.b64encode(b"Unknown:1").decode(), base64.b64encode(b"State").decode()],
)
async def test_a_malformed_global_id_is_bad_input(
    client: httpx.AsyncClient, global_id: str
) -> None:
    errors = await errors_of(client, "query ($id: ID!) { node(id: $id) { id } }", {"id": global_id})

    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_syntax_errors_have_a_code(client: httpx.AsyncClient) -> None:
    errors = await errors_of(client, "{ state(code: ")

    assert errors[0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert "Syntax Error" in errors[0]["message"]


async def test_validation_errors_keep_their_message_and_get_a_code(
    client: httpx.AsyncClient,
) -> None:
    errors = await errors_of(client, '{ state(code: "TUR") { population } }')

    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "population" in errors[0]["message"]


async def test_internal_failures_are_masked(client: httpx.AsyncClient) -> None:
    async with client.app.state.engine.begin() as connection:  # type: ignore[attr-defined]
        await connection.execute(text("DROP TABLE citation"))

    errors = await errors_of(client, '{ state(code: "TUR") { sources { quote } } }')

    assert errors[0]["message"] == "Unexpected error."
    assert errors[0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "citation" not in str(errors).lower()
