"""Latency of filtered pages over a generated data set, in process (no HTTP server, no load).

    python bench/page_latency.py [--database-url URL] [--requests 200]

A quick check that the indexes serve the register's pages at scale: it asks the busiest
recipient's newest 50 transfers (with supplier and recipient, benchmark query b) and the same
page with totalCount, through the ASGI app, one request at a time, and prints p50/p95/p99
and SQL statements per request. The full benchmark, under load and against PostGraphile, is
bench/run.py's job.
"""

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Sequence
from typing import Any

import httpx
from sqlalchemy import event, func, select
from sqlmodel import col

from api import models
from api.app import create_app
from api.db import create_session_factory, engine_scope
from api.settings import get_settings

PAGE = """query ($recipient: String!) {
  armsTransfers(first: 50, filter: { recipient: $recipient }) {
    edges { node { key orderYear supplier { code } recipient { code } } } } }"""
PAGE_WITH_TOTAL = """query ($recipient: String!) {
  armsTransfers(first: 50, filter: { recipient: $recipient }) { totalCount
    edges { node { key orderYear supplier { code } recipient { code } } } } }"""


async def busiest_recipient(database_url: str) -> tuple[str, int]:
    settings = get_settings().model_copy(update={"database_url": database_url})
    async with engine_scope(settings) as engine, create_session_factory(engine)() as session:
        count = func.count().label("n")
        row = (
            await session.execute(
                select(col(models.State.code), count)
                .join(models.ArmsTransfer, col(models.ArmsTransfer.recipient_id) == models.State.id)
                .group_by(col(models.State.code))
                .order_by(count.desc())
                .limit(1)
            )
        ).one()
        return str(row[0]), int(row[1])


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(database_url: str, requests: int) -> list[str]:
    code, rows = await busiest_recipient(database_url)
    settings = get_settings().model_copy(update={"database_url": database_url})
    app = create_app(settings)
    statements = 0

    def count(*_args: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
    if app.state.single_read is not None:  # compiled reads go past the engine
        app.state.single_read.observers.append(count)
    lines = [f"busiest recipient {code}: {rows:,} transfers; {requests} requests each"]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for name, query in (("page", PAGE), ("page+totalCount", PAGE_WITH_TOTAL)):
            body = {"query": query, "variables": {"recipient": code}}
            for _ in range(10):  # warm up pools, caches and prepared statements
                assert "errors" not in (await client.post("/graphql", json=body)).json()
            statements = 0
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                response = await client.post("/graphql", json=body)
                times.append((time.perf_counter() - started) * 1000)
                assert "errors" not in response.json()
            lines.append(
                f"{name}: p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f}"
                f" ms, p99 {percentile(times, 0.99):.1f} ms, {statements / requests:.0f} SQL "
                "statements per request"
            )
    await app.state.engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    url = args.database_url or get_settings().database_url
    for line in asyncio.run(measure(url, min(args.requests, 10_000))):
        print(line)


if __name__ == "__main__":
    main()
