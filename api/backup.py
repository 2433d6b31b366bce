"""`silkgraph db backup FILE` and `db restore FILE`: a consistent copy of the database, and back.

- SQLite: the online backup API, which copies a consistent state while the server reads and
  an import writes; the copy is itself a SQLite database. Restoring copies it back the same
  way, in one step that readers see whole.
- PostgreSQL: `pg_dump --format=custom` (one snapshot). Restoring replays it with `psql` in
  one transaction that first drops and recreates the `public` schema, so the database holds
  exactly the backup afterwards, or, on any error, exactly what it held before.

A backup restores into the back end it came from. Restore refuses a database that holds
data unless told to replace it, and then says what it replaced; both refuse while an import
or fixture load holds the write lock (api/import_lock.py).
"""

import asyncio
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from glob import glob
from pathlib import Path

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, make_url
from sqlmodel import SQLModel

from api import models  # noqa: F401  (registers every table in SQLModel.metadata)
from api.db import engine_scope, is_sqlite
from api.import_lock import LOCK_KEY, ImportLocked
from api.settings import Settings

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
_LOCKED = "silkgraph: the import lock is held"


class BackupError(Exception):
    """Why a backup or restore did not happen; nothing was written."""


@dataclass(frozen=True)
class Contents:
    """How many rows each of silkgraph's tables holds (tables that are missing count 0)."""

    rows: Mapping[str, int]

    @property
    def empty(self) -> bool:
        return not any(self.rows.values())

    def describe(self) -> str:
        held = [(name, n) for name, n in sorted(self.rows.items()) if n]
        return ", ".join(f"{name} ({n:,} rows)" for name, n in held) or "nothing"


async def contents(settings: Settings) -> Contents:
    """Rows per table of the models; a database without tables is empty."""
    async with engine_scope(settings) as engine, engine.connect() as connection:
        present = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
        names = [t.name for t in SQLModel.metadata.sorted_tables if t.name in present]
        rows: dict[str, int] = {}
        for name in names:
            count = await connection.scalar(select(func.count()).select_from(table(name)))
            rows[name] = int(count or 0)
    return Contents(rows)


# -- backup ---------------------------------------------------------------------------------


async def backup(settings: Settings, file: Path, *, overwrite: bool = False) -> None:
    """Write a consistent copy of the database to `file`, whole or not at all."""
    url = settings.database_url
    _check_target(file, overwrite=overwrite)
    partial = file.with_name(f".{file.name}.partial")
    try:
        if is_sqlite(url):
            await asyncio.to_thread(_sqlite_backup, _sqlite_path(url), partial)
        else:
            await _pg_dump(make_url(url), partial)
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)


def _check_target(file: Path, *, overwrite: bool) -> None:
    if file.exists() and not overwrite:
        raise BackupError(f"{file} exists; pass --overwrite to replace it")
    if not file.parent.is_dir():
        raise BackupError(f"no folder {file.parent} to write {file.name} in")


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up or restore")
    return Path(database)


