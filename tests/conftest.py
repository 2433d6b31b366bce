"""Test databases: every test gets its own, on SQLite and on a PostgreSQL the session starts.

Building a database means migrating it and loading the fixtures, which takes seconds; so each
back end builds it once per session as a template, and each test gets a copy (a file copy on
SQLite, CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY on Postgres: a fifth of the default's
cost for databases this small). Under pytest-xdist (`make test` runs `-n auto`) each worker is
a session of its own: its own PostgreSQL cluster, templates and copies.
"""

import gc
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.app import create_app
from api.db import create_session_factory, engine_scope
from api.fixtures import load_fixtures
from api.settings import PROJECT_ROOT, Settings
from api.single_read import StatementReader
from api.sipri.importer import import_register
from tests.graphql import client_for, data_of
from tests.pg_server import PostgresServer, PostgresUnavailable, postgres_server

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FIXTURES = PROJECT_ROOT / "fixtures"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

# Property-based tests draw the same examples on every run and keep none between runs, so a
# red CI points at a change, never at a lucky draw; `python -m bench.fuzz` draws at random.
hypothesis_settings.register_profile("suite", derandomize=True, database=None, deadline=None)
hypothesis_settings.load_profile("suite")

# The garbage collector's full passes walk every live object, and a test worker holds hundreds
# of thousands (the modules, the type system, the apps under test): they were a quarter of the
# CPU of tests/schema/test_compiled.py (docs/BENCHMARKS.md, "The test suite"). Young objects
# are collected after 20,000 allocations rather than 700, so fewer of each request's
# short-lived objects survive into the older generations, and those are collected less often.
gc.set_threshold(20_000, 20, 20)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported lives as long as the worker: moved out of the collector's
    sight, so no full pass walks it again (objects freed by reference counting still go)."""
    gc.collect()
    gc.freeze()


def settings_for(url: str) -> Settings:
    # A busy CI machine is not an outage: a first connection to a just-copied database, or an
    # answer, may take longer there than the production defaults (2 s to connect, 10 s per
    # operation) allow. Speed is measured in bench/, not here; tests of the deadlines and of
    # failing fast set their own. The rate limit is a wall-clock budget too: a test that pages
    # through a list would be refused or not depending on how fast the machine answers, so it
    # is off unless a test of the limit turns it on.
    return Settings(
        database_url=url,
        load_fixtures_when_empty=False,
        db_connect_timeout=30,
        request_timeout=60,
        rate_limit_enabled=False,
    )


async def build(url: str, *, with_fixtures: bool) -> None:
    async with engine_scope(settings_for(url)) as engine:
        await migrate.upgrade(engine)
        if with_fixtures:
            await load_fixtures(create_session_factory(engine), [FIXTURES])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    try:
        with postgres_server() as server:
            yield server
    except PostgresUnavailable as error:
        if IN_CI:
            pytest.fail(f"CI must test on PostgreSQL, but it is not installed: {error}")
        yield None


async def _pg_admin(server: PostgresServer) -> asyncpg.Connection:
    return await asyncpg.connect(
        host="127.0.0.1", port=server.port, user=server.user, database="postgres"
    )


@dataclass
class Templates:
    """Where each back end's ready-made databases live."""

    sqlite_dir: Path
    pg: PostgresServer | None

    def sqlite_path(self, name: str) -> Path:
        return self.sqlite_dir / f"{name}.db"


@pytest.fixture(scope="session")
async def templates(
    tmp_path_factory: pytest.TempPathFactory, pg_server: PostgresServer | None
) -> Templates:
    templates = Templates(tmp_path_factory.mktemp("templates"), pg_server)
    for name, with_fixtures in (("loaded", True), ("empty", False)):
        await build(
            f"sqlite+aiosqlite:///{templates.sqlite_path(name)}", with_fixtures=with_fixtures
        )
        if pg_server is not None:
            admin = await _pg_admin(pg_server)
            await admin.execute(f'CREATE DATABASE "template_{name}"')
            await admin.close()
            await build(pg_server.url(f"template_{name}"), with_fixtures=with_fixtures)
    return templates


async def _import_sipri(url: str, edition: Path) -> None:
    async with engine_scope(settings_for(url)) as engine:
        await import_register(create_session_factory(engine), edition)


async def template_with_sipri(templates: Templates, name: str, edition: Path) -> Templates:
    """A further template `name`: the fixtures plus a SIPRI `edition`, on each back end."""
    path = templates.sqlite_path(name)
    shutil.copyfile(templates.sqlite_path("loaded"), path)
    await _import_sipri(f"sqlite+aiosqlite:///{path}", edition)
    if templates.pg is not None:
        admin = await _pg_admin(templates.pg)
        await admin.execute(f'CREATE DATABASE "template_{name}" TEMPLATE "template_loaded"')
        await admin.close()
        await _import_sipri(templates.pg.url(f"template_{name}"), edition)
    return templates


async def _database(
    backend: str, template: str, templates: Templates, tmp_path: Path
) -> AsyncIterator[str]:
    if backend == "sqlite":
        path = tmp_path / "silkgraph.db"
        shutil.copyfile(templates.sqlite_path(template), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    if templates.pg is None:
        pytest.skip("PostgreSQL is not installed here (it is in CI)")
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = await _pg_admin(templates.pg)
    try:
        await admin.execute(
            f'CREATE DATABASE "{name}" TEMPLATE "template_{template}" STRATEGY FILE_COPY'
        )
        yield templates.pg.url(name)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    param: str = request.param
    return param


@pytest.fixture
async def database_url(backend: str, templates: Templates, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database with the schema and the fixtures, for this test alone."""
    async for url in _database(backend, "loaded", templates, tmp_path):
        yield url


@pytest.fixture
async def empty_database_url(
    backend: str, templates: Templates, tmp_path: Path
) -> AsyncIterator[str]:
    """A fresh database with the schema but no data, for this test alone."""
    async for url in _database(backend, "empty", templates, tmp_path):
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://silkgraph.test") as c:
        c.app = app  # type: ignore[attr-defined]
        yield c
    await app.state.engine.dispose()


class StatementCounter:
    """Counts the SQL statements an engine sends while a request runs, and those its app's
    single-statement reader sends past the engine (api/single_read.py)."""

    def __init__(self, engine: AsyncEngine, single_read: StatementReader | None = None) -> None:
        self.engine = engine.sync_engine
        self.single_read = single_read
        self.statements: list[str] = []

    @classmethod
    def of(cls, app: Any) -> "StatementCounter":
        """A counter of every statement `app` sends."""
        return cls(app.state.engine, app.state.single_read)

    def _record(self, *args: Any) -> None:
        self.statements.append(args[2])

    def __enter__(self) -> "StatementCounter":
        self.statements.clear()
        event.listen(self.engine, "before_cursor_execute", self._record)
        if self.single_read is not None:
            self.single_read.observers.append(self.statements.append)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)
        if self.single_read is not None:
            self.single_read.observers.remove(self.statements.append)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(client: httpx.AsyncClient) -> StatementCounter:
    return StatementCounter.of(client.app)  # type: ignore[attr-defined]


async def statements_of(
    settings: Settings,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    compiled_reads: bool = True,
) -> list[str]:
    """The statements one successful request sends to an app of its own, with the compiled
    read path on or off: the budgets of both paths, the resolvers being the reference."""
    async with client_for(settings, compiled_reads=compiled_reads) as client:
        with StatementCounter.of(client.app) as counter:  # type: ignore[attr-defined]
            await data_of(client, query, variables)
    return list(counter.statements)


def database_name(url: str) -> str:
    return str(make_url(url).database)
