"""CORS: pages on this machine may call the API in development, only listed origins in
production, and nothing else in either."""

import httpx
import pytest
from pydantic import ValidationError

from api.settings import Settings
from tests.graphql import client_for

QUERY = {"query": "{ __typename }"}
LOCAL = [
    "http://localhost:3000",
    "http://localhost",
    "https://localhost:8443",
    "http://127.0.0.1:5173",
    "http://[::1]:8080",
]
FOREIGN = [
    "https://dashboard.example",
    "http://localhost.evil.example",
    "http://localhost:3000.evil.example",
    "http://localhost:3000@evil.example",
    "http://127.0.0.1.nip.io",
    "file://localhost",
    "null",
]


async def _preflight(client: httpx.AsyncClient, origin: str) -> httpx.Response:
    return await client.options(
        "/graphql",
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )


async def test_a_local_frontend_may_call_the_api_in_development(settings: Settings) -> None:
    assert settings.environment == "development"  # the default
    async with client_for(settings) as client:
        for origin in LOCAL:
            preflight = await _preflight(client, origin)
            answer = await client.post("/graphql", json=QUERY, headers={"origin": origin})

            assert preflight.status_code == 200, origin
            assert preflight.headers["access-control-allow-origin"] == origin
            assert "POST" in preflight.headers["access-control-allow-methods"]
            assert answer.status_code == 200
            assert answer.headers["access-control-allow-origin"] == origin
            assert answer.json()["data"] == {"__typename": "Query"}


async def test_other_origins_are_refused_in_development(settings: Settings) -> None:
    async with client_for(settings) as client:
        for origin in FOREIGN:
            preflight = await _preflight(client, origin)
            answer = await client.post("/graphql", json=QUERY, headers={"origin": origin})

            assert preflight.status_code == 400, origin
            assert "access-control-allow-origin" not in preflight.headers
            assert "access-control-allow-origin" not in answer.headers


async def test_production_allows_the_listed_origins_and_no_local_ones(settings: Settings) -> None:
    listed = "https://dashboard.example"
    async with client_for(settings, environment="production", cors_origins=[listed]) as client:
        local = await _preflight(client, "http://localhost:3000")
        local_answer = await client.post(
            "/graphql", json=QUERY, headers={"origin": "http://localhost:3000"}
        )
        allowed = await _preflight(client, listed)

    assert local.status_code == 400
    assert "access-control-allow-origin" not in local_answer.headers
    assert allowed.headers["access-control-allow-origin"] == listed


def test_the_environment_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SILKGRAPH_ENVIRONMENT", "production")
    assert Settings().environment == "production"

    monkeypatch.setenv("SILKGRAPH_ENVIRONMENT", "staging")
    with pytest.raises(ValidationError, match="environment"):
        Settings()