def _read_only(path: Path) -> sqlite3.Connection:
    """Open an existing database without creating it when it is missing."""
    if not path.is_file():
        raise BackupError(f"no SQLite database at {path}")
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def _sqlite_backup(source_path: Path, target: Path) -> None:
    source = _read_only(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one consistent state
    finally:
        copy.close()
        source.close()


async def _pg_dump(url: URL, target: Path) -> None:
    await _run([_pg_tool("pg_dump"), "--format=custom", f"--file={target}", *_pg_args(url)], url)


# -- restore --------------------------------------------------------------------------------


async def restore(settings: Settings, file: Path, *, replace: bool = False) -> Contents:
    """Make the database hold exactly the backup `file`; returns what it held before.

    Refuses (BackupError) when the database holds data and `replace` is not set, naming it.
    """
    url = settings.database_url
    kind = _backup_kind(file)
    here = "SQLite" if is_sqlite(url) else "PostgreSQL"
    if kind != here:
        raise BackupError(
            f"{file} is a {kind} backup and this database is {here}: a backup restores into "
            "the back end it came from"
        )
    if kind == "SQLite":
        await asyncio.to_thread(_check_sqlite_backup, file)
    before = await contents(settings)
    if not before.empty and not replace:
        raise BackupError(
            f"the database is not empty: restoring {file} would replace {before.describe()}. "
            "Pass --replace to replace them"
        )
    if is_sqlite(url):
        await asyncio.to_thread(_sqlite_restore, file, _sqlite_path(url))
    else:
        await _pg_restore(make_url(url), file)
    return before


def _backup_kind(file: Path) -> str:
    try:
        with file.open("rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read {file}: {error.strerror}") from error
    if head.startswith(SQLITE_MAGIC):
        return "SQLite"
    if head.startswith(PG_DUMP_MAGIC):
        return "PostgreSQL"
    raise BackupError(f"{file} is neither a SQLite database nor a pg_dump archive")


def _check_sqlite_backup(file: Path) -> None:
    backup_copy = _read_only(file)
    try:
        found = backup_copy.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
    finally:
        backup_copy.close()
    if not found or not found[0]:
        raise BackupError(f"{file} is a SQLite database but not a silkgraph backup")


def _sqlite_restore(file: Path, target_path: Path) -> None:
    backup_copy = _read_only(file)
    try:
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(target_path, isolation_level=None)
        try:
            _refuse_if_locked(target)
            backup_copy.backup(target)
        finally:
            target.close()
    finally:
        backup_copy.close()


def _refuse_if_locked(target: sqlite3.Connection) -> None:
    """The backup API would wait for a writer for as long as it writes: refuse instead."""
    target.execute("PRAGMA busy_timeout = 0")
    try:
        target.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            raise ImportLocked("restore", None) from None
        raise
    target.execute("ROLLBACK")


async def _pg_restore(url: URL, file: Path) -> None:
    # One transaction: take the import lock (refusing if held), empty the schema, replay.
    prelude = (
        f"DO $$ BEGIN IF NOT pg_try_advisory_xact_lock({LOCK_KEY}) "
        f"THEN RAISE EXCEPTION '{_LOCKED}'; END IF; END $$; "
        "DROP SCHEMA IF EXISTS public CASCADE; "
        "CREATE SCHEMA public AUTHORIZATION pg_database_owner; "
        "GRANT USAGE ON SCHEMA public TO PUBLIC;"
    )
    pg_restore, psql = _pg_tool("pg_restore"), _pg_tool("psql")
    with tempfile.TemporaryDirectory(prefix="silkgraph-restore-") as folder:
        # The whole script first: replayed as pg_restore writes it, an archive that breaks
        # halfway would commit half a database.
        script = Path(folder, "restore.sql")
        await _run(
            [pg_restore, "--no-owner", "--no-privileges", f"--file={script}", str(file)], url
        )
        await _run(
            [psql, "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1"]
            + [f"--command={prelude}", f"--file={script}", *_pg_args(url)],
            url,
        )


# -- PostgreSQL's tools ---------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """`name` on PATH, else from Debian's newest versioned folder (a newer pg_dump reads
    older servers, not the other way round)."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True):
        if Path(folder, name).exists():
            return str(Path(folder, name))
    raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")


def _version(folder: str) -> int:
    number = Path(folder).parent.name
    return int(number) if number.isdigit() else 0


def _pg_args(url: URL) -> list[str]:
    args = [f"--dbname={url.database}"]
    if url.host:
        args.append(f"--host={url.host}")
    if url.port:
        args.append(f"--port={url.port}")
    if url.username:
        args.append(f"--username={url.username}")
    return args


async def _run(command: list[str], url: URL) -> None:
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    _, errors = await process.communicate()
    if process.returncode:
        message = errors.decode().strip()
        if _LOCKED in message:
            raise ImportLocked("restore", None)
        raise BackupError(f"{Path(command[0]).name} failed: {message}")
