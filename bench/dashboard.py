"""How the dashboard queries hold up on more data than the paper's: a bounded benchmark.

Builds a throwaway database (SQLite, and PostgreSQL when its server binaries are installed),
loads the fixtures, adds synthetic arms transfers and memberships, refreshes the search index,
then times each capability through the ASGI app (median of a few runs) and measures what an
export of every transfer costs in time and peak Python memory. Nothing listens on a port.

    .venv/bin/python -m bench.dashboard [--transfers 20000] [--runs 5] [--sqlite-only]

Results are written down in docs/BENCHMARKS.md.
"""

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, select
from sqlmodel import col

from api import migrate, models
from api.app import create_app
from api.db import create_session_factory, engine_scope
from api.fixtures import load_fixtures
from api.models.enums import MembershipRole, TransferStatus, WeaponCategory
from api.search_index import refresh_search_index
from api.settings import PROJECT_ROOT, Settings
from tests.asgi import http_scope

QUERIES: dict[str, tuple[str, dict[str, Any]]] = {
    "filtered, ordered page of transfers": (
        """query { armsTransfers(first: 100, filter: {categories: [AIRCRAFT, SHIPS],
          orderYear: {gte: 2000, lte: 2020}}, orderBy: [{field: SUPPLIER}, {field: ORDER_YEAR,
          direction: DESC}]) { totalCount edges { node { key supplier { code } } } } }""",
        {},
    ),
    "nested imports of 100 states, filtered": (
        """query { states(first: 100) { edges { node { code
          armsImports(first: 5, filter: {statuses: [DELIVERED]}, orderBy: [{field: NUMBER_ORDERED,
          direction: DESC}]) { totalCount edges { node { key supplier { code } } } } } } } }""",
        {},
    ),
    "search (3 words), first 20": (
        """query { search(text: "armoured vehicle delivered", first: 20) { totalCount
          edges { node { kind score snippet item { __typename } } } } }""",
        {},
    ),
    "armsTransferStats by supplier × recipient": (
        """query { armsTransferStats(groupBy: [SUPPLIER, RECIPIENT], limit: 10000) {
          buckets { supplier { code } recipient { code } count numberOrderedSum } } }""",
        {},
    ),
    "membershipStats over 50 years": (
        """query { membershipStats(years: {gte: 1976, lte: 2025}, limit: 10000) {
          rows { organisation { acronym } role year count } } }""",
        {},
    ),
    "armsTransferStats supplier × order year, 1950–2025 filled, by key": (
        """query { armsTransferStats(groupBy: [SUPPLIER, ORDER_YEAR], limit: 10000,
          fillYears: {gte: 1950, lte: 2025}, orderBy: {field: KEY}) {
          buckets { supplier { code } orderYear count } } }""",
        {},
    ),
    "membershipStats over 50 years, filled": (
        """query { membershipStats(years: {gte: 1976, lte: 2025}, limit: 10000,
          fillEmptyYears: true) { rows { organisation { acronym } role year count } } }""",
        {},
    ),
    "diversification of every recipient": (
        """query { armsSupplierDiversification { recipient { code } hhiByDeals hhiByUnits
          topSupplier { supplier { code } } } }""",
        {},
    ),
    "connections JPN → NATO, 4 hops": (
        """query { connections(from: "JPN", to: "NATO", maxHops: 4, first: 50) { hops
          paths { hops { ties { kind sources { quote } } } } } }""",
        {},
    ),
    "network around KAZ, depth 2, 1000 nodes": (
        """query { network(center: "KAZ", depth: 2, maxNodes: 1000) { truncated
          nodes { id } edges { kind } } }""",
        {},
    ),
}


