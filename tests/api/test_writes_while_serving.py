"""Writes while serving: an import runs while a live server answers 16 clients. No request
fails, and every answer shows the data as it was before the import or as it is after it,
never a mix; on SQLite (WAL) and PostgreSQL.

The queries ask several root fields, which the server reads with several statements: an
answer straddling the import's commit would show a count from one side and a sum or a list
from the other. Bounded: the clients stop when the import ends, the import within 5 minutes.
"""

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import PROJECT_ROOT
from tests.api.test_cli import run
from tests.conftest import FIXTURES
from tests.live import live_server

pytestmark = pytest.mark.slow

CLIENTS = 16
IMPORT_WITHIN = 300.0
SIPRI_EDITION = PROJECT_ROOT / "fixtures" / "sipri" / "trade-register-2024-10.csv"
COW_TABLE = PROJECT_ROOT / "fixtures" / "cow" / "igo_year_formatv3.csv.gz"
# No rate limit (16 clients from one address), and no fixtures loaded by the server itself.
SERVER = {
    "rate_limit_enabled": "false",
    "load_fixtures_when_empty": "false",
    "request_timeout": "60",
}

SIPRI_VIEW = """{
  armsTransfers { totalCount }
  armsTransferStats(groupBy: [STATUS]) { buckets { status count } }
  toKyrgyzstan: armsTransfers(filter: { recipient: "KGZ" }) { totalCount }
  documents { key }
  search(text: "bayraktar") { totalCount }
}"""
COW_VIEW = """{
  organisations { totalCount }
  memberships { totalCount }
  csto: organisation(acronym: "CSTO") { members(asOf: 2013) { role } }
  nato: membershipStats(years: { gte: 1990, lte: 2014 }, filter: { organisation: "NATO" }) {
    rows { role year count }
  }
  search(text: "customs") { totalCount }
}"""
PAPER_VIEW = """{
  states { totalCount }
  organisations { totalCount }
  armsTransfers { totalCount }
  armsTransferStats(groupBy: [STATUS]) { buckets { status count } }
  documents { key }
  search(text: "turkic") { totalCount }
}"""


@dataclass(frozen=True)
class Answer:
    client: int
    started: float
    ended: float
    status: int
    body: dict[str, Any]


async def _ask(http: httpx.AsyncClient, query: str) -> tuple[int, dict[str, Any]]:
    response = await http.post("/graphql", json={"query": query})
    body: dict[str, Any] = response.json()
    return response.status_code, body


async def _client(
    number: int, base: str, query: str, stop: asyncio.Event, answers: list[Answer]
) -> None:
    """Ask again and again until the import has ended, then once more."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while True:
            last = stop.is_set()
            started = time.monotonic()
            status, body = await _ask(http, query)
            answers.append(Answer(number, started, time.monotonic(), status, body))
            if last:
                return


async def _import_while_serving(
    database_url: str, query: str, command: list[str], log: Path
) -> tuple[dict[str, Any], dict[str, Any], list[Answer], tuple[float, float]]:
    answers: list[Answer] = []
    stop = asyncio.Event()
    with live_server(database_url, log=log, settings=SERVER) as base:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            before = await _ask(http, query)
            clients = [
                asyncio.create_task(_client(n, base, query, stop, answers)) for n in range(CLIENTS)
            ]
            while len({a.client for a in answers}) < CLIENTS:  # noqa: ASYNC110 (polled)
                await asyncio.sleep(0.05)
            began = time.monotonic()
            async with asyncio.timeout(IMPORT_WITHIN):
                code, output = await run(*command, database_url=database_url)
            ended = time.monotonic()
            stop.set()
            await asyncio.gather(*clients)
            after = await _ask(http, query)
    assert code == 0, output
    assert before[0] == after[0] == 200
    return before[1], after[1], answers, (began, ended)


def summary(answers: list[Answer], window: tuple[float, float]) -> str:
    """How many answers came before, during and after the import, and how fast."""
    began, ended = window
    phases = {
        "before": [a for a in answers if a.ended < began],
        "during": [a for a in answers if a.started >= began and a.ended <= ended],
        "straddling": [
            a
            for a in answers
            if a.started < ended
            and a.ended > began
            and not (a.started >= began and a.ended <= ended)
        ],
        "after": [a for a in answers if a.started > ended],
    }
    parts = []
    for name, found in phases.items():
        seconds = sorted(a.ended - a.started for a in found) or [0.0]
        parts.append(
            f"{name} {len(found)} (p50 {seconds[len(seconds) // 2]:.2f} s, max {seconds[-1]:.2f} s)"
        )
    return f"import {ended - began:.1f} s; answers: " + ", ".join(parts)


def _check(
    before: dict[str, Any],
    after: dict[str, Any],
    answers: list[Answer],
    import_window: tuple[float, float],
) -> None:
    assert "errors" not in before, before
    assert "errors" not in after, after
    assert before != after
    for state in (before, after):
        # Within one snapshot, the buckets add up to the total.
        if "armsTransferStats" in state["data"]:
            buckets = state["data"]["armsTransferStats"]["buckets"]
            total = state["data"]["armsTransfers"]["totalCount"]
            assert sum(b["count"] for b in buckets) == total
    failed = [a for a in answers if a.status != 200 or "errors" in a.body]
    assert failed == [], [(a.status, a.body.get("errors")) for a in failed[:3]]
    mixed = [a for a in answers if a.body not in (before, after)]
    assert mixed == [], [a.body for a in mixed[:3]]
    for client in range(CLIENTS):
        seen = [
            a.body == after for a in sorted(answers, key=lambda a: a.started) if a.client == client
        ]
        # Once a client has seen the import, it never sees the data from before it again.
        assert seen == sorted(seen), f"client {client} went back in time"
        assert seen[0] is False
        assert seen[-1] is True
    began, ended = import_window
    during = [a for a in answers if a.started >= began and a.ended <= ended]
    assert len(during) >= CLIENTS, "the clients should have been answered during the import"


async def test_a_sipri_import_while_serving_shows_each_client_before_or_after(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: the paper's data, served to 16 clients
    command = ["import", "sipri", str(SIPRI_EDITION)]

    # when: a whole SIPRI edition is imported
    before, after, answers, window = await _import_while_serving(
        database_url, SIPRI_VIEW, command, tmp_path / "server.log"
    )

    # then
    with capsys.disabled():
        print(f"\nSIPRI import while serving: {summary(answers, window)}")
    _check(before, after, answers, window)


async def test_a_fixture_load_while_serving_shows_each_client_before_or_after(
    empty_database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: an empty database, served to 16 clients
    command = ["load", str(FIXTURES)]

    # when: the paper's fixtures are loaded
    before, after, answers, window = await _import_while_serving(
        empty_database_url, PAPER_VIEW, command, tmp_path / "server.log"
    )

    # then
    with capsys.disabled():
        print(f"\nfixture load while serving: {summary(answers, window)}")
    _check(before, after, answers, window)


async def test_a_cow_import_while_serving_shows_each_client_before_or_after(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: the paper's data, served to 16 clients
    command = ["import", "cow", str(COW_TABLE)]

    # when: the whole COW IGO table is imported
    before, after, answers, window = await _import_while_serving(
        database_url, COW_VIEW, command, tmp_path / "server.log"
    )

    # then
    with capsys.disabled():
        print(f"\nCOW import while serving: {summary(answers, window)}")
    _check(before, after, answers, window)
