"""The benchmark harness's pieces: its queries fit the schema and stay within their statement
budget, a query the server refuses is told apart, wrk's output is read, the tables render.

No timing is asserted here: numbers come from `python -m bench.run`, written to
docs/BENCHMARKS.md.
"""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import build_schema, parse, validate

from api.settings import PROJECT_ROOT
from bench.queries import BENCHMARK, choose_parameters, query_set
from bench.report import comparisons, render, write_section
from bench.run import (
    in_process_statements,
    parse_wrk,
    peak_rss_mib,
    validation_failure,
    worker_pids,
)
from tests.graphql import data_of, post

SDL = (PROJECT_ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
HAS_STATS = "armsTransferStats(" in SDL  # query d needs issue 4's aggregates


def test_every_query_fits_the_schema_but_d_until_aggregates_exist() -> None:
    # given
    schema = build_schema(SDL)

    # when
    problems = {q.name: validate(schema, parse(q.silkgraph)) for q in query_set()}

    # then
    assert len(problems) == len(BENCHMARK) + len(
        list((PROJECT_ROOT / "schema/examples").glob("*.graphql"))
    )
    for name, errors in problems.items():
        if name == "d" and not HAS_STATS:
            assert errors
            assert all("armsTransferStats" in str(e) for e in errors)
        else:
            assert errors == [], (name, errors)


async def test_queries_a_to_c_answer_within_depth_plus_one_statements(
    database_url: str, client: httpx.AsyncClient
) -> None:
    # given
    parameters = await choose_parameters(database_url)
    bodies = {
        q.name: {"query": q.silkgraph, "variables": q.variables(parameters)} for q in BENCHMARK
    }

    # when
    counted = await in_process_statements(database_url, bodies)

    # then
    for query in BENCHMARK:
        if query.name == "d" and not HAS_STATS:
            assert counted["d"] is None  # refused, so skipped
            continue
        assert query.depth is not None
        count = counted[query.name]
        assert count is not None
        assert count <= query.depth + 1, query.name
        assert query.answer is not None
        data = await data_of(client, query.silkgraph, query.variables(parameters))
        assert query.answer(data, parameters), query.name  # something to compare


async def test_a_query_the_schema_refuses_is_told_from_other_errors(
    client: httpx.AsyncClient,
) -> None:
    refused = await post(client, "{ armsTransfersPerLightYear { count } }")
    bad_input = await post(client, '{ state(code: "not a code") { name } }')

    assert validation_failure(refused) is not None
    assert validation_failure(bad_input) is None
    assert validation_failure({"data": {"state": None}}) is None


def test_wrk_results_are_read_from_the_scripts_json_line() -> None:
    output = """Running 1s test @ http://127.0.0.1:1/graphql
  2 threads and 16 connections
WRK-JSON {"requests": 20, "duration_us": 1000000, "bytes": 400, "failed": 1, "socket_errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}, "latency_us": {"mean": 5.0, "p50": 1000, "p90": 2000, "p95": 3000, "p99": 4000, "max": 5000}, "example_failure": "{\\u0022errors\\u0022: []}"}
"""  # noqa: E501 — wrk's line, verbatim

    parsed = parse_wrk(output)

    assert parsed["requests"] == 20
    assert parsed["latency_us"]["p99"] == 4000
    assert parsed["example_failure"] == '{"errors": []}'
    with pytest.raises(RuntimeError, match="no results"):
        parse_wrk("wrk: connection refused")


def test_workers_are_found_under_their_server_and_measured() -> None:
    # given a "server" with one "worker"
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as worker:
        try:
            # when
            found = worker_pids(os.getpid())

            # then
            assert worker.pid in found
            assert worker_pids(worker.pid) == [worker.pid]  # serving alone: its own worker
            assert peak_rss_mib(worker.pid) > 1
        finally:
            worker.kill()


def _row(server: str, query: str, rps: float, **extra: Any) -> dict[str, Any]:
    return {
        "server": server,
        "backend": "postgresql",
        "workers": 1,
        "query": query,
        "clients": 16,
        "depth": 2,
        "requests": int(rps * 10),
        "rps": rps,
        "p50_ms": 10.0,
        "p90_ms": 20.0,
        "p95_ms": 25.0,
        "p99_ms": 30.0,
        "failed": 0,
        "statements": 2.0 if server == "silkgraph" else 1.0,
        **extra,
    }


RESULTS: dict[str, Any] = {
    "meta": {
        "date": "2026-01-01 00:00 UTC",
        "scale": "small",
        "seed": 2025,
        "transfers": 20000,
        "recipient": "BHR",
        "recipient_transfers": 2442,
        "state": "BWA",
        "state_memberships": 63,
        "duration": 20,
        "warmup": 3,
        "clients": 16,
        "cores": 2,
        "load_average": [1.5, 2.5],
        "command": ".venv/bin/python -m bench.run",
        "versions": "Python 3.11",
    },
    "measurements": [
        _row("silkgraph", "b", 100.0),
        _row("postgraphile", "b", 200.0, same_answer=True),
        {**_row("silkgraph", "d", 0), "skipped": "GRAPHQL_VALIDATION_FAILED (no such field)"},
        _row("postgraphile", "d", 300.0),
    ],
    "servers": [
        {"server": "silkgraph", "backend": "postgresql", "workers": 1, "peak_rss_mib": [150.2]},
        {"server": "postgraphile", "backend": "postgresql", "workers": 1, "peak_rss_mib": [300]},
    ],
    "imports": [
        {
            "backend": "sqlite",
            "deals": 27951,
            "first_seconds": 1.2,
            "first_rate": 23000,
            "again_seconds": 1.1,
            "again_rate": 25000,
        }
    ],
}


def test_results_render_as_tables_with_ratios_and_skips() -> None:
    markdown = render(RESULTS)

    pairs = comparisons(RESULTS)
    assert [(p["query"], p["ratio"]) for p in pairs] == [("b", 0.5)]  # d: skipped on ours
    assert "| 1 | b | 16 | 100.0 | 200.0 | 0.50 | 30.0 ms | 30.0 ms | 2 (≤ 3) / 1 | yes |" in (
        markdown
    )
    assert "skipped: GRAPHQL_VALIDATION_FAILED (no such field)" in markdown
    assert "| silkgraph | PostgreSQL | 1 | 150 |" in markdown
    assert "| SQLite | 27,951 | 1.20 s (23,000 deals/s) | 1.10 s (25,000 deals/s) |" in markdown
    assert "load average (1 min) 1.5–2.5" in markdown


def test_a_run_replaces_its_own_section_of_the_doc_and_nothing_else(tmp_path: Path) -> None:
    doc = tmp_path / "BENCHMARKS.md"
    doc.write_text("# Benchmarks\n\nprose\n", encoding="utf-8")

    write_section(doc, "small", "first\n")
    write_section(doc, "large", "large\n")
    write_section(doc, "small", "second\n")

    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nprose\n")
    assert "second\n" in text
    assert "first" not in text
    assert "large\n" in text
    assert text.count("--scale small: begin") == 1
