"""The SIPRI migrations, and those after them, go down and up again over imported data, on
both back ends."""

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection

from api import migrate
from api.db import engine_scope
from api.settings import PROJECT_ROOT
from tests.api.test_cli import run
from tests.conftest import settings_for

SMALL = str(PROJECT_ROOT / "tests" / "data" / "sipri" / "small.csv")


def _downgrade_to_the_first_sipri_revision(connection: Connection) -> None:
    config = migrate.alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "0003")


async def test_the_sipri_revisions_downgrade_and_upgrade(database_url: str) -> None:
    code, output = await run("import", "sipri", SMALL, database_url=database_url)
    assert code == 0, output

    async with engine_scope(settings_for(database_url)) as engine:
        async with engine.begin() as connection:
            await connection.run_sync(_downgrade_to_the_first_sipri_revision)
        assert not await migrate.is_current(engine)
        await migrate.upgrade(engine)
        assert await migrate.is_current(engine)
        async with engine.connect() as connection:
            transfers = await connection.scalar(text("SELECT count(*) FROM arms_transfer"))
    assert transfers == 22 + 12  # the paper's and the small edition's, kept through both
