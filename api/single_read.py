"""One reading statement in one round trip: the compiled read path's way to the database.

A compiled request is answered by ONE statement, and one statement reads one committed state
on both back ends (PostgreSQL takes a snapshot per statement; SQLite reads in an implicit
transaction per statement), so it needs none of what the sessions wrap a request's reads in
(api/read_snapshot.py): on PostgreSQL the pool's pre-ping, BEGIN … READ ONLY and the ROLLBACK were
three of its four round trips, and SQLAlchemy's session and driver adapter a good part of its
CPU. Here the statement goes to the driver itself:

- PostgreSQL: asyncpg's own pool of autocommit connections, read only
  (`default_transaction_read_only`) and with the engine's `statement_timeout`; each statement
  is prepared once per connection (asyncpg's statement cache, keyed by the SQL text, which is
  compiled once per statement object). Nothing is sent when a connection is taken or given
  back. A connection that fails is thrown away rather than checked before every use, and the
  caller answers that request another way (the resolvers, whose pool pre-pings).
- SQLite: the stdlib driver on a few threads of our own, one connection each, with the
  engine's pragmas, functions and progress-handler deadline, and `query_only`; a request is
  one hop to such a thread and back (aiosqlite makes one per call: execute, fetch, close).
  A statement whose runs have cost little (`RUN_HERE_BELOW`) runs on the event loop's thread
  instead, on a connection of that thread's own: for it, the hop costs more than it does.

The SQL text of a statement is compiled by SQLAlchemy for the engine's dialect, so it is the
same text the engine would send. Whoever counts the statements the application sends
(tests/conftest.py, bench/) listens on `observers` as well as on the engine.
"""

import asyncio
import math
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import await_only

from api.db import PG_SESSION_SETTINGS, Deadline, ReadFailed, enable_sqlite_pragmas
from api.settings import Settings

# A SQLite function to register on each connection: name, arity (-1: any), function.
SQLiteFunction = tuple[str, int, Callable[..., Any]]
# Statements kept compiled: the compiled path keeps at most 256 templates per application.
MAX_COMPILED = 512
# The longest statement text kept prepared on a PostgreSQL connection.
MAX_PREPARED_CHARS = 64 * 1024
# How often (in SQLite virtual-machine steps) a running statement checks its deadline.
PROGRESS_STEPS = 10_000
# SQLite: a statement whose recent runs each took less CPU than this runs on the event
# loop's own thread. The hop to a reader thread and back costs the worker about 0.2 ms of
# CPU (two wake-ups, the GIL handed over and back several times) and more under load, when
# the loop waits for the GIL at every system call a reader thread's turn slips into
# (docs/BENCHMARKS.md, "Compiled reads: query a on SQLite"); a statement this short blocks
# the loop no longer than one request's own Python does.
RUN_HERE_BELOW = 0.001
# How fast a costly run is forgotten: each later run lowers the estimate by this factor at
# most, so a statement that was slow once (its values, not its shape) stays in the threads
# for the next dozen runs or so, and one that is slow often stays there.
COST_DECAY = 0.9


class _Compiled:
    """Statements compiled once for one dialect, by identity (a statement object is a
    template its caller keeps and runs again), least recently used first out."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.kept: OrderedDict[int, tuple[ClauseElement, SQLCompiler]] = OrderedDict()

    def bind(self, statement: ClauseElement, values: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """The SQL text and its positional values, processed as the engine would."""
        found = self.kept.get(id(statement))
        if found is None or found[0] is not statement:
            compiled = statement.compile(dialect=self.dialect)
            assert isinstance(compiled, SQLCompiler)
            found = (statement, compiled)
            self.kept[id(statement)] = found
            while len(self.kept) > MAX_COMPILED:
                self.kept.popitem(last=False)
        else:
            self.kept.move_to_end(id(statement))
        # Late-rendered parameters (IN lists) make the text depend on the values' lengths.
        state = found[1].construct_expanded_state(values)
        processors = state.processors
        parameters = state.parameters
        positional = []
        for name in state.positiontup or ():
            value = parameters[name]
            process = processors.get(name)
            positional.append(value if process is None else process(value))
        return state.statement, positional


class StatementReader:
    """What both back ends share: compiled statements and whoever counts them. It lives as
    long as its engine: disposing of the engine closes it too (`create_single_read`), and it
    opens again on its next use, as the engine's pool does."""

    def __init__(self, dialect: Dialect) -> None:
        self.compiled = _Compiled(dialect)
        # Called with each statement's SQL text before it is sent.
        self.observers: list[Callable[[str], None]] = []

    async def scalar(self, statement: ClauseElement, values: Mapping[str, Any]) -> Any:
        """The first column of the first row of `statement` run with `values`."""
        sql, positional = self.compiled.bind(statement, values)
        for observe in self.observers:
            observe(sql)
        return await self._run(sql, positional)

    async def _run(self, sql: str, positional: Sequence[Any]) -> Any:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError


