"""The benchmark: silkgraph under load on SQLite and PostgreSQL, and PostGraphile beside it.

    .venv/bin/python -m bench.run [--scale small|large] [--duration 20] [--clients 16]
        [--workers 1,2] [--backends sqlite,postgresql] [--no-postgraphile] [--no-examples]
        [--no-import] [--out docs/bench/run-small.json] [--doc docs/BENCHMARKS.md]
        [--keep-data DIR]

It generates a data set with bench/generate.py (fresh: a new SQLite file, a throwaway
PostgreSQL cluster from tests/pg_server.py), starts `silkgraph serve` on it with 1 and 2
uvicorn workers (rate limiting off: one loopback client would be throttled), and drives each
query of bench/queries.py with wrk, a load generator in a process of its own, for a bounded
time after a warm-up. On PostgreSQL it starts PostGraphile 5 (bench/postgraphile/) on the same
database with as many processes, checks that it answers queries a–d with the same rows, and
measures it in the same run, query by query, alternating with silkgraph, so both see the same
machine. It counts SQL statements per request (pg_stat_statements on PostgreSQL, for both
servers; an engine event in process on SQLite), reads each worker's peak RSS from /proc,
re-measures the SIPRI import, and writes the tables into docs/BENCHMARKS.md. With
`--keep-data DIR` the generated data sets are kept in DIR and used again by the next run while
what made them is unchanged (bench/datasets.py): a million transfers take minutes to generate.

Everything listens on 127.0.0.1. A query a server rejects with GRAPHQL_VALIDATION_FAILED (d,
before `armsTransferStats` exists) is skipped and reported as skipped; any other error stops
the run.
"""

import argparse
import asyncio
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version as installed
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event

from api.app import create_app
from api.settings import PROJECT_ROOT, get_settings
from bench.datasets import KeptDataSet
from bench.generate import SCALES, prepare_and_generate
from bench.queries import Parameters, Query, choose_parameters, query_set
from bench.report import comparisons, render, write_section
from tests.live import live_process
from tests.pg_server import free_port, postgres_server

BENCH = PROJECT_ROOT / "bench"
POSTGRAPHILE = BENCH / "postgraphile"
WRK_SCRIPT = BENCH / "wrk.lua"
SIPRI_EDITION = PROJECT_ROOT / "fixtures" / "sipri" / "trade-register-2024-10.csv"
STATEMENT_SAMPLES = 5  # sequential requests whose SQL statements are counted, per query
# Sequential requests before counting, so every worker has met the query and opened its
# connection (asyncpg introspects types on a connection's first use of them).
STATEMENT_WARMUP = 10
PG_SETTINGS = {
    # Count statements on the server for both silkgraph and PostGraphile, the same way;
    # BEGIN/COMMIT and SET are not statements that read data.
    "shared_preload_libraries": "pg_stat_statements",
    "pg_stat_statements.track_utility": "off",
}
SILKGRAPH_SETTINGS = {
    # One loopback address sends every request: the per-client rate limit would refuse most.
    "rate_limit_enabled": "false",
    # Query c under 16 clients queues past the 10 s an operation may take in production, and
    # a TIMEOUT measures the limit, not the server. The other limits stay as in production.
    "request_timeout": "60",
}


class BenchmarkError(RuntimeError):
    """A server answered a benchmark query with an error other than a validation failure."""


# -- tools --------------------------------------------------------------------------------


