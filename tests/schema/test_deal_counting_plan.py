"""Counting a deal once stays cheap inside a filtered page: its subquery starts from the few
records that have a deal key, never from the filter's own index.

SQLite keeps no statistics here, so it picks indexes by the shape of the conditions alone.
With the filter's conditions written on the joined partner, it began at the partner's
`recipient_id` index and read every transfer of the recipient (123,730 at a million
transfers, 0.6 s per page) to find the few with a deal key.
"""

from typing import Any

import httpx
import pytest
from sqlalchemy import event

from tests.graphql import data_of

PAGE = """{ armsTransfers(first: 50, filter: { recipient: "KGZ" }) {
  edges { node { key supplier { code } } } } }"""

pytestmark = pytest.mark.usefixtures("backend")


async def test_a_filtered_page_reads_deal_partners_by_deal_key(
    client: httpx.AsyncClient,
) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

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

    partners = [line for line in plan if "same_deal" in line]
    assert partners, plan
    assert not [line for line in partners if "recipient" in line], plan
    if sqlite:  # PostgreSQL plans by its statistics: a table of 22 rows is read whole
        assert [line for line in partners if "ix_arms_transfer_deal_key" in line], plan
