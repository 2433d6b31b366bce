"""One writer at a time: the lock every import and fixture load takes before it writes.

Two imports writing at once would each read the database, work out their changes, and
write them over the other's. So a writer takes this lock as the first statement of its
transaction and holds it until the transaction ends; a second writer is refused at once,
with ImportLocked, rather than left waiting behind an import that may take minutes.

- PostgreSQL: a transaction-scoped advisory lock (`pg_try_advisory_xact_lock`), released by
  commit, rollback or a lost connection alike, so a killed import cannot leave it held. The
  holder names itself in `application_name` for the length of its transaction, which lets
  the refused writer say who holds the lock.
- SQLite: `BEGIN IMMEDIATE`, which takes the database's single write lock at once instead
  of at the first write, with the busy timeout set to zero for that one statement so that a
  held lock is a refusal, not a wait. Readers are not blocked (WAL).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import SessionFactory

# "silk" in ASCII: one key for every writer of the database; advisory locks are per database.
LOCK_KEY = 0x73696C6B
# sysexits' EX_TEMPFAIL: the command may succeed if run again later.
EXIT_LOCKED = 75

_HOLDER = text(
    "SELECT a.pid, a.application_name, a.xact_start FROM pg_locks AS l"
    " JOIN pg_stat_activity AS a ON a.pid = l.pid"
    " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = :key"
    " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


class ImportLocked(Exception):
    """Another writer holds the database; this one was refused before writing anything."""

    def __init__(self, what: str, holder: str | None) -> None:
        self.what = what
        self.holder = holder
        by = f" ({holder})" if holder else ""
        super().__init__(
            f"Refused: another import or fixture load is writing to this database{by}. "
            f"Nothing was written by this {what}; run it again once the other has finished."
        )


async def hold_import_lock(session: AsyncSession, what: str) -> None:
    """Take the write lock for the rest of `session`'s transaction, or raise ImportLocked.

    Call it first in the transaction, before any other statement: on SQLite it begins it.
    `what` names this writer in the refusal others get (`SIPRI import of x.csv`).
    """
    if session.get_bind().dialect.name == "sqlite":
        await _sqlite_lock(session, what)
    else:
        await _postgres_lock(session, what)


async def _postgres_lock(session: AsyncSession, what: str) -> None:
    name = f"silkgraph: {what}"[:63]  # PostgreSQL keeps 63 bytes of a name
    await session.execute(text("SELECT set_config('application_name', :n, true)"), {"n": name})
    taken = await session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    if taken:
        return
    row = (await session.execute(_HOLDER, {"key": LOCK_KEY})).first()
    holder = None
    if row is not None:
        pid, name, since = row
        started = f", since {since.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if since else ""
        holder = f"process {pid} on the database server: {name or 'unnamed'}{started}"
    raise ImportLocked(what, holder)


async def _sqlite_lock(session: AsyncSession, what: str) -> None:
    connection = await session.connection()
    waited = await connection.exec_driver_sql("PRAGMA busy_timeout")
    busy_timeout = int(waited.scalar_one())
    await connection.exec_driver_sql("PRAGMA busy_timeout = 0")
    try:
        await connection.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError as error:
        if "database is locked" not in str(error.orig):
            raise
        raise ImportLocked(what, None) from None
    finally:
        await connection.exec_driver_sql(f"PRAGMA busy_timeout = {busy_timeout:d}")


@asynccontextmanager
async def import_transaction(
    sessions: SessionFactory, what: str, *, dry_run: bool = False
) -> AsyncIterator[AsyncSession]:
    """An importer's one transaction: the write lock first, then all of its writes or none;
    a dry run works everything out and rolls it back."""
    async with sessions() as session:
        transaction = await session.begin()
        try:
            await hold_import_lock(session, what)
            yield session
        except BaseException:
            await transaction.rollback()
            raise
        if dry_run:
            await transaction.rollback()
        else:
            await transaction.commit()
