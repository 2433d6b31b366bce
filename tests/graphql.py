"""Helpers to talk GraphQL to the app the way a client does: over HTTP, as JSON."""

from typing import Any

import httpx


async def post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    body: dict[str, Any] = response.json()
    return body


async def data_of(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The `data` of a request that must succeed; fails the test with the errors otherwise."""
    body = await post(client, query, variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def errors_of(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The errors of a request that must fail."""
    body = await post(client, query, variables)
    assert body.get("errors"), f"expected errors, got {body}"
    errors: list[dict[str, Any]] = body["errors"]
    return errors


def nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]