async def _keep_session(_connection: asyncpg.Connection) -> None:
    """Nothing to reset when a connection is given back: its statements read, in autocommit,
    and set nothing (asyncpg's default reset would cost a round trip per request)."""


class PostgresReads(StatementReader):
    """Single statements on asyncpg's pool, opened on first use (in the serving loop)."""

    def __init__(self, engine: AsyncEngine, settings: Settings, statement_timeout: float) -> None:
        super().__init__(engine.dialect)
        _, connect = engine.dialect.create_connect_args(engine.url)
        milliseconds = str(max(1, round(statement_timeout * 1000)))
        self._connect: dict[str, Any] = {
            **connect,
            "min_size": 0,
            "max_size": settings.db_pool_size,
            "timeout": settings.db_connect_timeout,
            "reset": _keep_session,
            # asyncpg prepares a text of over 15 KiB anew every time (a round trip more); a
            # deep compiled answer's statement can be longer.
            "max_cacheable_statement_size": MAX_PREPARED_CHARS,
            "server_settings": {
                **PG_SESSION_SETTINGS,
                "statement_timeout": milliseconds,
                "default_transaction_read_only": "on",
                "application_name": "silkgraph single read",
            },
        }
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def _opened(self) -> asyncpg.Pool:
        if self._pool is None:
            async with self._opening:
                if self._pool is None:
                    self._pool = await asyncpg.create_pool(**self._connect)
        return self._pool

    async def _run(self, sql: str, positional: Sequence[Any]) -> Any:
        try:
            pool = await self._opened()
            async with pool.acquire() as connection:
                try:
                    return await connection.fetchval(sql, *positional)
                except asyncpg.PostgresError:
                    raise  # the server answered: the connection is sound
                except Exception:
                    # Cut off or a driver fault: the connection cannot be trusted, and a pool
                    # without pre-ping must not keep it. (A cancelled request is not this:
                    # asyncpg asks the server to cancel the statement and keeps the line.)
                    connection.terminate()
                    raise
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as error:
            raise ReadFailed(str(error)) from error

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


class Costs:
    """What each statement text costs to run, as CPU seconds in the thread that ran it (a
    reader thread's wait for the GIL is not the statement's cost): the highest of its runs,
    decaying by `COST_DECAY` per run; unknown until its first run."""

    def __init__(self, size: int = MAX_COMPILED) -> None:
        self.size = size
        self.seconds: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()  # noted from every reader thread

    def cheap(self, sql: str) -> bool:
        found = self.seconds.get(sql)
        return found is not None and found < RUN_HERE_BELOW

    def note(self, sql: str, seconds: float) -> None:
        with self._lock:
            before = self.seconds.pop(sql, 0.0)
            self.seconds[sql] = max(seconds, before * COST_DECAY)
            while len(self.seconds) > self.size:
                self.seconds.popitem(last=False)


class _SQLiteConnection:
    """One thread's connection and the deadline its progress handler reads."""

    def __init__(self, path: str, functions: Sequence[SQLiteFunction], *, wait: bool) -> None:
        self.open = True
        self.deadline = Deadline()
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            enable_sqlite_pragmas(self.connection)
            # The reader must never write, even if handed a statement that would.
            self.connection.execute("PRAGMA query_only=ON")
            if not wait:
                # On the loop's thread, a lock is not waited for (WAL readers seldom meet
                # one): the read fails at once, and the resolvers answer that request.
                self.connection.execute("PRAGMA busy_timeout=0")
            for name, arity, function in functions:
                self.connection.create_function(name, arity, function, deterministic=True)
            self.connection.set_progress_handler(self.deadline.exceeded, PROGRESS_STEPS)
        except BaseException:
            self.connection.close()
            raise


