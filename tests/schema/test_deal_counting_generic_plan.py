"""Query b of the benchmark counts each deal once from the few records that have a deal key,
also in the one plan PostgreSQL keeps for every value of a prepared statement.

The single reader (api/single_read.py) prepares each compiled statement once per connection,
and after five runs PostgreSQL may keep a generic plan, blind to the values. In it PostgreSQL
guessed that a third of the table has a deal key (`deal_key >= $n`) and that the busiest
recipient has as many transfers as the average one, so it started the rule from the
recipient's transfers and looked each up by deal key: 2,442 of them for b on the benchmark's
small data set, 4 of the statement's 4.5 ms. Here the statement b sends is planned the generic
way and its plan read: the partner is asked of the filter by its id (the OFFSET 0 fence), and
the plan knows how many records have a key (`''` written out). On both back ends b's answer
leaves out the record a partner stands for.
"""

from collections.abc import Iterator
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

# Enough transfers that one recipient (the generator's are skewed) has hundreds.
SCALE = Scale(organisations=20, non_state_actors=5, memberships=200, agreements=100, transfers=3000)
SEED = 7
NEWEST = """SELECT id, key FROM arms_transfer WHERE recipient_id = :recipient
  ORDER BY coalesce(order_year, 0) DESC, id"""
DEAL_ALIASES = {"deal_record", "same_deal", "deal_partner"}
# More records with a deal key than the average recipient has transfers, all of other
# recipients': with that many, a plan free to start from either side starts from the
# recipient's transfers, reading all of the busiest one's, even once it knows how many have a
# key (`deal_key >= ''` written out); only the fence keeps it at the records with a key.
DEALS_ELSEWHERE = """UPDATE arms_transfer SET deal_key = 'test-elsewhere-' || (chosen.place / 2)
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS place FROM arms_transfer
        WHERE recipient_id <> :recipient AND id <> :elsewhere ORDER BY id LIMIT 400) AS chosen
  WHERE arms_transfer.id = chosen.id"""

pytestmark = pytest.mark.usefixtures("backend")


async def _busiest_recipient_with_deals(url: str) -> tuple[str, list[str], int]:
    """Synthetic transfers, the busiest recipient's newest two made one deal and its third
    the same deal as another recipient's record that ranks before it, and many deals
    elsewhere; the recipient's code, the keys its page of 50 lists when each deal counts
    once, and how many records have a deal key."""
    async with engine_scope(settings_for(url)) as engine:
        await generate(create_session_factory(engine), SCALE, SEED)
        async with engine.begin() as connection:
            recipient_id, code = (
                await connection.execute(
                    text(
                        """SELECT s.id, s.code FROM arms_transfer t JOIN state s
                             ON s.id = t.recipient_id
                           GROUP BY s.id, s.code ORDER BY count(*) DESC, s.code LIMIT 1"""
                    )
                )
            ).one()
            newest = (await connection.execute(text(NEWEST), {"recipient": recipient_id})).all()
            (first, first_key), (second, second_key), (third, third_key) = newest[:3]
            elsewhere, elsewhere_key = (
                await connection.execute(
                    text(
                        """SELECT id, key FROM arms_transfer WHERE recipient_id <> :recipient
                           ORDER BY key LIMIT 1"""
                    ),
                    {"recipient": recipient_id},
                )
            ).one()
            assert elsewhere_key < third_key  # it would stand for the deal, were it to match
            link = text("UPDATE arms_transfer SET deal_key = :deal WHERE id IN (:a, :b)")
            await connection.execute(link, {"deal": "test-page", "a": first, "b": second})
            await connection.execute(link, {"deal": "test-away", "a": third, "b": elsewhere})
            await connection.execute(
                text(DEALS_ELSEWHERE), {"recipient": recipient_id, "elsewhere": elsewhere}
            )
            with_key = await connection.scalar(
                text("SELECT count(*) FROM arms_transfer WHERE deal_key IS NOT NULL")
            )
    outranked = max(first_key, second_key)
    return str(code), [key for _, key in newest if key != outranked][:50], int(with_key)


def _scans(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _scans(child)


def _how_read(scan: dict[str, Any]) -> tuple[set[str], str]:
    """The indexes a scan reads (its own, or its bitmap's) and the conditions it reads by."""
    parts = [scan, *(c for c in scan.get("Plans", []) if c["Node Type"] == "Bitmap Index Scan")]
    indexes = {p["Index Name"] for p in parts if "Index Name" in p}
    return indexes, " ".join(p.get("Index Cond", "") for p in parts)


async def test_query_b_reaches_deal_partners_from_the_records_with_a_deal_key(
    settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    recipient, keys, with_key = await _busiest_recipient_with_deals(database_url)

    # when
    async with client_for(settings) as client:
        sent = sent_statements(client, monkeypatch)
        data = await data_of(client, B, {"recipient": recipient})

        # then
        assert [n["key"] for n in nodes(data["armsTransfers"])] == keys
        [(statement, values)] = sent  # the compiled path's one statement
        engine = client.app.state.engine  # type: ignore[attr-defined]
        if engine.dialect.name == "sqlite":
            return  # SQLite's plan: tests/schema/test_deal_counting_plan.py
        async with engine.connect() as connection:
            await connection.exec_driver_sql("ANALYZE")
            plan = await prepared_plan(connection, statement, values, "force_generic_plan")

    scans = {scan["Alias"]: scan for scan in _scans(plan) if scan.get("Alias") in DEAL_ALIASES}
    reads = {alias: _how_read(scan) for alias, scan in scans.items()}
    assert reads.keys() == DEAL_ALIASES, plan
    # The records of a deal are read by deal key (or whole), never through the filter's index;
    # the partner is asked whether it matches by its id, never found by the filter.
    for alias in ("deal_record", "same_deal"):
        indexes, conditions = reads[alias]
        assert indexes <= {"ix_arms_transfer_deal_key"}, reads
        assert "recipient" not in conditions, reads
    assert "same_deal.id" in reads["deal_partner"][1], reads
    # It knows how many records have a deal key (of `deal_key >= $n` it guessed a third).
    assert scans["deal_record"]["Plan Rows"] <= 1.5 * with_key, scans["deal_record"]
