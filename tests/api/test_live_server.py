"""Checks against a live `silkgraph serve`: the GraphQL-over-HTTP audit suite of the npm
package graphql-http, and a deterministic schemathesis run.

Both need tools from outside Python (Node for the audit): they skip where those are missing,
except in CI (CI=true), where .ci/run installs them and a skip would hide a failure.
"""

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.settings import PROJECT_ROOT
from tests.conftest import BACKENDS, Templates, _database
from tests.live import live_server
from tests.node import npm_project

AUDIT = PROJECT_ROOT / "tests" / "http_audit"
SCHEMATHESIS = str(Path(sys.executable).parent / "st")
# Fuzzers send far more than a client may: the rate limit has its own tests.
UNLIMITED = {"rate_limit_enabled": "false"}


@pytest.fixture(scope="module", params=BACKENDS)
async def served(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """One `silkgraph serve` per back end for the checks below, which only read: a server
    start is seconds of imports and migrations checked."""
    workdir = tmp_path_factory.mktemp("live")
    async for url in _database(request.param, "loaded", templates, workdir):
        with live_server(url, log=workdir / "server.log", settings=UNLIMITED) as base:
            yield base


@pytest.mark.slow
def test_graphql_over_http_audit_passes_every_must(
    served: str, capsys: pytest.CaptureFixture[str]
) -> None:
    node, _ = npm_project(AUDIT, "graphql-http", "the graphql-http audit")

    done = subprocess.run(
        [node, "audit.mjs", f"{served}/graphql"],
        cwd=AUDIT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    results = json.loads(done.stdout)
    statuses = Counter(r["status"] for r in results)
    musts = [r for r in results if " MUST " in f" {r['name']} "]
    shoulds = [r for r in results if r["name"].startswith("SHOULD")]
    with capsys.disabled():
        print(
            f"\ngraphql-http serverAudits: {len(results)} run, {statuses['ok']} ok; "
            f"MUST {sum(r['status'] == 'ok' for r in musts)}/{len(musts)}, "
            f"SHOULD {sum(r['status'] == 'ok' for r in shoulds)}/{len(shoulds)}"
        )
        for result in results:
            if result["status"] != "ok":
                print(f"  {result['status']}: {result['id']} {result['name']}: {result['reason']}")
    assert len(results) > 50
    assert [r for r in results if r["status"] == "error"] == []
    assert all(r["status"] == "ok" for r in musts)


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_uncoded_error(
    served: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    done = subprocess.run(
        [
            SCHEMATHESIS,
            "run",
            f"{served}/graphql",
            "--checks",
            "errors_are_coded_and_ours_are_absent",
            # The same cases on every run, none kept between runs: a red CI points at a
            # change. The long, random run is `python -m bench.fuzz --fuzzer schemathesis`.
            "--generation-deterministic",
            "--max-examples",
            os.environ.get("SCHEMATHESIS_EXAMPLES", "10"),
            "--workers",
            "1",
            "--request-timeout",
            "30",
        ],
        cwd=tmp_path,  # its Hypothesis database and reports stay out of the checkout
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    cases = next(line.strip() for line in done.stdout.splitlines() if " generated, " in line)
    with capsys.disabled():
        print(f"\nschemathesis: {cases}")
    assert " passed" in cases
