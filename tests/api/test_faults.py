"""A failing database: down means DATABASE_UNAVAILABLE, fast; slow means TIMEOUT, and the
worker keeps answering other requests meanwhile."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.app import create_app
from api.settings import Settings
from tests.conftest import settings_for
from tests.graphql import client_for, post
from tests.pg_server import free_port

STATE = '{ state(code: "KGZ") { name } }'
ORGANISATION = '{ organisation(acronym: "OTS") { name } }'


# Failing fast means not waiting out the connect timeout, whose test value (30 s) no answer
# on a busy machine comes near; a wall-clock bound of a second or two made CI fail at random.
CONNECT_TIMEOUT = settings_for("sqlite+aiosqlite://").db_connect_timeout


async def _ask(url: str, query: str) -> tuple[dict[str, object], float]:
    app = create_app(settings_for(url))
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://silkgraph.test") as c:
            started = time.monotonic()
            body = await post(c, query)
            return body, time.monotonic() - started
    finally:
        await app.state.engine.dispose()


async def test_queries_fail_fast_when_postgres_is_down() -> None:
    # given a PostgreSQL address nothing listens on
    url = f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/nothing"

    # when
    body, elapsed = await _ask(url, STATE)

    # then
    errors = body["errors"]
    assert isinstance(errors, list)
    assert errors[0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert errors[0]["message"] == "The database is unavailable; try again shortly."
    assert "requestId" in errors[0]["extensions"]
    assert "127.0.0.1" not in str(body)
    assert "refused" not in str(body).lower()
    assert elapsed < CONNECT_TIMEOUT / 2


async def test_queries_fail_fast_when_sqlite_cannot_open_its_file(tmp_path: Path) -> None:
    # given a database "file" that is a folder
    body, elapsed = await _ask(f"sqlite+aiosqlite:///{tmp_path}", STATE)

    errors = body["errors"]
    assert isinstance(errors, list)
    assert errors[0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert str(tmp_path) not in str(body)
    assert elapsed < CONNECT_TIMEOUT / 2


@asynccontextmanager
async def _slow_state_table(database_url: str) -> AsyncIterator[None]:
    """Reading the `state` table takes far longer than the request timeout, meanwhile."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        # Another session holds the table locked: readers wait, as behind a long migration.
        holder = await asyncpg.connect(
            host=url.host, port=url.port, user=url.username, database=url.database
        )
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute("LOCK TABLE state IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            await transaction.rollback()
            await holder.close()
        return
    # SQLite readers never wait for a lock under WAL, so make reading the table itself slow.
    app_settings = settings_for(database_url)
    from api.db import engine_scope

    async with engine_scope(app_settings) as engine, engine.begin() as connection:
        await connection.execute(text("ALTER TABLE state RENAME TO state_rows"))
        await connection.execute(
            text(
                "CREATE VIEW state AS SELECT * FROM state_rows WHERE (WITH RECURSIVE n(i) AS "
                "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000000) "
                "SELECT count(*) FROM n) > 0"
            )
        )
    yield


async def test_a_slow_statement_ends_with_timeout_and_the_worker_stays_responsive(
    settings: Settings, database_url: str
) -> None:
    async with (
        client_for(settings, request_timeout=0.5) as client,
        _slow_state_table(database_url),
    ):
        # when a request waits on the slow table while another asks something else
        started = time.monotonic()
        slow = asyncio.create_task(post(client, STATE))
        await asyncio.sleep(0.05)
        other = await post(client, ORGANISATION)
        answered_first = not slow.done()
        body = await slow
        slow_elapsed = time.monotonic() - started

    # then the slow one ends with TIMEOUT at the deadline
    assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
    assert "0.5 s" in body["errors"][0]["message"]
    assert slow_elapsed < 3
    # and the other was answered meanwhile, while the slow one was still waiting
    assert other["data"] == {"organisation": {"name": "Organization of Turkic States"}}
    assert answered_first


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_postgres_stops_a_statement_the_request_gave_up_on(
    settings: Settings, database_url: str
) -> None:
    url = make_url(database_url)
    async with client_for(settings, request_timeout=0.5) as client:
        async with _slow_state_table(database_url):
            body = await post(client, STATE)
            watcher = await asyncpg.connect(
                host=url.host, port=url.port, user=url.username, database=url.database
            )
            # The cancel reaches the server a moment later, longer on a busy machine: poll,
            # bounded, rather than sleep a fixed time and hope.
            for _ in range(100):
                waiting = await watcher.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> "
                    "pg_backend_pid() AND state = 'active' AND query LIKE '%FROM state%'",
                    url.database,
                )
                if waiting == 0:
                    break
                await asyncio.sleep(0.1)
            await watcher.close()

        # then nothing is left waiting on the lock, and the pool is usable again
        assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
        assert waiting == 0
        assert (await post(client, STATE))["data"] == {"state": {"name": "Kyrgyzstan"}}
