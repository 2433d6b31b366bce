"""What the load and fault benchmarks share: a throwaway PostgreSQL with a database for the
API, a live server on it, the example queries, and latency statistics.

Everything listens on 127.0.0.1; every loop is bounded by a duration given on the command line.
"""

import asyncio
import json
import statistics
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from api.settings import PROJECT_ROOT
from tests.live import live_server
from tests.pg_server import PostgresServer, postgres_server

EXAMPLES = PROJECT_ROOT / "schema" / "examples"


def example_queries() -> dict[str, str]:
    """The README's example queries, by file name: what a frontend actually asks."""
    return {
        path.stem: path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.graphql"))
    }


async def _create_database(server: PostgresServer, name: str) -> None:
    admin = await asyncpg.connect(
        host="127.0.0.1", port=server.port, user=server.user, database="postgres"
    )
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


@dataclass
class Stack:
    """A PostgreSQL cluster and a silkgraph server on it."""

    postgres: PostgresServer
    database_url: str
    base: str

    @property
    def graphql(self) -> str:
        return f"{self.base}/graphql"


@contextmanager
def stack(
    workdir: Path, *, workers: int, settings: Mapping[str, str] | None = None
) -> Iterator[Stack]:
    """PostgreSQL plus `silkgraph serve` (which migrates and loads the fixtures on first start)."""
    workdir.mkdir(parents=True, exist_ok=True)
    with postgres_server() as postgres:
        asyncio.run(_create_database(postgres, "silkgraph"))
        url = postgres.url("silkgraph")
        with live_server(
            url,
            workers=workers,
            log=workdir / "server.log",
            ready_within=180,
            settings=settings,
        ) as base:
            yield Stack(postgres, url, base)


@dataclass
class Latencies:
    """Seconds per request; percentiles by the nearest-rank method."""

    samples: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)

    def percentile(self, p: float) -> float:
        if not self.samples:
            return float("nan")
        ordered = sorted(self.samples)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank]

    def summary(self) -> dict[str, float | int]:
        """Count and milliseconds: p50, p90, p99, max, mean."""
        if not self.samples:
            return {"count": 0}
        return {
            "count": len(self.samples),
            "p50_ms": round(self.percentile(50) * 1000, 1),
            "p90_ms": round(self.percentile(90) * 1000, 1),
            "p99_ms": round(self.percentile(99) * 1000, 1),
            "max_ms": round(max(self.samples) * 1000, 1),
            "mean_ms": round(statistics.fmean(self.samples) * 1000, 1),
        }


def error_codes(body: object) -> list[str]:
    """The extensions.code of every error in a GraphQL response body (or "?" if none)."""
    if not isinstance(body, dict):
        return ["NOT_A_GRAPHQL_RESPONSE"]
    return [
        str((error.get("extensions") or {}).get("code", "?")) for error in body.get("errors") or []
    ]


def dump(results: object, path: Path | None) -> None:
    text = json.dumps(results, indent=2)
    print(text)
    if path is not None:
        path.write_text(text + "\n", encoding="utf-8")
