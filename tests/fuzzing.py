"""What the GraphQL fuzzers share: the judge of an answer and the driver that feeds operations
generated from the exported SDL (hypothesis-graphql) to the app over HTTP.

The suite runs the driver with a fixed seed (tests/schema/test_fuzz.py), so a red CI points at a
change; `python -m bench.fuzz` runs the same driver with random seeds for as long as it is told
and keeps every finding. One judge for both: what the long run reports, the suite would fail.
"""

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from hypothesis import HealthCheck, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis_graphql import Mode, queries

from api.settings import PROJECT_ROOT

SDL = (PROJECT_ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")

# Codes a fuzzed operation may honestly get: the client's mistakes and our refusals.
EXPECTED = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "QUERY_TOO_COMPLEX",
    "QUERY_TOO_DEEP",
}
LEAKS = ["select ", "sqlalchemy", "sqlite", "asyncpg", "traceback", '.py"', "/work/"]

Judge = Callable[[str, int, Any], None]
"""Called with each operation, the HTTP status and the decoded body."""


def problems(status: int, body: Any) -> list[str]:
    """What is wrong with one answer; empty when it is honest."""
    found = []
    if status >= 500:
        found.append(f"status {status}")
    errors = body.get("errors") or [] if isinstance(body, dict) else []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        if code not in EXPECTED:
            found.append(f"code {code!r}: {error.get('message')}")
    text = json.dumps(errors).lower()
    found += [f"leaks {leak!r}" for leak in LEAKS if leak in text]
    return found


async def ask(client: httpx.AsyncClient, query: str) -> tuple[int, Any]:
    """One operation as a client sends it; the status and the decoded body."""
    response = await client.post(
        "/graphql",
        content=json.dumps({"query": query}),
        headers={"content-type": "application/json"},
    )
    return response.status_code, response.json()


async def fuzz(
    client: httpx.AsyncClient,
    mode: Mode,
    judge: Judge,
    *,
    max_examples: int,
    derandomize: bool,
    random_seed: int | None = None,
    fields: list[str] | None = None,
    until: float | None = None,
) -> None:
    """Send `max_examples` generated operations through `client`, each judged by `judge`;
    none after `until` (a `time.monotonic()` value), when one is given.

    Hypothesis drives the examples from a worker thread; each request runs on the caller's
    loop, where the app's engine and connections live. No example database: the suite's
    cases are fixed by `derandomize`, the long run's findings go to its own file.
    """
    loop = asyncio.get_running_loop()

    @hypothesis_settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=derandomize,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(query=queries(SDL, mode=mode, fields=fields))
    def check(query: object) -> None:
        assert isinstance(query, str)
        if until is not None and time.monotonic() > until:
            return
        status, body = asyncio.run_coroutine_threadsafe(ask(client, query), loop).result(timeout=60)
        judge(query, status, body)

    run = check if random_seed is None else seed(random_seed)(check)
    await asyncio.to_thread(run)
