"""Batch loads behind the analysis fields of states: one grouped statement per batch."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from api import models
from api.db import SessionFactory
from schema.filters.base import Criteria, held_in


@dataclass(frozen=True)
class SupplierCount:
    """One supplier's deals with one recipient, counted in SQL."""

    supplier_id: int | None
    supplier_code: str | None
    other_supplier: bool  # an organisation or a non-state actor, not a state
    deals: int
    units: int | None  # items ordered, summed over the deals that report them
    deals_with_units: int


@dataclass(frozen=True)
class SuppliersKey:
    recipient_id: int
    criteria: Criteria


def supplier_counts_statement(criteria: Criteria, recipient_ids: list[int] | None) -> Any:
    """Deals per recipient and supplier: count, summed units, deals with a reported number."""
    transfer = models.ArmsTransfer
    supplier, recipient = aliased(models.State), aliased(models.State)
    other = case(
        (
            or_(
                col(transfer.supplier_organisation_id).is_not(None),
                col(transfer.supplier_non_state_actor_id).is_not(None),
            ),
            1,
        ),
        else_=0,
    )
    statement = (
        select(
            col(transfer.recipient_id),
            col(recipient.code),
            col(transfer.supplier_id),
            col(supplier.code),
            other,
            func.count(),
            func.sum(transfer.number_ordered),
            func.count(col(transfer.number_ordered)),
        )
        .join(recipient, col(recipient.id) == col(transfer.recipient_id))
        .outerjoin(supplier, col(supplier.id) == col(transfer.supplier_id))
        .where(*criteria.conditions())
        .group_by(
            col(transfer.recipient_id),
            col(recipient.code),
            col(transfer.supplier_id),
            col(supplier.code),
            other,
        )
        .order_by(col(recipient.code))
    )
    if recipient_ids is not None:
        statement = statement.where(col(transfer.recipient_id).in_(recipient_ids))
    return statement


def supplier_counts(rows: Any) -> dict[int, list[SupplierCount]]:
    """Counts by recipient id, recipients in the order of their codes."""
    found: dict[int, list[SupplierCount]] = defaultdict(list)
    for recipient_id, _code, supplier_id, code, other, deals, units, with_units in rows:
        found[recipient_id].append(
            SupplierCount(
                supplier_id,
                code,
                bool(other),
                deals,
                int(units) if units is not None else None,
                with_units,
            )
        )
    return found


async def load_supplier_counts(
    sessions: SessionFactory, keys: list[SuppliersKey]
) -> list[list[SupplierCount]]:
    """Every recipient's suppliers, one statement per distinct filter."""
    groups: dict[Criteria, set[int]] = defaultdict(set)
    for key in keys:
        groups[key.criteria].add(key.recipient_id)
    found: dict[SuppliersKey, list[SupplierCount]] = {}
    async with sessions() as session:
        for criteria, ids in groups.items():
            statement = supplier_counts_statement(criteria, sorted(ids))
            counts = supplier_counts((await session.execute(statement)).all())
            for recipient_id in ids:
                found[SuppliersKey(recipient_id, criteria)] = counts.get(recipient_id, [])
    return [found[key] for key in keys]


@dataclass(frozen=True)
class SharedKey:
    state_id: int
    other_code: str
    as_of: int | None


@dataclass(frozen=True)
class SharedSeats:
    """Both states' seats in one organisation."""

    organisation_id: int
    acronym: str
    mine: list[models.Membership]
    theirs: list[models.Membership]


async def load_shared_seats(
    sessions: SessionFactory, keys: list[SharedKey]
) -> list[list[SharedSeats]]:
    """Organisations two states both sit in; one statement per (other state, year)."""
    groups: dict[tuple[str, int | None], set[int]] = defaultdict(set)
    for key in keys:
        groups[(key.other_code, key.as_of)].add(key.state_id)
    found: dict[SharedKey, list[SharedSeats]] = {}
    async with sessions() as session:
        for (code, as_of), ids in groups.items():
            mine, theirs = aliased(models.Membership), aliased(models.Membership)
            other = aliased(models.State)
            organisation = aliased(models.Organisation)
            statement = (
                select(mine, theirs, col(organisation.acronym))
                .join(theirs, col(theirs.organisation_id) == col(mine.organisation_id))
                .join(other, col(other.id) == col(theirs.member_state_id))
                .join(organisation, col(organisation.id) == col(mine.organisation_id))
                .where(col(mine.member_state_id).in_(sorted(ids)), col(other.code) == code)
                .order_by(col(mine.id), col(theirs.id))
            )
            if as_of is not None:
                for seat in (mine, theirs):
                    start = func.coalesce(seat.since_year, seat.attested_year)
                    statement = statement.where(held_in(as_of, start, col(seat.until_year)))
            seats: dict[tuple[int, int], tuple[str, dict[int, Any], dict[int, Any]]] = {}
            for my_seat, their_seat, acronym in (await session.execute(statement)).all():
                assert my_seat.member_state_id is not None
                entry = seats.setdefault(
                    (my_seat.member_state_id, my_seat.organisation_id), (acronym, {}, {})
                )
                entry[1][my_seat.id or 0] = my_seat
                entry[2][their_seat.id or 0] = their_seat
            by_state: dict[int, list[SharedSeats]] = defaultdict(list)
            for (state_id, organisation_id), (acronym, my, their) in seats.items():
                by_state[state_id].append(
                    SharedSeats(organisation_id, acronym, list(my.values()), list(their.values()))
                )
            for state_id in ids:
                shared = sorted(by_state.get(state_id, []), key=lambda s: s.acronym.lower())
                found[SharedKey(state_id, code, as_of)] = shared
    return [found[key] for key in keys]
