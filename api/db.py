"""Async engine and session factory for the two supported back ends (aiosqlite, asyncpg)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from api.settings import Settings

SessionFactory = async_sessionmaker[AsyncSession]


def is_sqlite(url: str) -> bool:
    """True for the embedded back end, whose SQL dialect needs a few allowances."""
    return make_url(url).get_backend_name() == "sqlite"


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless asked on every connection; WAL lets readers
    # in other workers proceed while a writer (a fixture load) holds the database.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(settings: Settings) -> AsyncEngine:
    """An engine for `settings.database_url`, creating the SQLite file's folder if needed."""
    url = make_url(settings.database_url)
    kwargs: dict[str, Any] = {"echo": settings.sql_echo}
    if is_sqlite(settings.database_url):
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        # pre-ping replaces connections a restarted server has cut, so the pool heals itself.
        kwargs.update(pool_size=settings.db_pool_size, pool_pre_ping=True)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(settings.database_url):
        event.listen(engine.sync_engine, "connect", _enable_sqlite_pragmas)
    return engine


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
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
