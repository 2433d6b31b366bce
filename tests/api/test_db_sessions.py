"""The application's PostgreSQL sessions carry the planner settings its reads are tuned for."""

import httpx
import pytest
from sqlalchemy import text

from api.db import PG_SESSION_SETTINGS

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
