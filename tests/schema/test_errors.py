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

    response = await client.post(
        "/graphql", json={"query": '{ state(code: "TUR") { sources { quote } } }'}
    )
    errors = response.json()["errors"]

    assert errors[0]["message"] == "Unexpected error."
    request_id = response.headers["x-request-id"]
    assert errors[0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert "citation" not in str(errors).lower()


async def test_the_request_id_of_a_masked_error_is_in_the_server_log(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    async with client.app.state.engine.begin() as connection:  # type: ignore[attr-defined]
        await connection.execute(text("DROP TABLE citation"))

    response = await client.post(
        "/graphql",
        json={"query": '{ state(code: "TUR") { sources { quote } } }'},
        headers={"X-Request-ID": "trace-me-42"},
    )

    assert response.headers["x-request-id"] == "trace-me-42"
    assert response.json()["errors"][0]["extensions"]["requestId"] == "trace-me-42"
    logged = [r for r in caplog.records if r.name == "silkgraph.errors"]
    assert any("trace-me-42" in r.getMessage() and r.exc_info for r in logged)


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    first = await client.post("/graphql", json={"query": "{ __typename }"})
    second = await client.get("/healthz")
    unsafe = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"X-Request-ID": "not a safe id!"}
    )

    ids = {r.headers["x-request-id"] for r in (first, second, unsafe)}
    assert len(ids) == 3
    assert "not a safe id!" not in ids
