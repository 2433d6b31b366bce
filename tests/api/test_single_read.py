"""A compiled read is one statement in one round trip, past the request's sessions.

The single-statement reader (api/single_read.py) runs the compiled path's statement on
connections of its own: autocommit, read only, with the same timeout as the engine's, each
statement compiled once. These tests ask through HTTP that it answers the same bytes as the
resolvers with one statement counted, that a cut connection costs no client its answer, and
that an answer never mixes the data from before and after a concurrent write; then the
reader itself: read only, bounded in time, compiled once per statement.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.db import ReadFailed, create_engine
from api.settings import Settings
from api.single_read import PostgresReads, SQLiteReads, StatementReader, create_single_read
from tests.conftest import StatementCounter
from tests.graphql import client_for

pytestmark = pytest.mark.usefixtures("backend")

PAGE = """query Page($first: Int, $after: String) {
  armsTransfers(first: $first, after: $after) {
    totalCount
    edges { cursor node { key orderYear supplier { code } recipient { ... on State { code } } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
# Two root fields, one statement: which recipient a transfer has, seen from both sides.
SIDES = """query Sides {
  kgz: armsTransfers(first: 100, filter: { recipient: "KGZ" }) {
    totalCount edges { node { key } } }
  kaz: armsTransfers(first: 100, filter: { recipient: "KAZ" }) {
    totalCount edges { node { key } } }
}"""
SLOW = text(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
    "SELECT count(*) FROM n"
)
# One shape whose cost its value sets: counting to 10 is cheap, to 200,000 tens of ms.
COUNT_TO = text(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :n) "
    "SELECT count(*) FROM n"
)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(settings, rate_limit_enabled=False) as client:
        yield client


def _reader_of(client: httpx.AsyncClient) -> StatementReader:
    reader = client.app.state.single_read  # type: ignore[attr-defined]
    assert isinstance(reader, StatementReader)
    return reader


async def _ask(client: httpx.AsyncClient, query: str, variables: Any = None) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables or {}})


async def test_a_compiled_read_is_one_statement_past_the_sessions(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    # given an operation met once (the whole way), then asked on the lean lane
    first = await _ask(client, PAGE, {"first": 3})
    cursor = first.json()["data"]["armsTransfers"]["pageInfo"]["endCursor"]
    await _ask(client, PAGE, {"first": 2, "after": cursor})
    compiled = len(_reader_of(client).compiled.kept)  # the first page's shape, and later ones'
    counter = StatementCounter.of(client.app)  # type: ignore[attr-defined]
    engine_only = StatementCounter(client.app.state.engine)  # type: ignore[attr-defined]

    # when
    with counter, engine_only:
        answers = [await _ask(client, PAGE, {"first": 3, "after": cursor}) for _ in range(3)]
        others = [await _ask(client, PAGE, {"first": n, "after": cursor}) for n in (4, 5)]

    # then one statement each, none of them through the engine (no session, no transaction)
    assert counter.count == 5, counter.statements
    assert engine_only.count == 0, engine_only.statements
    assert all(a.headers["server-timing"].startswith("compiled;") for a in answers + others)
    async with client_for(settings, compiled_reads=False, rate_limit_enabled=False) as resolved:
        reference = await _ask(resolved, PAGE, {"first": 3, "after": cursor})
    assert {a.content for a in answers} == {reference.content}
    # and no statement was compiled again, whatever the values
    assert len(_reader_of(client).compiled.kept) == compiled == 2


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_a_killed_backend_costs_no_client_its_answer(
    database_url: str, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given the reader's connections open, and the answer they gave
    reference = await _ask(client, PAGE, {"first": 5})
    for _ in range(3):
        assert (await _ask(client, PAGE, {"first": 5})).content == reference.content
    url = make_url(database_url)
    admin = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    try:
        # when the server ends every backend serving them (as a restart does)
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = $1 AND application_name = 'silkgraph single read'",
            url.database,
        )
    finally:
        await admin.close()
    assert killed >= 1

    # then every request is still answered, the same; the reader heals (no pre-ping: a cut
    # connection is found on use, thrown away, and that request resolved instead)
    after = [await _ask(client, PAGE, {"first": 5}) for _ in range(4)]
    assert [a.status_code for a in after] == [200] * 4
    assert {a.content for a in after} == {reference.content}
    assert after[-1].headers["server-timing"].startswith("compiled;")


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_a_connection_cut_mid_read_is_answered_by_the_resolvers(
    settings: Settings, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _ask(client, PAGE, {"first": 2})
    reader = _reader_of(client)
    assert isinstance(reader, PostgresReads)
    terminated: list[bool] = []
    fetchval = asyncpg.Connection.fetchval

    async def cut(self: asyncpg.Connection, *args: Any) -> Any:
        # The socket closes under the statement, as when the server goes away mid-read.
        self._transport.abort()
        try:
            return await fetchval(self, *args)
        finally:
            terminated.append(self.is_closed())

    monkeypatch.setattr(asyncpg.Connection, "fetchval", cut)
    answer = await _ask(client, PAGE, {"first": 2})
    monkeypatch.undo()

    # thrown away: on the lean lane, and again when the request went the whole way
    assert terminated
    assert all(terminated)
    assert answer.status_code == 200
    assert answer.headers["server-timing"].startswith("resolved;")
    async with client_for(settings, compiled_reads=False, rate_limit_enabled=False) as resolved:
        assert answer.content == (await _ask(resolved, PAGE, {"first": 2})).content
    healed = await _ask(client, PAGE, {"first": 2})
    assert healed.headers["server-timing"].startswith("compiled;")
    assert healed.content == answer.content


async def test_an_answer_never_mixes_before_and_after_a_concurrent_write(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    # given the transfers to Kyrgyzstan and Kazakhstan, answered by one compiled statement
    before = (await _ask(client, SIDES)).json()["data"]
    kgz = {e["node"]["key"] for e in before["kgz"]["edges"]}
    kaz = {e["node"]["key"] for e in before["kaz"]["edges"]}
    assert kgz
    assert kaz
    assert not kgz & kaz
    moving = sorted(kgz)[0]

    # when a writer moves one transfer between them again and again, a commit a move, while
    # four clients keep asking
    engine = create_engine(settings)
    moves = 0
    done = asyncio.Event()

    async def write() -> None:
        nonlocal moves
        try:
            for n in range(40):
                async with engine.begin() as connection:
                    await connection.execute(
                        text(
                            "UPDATE arms_transfer SET recipient_id = "
                            "(SELECT id FROM state WHERE code = :to) WHERE key = :key"
                        ),
                        {"to": "KAZ" if n % 2 == 0 else "KGZ", "key": moving},
                    )
                    await asyncio.sleep(0.005)  # the commit comes a moment later
                moves += 1
                await asyncio.sleep(0.01)
        finally:
            done.set()

    answers: list[tuple[str, dict[str, Any]]] = []

    async def ask() -> None:
        while not done.is_set():
            response = await _ask(client, SIDES)
            answers.append((response.headers["server-timing"], response.json()))

    try:
        async with asyncio.timeout(120):
            await asyncio.gather(write(), *(ask() for _ in range(4)))
    finally:
        await engine.dispose()

    # then every answer holds the transfer on exactly one side, its counts agreeing
    assert moves == 40
    assert len(answers) >= 8
    sides_seen = set()
    for timing, body in answers:
        assert timing.startswith("compiled;"), body
        data = body["data"]
        got = {side: {e["node"]["key"] for e in data[side]["edges"]} for side in ("kgz", "kaz")}
        assert got["kgz"] | got["kaz"] == kgz | kaz
        assert not got["kgz"] & got["kaz"], json.dumps(data)
        assert data["kgz"]["totalCount"] + data["kaz"]["totalCount"] == len(kgz | kaz)
        sides_seen.add(moving in got["kaz"])
    assert sides_seen == {True, False}  # the reads did meet the writes


async def test_the_reader_refuses_to_write(settings: Settings) -> None:
    engine = create_engine(settings)
    reader = create_single_read(engine, settings, statement_timeout=5)
    assert reader is not None
    try:
        with pytest.raises(ReadFailed, match="read-only|readonly"):
            await reader.scalar(text("DELETE FROM arms_transfer"), {})
        assert await reader.scalar(text("SELECT count(*) FROM arms_transfer"), {}) > 0
    finally:
        await engine.dispose()  # closes the reader too


async def test_the_reader_stops_a_statement_at_its_timeout(settings: Settings) -> None:
    engine = create_engine(settings)
    reader = create_single_read(engine, settings, statement_timeout=0.3)
    assert reader is not None
    try:
        started = time.monotonic()
        with pytest.raises(ReadFailed, match="interrupted|statement timeout"):
            await reader.scalar(SLOW, {})
        assert time.monotonic() - started < 5
        # and the connection serves the next statement
        assert await reader.scalar(text("SELECT 1"), {}) == 1
    finally:
        await engine.dispose()


async def test_the_reader_opens_again_after_its_engine_is_disposed(settings: Settings) -> None:
    engine = create_engine(settings)
    reader = create_single_read(engine, settings, statement_timeout=5)
    assert reader is not None
    try:
        assert await reader.scalar(text("SELECT 2"), {}) == 2
        await engine.dispose()
        assert await reader.scalar(text("SELECT 3"), {}) == 3
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_cheap_statement_runs_on_the_loops_thread_a_costly_one_in_the_readers(
    settings: Settings,
) -> None:
    engine = create_engine(settings)
    reader = create_single_read(engine, settings, statement_timeout=5)
    assert isinstance(reader, SQLiteReads)

    def ran() -> tuple[int, int]:
        return reader.ran_in_threads, reader.ran_here

    try:
        # a statement met for the first time goes to a reader thread; known cheap, it stays
        assert [await reader.scalar(COUNT_TO, {"n": 10}) for _ in range(3)] == [10] * 3
        assert ran() == (1, 2)
        # a costly run of it (its values, not its shape) sends it to the threads for a while
        assert await reader.scalar(COUNT_TO, {"n": 200_000}) == 200_000
        assert [await reader.scalar(COUNT_TO, {"n": 10}) for _ in range(5)] == [10] * 5
        assert ran() == (6, 3)
        # and it comes back once its runs have been cheap for long enough
        for _ in range(100):
            assert await reader.scalar(COUNT_TO, {"n": 10}) == 10
        threads, here = ran()
        assert here > 3
        assert threads < 6 + 100
        # and costly again: once more on the loop's thread, then in the threads while it lasts
        for _ in range(3):
            assert await reader.scalar(COUNT_TO, {"n": 200_001}) == 200_001
        assert ran() == (threads + 2, here + 1)
    finally:
        await engine.dispose()
