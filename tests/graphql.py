"""Helpers to talk GraphQL to the app the way a client does: over HTTP, as JSON."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from api.app import create_app
from api.settings import Settings


async def post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    # ASCII-escaped, as many clients send it: a lone surrogate can only travel as \ud800.
    request = json.dumps({"query": query, "variables": variables or {}})
    response = await client.post(
        "/graphql", content=request, headers={"content-type": "application/json"}
    )
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


@asynccontextmanager
async def client_for(settings: Settings, **changes: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app built with `settings` changed by `changes` (limits, switches …)."""
    app = create_app(settings.model_copy(update=changes))
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://silkgraph.test") as c:
            c.app = app  # type: ignore[attr-defined]
            yield c
    finally:
        await app.state.engine.dispose()
