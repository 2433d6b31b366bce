"""Per-client rate limiting (a token bucket per IP or API key) and the CORS allow-list."""

import httpx
import pytest

from api.limits import RateLimiter, TokenBucket
from api.settings import Settings
from tests.graphql import client_for

QUERY = {"query": "{ __typename }"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_the_rate() -> None:
    bucket = TokenBucket(capacity=3, rate=2, tokens=3, updated=0.0)

    assert [bucket.take(0.0) for _ in range(3)] == [0, 0, 0]
    assert bucket.take(0.0) == pytest.approx(0.5)  # the next token comes in 1/rate s
    assert bucket.take(0.25) == pytest.approx(0.25)
    assert bucket.take(0.5) == 0
    assert bucket.take(100.0) == 0  # refilled, but never beyond its capacity
    assert bucket.tokens == pytest.approx(2)


def test_each_client_has_its_own_bucket_and_memory_stays_bounded() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=1, burst=1, max_clients=2, clock=clock)

    assert limiter.acquire("a") == 0
    assert limiter.acquire("a") == pytest.approx(1)
    assert limiter.acquire("b") == 0
    assert limiter.acquire("c") == 0  # "a", least recently seen, is dropped
    assert list(limiter.buckets) == ["b", "c"]
    clock.now += 1
    assert limiter.acquire("b") == 0


async def test_a_client_over_its_budget_gets_429_with_retry_after(settings: Settings) -> None:
    async with client_for(
        settings, rate_limit_enabled=True, rate_limit_per_second=0.5, rate_limit_burst=3
    ) as client:
        answered = [await client.post("/graphql", json=QUERY) for _ in range(3)]
        refused = await client.post("/graphql", json=QUERY)
        health = await client.get("/healthz")

    assert [r.status_code for r in answered] == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"
    error = refused.json()["errors"][0]
    assert error["message"] == "Too many requests; try again in 2 s."
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfter"] == 2
    assert health.status_code == 200  # health checks are not counted


async def test_a_known_api_key_has_its_own_bucket_and_an_unknown_one_does_not(
    settings: Settings,
) -> None:
    async with client_for(
        settings,
        rate_limit_enabled=True,
        rate_limit_per_second=0.1,
        rate_limit_burst=1,
        api_keys=["dashboard-1"],
    ) as client:
        by_ip = await client.post("/graphql", json=QUERY)
        by_key = await client.post("/graphql", json=QUERY, headers={"X-API-Key": "dashboard-1"})
        again_by_key = await client.post(
            "/graphql", json=QUERY, headers={"X-API-Key": "dashboard-1"}
        )
        invented = await client.post("/graphql", json=QUERY, headers={"X-API-Key": "made-up"})

    assert (by_ip.status_code, by_key.status_code) == (200, 200)
    assert again_by_key.status_code == 429
    assert invented.status_code == 429  # counted with its IP address, whose bucket is empty


async def test_rate_limiting_can_be_switched_off(settings: Settings) -> None:
    async with client_for(
        settings, rate_limit_enabled=False, rate_limit_per_second=0.1, rate_limit_burst=1
    ) as client:
        statuses = [(await client.post("/graphql", json=QUERY)).status_code for _ in range(5)]

    assert statuses == [200] * 5


async def test_cors_allows_the_listed_origins_only(settings: Settings) -> None:
    allowed, other = "https://dashboard.example", "https://elsewhere.example"
    async with client_for(settings, cors_origins=[allowed]) as client:
        preflight = await client.options(
            "/graphql",
            headers={
                "origin": allowed,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        simple = await client.post("/graphql", json=QUERY, headers={"origin": allowed})
        foreign = await client.post("/graphql", json=QUERY, headers={"origin": other})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == allowed
    assert simple.headers["access-control-allow-origin"] == allowed
    assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-origin" not in foreign.headers


async def test_no_origin_is_allowed_by_default(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json=QUERY, headers={"origin": "https://dashboard.example"}
    )

    assert "access-control-allow-origin" not in response.headers
