"""The long fuzz: the suite's two fuzzers, run with random seeds for as long as they are told.

    python -m bench.fuzz [--backend sqlite --backend postgres] [--fuzzer graphql
                         --fuzzer schemathesis] [--minutes 15] [--max-examples 50000]
                         [--seed N] [--out var/fuzz]

For each back end, each fuzzer gets a fresh database holding the fixtures (PostgreSQL in a
throwaway cluster on 127.0.0.1) and --minutes or --max-examples, whichever is spent first:

- graphql: operations generated from the exported SDL by hypothesis-graphql, valid and invalid
  in turn, sent to the app in-process, in batches of 100 with a seed each drawn from --seed
  (random unless given, and printed). Warnings are errors, as under `pytest -W error`; every
  problem the suite's judge (tests/fuzzing.py) finds is kept with its operation, its batch's
  seed and the server's log of its exception, and written to the findings file after each
  batch, so a run cut short still tells.
- schemathesis: `st run` against a live `silkgraph serve`, with the suite's check
  (tests/schemathesis_hooks.py), a random seed and no example database; its failures and the
  server's logged unexpected errors are the findings.

Findings go to --out/<fuzzer>-<backend>.json; the exit status is 1 when anything was found.
Each finding, once fixed, becomes a plain case in tests/schema/test_fuzz.py.
"""

import argparse
import asyncio
import json
import logging
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hypothesis_graphql import Mode

from api import migrate
from api.db import create_session_factory, engine_scope
from api.fixtures import load_fixtures
from api.settings import PROJECT_ROOT, Settings
from bench.common import _create_database
from tests.fuzzing import fuzz, problems
from tests.graphql import client_for
from tests.live import live_server
from tests.pg_server import postgres_server

BATCH = 100  # examples per seed: small, so a batch outlasts the budget by little
KEPT_PER_PROBLEM = 5  # operations kept for each distinct problem


@dataclass
class Finding:
    problem: str
    backend: str
    count: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Run:
    """What one fuzzer's run on one back end did and found."""

    backend: str
    fuzzer: str
    seeds: list[int] = field(default_factory=list)
    operations: int = 0
    seconds: float = 0.0
    findings: dict[str, Finding] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.fuzzer} on {self.backend}"


class ServerLog(logging.Handler):
    """The server's error log of the request in flight (requests go one at a time)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.causes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            self.causes.append(f"{type(error).__name__}: {str(error)[:300]}")

    def take(self) -> tuple[list[str], list[str]]:
        """The log lines and exceptions since the last call."""
        taken = self.lines, self.causes
        self.lines, self.causes = [], []
        return taken


async def _build(settings: Settings) -> None:
    async with engine_scope(settings) as engine:
        await migrate.upgrade(engine)
        await load_fixtures(create_session_factory(engine), [PROJECT_ROOT / "fixtures"])


def settings_for(url: str) -> Settings:
    # Fuzzers send far more than a client may: the rate limit has its own tests. And, as in
    # the suite, a busy machine is not an outage: the deadlines are measured in bench/load.py.
    return Settings(
        database_url=url,
        load_fixtures_when_empty=False,
        rate_limit_enabled=False,
        db_connect_timeout=30,
        request_timeout=60,
    )


@contextmanager
def database(backend: str, workdir: Path) -> Iterator[str]:
    """The URL of a fresh database holding the fixtures, on `backend`, for this run alone."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir / 'fuzz.db'}"
        asyncio.run(_build(settings_for(url)))
        yield url
        return
    with postgres_server() as server:
        asyncio.run(_create_database(server, "fuzz"))
        url = server.url("fuzz")
        asyncio.run(_build(settings_for(url)))
        yield url


async def fuzz_graphql(
    backend: str,
    url: str,
    *,
    seconds: float,
    max_examples: int,
    seeds: random.Random,
    out: Path,
    log: Callable[[str], None],
) -> Run:
    """hypothesis-graphql through the app in-process, in batches of one seed each."""
    run = Run(backend, "graphql")
    server_log = ServerLog()
    logging.getLogger("silkgraph").addHandler(server_log)
    started = time.monotonic()
    deadline = started + seconds
    modes = [Mode.POSITIVE, Mode.NEGATIVE]

    def judge(query: str, status: int, body: Any) -> None:
        run.operations += 1
        logged, causes = server_log.take()
        for found in problems(status, body):
            # A masked error says only "Unexpected error.": its cause tells one from another.
            problem = " | ".join([found, *sorted(set(causes))])
            finding = run.findings.setdefault(problem, Finding(problem, backend))
            finding.count += 1
            if len(finding.examples) < KEPT_PER_PROBLEM:
                example = {"seed": run.seeds[-1], "query": query, "body": body, "log": logged}
                finding.examples.append(example)

    try:
        async with client_for(settings_for(url)) as client:
            while time.monotonic() < deadline and run.operations < max_examples:
                run.seeds.append(seeds.randrange(2**32))
                await fuzz(
                    client,
                    modes[len(run.seeds) % 2],
                    judge,
                    max_examples=min(BATCH, max_examples - run.operations),
                    derandomize=False,
                    random_seed=run.seeds[-1],
                    until=deadline,
                )
                run.seconds = round(time.monotonic() - started, 1)
                log(f"{run.label}: {run.operations} operations, {len(run.findings)} problems")
                _write(out, run)
    finally:
        logging.getLogger("silkgraph").removeHandler(server_log)
    return run


