"""Async engine and session factory for the two supported back ends (aiosqlite, asyncpg)."""

import math
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.sql import ClauseElement
from sqlalchemy.util import await_

from api.settings import Settings


class SessionFactory(Protocol):
    """What opens sessions: the engine's session maker, or one request's ReadSnapshot
    (api/read_snapshot.py), whose sessions all read the same committed state."""

    def __call__(self) -> AbstractAsyncContextManager[AsyncSession]: ...


class ReadFailed(Exception):
    """The database did not answer a single read (down, cut off, too slow); the caller may
    answer another way."""


class SingleRead(Protocol):
    """What runs one reading statement as its own snapshot, in one round trip, past the
    sessions (api/single_read.py): a request answered by a single statement needs no
    transaction around it, nor a pool check before it."""

    async def scalar(self, statement: ClauseElement, values: Mapping[str, Any]) -> Any:
        """The first column of the first row; ReadFailed when the database did not answer."""
        ...


def is_sqlite(url: str) -> bool:
    """True for the embedded back end, whose SQL dialect needs a few allowances."""
    return make_url(url).get_backend_name() == "sqlite"


def enable_sqlite_pragmas(dbapi_connection: Any, _record: Any = None) -> None:
    # SQLite ignores foreign keys unless asked on every connection; WAL lets readers
    # in other workers proceed while a writer (a fixture load) holds the database.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@dataclass
class Deadline:
    """When the statements of the current checkout must stop, read by SQLite's progress
    handler in the driver's thread."""

    at: float = math.inf

    def exceeded(self) -> int:
        return 1 if time.monotonic() > self.at else 0


def _sqlite_statement_timeout(engine: AsyncEngine, seconds: float) -> None:
    """SQLite's stand-in for PostgreSQL's statement_timeout: a progress handler interrupts
    a statement (SQLITE_INTERRUPT) once its connection has been checked out for `seconds`.
    Without it a cancelled request would still wait for its statement to finish, since
    aiosqlite runs it in a thread that asyncio cannot cancel."""

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        deadline = Deadline()
        record.info["deadline"] = deadline
        await_(dbapi_connection.driver_connection.set_progress_handler(deadline.exceeded, 10_000))

    def on_checkout(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        record.info["deadline"].at = time.monotonic() + seconds

    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if "deadline" in record.info:
            record.info["deadline"].at = math.inf

    event.listen(engine.sync_engine, "connect", on_connect)
    event.listen(engine.sync_engine, "checkout", on_checkout)
    event.listen(engine.sync_engine, "checkin", on_checkin)


# Planner settings of every PostgreSQL session the application opens (docs/BENCHMARKS.md,
# "a million transfers"). A compiled read is one statement of many small correlated subplans
# whose summed cost estimate passes jit_above_cost at a million transfers: JIT compilation
# then took 87 ms of a 180 ms statement that runs in 20 ms without it. And the default
# random_page_cost (4, for spinning disks) makes a look-up of one state by primary key a
# sequential scan of its 250 rows, once per transfer listed; 1.1, the usual value for data
# on SSD or in memory, makes it the index look-up it is.
PG_SESSION_SETTINGS = {"jit": "off", "random_page_cost": "1.1"}


def create_engine(settings: Settings, *, statement_timeout: float | None = None) -> AsyncEngine:
    """An engine for `settings.database_url`, creating the SQLite file's folder if needed.

    `statement_timeout` (seconds) makes the database itself stop longer statements, so a
    request that has given up on its answer does not leave the database working on it.
    """
    url = make_url(settings.database_url)
    kwargs: dict[str, Any] = {"echo": settings.sql_echo}
    if is_sqlite(settings.database_url):
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            # A fixed number of connections (each a thread of the driver), no overflow: a
            # request waits for one within its own deadline, as on PostgreSQL.
            kwargs.update(
                pool_size=settings.sqlite_pool_size,
                max_overflow=0,
                pool_timeout=settings.request_timeout,
            )
    else:
        # pre-ping replaces connections a restarted server has cut, so the pool heals itself;
        # the connect timeout makes requests fail fast while the server is down.
        server_settings = dict(PG_SESSION_SETTINGS)
        if statement_timeout is not None:
            server_settings["statement_timeout"] = str(max(1, round(statement_timeout * 1000)))
        connect_args: dict[str, Any] = {
            "timeout": settings.db_connect_timeout,
            "server_settings": server_settings,
        }
        kwargs.update(
            pool_size=settings.db_pool_size,
            pool_pre_ping=True,
            # Waiting for a free connection is bounded by the request's own deadline.
            pool_timeout=settings.request_timeout,
            connect_args=connect_args,
        )
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(settings.database_url):
        event.listen(engine.sync_engine, "connect", enable_sqlite_pragmas)
        if statement_timeout is not None:
            _sqlite_statement_timeout(engine, statement_timeout)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit, since rows outlive their transaction here."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def engine_scope(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine that is disposed of when the block ends, for commands and tests."""
    engine = create_engine(settings)
    try:
        yield engine
    finally:
        await engine.dispose()
