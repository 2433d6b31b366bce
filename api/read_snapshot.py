"""One GraphQL request reads one committed state of the database, however many statements.

Resolvers and DataLoaders each open a session, and each session used to take its own
connection and see whatever was committed when its statement ran. A request that counted
the SIPRI deals in one statement and summed them in another could then straddle an import's
commit and answer half before and half after it. A ReadSnapshot gives every session of a
request the same connection, in one read-only transaction whose snapshot is taken at its
first statement:

- PostgreSQL: REPEATABLE READ, READ ONLY (a read-only transaction is never refused for
  serialization there);
- SQLite: an explicit BEGIN, since the driver would otherwise run each SELECT in a
  transaction of its own; WAL keeps the snapshot readable while a writer commits.

Sessions on one connection must not run statements at once, so they take turns (a lock held
for each `async with snapshot() as session` block); resolvers never nest these blocks.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

# The snapshot whose turn the current task holds, to catch a block opened inside another.
_holding: ContextVar["ReadSnapshot | None"] = ContextVar("holding_read_snapshot", default=None)


class ReadSnapshot:
    """The sessions of one request, opened lazily: a request that never reads takes no
    connection. `close()` ends the transaction and gives the connection back."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._turn = asyncio.Lock()
        self._connection: AsyncConnection | None = None

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        if _holding.get() is self:
            # It would wait for its own turn until the request times out: fail loudly.
            raise RuntimeError("a session block inside another of the same request")
        async with self._turn:
            token = _holding.set(self)
            try:
                # Inside the try: a connection that cannot be opened must not leave this
                # request marked as holding its turn, or its next block fails as nested.
                connection = self._connection or await self._open()
                async with AsyncSession(bind=connection, expire_on_commit=False) as session:
                    yield session
            except (SQLAlchemyError, asyncio.CancelledError):
                # A failed or interrupted statement leaves the transaction unusable (and on
                # PostgreSQL aborted): the next block starts a new one.
                await self._close()
                raise
            finally:
                _holding.reset(token)

    async def _open(self) -> AsyncConnection:
        connection = await self._engine.connect()
        try:
            if connection.dialect.name == "sqlite":
                await connection.begin()
                driver: Any = (await connection.get_raw_connection()).driver_connection
                # Past SQLAlchemy's events: transaction control, like PostgreSQL's BEGIN that
                # asyncpg sends itself, is not a statement of the request's.
                await (await driver.execute("BEGIN")).close()
            else:
                connection = await connection.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
                await connection.begin()
        except BaseException:
            await connection.close()
            raise
        self._connection = connection
        return connection

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()

    async def close(self) -> None:
        """End the transaction (reads only: nothing to commit) and return the connection."""
        async with self._turn:
            await self._close()
