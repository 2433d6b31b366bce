"""The COW IGO import and `members(asOf:)` over it, in process, on SQLite and PostgreSQL.

    python bench/cow.py [--backend sqlite|postgres|both] [--runs 3] [--requests 200]

For each back end and run: a new database with the fixtures, then `import_table` of the real
table (timed: wall and CPU seconds, rows/s, peak memory the import's Python objects took, from
tracemalloc in a separate run so its overhead is not in the times), then a re-import that
changes nothing. Then `members(asOf:)` of the organisation with the most seats that year,
through the ASGI app, one request at a time: p50/p95/p99 and SQL statements per request.
PostgreSQL is a throwaway cluster on 127.0.0.1 (tests/pg_server.py), deleted afterwards.
"""

import argparse
import asyncio
import gc
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event, func, select
from sqlmodel import col

from api import migrate, models
from api.app import create_app
from api.cow.importer import import_table
from api.db import create_session_factory, engine_scope
from api.fixtures import load_fixtures
from api.settings import PROJECT_ROOT, Settings
from bench.page_latency import percentile
from tests.pg_server import PostgresServer, postgres_server

TABLE = PROJECT_ROOT / "fixtures" / "cow" / "igo_year_formatv3.csv.gz"
YEAR = 2014
MEMBERS = """query ($acronym: String!, $year: Int!) {
  organisation(acronym: $acronym) { members(asOf: $year) {
    role since until member { ... on State { code name } } } } }"""


def settings_for(url: str) -> Settings:
    return Settings(database_url=url, load_fixtures_when_empty=False)


async def prepare(url: str) -> None:
    async with engine_scope(settings_for(url)) as engine:
        await migrate.upgrade(engine)
        await load_fixtures(create_session_factory(engine), [PROJECT_ROOT / "fixtures"])


async def timed_import(url: str, *, trace: bool = False) -> dict[str, float]:
    async with engine_scope(settings_for(url)) as engine:
        sessions = create_session_factory(engine)
        if trace:
            tracemalloc.start()
        wall, cpu = time.perf_counter(), time.process_time()
        report = await import_table(sessions, TABLE)
        result = {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "rows_per_s": report.rows / (time.perf_counter() - wall),
            "added": report.added,
            "unchanged": report.unchanged,
        }
        if trace:
            result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        return result


async def largest(url: str) -> tuple[str, int]:
    """The organisation with the most seats held in YEAR, and how many."""
    async with engine_scope(settings_for(url)) as engine, create_session_factory(engine)() as s:
        seats = func.count().label("n")
        membership = models.Membership
        row = (
            await s.execute(
                select(col(models.Organisation.acronym), seats)
                .join(membership, col(membership.organisation_id) == models.Organisation.id)
                .where(
                    col(membership.since_year) <= YEAR,
                    (col(membership.until_year).is_(None)) | (col(membership.until_year) > YEAR),
                )
                .group_by(col(models.Organisation.acronym))
                .order_by(seats.desc())
                .limit(1)
            )
        ).one()
        return str(row[0]), int(row[1])


async def latency(url: str, requests: int) -> str:
    acronym, seats = await largest(url)
    app = create_app(settings_for(url))
    # As the app's lifespan does in a server (ASGITransport runs no lifespan): what is built
    # so far stays out of the garbage collector's full passes.
    gc.collect()
    gc.freeze()
    statements = 0

    def count(*_args: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
    if app.state.single_read is not None:  # compiled reads go past the engine
        app.state.single_read.observers.append(count)
    body = {"query": MEMBERS, "variables": {"acronym": acronym, "year": YEAR}}
    times: list[float] = []
    cpu: list[float] = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        for _ in range(10):  # warm up pools, caches and prepared statements
            answer = (await client.post("/graphql", json=body)).json()
            assert len(answer["data"]["organisation"]["members"]) == seats, answer
        statements = 0
        for _ in range(requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = await client.post("/graphql", json=body)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert "errors" not in response.json()
    await app.state.engine.dispose()
    return (
        f"members(asOf: {YEAR}) of {acronym} ({seats} seats), {requests} requests: "
        f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
        f"p99 {percentile(times, 0.99):.1f} ms (CPU: p50 {statistics.median(cpu):.1f} ms, p95 "
        f"{percentile(cpu, 0.95):.1f} ms), {statements / requests:.0f} SQL statements each"
    )


@asynccontextmanager
async def databases(
    backend: str, workdir: Path, pg: PostgresServer | None
) -> AsyncIterator[Callable[[str], Any]]:
    """A maker of new, empty databases by name, on the back end."""

    async def make(name: str) -> str:
        if backend == "sqlite":
            return f"sqlite+aiosqlite:///{workdir / name}.db"
        assert pg is not None
        admin = await asyncpg.connect(
            host="127.0.0.1", port=pg.port, user=pg.user, database="postgres"
        )
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        return pg.url(name)

    yield make


def line(name: str, run: dict[str, float]) -> str:
    text = (
        f"{name}: {run['wall']:.2f} s wall, {run['cpu']:.2f} s CPU, "
        f"{run['rows_per_s']:,.0f} rows/s ({run['added']:,.0f} added, "
        f"{run['unchanged']:,.0f} unchanged)"
    )
    return text + (f", peak {run['peak_mb']:.0f} MB traced" if "peak_mb" in run else "")


async def bench(backend: str, runs: int, requests: int, pg: PostgresServer | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with databases(backend, Path(tmp), pg) as make:
            for n in range(runs):
                url = await make(f"cow_{n}")
                await prepare(url)
                print(f"[{backend}] " + line(f"import {n + 1}", await timed_import(url)))
                print(f"[{backend}] " + line(f"re-import {n + 1}", await timed_import(url)))
            traced = await make("cow_traced")
            await prepare(traced)
            print(f"[{backend}] " + line("import, traced", await timed_import(traced, trace=True)))
            print(f"[{backend}] " + await latency(url, requests))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"[{backend}] peak RSS of the whole benchmark process so far: {rss:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    runs, requests = max(1, min(args.runs, 10)), max(1, min(args.requests, 10_000))
    if args.backend in ("sqlite", "both"):
        asyncio.run(bench("sqlite", runs, requests, None))
    if args.backend in ("postgres", "both"):
        with postgres_server() as server:
            asyncio.run(bench("postgres", runs, requests, server))


if __name__ == "__main__":
    main()
