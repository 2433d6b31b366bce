"""Faults: the database goes away, the database is slow, clients send garbage.

    .venv/bin/python -m bench.faults outage --out docs/bench/outage.json
    .venv/bin/python -m bench.faults slow --out docs/bench/slow.json
    .venv/bin/python -m bench.faults malformed --out docs/bench/malformed.json

`outage`: under steady load, PostgreSQL is stopped for a while and started again. While it is
down, /healthz must answer 503 and queries must fail fast with DATABASE_UNAVAILABLE; once it
is back, the API must answer again within 5 s, without a restart.

`slow`: another session locks the `state` table, so every statement reading it waits longer
than the request timeout. Those requests must end with TIMEOUT at the deadline, the worker
must keep answering other requests meanwhile, and PostgreSQL must not be left running them.

`malformed`: invalid JSON, wrong content types, huge bodies, deeply nested JSON variables …
each must get a 4xx with a clear message.

Everything runs on 127.0.0.1 and stops by itself within the durations given.
"""

import argparse
import asyncio
import json
import os
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from bench.common import Latencies, dump, error_codes, stack

STATE = '{ state(code: "KGZ") { name memberships { role organisation { acronym } } } }'
ORGANISATION = '{ organisation(acronym: "OTS") { name formerNames { name } } }'
WORKDIR = Path(os.environ.get("BENCH_WORKDIR", "/tmp/silkgraph-bench-faults"))


@dataclass
class Sample:
    at: float  # seconds since the scenario began
    seconds: float
    status: int
    codes: list[str]

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.codes


@dataclass
class Recorder:
    began: float = field(default_factory=time.monotonic)
    queries: list[Sample] = field(default_factory=list)
    health: list[Sample] = field(default_factory=list)

    def now(self) -> float:
        return time.monotonic() - self.began


async def _query(http: httpx.AsyncClient, url: str, query: str, recorder: Recorder) -> Sample:
    at = recorder.now()
    started = time.monotonic()
    try:
        response = await http.post(url, json={"query": query})
        status, codes = response.status_code, error_codes(response.json())
    except (httpx.HTTPError, ValueError) as error:
        status, codes = 0, [f"transport {type(error).__name__}"]
    return Sample(at, time.monotonic() - started, status, codes)


async def _load(http: httpx.AsyncClient, url: str, recorder: Recorder, until: float) -> None:
    while recorder.now() < until:
        recorder.queries.append(await _query(http, url, STATE, recorder))


async def _watch_health(
    http: httpx.AsyncClient, base: str, recorder: Recorder, until: float
) -> None:
    while recorder.now() < until:
        at = recorder.now()
        started = time.monotonic()
        try:
            status = (await http.get(f"{base}/healthz")).status_code
        except httpx.HTTPError:
            status = 0
        recorder.health.append(Sample(at, time.monotonic() - started, status, []))
        await asyncio.sleep(0.25)


def _window(samples: list[Sample], start: float, end: float) -> list[Sample]:
    return [s for s in samples if start <= s.at and s.at + s.seconds <= end]


def _latency(samples: list[Sample]) -> dict[str, float | int]:
    latencies = Latencies()
    for sample in samples:
        latencies.add(sample.seconds)
    return latencies.summary()


async def _outage(
    base: str,
    stop_db: Any,
    start_db: Any,
    clients: int,
    down_for: float,
    before: float,
    after: float,
) -> dict[str, Any]:
    recorder = Recorder()
    url = f"{base}/graphql"
    bound = before + down_for + after + 60  # the loops are cancelled long before this
    async with httpx.AsyncClient(timeout=30) as http:
        tasks = [asyncio.create_task(_load(http, url, recorder, bound)) for _ in range(clients)]
        tasks.append(asyncio.create_task(_watch_health(http, base, recorder, bound)))
        await asyncio.sleep(before)
        stopping = recorder.now()
        await asyncio.to_thread(stop_db)
        stopped = recorder.now()
        await asyncio.sleep(down_for)
        starting = recorder.now()
        await asyncio.to_thread(start_db)
        started = recorder.now()
        await asyncio.sleep(after)
        end = recorder.now()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    down = _window(recorder.queries, stopped, starting)
    down_health = _window(recorder.health, stopped, starting)
    back = [s for s in recorder.queries if s.at >= started]
    first_ok = next((s for s in sorted(back, key=lambda s: s.at) if s.ok), None)
    recovered_at = first_ok.at + first_ok.seconds if first_ok else None
    after_recovery = [s for s in back if recovered_at is not None and s.at >= recovered_at]
    healthy_again = next(
        (s.at + s.seconds for s in recorder.health if s.at >= started and s.status == 200), None
    )
    return {
        "clients": clients,
        "timeline_s": {
            "stop_requested": round(stopping, 2),
            "stopped": round(stopped, 2),
            "start_requested": round(starting, 2),
            "accepting_connections": round(started, 2),
            "end": round(end, 2),
        },
        # Every answer of the run, those straddling the stop and the start included.
        "all_answers": _outcomes(recorder.queries),
        "before_outage": {
            "outcomes": _outcomes(_window(recorder.queries, 0, stopping)),
        },
        "while_down": {
            "outcomes": _outcomes(down),
            "latency": _latency(down),
            "healthz": dict(Counter(str(s.status) for s in down_health)),
        },
        "recovery": {
            "first_answer_after_start_s": (
                round(recovered_at - started, 2) if recovered_at is not None else None
            ),
            "healthz_200_after_start_s": (
                round(healthy_again - started, 2) if healthy_again is not None else None
            ),
            "outcomes_after_first_answer": _outcomes(after_recovery),
        },
    }


