"""Counting a deal once that two sources describe: which record stands for it.

The paper and SIPRI may describe one deal; `fixtures/sipri/same_deals.csv` joins their records
under one `deal_key`. Both records stay, so that each source's account is whole, which means a
plain count sees the deal twice. So, by default, of the records of one deal that match a
filter only the first counts: a SIPRI record before any other (it carries the numbers and the
trend-indicator values), then the smallest key. A record with no partner, or whose partner does
not match the filter (or is not loaded), counts. The rule is one NOT IN over the few records
that have a `deal_key` (indexed), added where a filter's criteria are built, so connections,
statistics, analyses, exports and the compiled read path all count alike.
"""

from collections.abc import Hashable
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import (
    ColumnElement,
    String,
    Tuple,
    and_,
    column,
    func,
    literal_column,
    select,
    table,
    tuple_,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Exists, Join
from sqlalchemy.sql.util import ClauseAdapter
from sqlmodel import col

from api import models
from api.sipri.identity import KEY_END, KEY_PREFIX
from schema.filters.base import Criteria, Criterion, as_is

Transfer = models.ArmsTransfer
TRANSFERS = Transfer.__table__  # type: ignore[attr-defined]
# The aliases the rule below reads the table through, made once: an alias builds its column
# collection (a proxy per column) on first use, which cost the rule 4 ms of a request's CPU
# when each request made its own. An alias is immutable; each statement that names one
# renders it afresh.
DEAL_RECORD = TRANSFERS.alias("deal_record")
SAME_DEAL = TRANSFERS.alias("same_deal")
DEAL_PARTNER = TRANSFERS.alias("deal_partner")
ON_PARTNER = ClauseAdapter(DEAL_PARTNER)


@strawberry.enum(description="Which records of arms transfers a filter counts.")
class TransferRecords(Enum):
    ONE_PER_DEAL = strawberry.enum_value(
        "ONE_PER_DEAL",
        description="A deal that several sources describe counts once: its SIPRI record "
        "stands for it (the others are its `sameDeal`), or, if that does not match, the "
        "matching record with the smallest key.",
    )
    EVERY_RECORD = strawberry.enum_value(
        "EVERY_RECORD",
        description="Every source's record counts: a deal the paper and SIPRI both describe "
        "counts twice. For curators comparing the accounts.",
    )


def is_sipri(key: Any) -> ColumnElement[bool]:
    """The key is a SIPRI record's."""
    return and_(key >= KEY_PREFIX, key < KEY_END)


def _rank(key: Any) -> Tuple:
    """A record's place among its deal's records, smallest first: SIPRI's, then by key.

    One flat row-value comparison rather than nested ORs: the condition sits deep inside the
    compiled path's statements, and SQLite 3.40's parser has a fixed stack (query c of the
    benchmark overflowed it with the nested form)."""
    return tuple_(func.substr(key, 1, len(KEY_PREFIX)) != KEY_PREFIX, key)


def _ranks_before(other: Any, record: Any) -> ColumnElement[bool]:
    """`other` stands for the deal rather than `record` (both key columns)."""
    return _rank(other) < _rank(record)


# The records another record of their deal stands for, whatever the filter (migration 0009
# holds the same rule as `_ranks_before`).
OUTRANKED = table("arms_transfer_outranked", column("id"))


class _RecordsFirst(Join):
    """The join of the records that have a `deal_key` (outer) to their partners (inner).

    Without statistics (no ANALYZE) SQLite guesses that the partner's filter (a recipient's
    index: thousands of rows) narrows more than `deal_key >= ''` (a handful), and reads every
    record of the recipient for a partner: query b of the benchmark took 13 ms of SQLite for
    1 ms of answer. A CROSS JOIN is SQLite's documented way to keep the left table outer;
    elsewhere it is a plain JOIN (PostgreSQL keeps statistics, and the partner's EXISTS below
    keeps it from starting at the filter)."""

    inherit_cache = True


@compiles(_RecordsFirst, "sqlite")
def _records_first_on_sqlite(join: _RecordsFirst, compiler: Any, **kw: Any) -> str:
    plain: str = compiler.visit_join(join, **kw)
    left: str = compiler.process(join.left, asfrom=True)
    assert plain.startswith(f"{left} JOIN "), plain
    return f"{left} CROSS JOIN {plain[len(left) + len(' JOIN ') :]}"


class _AskedOfEachPartner(Exists):
    """Whether a partner, found by its id, matches the filter: asked of each partner.

    PostgreSQL turns a plain EXISTS into a join it may start from. In the generic plan it
    keeps for a prepared statement, blind to the values (the recipient's id, a sub-select's,
    taken for an average recipient's: 79 transfers), the filter's index looked the cheaper
    start: for query b of the benchmark it read all 2,442 transfers of the recipient and
    looked each up by deal key, 4 of the statement's 4.5 ms. It keeps an EXISTS with an
    OFFSET as it is (its planner calls `OFFSET 0` an optimization fence), so the partners are
    reached from the records that have a deal key, each by its id. SQLite, which never makes
    EXISTS a join, reads it as written."""

    inherit_cache = True


@compiles(_AskedOfEachPartner, "postgresql")
def _asked_of_each_partner_on_postgresql(
    exists_: _AskedOfEachPartner, compiler: Any, **kw: Any
) -> str:
    plain: str = compiler.visit_unary(exists_, **kw)
    assert plain.startswith("EXISTS ("), plain
    assert plain.endswith(")"), plain
    return f"{plain[:-1]} OFFSET 0)"


def _first_of_its_deal(matched: tuple[tuple[Criterion, Hashable], ...]) -> ColumnElement[bool]:
    """Not a record that another record of the same deal, matching `matched`, ranks before.

    The records so outranked are found once, uncorrelated, from the few rows that have a
    `deal_key` (its index): a set the database hashes, so even a count of the whole table
    stays an index scan instead of a look-up per row. Without other conditions the partner
    need match nothing, and the view of migration 0009 holds that set."""
    conditions = Criteria(matched).conditions()
    if not conditions:
        return col(Transfer.id).not_in(select(OUTRANKED.c.id))
    record, partner, checked = DEAL_RECORD, SAME_DEAL, DEAL_PARTNER
    # The filter's own conditions, rewritten to read the partner's columns, asked of the
    # partner by its id: written on the joined partner itself, they offered SQLite (which
    # keeps no statistics) the filter's index to find the partner by, and it read every
    # transfer of the recipient for each record with a deal key (before the CROSS JOIN
    # below, every transfer of the recipient for all of them: 0.6 s a page at a million).
    partner_matches = _AskedOfEachPartner(
        select(checked.c.id).where(
            checked.c.id == partner.c.id, *(ON_PARTNER.traverse(c) for c in conditions)
        )
    )
    records_first = _RecordsFirst(
        record,
        partner,
        and_(partner.c.deal_key == record.c.deal_key, partner.c.id != record.c.id),
    )
    outranked = (
        select(record.c.id)
        .select_from(records_first)
        .where(
            # Every key is at least '': unlike IS NOT NULL, a range SQLite reads off the index.
            # Written out, not bound: PostgreSQL keeps one plan for all values of a prepared
            # statement's parameters, and for `>= $1` guessed a third of the table has a key.
            record.c.deal_key >= literal_column("''", String),
            _ranks_before(partner.c.key, record.c.key),
            partner_matches,
        )
    )
    return col(Transfer.id).not_in(outranked)


ONE_PER_DEAL = Criterion(as_is, _first_of_its_deal)
"""Its value is the filter's other criteria, which a partner must match to take the place."""


def counted_once(matched: Criteria) -> Criteria:
    """`matched`, counting each deal once."""
    return matched & Criteria(((ONE_PER_DEAL, matched.items),))
