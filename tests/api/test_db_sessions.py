"""The application's database sessions: PostgreSQL's carry the planner settings its reads
are tuned for; SQLite's are a fixed few, which requests take turns on."""

import asyncio

import httpx
import pytest
from sqlalchemy import text

from api.db import PG_SESSION_SETTINGS
from api.settings import Settings
from tests.graphql import client_for

POSTGRES = pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)]
)


@POSTGRES
async def test_every_session_has_jit_off_and_ssd_page_costs(client: httpx.AsyncClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    async with engine.connect() as connection:
        jit = (await connection.execute(text("SHOW jit"))).scalar_one()
        page_cost = (await connection.execute(text("SHOW random_page_cost"))).scalar_one()
        timeout = (await connection.execute(text("SHOW statement_timeout"))).scalar_one()

    assert (jit, page_cost) == (PG_SESSION_SETTINGS["jit"], PG_SESSION_SETTINGS["random_page_cost"])
    assert timeout == "1min"  # the request's deadline (tests run with 60 s) is kept beside them


@POSTGRES
async def test_compiled_reads_connections_have_them_too(client: httpx.AsyncClient) -> None:
    # Compiled reads go past the engine, on connections of their own (api/single_read.py).
    single_read = client.app.state.single_read  # type: ignore[attr-defined]

    jit = await single_read.scalar(text("SHOW jit"), {})
    page_cost = await single_read.scalar(text("SHOW random_page_cost"), {})

    assert (jit, page_cost) == (PG_SESSION_SETTINGS["jit"], PG_SESSION_SETTINGS["random_page_cost"])


@POSTGRES
async def test_a_state_by_id_is_an_index_look_up(client: httpx.AsyncClient) -> None:
    # As the compiled path looks up a transfer's supplier: with the default random_page_cost
    # PostgreSQL scans all 250 states instead, once per transfer of the page.
    engine = client.app.state.engine  # type: ignore[attr-defined]
    async with engine.connect() as connection:
        await connection.execute(text("ANALYZE state"))
        plan = (
            await connection.execute(text("EXPLAIN SELECT code, name FROM state WHERE id = 7"))
        ).scalars()
        lines = list(plan)

    assert "Index Scan using state_pkey" in lines[0], lines


SQLITE = pytest.mark.parametrize("backend", ["sqlite"])
PAGE = "{ armsTransfers(first: 5) { edges { node { key supplier { code } } } } }"


@SQLITE
async def test_sqlite_requests_share_a_fixed_few_connections(settings: Settings) -> None:
    async with client_for(settings, sqlite_pool_size=2) as client:
        pool = client.app.state.engine.pool  # type: ignore[attr-defined]
        answers = await asyncio.gather(
            *(client.post("/graphql", json={"query": PAGE}) for _ in range(8))
        )
        opened = pool.checkedin() + pool.checkedout()

    assert [a.status_code for a in answers] == [200] * 8
    assert len({a.content for a in answers}) == 1  # all answered, none refused
    assert opened <= 2
