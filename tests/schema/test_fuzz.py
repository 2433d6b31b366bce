"""Fuzzing in-process: operations generated from the exported SDL by hypothesis-graphql,
valid ones and ones with a schema violation, sent over HTTP to the app on each back end.

Whatever comes in, the answer is honest: no 5xx, every error has a code, none is an
unexpected error (masked or not), and none mentions SQL or the server's files. Bounded by
FUZZ_EXAMPLES (default 150) per mode and back end so the suite stays quick; a bigger run
is `FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/schema/test_fuzz.py`.
"""

import asyncio
import json
import os
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis_graphql import Mode, queries

from api.settings import PROJECT_ROOT, Settings
from tests.graphql import client_for

SDL = (PROJECT_ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))

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


@pytest.mark.parametrize("mode", [Mode.POSITIVE, Mode.NEGATIVE], ids=["valid", "invalid"])
async def test_fuzzed_operations_get_honest_answers(settings: Settings, mode: Mode) -> None:
    loop = asyncio.get_running_loop()

    async with client_for(settings, rate_limit_enabled=False) as client:

        async def ask(query: str) -> tuple[int, Any]:
            response = await client.post(
                "/graphql",
                content=json.dumps({"query": query}),
                headers={"content-type": "application/json"},
            )
            return response.status_code, response.json()

        # Hypothesis drives the examples from a worker thread; each request runs on this
        # loop, where the app's engine and connections live.
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(query=queries(SDL, mode=mode))
        def check(query: object) -> None:
            assert isinstance(query, str)
            future = asyncio.run_coroutine_threadsafe(ask(query), loop)
            status, body = future.result(timeout=60)
            assert not problems(status, body), (query, status, body)

        await asyncio.to_thread(check)


def test_the_judge_catches_what_it_must() -> None:
    masked = {
        "errors": [
            {"message": "Unexpected error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
        ]
    }
    uncoded = {"errors": [{"message": "boom"}]}
    leaky = {
        "errors": [
            {
                "message": "(sqlite3.OperationalError) near SELECT *",
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ]
    }

    assert problems(200, {"data": {"state": None}}) == []
    assert problems(500, {}) == ["status 500"]
    assert problems(200, masked)
    assert problems(200, uncoded)
    assert problems(200, leaky) == ["leaks 'select '", "leaks 'sqlite'"]


async def test_the_fuzzer_reaches_the_data(client: httpx.AsyncClient) -> None:
    """Generated queries are not all refused: some valid ones read rows (a smoke check)."""
    loop = asyncio.get_running_loop()
    answered: list[bool] = []

    async def ask(query: str) -> bool:
        response = await client.post("/graphql", json={"query": query})
        body = response.json()
        return "errors" not in body and bool(body.get("data"))

    @hypothesis_settings(max_examples=30, deadline=None, database=None)
    @given(query=queries(SDL, fields=["states"]))
    def collect(query: object) -> None:
        assert isinstance(query, str)
        answered.append(asyncio.run_coroutine_threadsafe(ask(query), loop).result(timeout=60))

    await asyncio.to_thread(collect)

    assert any(answered)