class SQLiteReads(StatementReader):
    """Single statements on `threads` threads of our own, each with its own connection."""

    def __init__(
        self,
        engine: AsyncEngine,
        path: str,
        *,
        threads: int,
        statement_timeout: float,
        functions: Sequence[SQLiteFunction],
    ) -> None:
        super().__init__(engine.dialect)
        self.path = path
        self.statement_timeout = statement_timeout
        self.functions = tuple(functions)
        self.threads = threads
        self._executor: ThreadPoolExecutor | None = None
        self._local = threading.local()
        self._all: list[_SQLiteConnection] = []
        self._all_lock = threading.Lock()
        self.costs = Costs()
        # Statements run on the event loop's thread, and in the reader threads.
        self.ran_here = 0
        self.ran_in_threads = 0

    def _connection(self, here: bool) -> _SQLiteConnection:
        found: _SQLiteConnection | None = getattr(self._local, "connection", None)
        # The loop's thread outlives a close (the reader threads do not).
        if found is None or not found.open:
            found = _SQLiteConnection(self.path, self.functions, wait=not here)
            self._local.connection = found
            with self._all_lock:
                self._all.append(found)
        return found

    def _drop(self, found: _SQLiteConnection) -> None:
        self._local.connection = None
        with self._all_lock:
            self._all.remove(found)
        found.connection.close()

    def _read(self, sql: str, positional: Sequence[Any], deadline: float, here: bool) -> Any:
        """The whole statement at once, in a reader thread or the loop's; what it cost is
        noted, failed or not (a statement stopped at its deadline was not cheap)."""
        found = self._connection(here)
        found.deadline.at = deadline
        started = time.thread_time()
        try:
            cursor = found.connection.execute(sql, positional)
            try:
                row = cursor.fetchone()
            finally:
                cursor.close()
        except sqlite3.OperationalError:
            raise  # interrupted, busy, locked: the connection itself is sound
        except sqlite3.Error:
            self._drop(found)  # anything else: the next statement opens a fresh one
            raise
        finally:
            found.deadline.at = math.inf
            self.costs.note(sql, time.thread_time() - started)
        return None if row is None else row[0]

    async def _run(self, sql: str, positional: Sequence[Any]) -> Any:
        # The deadline counts from now, as the engine's counts from the checkout: a statement
        # whose request was cancelled stops there, since its thread cannot be cancelled.
        deadline = time.monotonic() + self.statement_timeout
        try:
            if self.costs.cheap(sql):
                self.ran_here += 1
                value = self._read(sql, positional, deadline, True)
                # The loop's other tasks get their turn here, as they would have while a
                # reader thread ran the statement: a caller that reads in a loop must not
                # starve them.
                await asyncio.sleep(0)
                return value
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self.threads, thread_name_prefix="silkgraph-read"
                )
            self.ran_in_threads += 1
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._executor, self._read, sql, positional, deadline, False
            )
        except sqlite3.Error as error:
            raise ReadFailed(str(error)) from error

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            # Waits for statements still running, which their deadline bounds.
            await asyncio.get_running_loop().run_in_executor(None, executor.shutdown)
        with self._all_lock:
            for found in self._all:
                found.open = False
                found.connection.close()
            self._all.clear()


def create_single_read(
    engine: AsyncEngine,
    settings: Settings,
    *,
    statement_timeout: float,
    functions: Sequence[SQLiteFunction] = (),
) -> StatementReader | None:
    """The single-statement reader for `engine`'s database, closed whenever the engine is
    disposed of (every application's owner disposes of its engine: the lifespan, tests,
    commands); None for an in-memory SQLite database, which each connection would see empty
    (the sessions serve it)."""
    reader: StatementReader
    if engine.dialect.name != "sqlite":
        reader = PostgresReads(engine, settings, statement_timeout)
    else:
        path = make_url(settings.database_url).database
        if not path or path == ":memory:":
            return None
        reader = SQLiteReads(
            engine,
            path,
            threads=settings.sqlite_read_threads,
            statement_timeout=statement_timeout,
            functions=functions,
        )

    def on_dispose(_engine: Any) -> None:
        # AsyncEngine.dispose runs Engine.dispose in a greenlet: the reader's close can be
        # awaited from here.
        await_only(reader.close())

    event.listen(engine.sync_engine, "engine_disposed", on_dispose)
    return reader
