"""Bulk writes for imports and generated data: COPY on PostgreSQL, batched inserts on SQLite.

Row-at-a-time ORM inserts manage a few thousand rows a second; a SIPRI edition has ~28k deals
and the synthetic data set a million transfers. These helpers write plain tuples inside the
caller's transaction, so an import stays all-or-nothing.
"""

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlalchemy import JSON, Table, text
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 20_000


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterable[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def _driver(session: AsyncSession) -> Any:
    """The session's own asyncpg or sqlite3 connection, in its transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    return driver


async def insert_rows(
    session: AsyncSession,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    chunk: int = CHUNK,
) -> int:
    """Insert `rows` (tuples in `columns` order), streamed in chunks; returns how many."""
    json_columns = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    written = 0
    driver = await _driver(session)
    if is_postgres(session):
        for batch in _chunks(rows, chunk):
            records = [_dump_json(row, json_columns) for row in batch]
            await driver.copy_records_to_table(table.name, records=records, columns=list(columns))
            written += len(records)
        return written
    # SQLite: the driver's own executemany, skipping SQLAlchemy's per-row parameter handling,
    # which costs more than SQLite's insert itself.
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _ in columns)
    statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
    for batch in _chunks(rows, chunk):
        await driver.executemany(statement, [_dump_json(row, json_columns) for row in batch])
        written += len(batch)
    return written


async def update_rows(
    session: AsyncSession,
    table: Table,
    key: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    chunk: int = CHUNK,
) -> int:
    """Set `columns` of the rows whose `key` column holds each tuple's first value (tuples
    `(key value, *columns)`); returns how many tuples. SQLAlchemy's executemany spends more
    on each row's parameters than the database spends on the row: on SQLite the driver's
    executemany runs instead, on PostgreSQL the values are copied into a temporary table
    and set in one UPDATE … FROM."""
    json_columns = [i + 1 for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    driver = await _driver(session)
    written = 0
    if is_postgres(session):
        scratch = f"_update_{table.name}"
        names = ", ".join(f'"{name}"' for name in (key, *columns))
        assignments = ", ".join(f'"{name}" = s."{name}"' for name in columns)
        for batch in _chunks(rows, chunk):
            await driver.execute(
                f'CREATE TEMPORARY TABLE "{scratch}" AS SELECT {names} FROM "{table.name}" '
                "WITH NO DATA"
            )
            records = [_dump_json(row, json_columns) for row in batch]
            await driver.copy_records_to_table(scratch, records=records, columns=[key, *columns])
            await driver.execute(
                f'UPDATE "{table.name}" AS t SET {assignments} FROM "{scratch}" AS s '
                f'WHERE t."{key}" = s."{key}"'
            )
            await driver.execute(f'DROP TABLE "{scratch}"')
            written += len(records)
        return written
    assignments = ", ".join(f'"{name}" = ?' for name in columns)
    statement = f'UPDATE "{table.name}" SET {assignments} WHERE "{key}" = ?'
    for batch in _chunks(rows, chunk):
        records = [_dump_json(row, json_columns) for row in batch]
        await driver.executemany(statement, [(*row[1:], row[0]) for row in records])
        written += len(records)
    return written


@contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while an import builds its tens of thousands of rows: each full
    pass walks all of them again, a quarter of a SIPRI release's import time
    (bench/sipri_releases.py, profiled). The rows hold no cycles that need the collector
    sooner; it runs again, as before, once the import is over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _dump_json(row: Sequence[Any], json_columns: list[int]) -> tuple[Any, ...]:
    # Both drivers take JSON as text when SQLAlchemy's type processing is bypassed.
    if not json_columns:
        return tuple(row)
    values = list(row)
    for i in json_columns:
        values[i] = json.dumps(values[i])
    return tuple(values)


async def reserve_ids(session: AsyncSession, table: Table, count: int) -> int:
    """The first of `count` consecutive primary keys no other writer will use; rows written
    with them (by COPY, which returns no ids) can be referred to before they exist.

    On PostgreSQL the table is locked against other writers until the transaction ends and
    its id sequence is advanced past the range. On SQLite the caller's transaction already
    holds the database's write lock once it has written anything.
    """
    if is_postgres(session):
        await session.execute(text(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE"))
        sequence = f"pg_get_serial_sequence('{table.name}', 'id')"
        start = int(
            (
                await session.execute(
                    text(
                        f"SELECT greatest(nextval({sequence}), "
                        f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}))"
                    )
                )
            ).scalar_one()
        )
        if count:
            await session.execute(text(f"SELECT setval({sequence}, {start + count - 1})"))
        return start
    found = (await session.execute(text(f"SELECT coalesce(max(id), 0) FROM {table.name}"))).scalar()
    return int(found or 0) + 1
