"""Benchmark: import a SIPRI release over the previous one, on SQLite.

A fresh SQLite database gets the fixtures and the previous release (not timed), then each
run imports the next release into a copy of that database and reports the import's own
figure (read, check, diff, write, search index, commit), deals per second and the process's
peak resident memory. Bounded: `--runs` imports, each of one file.

    nice .venv/bin/python -m bench.sipri_releases --runs 3
"""

import argparse
import asyncio
import os
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

from api import migrate
from api.db import create_session_factory, engine_scope
from api.settings import PROJECT_ROOT, Settings
from api.sipri.importer import import_register

DATA = PROJECT_ROOT / "tests" / "data" / "sipri"
PREVIOUS = PROJECT_ROOT / "fixtures" / "sipri" / "trade-register-2024-10.csv"
NEXT = DATA / "trade-register-2025-10-deliveries-1950-2025.csv"


def _silkgraph(database: Path, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    subprocess.run(
        [str(PROJECT_ROOT / ".venv" / "bin" / "silkgraph"), *args],
        env=env,
        check=True,
        capture_output=True,
    )


async def _import(database: Path, path: Path) -> tuple[float, int, str]:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{database}")
    async with engine_scope(settings) as engine:
        await migrate.upgrade(engine)
        report = await import_register(create_session_factory(engine), path, allow_removals=True)
    counts = (
        f"{report.added:,} added, {report.changed:,} changed, {report.removed:,} removed, "
        f"{report.unchanged:,} unchanged, {len(report.uncertain):,} uncertain"
    )
    return report.seconds, report.deals, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.db"
        _silkgraph(base, "load", str(PROJECT_ROOT / "fixtures"))
        _silkgraph(base, "import", "sipri", str(PREVIOUS))
        for run in range(1, arguments.runs + 1):
            copy = Path(folder) / f"run-{run}.db"
            shutil.copy(base, copy)
            seconds, deals, counts = asyncio.run(_import(copy, NEXT))
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            load = os.getloadavg()[0]
            print(
                f"run {run}: {NEXT.name} over {PREVIOUS.name}: {seconds:.2f} s, "
                f"{deals / seconds:,.0f} deals/s, peak RSS {peak:.0f} MiB, "
                f"load average {load:.1f}; {counts}"
            )


if __name__ == "__main__":
    main()
