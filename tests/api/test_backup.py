"""`silkgraph db backup` and `db restore` as users run them: a database holding the paper and
a SIPRI edition round-trips with every table equal, and restore refuses to replace data it
was not told to; on SQLite and PostgreSQL."""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import inspect, select, table, text

from api.db import create_session_factory, engine_scope, is_sqlite
from api.import_lock import EXIT_LOCKED
from api.settings import PROJECT_ROOT
from api.sipri.importer import import_register
from tests.api.test_cli import run
from tests.api.test_import_lock import writer_holding_the_lock
from tests.api.test_sipri_import import SMALL
from tests.conftest import Templates, settings_for
from tests.graphql import client_for, data_of

SIPRI_EDITION = PROJECT_ROOT / "fixtures" / "sipri" / "trade-register-2024-10.csv"
ANSWER = """{
  armsTransfers { totalCount }
  armsTransferStats(groupBy: [SUPPLIER]) { buckets { supplier { code } count } }
  documents { key title }
  search(text: "bayraktar") { totalCount }
}"""


@pytest.fixture
async def bare_database_url(
    backend: str, templates: Templates, tmp_path: Path
) -> AsyncIterator[str]:
    """A second database for this test, with nothing in it: not even tables."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'restored' / 'silkgraph.db'}"
        return
    if templates.pg is None:
        pytest.skip("PostgreSQL is not installed here (it is in CI)")
    name = f"bare_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(
        host="127.0.0.1", port=templates.pg.port, user=templates.pg.user, database="postgres"
    )
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield templates.pg.url(name)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def every_table(url: str) -> dict[str, Any]:
    """Every row of every table the database has (search and migration tables too), and on
    PostgreSQL where each sequence stands, so the next insert gets the same id."""
    async with engine_scope(settings_for(url)) as engine, engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        found: dict[str, Any] = {}
        for name in names:
            rows = (await connection.execute(select(text("*")).select_from(table(name)))).all()
            found[name] = sorted((tuple(row) for row in rows), key=repr)
        if not is_sqlite(url):
            sequences = "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
            found["(sequences)"] = (await connection.execute(text(sequences))).all()
    return found


async def answer(url: str) -> dict[str, Any]:
    async with client_for(settings_for(url)) as client:
        return await data_of(client, ANSWER)


@pytest.mark.slow
async def test_a_database_with_the_paper_and_a_sipri_edition_round_trips(
    database_url: str, bare_database_url: str, tmp_path: Path
) -> None:
    # given: the paper's data and a whole SIPRI edition
    async with engine_scope(settings_for(database_url)) as engine:
        await import_register(create_session_factory(engine), SIPRI_EDITION)
    backup_file = tmp_path / "silkgraph.backup"

    # when: backed up, and restored into a database with nothing in it
    backed_up = await run("db", "backup", str(backup_file), database_url=database_url)
    restored = await run("db", "restore", str(backup_file), database_url=bare_database_url)

    # then: every table holds the same rows
    assert backed_up[0] == 0, backed_up[1]
    assert f"Backed up to {backup_file}" in backed_up[1]
    assert restored[0] == 0, restored[1]
    assert f"Restored {backup_file}." in restored[1]
    original, copy = await every_table(database_url), await every_table(bare_database_url)
    assert len(original["arms_transfer"]) > 27_000
    assert len(original) >= 30
    assert sorted(copy) == sorted(original)
    unequal = [name for name in original if copy[name] != original[name]]
    assert unequal == []
    # and the API answers the same from it
    assert await answer(bare_database_url) == await answer(database_url)


async def test_restore_replaces_data_only_when_told_and_says_what(
    database_url: str, tmp_path: Path
) -> None:
    # given: a backup of the paper's data, and then a SIPRI import on top
    backup_file = tmp_path / "paper.backup"
    assert (await run("db", "backup", str(backup_file), database_url=database_url))[0] == 0
    paper = await every_table(database_url)
    assert (await run("import", "sipri", SMALL, database_url=database_url))[0] == 0
    imported = await every_table(database_url)

    # when
    refused = await run("db", "restore", str(backup_file), database_url=database_url)
    after_refusal = await every_table(database_url)
    replaced = await run("db", "restore", str(backup_file), "--replace", database_url=database_url)

    # then: refused, saying what it would replace, and nothing changed
    assert refused[0] == 1
    assert "Nothing was restored: the database is not empty" in refused[1]
    deals = len(imported["arms_transfer"])
    assert "would replace agreement (13 rows), agreement_party (27 rows)" in refused[1]
    assert f"arms_transfer ({deals} rows)" in refused[1]
    assert "Pass --replace to replace them" in refused[1]
    assert after_refusal == imported
    # and with --replace, the database holds the backup again, saying what it replaced
    assert replaced[0] == 0, replaced[1]
    assert "replaced agreement (13 rows)" in replaced[1]
    assert f"arms_transfer ({deals} rows)" in replaced[1]
    assert await every_table(database_url) == paper


async def test_backup_and_restore_refuse_what_they_cannot_do_whole(
    database_url: str, tmp_path: Path
) -> None:
    # given
    backup_file = tmp_path / "paper.backup"
    assert (await run("db", "backup", str(backup_file), database_url=database_url))[0] == 0
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello", encoding="utf-8")
    before = await every_table(database_url)

    # when
    again = await run("db", "backup", str(backup_file), database_url=database_url)
    garbage = await run("db", "restore", str(not_a_backup), "--replace", database_url=database_url)
    async with writer_holding_the_lock(database_url, "SIPRI import of big.csv"):
        locked = await run(
            "db", "restore", str(backup_file), "--replace", database_url=database_url
        )

    # then
    assert again[0] == 1
    assert f"Nothing was backed up: {backup_file} exists; pass --overwrite" in again[1]
    assert garbage[0] == 1
    assert "is neither a SQLite database nor a pg_dump archive" in garbage[1]
    assert locked[0] == EXIT_LOCKED, locked[1]
    assert "Refused: another import or fixture load is writing to this database" in locked[1]
    assert "Nothing was written by this restore" in locked[1]
    assert await every_table(database_url) == before
