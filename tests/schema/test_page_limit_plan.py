"""A root connection's statement is priced alike by PostgreSQL whether it plans it for the
request's values or once for all of them, so it keeps the one plan instead of planning anew.

The single reader (api/single_read.py) prepares each compiled statement once per connection;
PostgreSQL keeps a prepared statement's generic plan only if it costs about what its plans for
the values did. Of a `LIMIT $n` it cannot see it guesses a tenth of the rows below it, which at
a million transfers priced query b's generic plan at four times its custom plans (197 rows
against 51), so b was planned for every request, planning costing more than running it. The
page's limit is now a subquery of its bound value, which PostgreSQL guesses alike either way;
here b's statement is planned both ways and its limit must be estimated alike.
"""

from typing import Any

import pytest
from sqlalchemy import text

from api.db import create_session_factory, engine_scope
from api.settings import Settings
from bench.generate import Scale, generate
from bench.queries import B
from tests.conftest import settings_for
from tests.graphql import client_for, data_of, nodes
from tests.prepared_plans import prepared_plan, sent_statements

SCALE = Scale(organisations=20, non_state_actors=5, memberships=200, agreements=100, transfers=3000)
SEED = 11
BUSIEST = """SELECT s.code, count(*) FROM arms_transfer t JOIN state s ON s.id = t.recipient_id
  GROUP BY s.code ORDER BY count(*) DESC, s.code LIMIT 1"""

pytestmark = pytest.mark.usefixtures("backend")


def _limits(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan] if plan["Node Type"] == "Limit" else []
    for child in plan.get("Plans", []):
        found += _limits(child)
    return found


async def test_root_page_limit_is_priced_alike_in_generic_and_custom_plans(
    settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    async with engine_scope(settings_for(database_url)) as engine:
        await generate(create_session_factory(engine), SCALE, SEED)
        async with engine.connect() as connection:
            recipient, transfers = (await connection.execute(text(BUSIEST))).one()
    assert transfers > 51  # a page of 50 and more after it

    # when
    async with client_for(settings) as client:
        sent = sent_statements(client, monkeypatch)
        data = await data_of(client, B, {"recipient": recipient})

        # then
        assert len(nodes(data["armsTransfers"])) == 50
        [(statement, values)] = sent
        engine = client.app.state.engine  # type: ignore[attr-defined]
        if engine.dialect.name == "sqlite":
            return  # no plan cache: the page size stays a bound value there
        assert recipient in values  # the request's values are still bound, not written in
        assert 51 in values  # the page's limit too
        plans = {}
        async with engine.connect() as connection:
            await connection.exec_driver_sql("ANALYZE")
            for mode in ("force_generic_plan", "force_custom_plan"):
                plans[mode] = await prepared_plan(connection, statement, values, mode)

    generic, custom = (_limits(plans[m]) for m in ("force_generic_plan", "force_custom_plan"))
    assert [p["Plan Rows"] for p in generic] == [p["Plan Rows"] for p in custom], plans
    assert generic, plans
    assert plans["force_generic_plan"]["Total Cost"] <= plans["force_custom_plan"]["Total Cost"]