SCHEMATHESIS = str(Path(sys.executable).parent / "st")
FAILED = re.compile(r"^_+ (.+?) _+$")


def fuzz_schemathesis(
    backend: str, url: str, *, seconds: float, max_examples: int, seed: int, workdir: Path
) -> Run:
    """schemathesis against a live `silkgraph serve`, judged by the suite's check
    (tests/schemathesis_hooks.py), until `seconds` are spent; every failure it prints, and
    every unexpected error the server logged, is a finding."""
    run = Run(backend, "schemathesis", seeds=[seed])
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    log = workdir / "server.log"
    started = time.monotonic()
    with live_server(url, log=log, settings={"rate_limit_enabled": "false"}) as base:
        done = subprocess.run(
            [
                SCHEMATHESIS,
                "run",
                f"{base}/graphql",
                "--checks",
                "errors_are_coded_and_ours_are_absent",
                "--max-time",
                str(max(1, round(seconds))),
                "--max-examples",
                str(max_examples),
                "--seed",
                str(seed),
                "--generation-database",
                "none",
                "--workers",
                "1",
                "--request-timeout",
                "30",
            ],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=seconds + 600,
            check=False,
        )
    run.seconds = round(time.monotonic() - started, 1)
    counted = re.search(r"(\d+) generated", done.stdout)
    run.operations = int(counted.group(1)) if counted else 0
    if done.returncode != 0:
        failed = [m.group(1) for line in done.stdout.splitlines() if (m := FAILED.match(line))]
        problem = f"schemathesis exit {done.returncode}: {', '.join(failed) or 'see output'}"
        run.findings[problem] = Finding(
            problem, backend, 1, [{"output": done.stdout[-20000:], "errors": done.stderr[-4000:]}]
        )
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if "unexpected error" in line or "unhandled error" in line:
            finding = run.findings.setdefault(line, Finding(f"server: {line}", backend))
            finding.count += 1
    return run


def _write(out: Path, run: Run) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "backend": run.backend,
        "fuzzer": run.fuzzer,
        "operations": run.operations,
        "seconds": run.seconds,
        "seeds": run.seeds,
        "findings": [asdict(f) for f in run.findings.values()],
    }
    out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--backend", action="append", choices=["sqlite", "postgres"], dest="backends"
    )
    parser.add_argument(
        "--fuzzer", action="append", choices=["graphql", "schemathesis"], dest="fuzzers"
    )
    parser.add_argument("--minutes", type=float, default=15.0, help="per fuzzer and back end")
    parser.add_argument("--max-examples", type=int, default=50_000, help="per fuzzer, back end")
    parser.add_argument("--seed", type=int, help="of the batch seeds (random if left out)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "var" / "fuzz")
    args = parser.parse_args()
    master = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"bench.fuzz: seed {master}", flush=True)
    # As the suite runs: a warning is a fault (SQLAlchemy's deprecations included).
    warnings.simplefilter("error")
    seeds = random.Random(master)
    found = False
    for backend in args.backends or ["sqlite", "postgres"]:
        for fuzzer in args.fuzzers or ["graphql", "schemathesis"]:
            out = args.out / f"{fuzzer}-{backend}.json"
            with tempfile.TemporaryDirectory(prefix="silkgraph-fuzz-") as tmp:
                workdir = Path(tmp)
                with database(backend, workdir) as url:
                    if fuzzer == "graphql":
                        run = asyncio.run(
                            fuzz_graphql(
                                backend,
                                url,
                                seconds=args.minutes * 60,
                                max_examples=args.max_examples,
                                seeds=seeds,
                                out=out,
                                log=lambda line: print(line, flush=True),
                            )
                        )
                    else:
                        run = fuzz_schemathesis(
                            backend,
                            url,
                            seconds=args.minutes * 60,
                            max_examples=args.max_examples,
                            seed=seeds.randrange(2**32),
                            workdir=workdir,
                        )
            _write(out, run)
            found = found or bool(run.findings)
            print(
                f"{run.label}: {run.operations} operations in {run.seconds} s, "
                f"{sum(f.count for f in run.findings.values())} problems "
                f"({len(run.findings)} distinct); see {out}",
                flush=True,
            )
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