def _outcomes(samples: list[Sample]) -> dict[str, int]:
    return dict(Counter("ok" if s.ok else f"{s.status} {','.join(s.codes)}" for s in samples))


def outage(clients: int, down_for: float) -> dict[str, Any]:
    with stack(WORKDIR / "outage", workers=2, settings={"rate_limit_enabled": "false"}) as running:
        results = asyncio.run(
            _outage(
                running.base,
                running.postgres.stop,
                running.postgres.start,
                clients,
                down_for,
                before=5.0,
                after=10.0,
            )
        )
    return {"scenario": "outage", "backend": "postgresql", "workers": 2, **results}


# -- slow ------------------------------------------------------------------------------------


@asynccontextmanager
async def _locked(database_url: str) -> AsyncIterator[None]:
    """Another session holds `state` locked, as a long migration would."""
    url = make_url(database_url)
    holder = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    transaction = holder.transaction()
    await transaction.start()
    await holder.execute("LOCK TABLE state IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        await transaction.rollback()
        await holder.close()


async def _still_running(database_url: str) -> int:
    url = make_url(database_url)
    watcher = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    try:
        count: int = await watcher.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'active' "
            "AND pid <> pg_backend_pid()",
            url.database,
        )
        return count
    finally:
        await watcher.close()


async def _slow(base: str, database_url: str, deadline: float, blocked: int) -> dict[str, Any]:
    recorder = Recorder()
    url = f"{base}/graphql"
    async with httpx.AsyncClient(timeout=60) as http:
        for _ in range(20):  # warm up: connections, caches
            await _query(http, url, ORGANISATION, recorder)
        baseline = [await _query(http, url, ORGANISATION, recorder) for _ in range(20)]
        async with _locked(database_url):
            waiting = [
                asyncio.create_task(_query(http, url, STATE, recorder)) for _ in range(blocked)
            ]
            meanwhile: list[Sample] = []
            while not all(task.done() for task in waiting):
                meanwhile.append(await _query(http, url, ORGANISATION, recorder))
                await asyncio.sleep(0.05)
            slow = [task.result() for task in waiting]
            await asyncio.sleep(0.5)
            left_running = await _still_running(database_url)
        afterwards = [await _query(http, url, STATE, recorder) for _ in range(5)]
    return {
        "request_timeout_s": deadline,
        "blocked_requests": {"outcomes": _outcomes(slow), "latency": _latency(slow)},
        "other_requests_meanwhile": {
            "outcomes": _outcomes(meanwhile),
            "latency": _latency(meanwhile),
        },
        "same_requests_unloaded": {"latency": _latency(baseline)},
        "statements_still_running_0_5_s_after_the_timeouts": left_running,
        "after_the_lock_is_released": {"outcomes": _outcomes(afterwards)},
    }


def slow(timeout: float, blocked: int) -> dict[str, Any]:
    settings = {"rate_limit_enabled": "false", "request_timeout": str(timeout)}
    with stack(WORKDIR / "slow", workers=2, settings=settings) as running:
        results = asyncio.run(_slow(running.base, running.database_url, timeout, blocked))
    return {"scenario": "slow", "backend": "postgresql", "workers": 2, **results}


# -- malformed -------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return (
        '{"query": "query ($v: String) { __typename }", "variables": {"v": '
        + "[" * depth
        + "]" * depth
        + "}}"
    )


async def _chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // 65536):
        yield b" " * 65536


STRICT = {"content-type": "application/json", "accept": "application/graphql-response+json"}

