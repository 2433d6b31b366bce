"""One writer at a time: an import or fixture load started while another writes is refused,
says so, exits non-zero and writes nothing; on SQLite and PostgreSQL, through the CLI."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from api.db import create_session_factory, engine_scope
from api.import_lock import EXIT_LOCKED, hold_import_lock
from tests.api.test_cli import run
from tests.api.test_sipri_import import SMALL
from tests.api.test_writes_while_serving import COW_TABLE
from tests.conftest import FIXTURES, settings_for
from tests.graphql import data_of

# Every source's record: a SIPRI deal the paper also describes still adds a record.
SIPRI_DEALS = """{ armsTransfers(
  filter: { supplier: "TUR", recipient: "KGZ", records: EVERY_RECORD }) { totalCount } }"""


@asynccontextmanager
async def writer_holding_the_lock(database_url: str, what: str) -> AsyncIterator[None]:
    """What an import in progress looks like to another: the lock held by an open transaction."""
    async with engine_scope(settings_for(database_url)) as engine:
        async with create_session_factory(engine)() as session, session.begin():
            await hold_import_lock(session, what)
            yield


async def test_an_import_is_refused_while_another_writes(
    backend: str, database_url: str, client: httpx.AsyncClient
) -> None:
    # given
    before = await data_of(client, SIPRI_DEALS)

    # when
    async with writer_holding_the_lock(database_url, "SIPRI import of first.csv"):
        sipri_code, sipri_output = await run("import", "sipri", SMALL, database_url=database_url)
        load_code, load_output = await run("load", str(FIXTURES), database_url=database_url)
        cow_code, cow_output = await run("import", "cow", str(COW_TABLE), database_url=database_url)

    # then
    assert sipri_code == EXIT_LOCKED, sipri_output
    assert "Refused: another import or fixture load is writing to this database" in sipri_output
    assert "Nothing was written by this SIPRI import of small.csv" in sipri_output
    assert load_code == EXIT_LOCKED, load_output
    assert "Nothing was written by this fixture load" in load_output
    assert cow_code == EXIT_LOCKED, cow_output
    assert "Nothing was written by this COW import of igo_year_formatv3.csv.gz" in cow_output
    if backend == "postgres":
        # PostgreSQL can tell who holds the lock: the holder names itself.
        assert "silkgraph: SIPRI import of first.csv, since " in sipri_output
    assert await data_of(client, SIPRI_DEALS) == before


async def test_the_lock_is_free_again_once_the_writer_has_finished(
    database_url: str, client: httpx.AsyncClient
) -> None:
    # given
    before = (await data_of(client, SIPRI_DEALS))["armsTransfers"]["totalCount"]
    async with writer_holding_the_lock(database_url, "fixture load"):
        pass

    # when
    code, output = await run("import", "sipri", SMALL, database_url=database_url)

    # then
    assert code == 0, output
    after = (await data_of(client, SIPRI_DEALS))["armsTransfers"]["totalCount"]
    assert after == before + 3  # Bayraktar TB2, Aksungur, Akinci
