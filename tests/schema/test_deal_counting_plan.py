"""Counting a deal once stays cheap inside a filtered page: its subquery starts from the few
records that have a deal key and finds their partners by deal key, never by the filter's
own index.

SQLite keeps no statistics here, so it picks indexes by the shape of the conditions alone.
With the filter's conditions written on the joined partner, it read every transfer of the
recipient (123,730 at a million transfers, 0.6 s a page) for the partners of the few
records with a deal key; the partner's conditions are now asked of it by its id.
"""

from typing import Any

import pytest
from sqlalchemy import event

from api.settings import Settings
from tests.graphql import client_for, data_of

PAGE = """{ armsTransfers(first: 50, filter: { recipient: "KGZ" }) {
  edges { node { key supplier { code } } } } }"""

pytestmark = pytest.mark.usefixtures("backend")


async def test_a_filtered_page_reads_deal_partners_by_deal_key(settings: Settings) -> None:
    # The resolvers send the rule through the engine (compiled reads go past it, with the
    # same filter's SQL), where its statement and values can be caught and explained.
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    async with client_for(settings, compiled_reads=False) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        event.listen(engine.sync_engine, "before_cursor_execute", record)
        try:
            data = await data_of(client, PAGE)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", record)
        assert data["armsTransfers"]["edges"]
        [(statement, parameters)] = [s for s in sent if "same_deal" in s[0]]

        sqlite = engine.dialect.name == "sqlite"
        async with engine.connect() as connection:
            if not sqlite:
                await connection.exec_driver_sql("ANALYZE arms_transfer")
            explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = await connection.exec_driver_sql(explain + statement, tuple(parameters))
            plan = [" ".join(str(part) for part in row) for row in rows]

    # How partners are found; the filter is then asked of each by its id (on PostgreSQL a
    # line of its own: `id = same_deal.id AND recipient_id = …`), which is not a search.
    partners = [line for line in plan if "same_deal" in line and "= same_deal.id" not in line]
    assert partners, plan
    assert not [line for line in partners if "recipient" in line], plan
    if sqlite:  # PostgreSQL plans by its statistics: a table of 22 rows is read whole
        assert [line for line in partners if "ix_arms_transfer_deal_key" in line], plan