MALFORMED: list[tuple[str, str, dict[str, Any]]] = [
    ("invalid JSON", "POST", {"content": b'{"query": ', "json_type": True}),
    ("JSON that is not an object", "POST", {"content": b"42", "json_type": True}),
    ("bytes that are not UTF-8", "POST", {"content": b"\xff\xfe\x00{", "json_type": True}),
    ("`query` not a string", "POST", {"content": b'{"query": 5}', "json_type": True}),
    ("no query at all", "POST", {"content": b'{"qeury": "{ __typename }"}', "json_type": True}),
    (
        "text/plain body",
        "POST",
        {"content": b'{"query": "{ __typename }"}', "headers": {"content-type": "text/plain"}},
    ),
    ("no content type", "POST", {"content": b'{"query": "{ __typename }"}', "headers": {}}),
    ("multipart/form-data", "POST", {"files": {"operations": ("o", b"{}")}}),
    ("PUT instead of POST", "PUT", {"content": b'{"query": "{ __typename }"}', "json_type": True}),
    ("10 MB body, declared", "POST", {"content": b" " * 10_000_000, "json_type": True}),
    ("10 MB body, chunked", "POST", {"chunked": 10_000_000, "json_type": True}),
    (
        "JSON variables nested 100 deep",
        "POST",
        {"content": _nested(100).encode(), "json_type": True},
    ),
    (
        "JSON variables nested 30,000 deep",
        "POST",
        {"content": _nested(30_000).encode(), "json_type": True},
    ),
    (
        "JSON variables nested 1,000,000 deep",
        "POST",
        {"content": _nested(1_000_000).encode(), "json_type": True},
    ),
    (
        "GET with variables nested 5,000 deep",
        "GET",
        {"params": {"query": "{ __typename }", "variables": "[" * 5000 + "]" * 5000}},
    ),
    (
        "batch of 11 operations",
        "POST",
        {"content": json.dumps([{"query": "{ __typename }"}] * 11).encode(), "json_type": True},
    ),
    # GraphQL-level refusals: 4xx under application/graphql-response+json; under plain
    # application/json the spec keeps them 200 (with the same errors).
    (
        "NUL in a variable",
        "POST",
        {
            "content": json.dumps(
                {
                    "query": "query ($c: String!) { state(code: $c) { name } }",
                    "variables": {"c": "KGZ\u0000"},
                }
            ).encode(),
            "headers": STRICT,
        },
    ),
    (
        "first: 101",
        "POST",
        {
            "content": json.dumps({"query": "{ states(first: 101) { totalCount } }"}).encode(),
            "headers": STRICT,
        },
    ),
    (
        "syntax error",
        "POST",
        {"content": json.dumps({"query": "{ state(code: "}).encode(), "headers": STRICT},
    ),
]


async def _malformed(base: str) -> list[dict[str, Any]]:
    results = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        for name, method, spec in MALFORMED:
            headers = spec.get("headers")
            if headers is None and spec.get("json_type"):
                headers = {"content-type": "application/json"}
            content: Any = spec.get("content")
            if "chunked" in spec:
                content = _chunks(spec["chunked"])
            started = time.monotonic()
            try:
                response = await http.request(
                    method,
                    "/graphql",
                    content=content,
                    files=spec.get("files"),
                    params=spec.get("params"),
                    headers=headers,
                )
                status = response.status_code
                try:
                    body = response.json()
                    errors = body.get("errors") or [{}] if isinstance(body, dict) else [{}]
                    message = errors[0].get("message")
                    code = (errors[0].get("extensions") or {}).get("code")
                except ValueError:
                    message, code = response.text[:200], None
            except httpx.HTTPError as error:
                status, message, code = 0, f"{type(error).__name__}: {error}", None
            results.append(
                {
                    "request": name,
                    "status": status,
                    "code": code,
                    "message": message,
                    "ms": round((time.monotonic() - started) * 1000, 1),
                }
            )
    return results


def malformed() -> dict[str, Any]:
    with stack(
        WORKDIR / "malformed", workers=1, settings={"rate_limit_enabled": "false"}
    ) as running:
        results = asyncio.run(_malformed(running.base))
    return {
        "scenario": "malformed",
        "all_4xx": all(400 <= r["status"] < 500 for r in results),
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=["outage", "slow", "malformed"])
    parser.add_argument("--clients", type=int, default=16, help="outage: concurrent clients")
    parser.add_argument("--down", type=float, default=10.0, help="outage: seconds down")
    parser.add_argument("--timeout", type=float, default=2.0, help="slow: request timeout")
    parser.add_argument("--blocked", type=int, default=8, help="slow: requests on the lock")
    parser.add_argument("--out", type=Path, help="also write the results (JSON) here")
    arguments = parser.parse_args()
    if not 1 <= arguments.down <= 120 or not 0.1 <= arguments.timeout <= 30:
        parser.error("--down must be 1..120 s and --timeout 0.1..30 s")
    if arguments.scenario == "outage":
        results = outage(arguments.clients, arguments.down)
    elif arguments.scenario == "slow":
        results = slow(arguments.timeout, arguments.blocked)
    else:
        results = malformed()
    dump(results, arguments.out)


if __name__ == "__main__":
    main()