def ensure_wrk() -> str:
    """wrk from Debian's package; installed with apt-get when missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk (Debian package wrk)…", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
    if not found:
        sys.exit("bench/run.py needs wrk: install the Debian package `wrk` (apt-get install wrk)")
    return found


def ensure_postgraphile() -> Path:
    """PostGraphile and the Node 22 it needs, from npm into bench/postgraphile/node_modules
    (versions pinned by its package-lock.json); returns that Node."""
    node = POSTGRAPHILE / "node_modules" / ".bin" / "node"
    if not (POSTGRAPHILE / "node_modules" / "postgraphile").exists() or not node.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("PostGraphile needs npm (Debian package npm), or run with --no-postgraphile")
        print("Installing PostGraphile with npm ci in bench/postgraphile…", flush=True)
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=POSTGRAPHILE,
            check=True,
            timeout=600,
        )
    return node


def versions(node: Path | None, wrk: str) -> str:
    parts = [
        f"Python {sys.version.split()[0]}",
        f"strawberry-graphql {installed('strawberry-graphql')}",
        f"graphql-core {installed('graphql-core')}",
        f"uvicorn {installed('uvicorn')}",
        f"SQLAlchemy {installed('sqlalchemy')}",
        f"SQLite {sqlite3.sqlite_version}",
    ]
    wrk_version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split()
    parts.append(f"wrk {wrk_version[1] if len(wrk_version) > 1 else '?'}")
    if node is not None:
        lock = json.loads((POSTGRAPHILE / "package-lock.json").read_text(encoding="utf-8"))
        version = lock["packages"]["node_modules/postgraphile"]["version"]
        node_version = subprocess.run([str(node), "--version"], capture_output=True, text=True)
        parts.append(f"PostGraphile {version} on Node {node_version.stdout.strip().lstrip('v')}")
    return ", ".join(parts)


# -- processes ----------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) is parenthesised and may hold spaces: split after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def worker_pids(root: int) -> list[int]:
    """The processes that serve requests: uvicorn's (or node:cluster's) workers, or the root
    itself when it serves alone. multiprocessing's resource tracker serves nothing."""
    workers = [pid for pid in _children(root) if "resource_tracker" not in _cmdline(pid)]
    return sorted(workers) or [root]


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MiB."""
    for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


@dataclass
class Server:
    """A running GraphQL server under test."""

    name: str  # silkgraph | postgraphile
    backend: str  # sqlite | postgresql
    workers: int
    url: str
    root: int
    first_answers: dict[str, Any] = field(default_factory=dict)

    def peak_rss(self) -> list[float]:
        return [round(peak_rss_mib(pid), 1) for pid in worker_pids(self.root)]


@contextmanager
def silkgraph(database_url: str, backend: str, workers: int, workdir: Path) -> Iterator[Server]:
    log = workdir / f"silkgraph-{backend}-{workers}.log"
    with live_process(
        database_url, workers=workers, log=log, ready_within=180, settings=SILKGRAPH_SETTINGS
    ) as (base, process):
        yield Server("silkgraph", backend, workers, f"{base}/graphql", process.pid)


@contextmanager
def postgraphile(node: Path, database_url: str, workers: int, workdir: Path) -> Iterator[Server]:
    """PostGraphile on `database_url` with `workers` processes and silkgraph's pool size."""
    port = free_port()
    pool = str(get_settings().db_pool_size)
    connection = database_url.replace("postgresql+asyncpg://", "postgres://")
    env = {**os.environ, "NODE_ENV": "production", "GRAPHILE_ENV": "production"}
    with ExitStack() as stack:
        log = stack.enter_context(open(workdir / f"postgraphile-{workers}.log", "wb"))
        process = subprocess.Popen(
            [str(node), "server.mjs", connection, str(port), str(workers), pool],
            cwd=POSTGRAPHILE,
            env=env,
            stdout=log,
            stderr=log,
        )
        try:
            url = f"http://127.0.0.1:{port}/graphql"
            _wait_for_graphql(process, url, within=120)
            yield Server("postgraphile", "postgresql", workers, url, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_graphql(process: subprocess.Popen[bytes], url: str, within: float) -> None:
    deadline = time.monotonic() + within
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"PostGraphile exited with {process.returncode} (see its log)")
        try:
            if httpx.post(url, json={"query": "{ __typename }"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"PostGraphile did not answer within {within} s")
        time.sleep(0.2)


# -- one query against one server ---------------------------------------------------------


def validation_failure(body: Any) -> str | None:
    """The message of a GRAPHQL_VALIDATION_FAILED answer (the query does not fit the schema
    this server has), else None."""
    if not isinstance(body, dict) or body.get("data"):
        return None
    for error in body.get("errors") or []:
        if (error.get("extensions") or {}).get("code") == "GRAPHQL_VALIDATION_FAILED":
            return str(error.get("message"))
    return None


def request_body(server: Server, query: Query, parameters: Parameters) -> dict[str, Any]:
    if server.name == "silkgraph":
        return {"query": query.silkgraph, "variables": query.variables(parameters)}
    assert query.postgraphile is not None
    variables = query.postgraphile_variables or query.variables
    return {"query": query.postgraphile, "variables": variables(parameters)}


def first_answer(server: Server, body: dict[str, Any]) -> tuple[Any, str | None]:
    """The answer's data, or (None, why it is skipped); BenchmarkError on any other error."""
    response = httpx.post(server.url, json=body, timeout=120)
    answer = response.json()
    refused = validation_failure(answer)
    if refused is not None:
        return None, f"GRAPHQL_VALIDATION_FAILED ({refused})"
    if response.status_code != 200 or answer.get("errors") or not answer.get("data"):
        raise BenchmarkError(f"{server.name}: {response.status_code} {response.text[:500]}")
    return answer["data"], None


WRK_LINE = re.compile(r"^WRK-JSON (\{.*\})$", re.MULTILINE)


def parse_wrk(output: str) -> dict[str, Any]:
    """The JSON line bench/wrk.lua prints when wrk is done."""
    found = WRK_LINE.search(output)
    if not found:
        raise RuntimeError(f"wrk printed no results:\n{output[-2000:]}")
    result: dict[str, Any] = json.loads(found.group(1))
    return result


def run_wrk(wrk: str, url: str, body_file: Path, clients: int, seconds: float) -> dict[str, Any]:
    threads = max(1, min(2, clients))
    done = subprocess.run(
        [
            wrk,
            f"-t{threads}",
            f"-c{clients}",
            f"-d{seconds:g}s",
            "--timeout",
            "30s",
            "-s",
            str(WRK_SCRIPT),
            url,
            "--",
            str(body_file),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 120,
    )
    return parse_wrk(done.stdout)


def drain(measured: dict[str, Any], seconds: float) -> None:
    """Wait for the requests wrk left in flight when it stopped: the server finishes them
    (it cannot tell the client is gone), and they would eat into the next measurement. They
    take about as long as the slowest answer seen, or the whole run if none came back."""
    slowest = measured["latency_us"]["max"] / 1e6 if measured["requests"] else seconds
    time.sleep(min(30.0, slowest))


def load_average() -> float:
    return os.getloadavg()[0]


# -- counting SQL statements --------------------------------------------------------------


async def _reset_statements(dsn: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("SELECT pg_stat_statements_reset()")
    finally:
        await connection.close()


async def _statements_since_reset(dsn: str, database: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        total = await connection.fetchval(
            """SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s
               JOIN pg_database d ON d.oid = s.dbid
               WHERE d.datname = $1 AND s.query NOT ILIKE '%pg_stat_statements%'""",
            database,
        )
    finally:
        await connection.close()
    return int(total)


def pg_statements_per_request(
    server: Server, body: dict[str, Any], dsn: str, database: str
) -> float:
    """SQL statements PostgreSQL ran per request, over a few sequential requests."""
    for _ in range(STATEMENT_WARMUP):
        httpx.post(server.url, json=body, timeout=120).raise_for_status()
    asyncio.run(_reset_statements(dsn))
    for _ in range(STATEMENT_SAMPLES):
        httpx.post(server.url, json=body, timeout=120).raise_for_status()
    return asyncio.run(_statements_since_reset(dsn, database)) / STATEMENT_SAMPLES


async def in_process_statements(
    database_url: str, bodies: dict[str, dict[str, Any]]
) -> dict[str, float | None]:
    """SQL statements per request of each query, counted in process on the app's engine (as
    tests/schema/test_statement_count.py does); None for a query the schema refuses."""
    settings = get_settings().model_copy(
        update={"database_url": database_url, "rate_limit_enabled": False}
    )
    app = create_app(settings)
    counted: list[str] = []

    def record(*args: Any) -> None:
        counted.append(args[2])

    event.listen(app.state.engine.sync_engine, "before_cursor_execute", record)
    if app.state.single_read is not None:  # compiled reads go past the engine
        app.state.single_read.observers.append(counted.append)
    found: dict[str, float | None] = {}
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, body in bodies.items():
                first = (await client.post("/graphql", json=body)).json()
                if validation_failure(first) is not None:
                    found[name] = None
                    continue
                if first.get("errors"):
                    raise BenchmarkError(f"silkgraph in process, {name}: {first['errors']}")
                counted.clear()
                for _ in range(STATEMENT_SAMPLES):
                    await client.post("/graphql", json=body)
                found[name] = len(counted) / STATEMENT_SAMPLES
    finally:
        await app.state.engine.dispose()
    return found


# -- the run ------------------------------------------------------------------------------


@dataclass
class Run:
    """What a run measures and where; its results as a JSON-ready dict."""

    wrk: str
    node: Path | None
    queries: list[Query]
    clients: int
    single_client: list[str]
    duration: float
    warmup: float
    workers: list[int]
    workdir: Path
    measure_import: bool = True
    keep_data: Path | None = None
    results: dict[str, Any] = field(default_factory=dict)
    loads: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.results = {"measurements": [], "servers": [], "imports": [], "datasets": []}

    def kept(self, backend: str, scale: str, seed: int) -> KeptDataSet | None:
        if self.keep_data is None:
            return None
        return KeptDataSet(self.keep_data, backend, scale, seed)

    def plan(self) -> list[tuple[Query, int]]:
        """Each query at the chosen concurrency, then the single-client ones alone."""
        plan = [(query, self.clients) for query in self.queries]
        plan += [(query, 1) for query in self.queries if query.name in self.single_client]
        return plan

    def measure(
        self,
        server: Server,
        query: Query,
        clients: int,
        parameters: Parameters,
        count_statements: Callable[[dict[str, Any]], float | None],
        reference: Any = None,
    ) -> None:
        row: dict[str, Any] = {
            "server": server.name,
            "backend": server.backend,
            "workers": server.workers,
            "query": query.name,
            "clients": clients,
            "depth": query.depth,
        }
        body = request_body(server, query, parameters)
        data, skipped = first_answer(server, body)
        if skipped is not None:
            print(f"  {server.name} {query.name}: skipped, {skipped}", flush=True)
            self.results["measurements"].append({**row, "skipped": skipped})
            return
        statements = count_statements(body)
        reduce = query.answer if server.name == "silkgraph" else query.postgraphile_answer
        answer = reduce(data, parameters) if reduce else None
        server.first_answers[query.name] = answer
        if reference is not None and answer is not None:
            row["same_answer"] = answer == reference
        body_file = self.workdir / f"body-{server.name}-{query.name.replace(' ', '-')}.json"
        body_file.write_text(json.dumps(body), encoding="utf-8")
        if self.warmup > 0:
            drain(run_wrk(self.wrk, server.url, body_file, clients, self.warmup), self.warmup)
        before = load_average()
        measured = run_wrk(self.wrk, server.url, body_file, clients, self.duration)
        after = load_average()
        drain(measured, self.duration)
        self.loads += [before, after]
        latency = measured["latency_us"]
        seconds = measured["duration_us"] / 1e6
        answered = measured["requests"] > 0  # else wrk's percentiles are 0, not a latency

        def ms(microseconds: float) -> float | None:
            return round(microseconds / 1000, 1) if answered else None

        failed = measured["failed"] + sum(measured["socket_errors"].values())
        row.update(
            {
                "requests": measured["requests"],
                # Answers without errors only: a failure is not throughput.
                "rps": round(max(0, measured["requests"] - failed) / seconds, 1),
                **{f"{p}_ms": ms(latency[p]) for p in ("p50", "p90", "p95", "p99")},
                "max_ms": ms(latency["max"]),
                "failed": failed,
                "socket_errors": measured["socket_errors"],
                "response_bytes": round(measured["bytes"] / max(1, measured["requests"])),
                "statements": statements,
                "load_average": [round(before, 2), round(after, 2)],
            }
        )
        if measured["failed"]:
            row["example_failure"] = measured["example_failure"]
        self.results["measurements"].append(row)
        print(
            f"  {server.name:12} {server.backend:10} w{server.workers} {query.name:28} "
            f"c{clients:<3} {row['rps']:8.1f} req/s  p50 {row['p50_ms']}  "
            f"p99 {row['p99_ms']} ms  SQL {statements}  failed {row['failed']}"
            + (f"  same answer: {row['same_answer']}" if "same_answer" in row else ""),
            flush=True,
        )

    def record_server(self, server: Server) -> None:
        self.results["servers"].append(
            {
                "server": server.name,
                "backend": server.backend,
                "workers": server.workers,
                "peak_rss_mib": server.peak_rss(),
            }
        )


def _bodies(queries: list[Query], parameters: Parameters) -> dict[str, dict[str, Any]]:
    return {q.name: {"query": q.silkgraph, "variables": q.variables(parameters)} for q in queries}


def generate(database_url: str, scale: str, seed: int) -> dict[str, Any]:
    settings = get_settings().model_copy(update={"database_url": database_url})
    counts = asyncio.run(prepare_and_generate(settings, SCALES[scale], seed))
    return {"rows": counts.rows, "seconds": round(counts.seconds, 1)}


def run_sqlite(run: Run, scale: str, seed: int) -> Parameters:
    kept = run.kept("sqlite", scale, seed)
    # Without a kept data set, the file is new: `workdir` is made for this run.
    path = run.workdir / f"bench-{scale}.db" if kept is None else kept.sqlite_file
    url = f"sqlite+aiosqlite:///{path}"
    dataset = kept.reusable() if kept is not None else None
    if dataset is not None:
        print(f"SQLite: using the kept {scale} data set {path}", flush=True)
    else:
        if kept is not None:
            kept.forget()
        print(f"SQLite: generating {scale} into {path}…", flush=True)
        dataset = generate(url, scale, seed)
        if kept is not None:
            kept.remember(dataset)
    run.results["datasets"].append({"backend": "sqlite", **dataset})
    parameters = asyncio.run(choose_parameters(url))
    statements = asyncio.run(in_process_statements(url, _bodies(run.queries, parameters)))
    for workers in run.workers:
        with silkgraph(url, "sqlite", workers, run.workdir) as server:
            for query, clients in run.plan():

                def counted(_body: dict[str, Any], name: str = query.name) -> float | None:
                    return statements[name]

                run.measure(server, query, clients, parameters, counted)
            run.record_server(server)
    return parameters


def run_postgresql(run: Run, scale: str, seed: int) -> Parameters:
    kept = run.kept("postgresql", scale, seed)
    reused = kept.reusable() if kept is not None else None
    if kept is not None and reused is None:
        kept.forget()
    with postgres_server(PG_SETTINGS, keep=kept.home if kept else None) as cluster:
        admin = f"postgresql://{cluster.user}@127.0.0.1:{cluster.port}/postgres"
        database = "bench"
        dsn = f"postgresql://{cluster.user}@127.0.0.1:{cluster.port}/{database}"
        url = cluster.url(database)
        if kept is not None and reused is not None:
            print(f"PostgreSQL: using the kept {scale} data set in {kept.home}", flush=True)
            dataset = reused
        else:
            asyncio.run(_execute(admin, f'CREATE DATABASE "{database}"'))
            print(f"PostgreSQL: generating {scale} into {url}…", flush=True)
            dataset = generate(url, scale, seed)
            if kept is not None:
                kept.remember(dataset)
        run.results["datasets"].append({"backend": "postgresql", **dataset})
        asyncio.run(_execute(dsn, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
        if run.node is not None:
            asyncio.run(_execute(dsn, (POSTGRAPHILE / "schema.sql").read_text(encoding="utf-8")))
        parameters = asyncio.run(choose_parameters(url))
        counts: dict[tuple[str, str], float | None] = {}
        for workers in run.workers:
            with ExitStack() as stack:
                ours = stack.enter_context(silkgraph(url, "postgresql", workers, run.workdir))
                theirs = (
                    stack.enter_context(postgraphile(run.node, url, workers, run.workdir))
                    if run.node is not None
                    else None
                )
                servers = [s for s in (ours, theirs) if s is not None]
                if not counts:
                    # Before any load: requests still in flight after a wrk run would add
                    # their statements to the count.
                    for query in run.queries:
                        for server in servers:
                            if server is theirs and query.postgraphile is None:
                                continue
                            body = request_body(server, query, parameters)
                            _, skipped = first_answer(server, body)
                            counts[server.name, query.name] = (
                                None
                                if skipped
                                else pg_statements_per_request(server, body, dsn, database)
                            )
                for query, clients in run.plan():
                    for server in servers:
                        if server is theirs and query.postgraphile is None:
                            continue

                        def count(
                            _body: dict[str, Any], key: tuple[str, str] = (server.name, query.name)
                        ) -> float | None:
                            return counts[key]

                        reference = ours.first_answers.get(query.name) if server is theirs else None
                        run.measure(server, query, clients, parameters, count, reference)
                run.record_server(ours)
                if theirs is not None:
                    run.record_server(theirs)
        if run.measure_import:
            if kept is not None:
                # The import's own scratch database, left by an earlier run in a kept cluster.
                asyncio.run(_execute(admin, 'DROP DATABASE IF EXISTS "sipri"'))
            run.results["imports"].append(measure_import(cluster.url("sipri"), admin, "sipri"))
    return parameters


async def _execute(dsn: str, sql: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


IMPORTED = re.compile(r"Imported in ([0-9.]+) s \(([0-9,]+) deals/s\)")
READ = re.compile(r"([0-9,]+) deals")


def measure_import(database_url: str, admin: str | None, database: str | None) -> dict[str, Any]:
    """`silkgraph import sipri` of the real edition into a database holding the fixtures,
    then again (which changes nothing); the import's own timing."""
    if admin is not None and database is not None:
        asyncio.run(_execute(admin, f'CREATE DATABASE "{database}"'))
    env = {**os.environ, "DATABASE_URL": database_url}
    silkgraph_cli = str(Path(sys.executable).parent / "silkgraph")
    subprocess.run(
        [silkgraph_cli, "load", str(PROJECT_ROOT / "fixtures")],
        env=env,
        check=True,
        capture_output=True,
    )
    timings = []
    deals = 0
    for _ in range(2):
        done = subprocess.run(
            [silkgraph_cli, "import", "sipri", str(SIPRI_EDITION)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        found = IMPORTED.search(done.stdout)
        if not found:
            raise RuntimeError(f"no timing in the import's output:\n{done.stdout}")
        timings.append((float(found.group(1)), float(found.group(2).replace(",", ""))))
        read = READ.search(done.stdout.split("read:", 1)[-1])
        deals = int(read.group(1).replace(",", "")) if read else deals
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    return {
        "backend": backend,
        "deals": deals,
        "first_seconds": timings[0][0],
        "first_rate": timings[0][1],
        "again_seconds": timings[1][0],
        "again_rate": timings[1][1],
    }


def print_ratios(results: dict[str, Any]) -> None:
    pairs = comparisons(results)
    if not pairs:
        return
    print("\nsilkgraph ÷ PostGraphile (req/s; p99):")
    for pair in pairs:
        ours, theirs = pair["silkgraph"], pair["postgraphile"]
        print(
            f"  w{pair['workers']} {pair['query']} c{pair['clients']}: "
            f"{ours['rps']:.1f} / {theirs['rps']:.1f} req/s = {pair['ratio'] or 0:.2f}; "
            f"p99 {ours['p99_ms']} vs {theirs['p99_ms']} ms"
        )


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load first")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections")
    parser.add_argument("--single-client", default="b", help="queries also run with 1 client")
    parser.add_argument("--workers", default="1,2", help="uvicorn (and PostGraphile) processes")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--queries", default="", help="only these (a,b,c,d,examples)")
    parser.add_argument("--no-postgraphile", action="store_true")
    parser.add_argument("--no-examples", action="store_true")
    parser.add_argument("--no-import", action="store_true", help="skip the SIPRI import")
    parser.add_argument("--out", type=Path, help="results JSON (default docs/bench/run-SCALE.json)")
    parser.add_argument("--doc", type=Path, default=PROJECT_ROOT / "docs" / "BENCHMARKS.md")
    parser.add_argument("--no-doc", action="store_true", help="leave docs/BENCHMARKS.md alone")
    parser.add_argument("--render", type=Path, help="only re-render a saved results JSON")
    parser.add_argument(
        "--keep-data",
        type=Path,
        help="keep the generated data sets in this directory and use them again while what "
        "made them is unchanged",
    )
    args = parser.parse_args(argv)

    if args.render:
        results = json.loads(args.render.read_text(encoding="utf-8"))
        print(render(results))
        if not args.no_doc:
            write_section(args.doc, results["meta"]["scale"], render(results))
        return
    if not 1 <= args.duration <= 600 or not 0 <= args.warmup <= 60:
        parser.error("--duration must be 1..600 seconds, --warmup 0..60")
    if not 1 <= args.clients <= 256:
        parser.error("--clients must be 1..256")
    backends = _list(args.backends)
    if not set(backends) <= {"sqlite", "postgresql"}:
        parser.error("--backends takes sqlite and/or postgresql")

    wrk = ensure_wrk()
    node = None if args.no_postgraphile or "postgresql" not in backends else ensure_postgraphile()
    queries = query_set(examples=not args.no_examples)
    if args.queries:
        wanted = set(_list(args.queries))
        queries = [
            q
            for q in queries
            if q.name in wanted or ("examples" in wanted and q.name.startswith("example"))
        ]
    workdir = Path(tempfile.mkdtemp(prefix="silkgraph-bench-run-"))
    run = Run(
        wrk=wrk,
        node=node,
        queries=queries,
        clients=args.clients,
        single_client=_list(args.single_client),
        duration=args.duration,
        warmup=args.warmup,
        workers=[int(w) for w in _list(args.workers)],
        workdir=workdir,
        measure_import=not args.no_import,
        keep_data=args.keep_data,
    )
    started = datetime.datetime.now(datetime.UTC)
    run.loads.append(load_average())
    parameters = None
    try:
        if "sqlite" in backends:
            parameters = run_sqlite(run, args.scale, args.seed)
            if not args.no_import:
                url = f"sqlite+aiosqlite:///{workdir / 'sipri.db'}"
                run.results["imports"].append(measure_import(url, None, None))
        if "postgresql" in backends:
            parameters = run_postgresql(run, args.scale, args.seed)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    assert parameters is not None
    results = run.results
    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    results["meta"] = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "scale": args.scale,
        "seed": args.seed,
        "transfers": SCALES[args.scale].transfers,
        "recipient": parameters.recipient,
        "recipient_transfers": parameters.recipient_transfers,
        "state": parameters.state,
        "state_memberships": parameters.state_memberships,
        "duration": args.duration,
        "warmup": args.warmup,
        "clients": args.clients,
        "cores": os.cpu_count(),
        "load_average": [round(min(run.loads), 2), round(max(run.loads), 2)],
        "command": f".venv/bin/{command.strip()}",
        "versions": versions(node, wrk),
    }
    out = args.out or PROJECT_ROOT / "docs" / "bench" / f"run-{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_ratios(results)
    print(f"\nResults: {out}")
    if not args.no_doc:
        write_section(args.doc, args.scale, render(results))
        print(f"Tables: {args.doc}")


if __name__ == "__main__":
    main()
