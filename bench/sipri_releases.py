"""Benchmark: import a SIPRI release over the previous one, on SQLite and PostgreSQL.

A fresh database gets the fixtures and the previous release (not timed), then each run
imports the next release into a copy of that database and reports the import's own figure
(read, check, diff, write, search index, commit) as wall and CPU time (CPU of this process,
the SQLite driver's thread included; PostgreSQL's server work is not in it), deals per
second and the process's peak resident memory. Bounded: `--runs` imports per back end, each
of one file.

    nice .venv/bin/python -m bench.sipri_releases --runs 3 [--backend sqlite|postgres|both]
"""

import argparse
import asyncio
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import asyncpg

from api import migrate
from api.db import create_session_factory, engine_scope
from api.settings import PROJECT_ROOT, Settings
from api.sipri.importer import import_register
from tests.pg_server import PostgresServer, postgres_server

DATA = PROJECT_ROOT / "tests" / "data" / "sipri"
PREVIOUS = PROJECT_ROOT / "fixtures" / "sipri" / "trade-register-2024-10.csv"
NEXT = DATA / "trade-register-2025-10-deliveries-1950-2025.csv"


def _silkgraph(url: str, *args: str) -> None:
    subprocess.run(
        [str(PROJECT_ROOT / ".venv" / "bin" / "silkgraph"), *args],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
    )


async def _import(url: str, path: Path) -> tuple[float, float, int, str]:
    settings = Settings(database_url=url)
    async with engine_scope(settings) as engine:
        await migrate.upgrade(engine)
        cpu = time.process_time()
        report = await import_register(create_session_factory(engine), path, allow_removals=True)
        cpu = time.process_time() - cpu
    counts = (
        f"{report.added:,} added, {report.changed:,} changed, {report.removed:,} removed, "
        f"{report.unchanged:,} unchanged, {len(report.uncertain):,} uncertain"
    )
    return report.seconds, cpu, report.deals, counts


def _run(backend: str, run: int, url: str) -> None:
    seconds, cpu, deals, counts = asyncio.run(_import(url, NEXT))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"[{backend}] run {run}: {NEXT.name} over {PREVIOUS.name}: {seconds:.2f} s "
        f"({cpu:.2f} s CPU), {deals / seconds:,.0f} deals/s, peak RSS {peak:.0f} MiB, "
        f"load average {os.getloadavg()[0]:.1f}; {counts}",
        flush=True,
    )


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def sqlite(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.db"
        _silkgraph(_url(base), "load", str(PROJECT_ROOT / "fixtures"))
        _silkgraph(_url(base), "import", "sipri", str(PREVIOUS))
        for run in range(1, runs + 1):
            copy = Path(folder) / f"run-{run}.db"
            shutil.copy(base, copy)
            _run("sqlite", run, _url(copy))


async def _create(server: PostgresServer, name: str, template: str | None = None) -> None:
    admin = await asyncpg.connect(
        host="127.0.0.1", port=server.port, user=server.user, database="postgres"
    )
    try:
        copy_of = f' TEMPLATE "{template}"' if template else ""
        await admin.execute(f'CREATE DATABASE "{name}"{copy_of}')
    finally:
        await admin.close()


def postgres(runs: int) -> None:
    with postgres_server() as server:
        asyncio.run(_create(server, "base"))
        _silkgraph(server.url("base"), "load", str(PROJECT_ROOT / "fixtures"))
        _silkgraph(server.url("base"), "import", "sipri", str(PREVIOUS))
        for run in range(1, runs + 1):
            asyncio.run(_create(server, f"run_{run}", template="base"))
            _run("postgres", run, server.url(f"run_{run}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    arguments = parser.parse_args()
    runs = max(1, min(arguments.runs, 10))
    if arguments.backend in ("sqlite", "both"):
        sqlite(runs)
    if arguments.backend in ("postgres", "both"):
        postgres(runs)


if __name__ == "__main__":
    main()