async def synthesise(url: str, transfers: int, seed: int = 4) -> float:
    """Migrate, load the fixtures, add synthetic rows; returns the index refresh time (s)."""
    rng = random.Random(seed)
    async with engine_scope(Settings(database_url=url)) as engine:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)
        await load_fixtures(sessions, [PROJECT_ROOT / "fixtures"])
        async with sessions() as session, session.begin():
            states = list((await session.scalars(select(col(models.State.id)))).all())
            organisations = list((await session.scalars(select(col(models.Organisation.id)))).all())
            rows: list[dict[str, Any]] = [
                {
                    "key": f"bench-{i}",
                    "supplier_id": rng.choice(states[:40]),
                    "recipient_id": rng.choice(states),
                    "weapon_designation": f"Model {rng.randrange(500)}",
                    "weapon_category": rng.choice(list(WeaponCategory)).value,
                    "weapon_description": rng.choice(
                        ["armoured vehicle", "combat aircraft", "ship"]
                    ),
                    "number_ordered": rng.choice([None, rng.randrange(1, 200)]),
                    "number_delivered": None,
                    "order_year": rng.choice([None, rng.randrange(1950, 2026)]),
                    "delivery_years": [],
                    "status": rng.choice(list(TransferStatus)).value,
                    "comments": "synthetic row for the benchmark; delivered in batches",
                }
                for i in range(transfers)
            ]
            await session.execute(insert(models.ArmsTransfer), rows)
            seats = {(rng.choice(organisations), state) for state in states for _ in range(4)}
            await session.execute(
                insert(models.Membership),
                [
                    {
                        "key": f"bench-{organisation}-{state}",
                        "organisation_id": organisation,
                        "member_state_id": state,
                        "role": rng.choice(list(MembershipRole)).value,
                        "since_year": (since := rng.randrange(1950, 2025)),
                        "since": str(since),
                    }
                    for organisation, state in seats
                ],
            )
            started = time.perf_counter()
            await refresh_search_index(session)
            return time.perf_counter() - started


async def median_ms(run: Callable[[], Awaitable[Any]], runs: int) -> float:
    await run()  # warm caches and plans
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def export_all(app: Any) -> tuple[float, int, float]:
    """Stream /export/arms-transfers.csv straight through ASGI, discarding the body as it
    comes: (seconds, bytes, peak MiB of Python allocations while it ran)."""
    scope = http_scope("GET", "/export/arms-transfers.csv")
    size = 0
    asked = False
    never = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await never.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal size
        if message["type"] == "http.response.body":
            size += len(message.get("body", b""))

    tracemalloc.start()
    started = time.perf_counter()
    await app(scope, receive, send)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, size, peak / 2**20


async def bench(url: str, transfers: int, runs: int) -> list[tuple[str, str]]:
    refresh = await synthesise(url, transfers)
    results = [("search index refresh (all records)", f"{refresh * 1000:.0f} ms")]
    app = create_app(Settings(database_url=url, load_fixtures_when_empty=False))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for name, (query, variables) in QUERIES.items():

            async def run(query: str = query, variables: dict[str, Any] = variables) -> None:
                response = await client.post(
                    "/graphql", json={"query": query, "variables": variables}
                )
                body = response.json()
                assert "errors" not in body, body["errors"]

            results.append((name, f"{await median_ms(run, runs):.0f} ms"))
        seconds, size, peak = await export_all(app)
        results.append(
            (
                f"export every transfer as CSV ({size / 2**20:.1f} MiB)",
                f"{seconds * 1000:.0f} ms, peak {peak:.1f} MiB",
            )
        )
    await app.state.engine.dispose()
    return results


def postgres() -> AbstractContextManager[Any]:
    from tests.pg_server import PostgresUnavailable, postgres_server

    try:
        return postgres_server()
    except PostgresUnavailable:
        return nullcontext(None)


async def create_database(server: Any, name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(
        host="127.0.0.1", port=server.port, user=server.user, database="postgres"
    )
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sqlite-only", action="store_true")
    options = parser.parse_args()
    table: dict[str, list[tuple[str, str]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        table["SQLite"] = asyncio.run(bench(url, options.transfers, options.runs))
    if not options.sqlite_only:
        with postgres() as server:
            if server is not None:
                asyncio.run(create_database(server, "bench"))
                table["PostgreSQL"] = asyncio.run(
                    bench(server.url("bench"), options.transfers, options.runs)
                )
    backends = list(table)
    print(f"{options.transfers} synthetic transfers; median of {options.runs} runs\n")
    print("| measure | " + " | ".join(backends) + " |")
    print("| --- |" + " --- |" * len(backends))
    for i, (name, _) in enumerate(table["SQLite"]):
        print(f"| {name} | " + " | ".join(table[b][i][1] for b in backends) + " |")


if __name__ == "__main__":
    main()
