"""Alembic migrations build exactly the schema the models describe, on both back ends."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import api.models  # noqa: F401
from api import migrate
from api.db import engine_scope
from api.models.search import is_modelled
from tests.conftest import settings_for


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": is_modelled}
    )
    with warnings.catch_warnings():
        # Alembic cannot reflect expression indexes (lower(acronym)) and says so.
        warnings.filterwarnings("ignore", "autogenerate skipping", UserWarning)
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", Warning)
        diffs: list[object] = compare_metadata(context, SQLModel.metadata)
        return diffs


async def test_migrations_match_the_models(empty_database_url: str) -> None:
    async with engine_scope(settings_for(empty_database_url)) as engine:
        assert await migrate.is_current(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []


async def test_upgrade_is_idempotent(empty_database_url: str) -> None:
    async with engine_scope(settings_for(empty_database_url)) as engine:
        await migrate.upgrade(engine)
        assert await migrate.is_current(engine)
