"""What the frontend conveniences cost per request: telling a request (its JSON log line and
metrics), gzip on the largest answer, and an Apollo persisted query against the full text.

Builds a throwaway SQLite database with the fixtures and drives the ASGI app in process
(nothing listens on a port), median of many runs after a warm-up; the cost of telling one
request is measured on its own, by calling the middleware's bookkeeping in a loop with the
log written to memory as `silkgraph serve` writes it to standard output.

    .venv/bin/python -m bench.frontends [--runs 200]

Results are written down in docs/BENCHMARKS.md.
"""

import argparse
import asyncio
import hashlib
import io
import json
import logging
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from graphql import get_introspection_query

from api import migrate
from api.app import create_app
from api.db import create_session_factory, engine_scope
from api.fixtures import load_fixtures
from api.metrics import Metrics, Operation
from api.observability import logger, observe_request
from api.settings import PROJECT_ROOT, Settings

MEMBERS = """query OtsMembers { organisation(acronym: "OTS") { name
  members(asOf: 2025) { role since member { ... on State { code name } } } } }"""


async def median_ms(run: Callable[[], Awaitable[Any]], runs: int) -> float:
    await run()  # warm-up: caches, connections
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def telling_us(calls: int) -> float:
    """Microseconds the middleware spends telling one finished GraphQL request."""
    metrics = Metrics()
    scope = {"type": "http", "method": "POST", "path": "/graphql"}
    state = {"graphql_operations": [Operation("OtsMembers", "ok", "")]}
    sink = logging.StreamHandler(io.StringIO())
    sink.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(sink)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        started = time.perf_counter()
        for _ in range(calls):
            observe_request(metrics, scope, state, 200, 0.004)
        return (time.perf_counter() - started) / calls * 1e6
    finally:
        logger.removeHandler(sink)


async def bench(url: str, runs: int) -> list[tuple[str, str]]:
    async with engine_scope(Settings(database_url=url)) as engine:
        await migrate.upgrade(engine)
        await load_fixtures(create_session_factory(engine), [PROJECT_ROOT / "fixtures"])
    app = create_app(
        Settings(database_url=url, load_fixtures_when_empty=False, rate_limit_enabled=False)
    )
    results = [
        ("telling one request (JSON line + 3 metric samples)", f"{telling_us(20_000):.0f} µs")
    ]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def typename() -> None:
            (await client.post("/graphql", json={"query": "{ __typename }"})).raise_for_status()

        results.append(
            ("`{ __typename }`, the whole request", f"{await median_ms(typename, runs):.2f} ms")
        )

        introspection = {"query": get_introspection_query(descriptions=True)}
        sizes: dict[str, int] = {}
        for encoding in ("identity", "gzip"):

            async def introspect(encoding: str = encoding) -> None:
                answer = await client.post(
                    "/graphql", json=introspection, headers={"accept-encoding": encoding}
                )
                sizes[encoding] = answer.num_bytes_downloaded

            ms = await median_ms(introspect, max(runs // 10, 5))
            results.append(
                (f"introspection, {encoding}", f"{ms:.1f} ms, {sizes[encoding] / 1000:.0f} KB")
            )

        digest = hashlib.sha256(MEMBERS.encode()).hexdigest()
        persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        await client.post("/graphql", json={"query": MEMBERS, "extensions": persisted})

        async def full_text() -> None:
            (await client.post("/graphql", json={"query": MEMBERS})).raise_for_status()

        async def by_hash() -> None:
            answer = await client.get(
                "/graphql",
                params={"extensions": json.dumps(persisted)},
            )
            assert "errors" not in answer.json()

        results.append(
            ("OTS members, full text by POST", f"{await median_ms(full_text, runs):.2f} ms")
        )
        results.append(
            ("OTS members, persisted hash by GET", f"{await median_ms(by_hash, runs):.2f} ms")
        )
    await app.state.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        results = asyncio.run(bench(url, options.runs))
    print(f"median of {options.runs} runs (introspection: {max(options.runs // 10, 5)})\n")
    print("| measure | SQLite |\n| --- | --- |")
    for name, value in results:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
