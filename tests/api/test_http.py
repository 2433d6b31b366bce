"""GraphQL over HTTP: media types, status codes, batches, and malformed requests refused with
a 4xx and a message that says what was wrong, as a GraphQL error with a code."""

import json
from typing import Any

import httpx
import pytest

from api.graphql_http import negotiate
from api.settings import Settings
from tests.graphql import client_for

GRAPHQL_RESPONSE = "application/graphql-response+json"
QUERY = '{ state(code: "KGZ") { name } }'


def refusal(response: httpx.Response) -> tuple[str, str]:
    """The code and message of a refused request, which must be a GraphQL error body."""
    body = response.json()
    assert set(body) == {"errors"}, body
    (error,) = body["errors"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    return error["extensions"]["code"], error["message"]


# -- media types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=0", "application/json"),
        ("text/html, */*;q=0.8", "application/json"),
    ],
)
def test_negotiation_prefers_what_the_client_prefers(accept: str | None, expected: str) -> None:
    assert negotiate(accept) == expected


async def test_a_client_that_accepts_graphql_response_json_gets_it(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", json={"query": QUERY}, headers={"accept": GRAPHQL_RESPONSE}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert response.json()["data"] == {"state": {"name": "Kyrgyzstan"}}


async def test_plain_json_stays_the_default(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": QUERY})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ state(code: ", None, "GRAPHQL_PARSE_FAILED"),
        ("{ state(code: 1) { nam } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("query ($c: String!) { state(code: $c) { name } }", {"c": 5}, "BAD_USER_INPUT"),
        (
            "{ states(first: 100) { edges { node { memberships { organisation { members { member { "
            "__typename } } } } } } } }",
            None,
            None,
        ),
    ],
)
async def test_a_request_error_is_400_without_data_under_graphql_response_json(
    settings: Settings, query: str, variables: dict[str, Any] | None, code: str | None
) -> None:
    async with client_for(settings, max_query_cost=100) as client:
        strict = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"accept": GRAPHQL_RESPONSE},
        )
        legacy = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"accept": "application/json"},
        )

    assert strict.status_code == 400
    assert "data" not in strict.json()
    assert strict.json()["errors"][0]["extensions"]["code"] == (code or "QUERY_TOO_COMPLEX")
    assert legacy.status_code == 200
    assert legacy.json()["errors"] == strict.json()["errors"]


async def test_field_errors_keep_their_data_and_200(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": '{ a: state(code: "KGZ") { name } '
            'b: state(code: "KGZ") { armsImports(first: 101) { totalCount } } }'
        },
        headers={"accept": GRAPHQL_RESPONSE},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"a": {"name": "Kyrgyzstan"}, "b": None}
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_get_works_and_mutations_are_not_a_thing(client: httpx.AsyncClient) -> None:
    ok = await client.get("/graphql", params={"query": QUERY}, headers={"accept": GRAPHQL_RESPONSE})
    mutation = await client.get(
        "/graphql",
        params={"query": "mutation { __typename }"},
        headers={"accept": GRAPHQL_RESPONSE},
    )

    assert ok.status_code == 200
    assert ok.json()["data"] == {"state": {"name": "Kyrgyzstan"}}
    assert mutation.status_code == 400
    assert refusal(mutation)[0] == "BAD_REQUEST"


# -- batches ---------------------------------------------------------------------------------


async def test_a_batch_answers_each_operation(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json=[{"query": QUERY}, {"query": '{ organisation(acronym: "OTS") { acronym } }'}],
    )

    assert response.status_code == 200
    assert [r["data"] for r in response.json()] == [
        {"state": {"name": "Kyrgyzstan"}},
        {"organisation": {"acronym": "OTS"}},
    ]


async def test_batches_are_capped(settings: Settings) -> None:
    async with client_for(settings, max_batch_size=2) as client:
        response = await client.post("/graphql", json=[{"query": QUERY}] * 3)

    assert response.status_code == 400
    assert refusal(response) == ("BAD_REQUEST", "A batch may hold at most 2 operations.")


# -- malformed requests ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{ "query": ', "The request body is not valid JSON: Expecting value"),
        (b"\xff\xfe{}", "The request body is not valid JSON"),
        (b"5", "The request body must be a JSON object (or a list of them, for a batch)."),
        (b"[1, 2]", "The request body must be a JSON object (or a list of them, for a batch)."),
        (b'{"query": 5}', "The GraphQL operation's `query` must be a string or null"),
        (b'[{"query": 5}]', "The operation's `query` must be a string."),
        (b'{"query": "{ __typename }", "operationName": 5}', "`operationName` must be a string"),
        (b'{"query": "{ __typename }", "variables": [1]}', "`variables` must be an object"),
        (b'{"qeury": "{ __typename }"}', "No GraphQL query found in the request"),
        (b"{}", "No GraphQL query found in the request"),
    ],
)
async def test_malformed_bodies_are_400_with_a_clear_message(
    client: httpx.AsyncClient, body: bytes, message: str
) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    code, said = refusal(response)
    assert code == "BAD_REQUEST"
    assert said.startswith(message) or message in said


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
async def test_other_content_types_are_415(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post(
        "/graphql", content=json.dumps({"query": QUERY}).encode(), headers=headers
    )

    assert response.status_code == 415
    assert refusal(response)[0] == "UNSUPPORTED_MEDIA_TYPE"


async def test_other_methods_are_405(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json={"query": QUERY})

    assert response.status_code == 405
    assert refusal(response)[0] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize("depth", [33, 5_000, 30_000])
async def test_deeply_nested_json_variables_are_400(client: httpx.AsyncClient, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    body = f'{{"query": "query ($v: String) {{ __typename }}", "variables": {{"v": {nested}}}}}'

    response = await client.post(
        "/graphql", content=body.encode(), headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert refusal(response) == (
        "BAD_REQUEST",
        "The request's JSON is nested deeper than 32 levels.",
    )


async def test_deeply_nested_json_in_a_get_is_400_too(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": QUERY, "variables": "[" * 10_000 + "]" * 10_000}
    )

    assert response.status_code == 400
    assert refusal(response)[0] == "BAD_REQUEST"


async def test_a_body_over_the_limit_is_413(settings: Settings) -> None:
    padding = "x" * 5000
    async with client_for(settings, max_body_bytes=4096) as client:
        declared = await client.post(
            "/graphql", json={"query": QUERY, "extensions": {"p": padding}}
        )

        async def chunks() -> Any:
            for _ in range(10):
                yield b" " * 1000

        streamed = await client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
        small = await client.post("/graphql", json={"query": QUERY})

    for response in (declared, streamed):
        assert response.status_code == 413
        assert refusal(response) == (
            "PAYLOAD_TOO_LARGE",
            "The request body is larger than this server accepts (4096 bytes).",
        )
    assert small.status_code == 200


async def test_unknown_paths_are_404_with_a_code(client: httpx.AsyncClient) -> None:
    response = await client.get("/nothing-here")

    assert response.status_code == 404
    assert refusal(response)[0] == "NOT_FOUND"
