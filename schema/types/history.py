"""Membership histories: every change of a member's standing, as a dated event.

Derived from membership rows, which hold one role each over a period: a row's start is a
change (joined, became observer, was suspended …), its end is one too unless another role of
the same member starts then (Uzbekistan's CSTO seat went from member to suspended in 2012: one
event, not two). A role whose start is unreported but which a source attests in some year
gives an ATTESTED event in that year, so no seat goes missing from a timeline.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from api import models
from api.models.enums import MembershipRole
from schema.context import Info
from schema.filters.base import IntRange
from schema.loaders.sources import SOURCES_BY_SUBJECT
from schema.types.actors import Member, load_actor
from schema.types.company import Company
from schema.types.source import Source

if TYPE_CHECKING:
    from schema.types.membership import Membership
    from schema.types.organisation import Organisation

LazyMembership = Annotated["Membership", strawberry.lazy("schema.types.membership")]
LazyOrganisation = Annotated["Organisation", strawberry.lazy("schema.types.organisation")]

FULL = {MembershipRole.MEMBER, MembershipRole.FOUNDING_MEMBER}


@strawberry.enum(description="What changed in a member's standing.")
class MembershipChangeKind(Enum):
    JOINED = "JOINED"
    BECAME_ASSOCIATE = "BECAME_ASSOCIATE"
    BECAME_OBSERVER = "BECAME_OBSERVER"
    BECAME_CANDIDATE = "BECAME_CANDIDATE"
    BECAME_PARTNER = "BECAME_PARTNER"
    BECAME_GUEST = "BECAME_GUEST"
    SUSPENDED = "SUSPENDED"
    REINSTATED = "REINSTATED"
    ROLE_CHANGED = "ROLE_CHANGED"
    LEFT = "LEFT"
    ATTESTED = "ATTESTED"


BECAME = {
    MembershipRole.ASSOCIATE: MembershipChangeKind.BECAME_ASSOCIATE,
    MembershipRole.OBSERVER: MembershipChangeKind.BECAME_OBSERVER,
    MembershipRole.CANDIDATE: MembershipChangeKind.BECAME_CANDIDATE,
    MembershipRole.PARTNER: MembershipChangeKind.BECAME_PARTNER,
    MembershipRole.GUEST: MembershipChangeKind.BECAME_GUEST,
    MembershipRole.SUSPENDED: MembershipChangeKind.SUSPENDED,
}


def change_kind(before: MembershipRole | None, after: MembershipRole) -> MembershipChangeKind:
    if after in FULL:
        if before is MembershipRole.SUSPENDED:
            return MembershipChangeKind.REINSTATED
        return MembershipChangeKind.ROLE_CHANGED if before in FULL else MembershipChangeKind.JOINED
    return BECAME[after]


@strawberry.type(
    description="A change in a member's standing in an organisation, dated as precisely as "
    "its source allows."
)
class MembershipChange:
    date: str | None = strawberry.field(
        description="When, as precise as reported (YYYY, YYYY-MM, YYYY-MM-DD); null for an "
        "ATTESTED role, whose start is unreported."
    )
    year: int = strawberry.field(description="The year of the change (or of the attestation).")
    kind: MembershipChangeKind = strawberry.field(description="What changed.")
    role_before: MembershipRole | None = strawberry.field(
        description="The standing held until then; null when there was none."
    )
    role_after: MembershipRole | None = strawberry.field(
        description="The standing held from then; null when the member left."
    )
    row: strawberry.Private[models.Membership]
    previous_row: strawberry.Private[models.Membership | None]

    @strawberry.field(description="Who changed standing.")
    async def member(self, info: Info) -> Member:
        actor = await load_actor(
            info, state_id=self.row.member_state_id, organisation_id=self.row.member_organisation_id
        )
        assert not isinstance(actor, Company)
        return actor

    @strawberry.field(description="In which organisation.")
    async def organisation(self, info: Info) -> LazyOrganisation:
        from schema.types.organisation import Organisation

        row = await info.context.loaders.by_id(models.Organisation).load(self.row.organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field(
        description="The membership that records the change: the role begun, or the one left."
    )
    def membership(self) -> LazyMembership:
        from schema.types.membership import Membership

        return Membership.from_row(self.row)

    @strawberry.field(description="The role that ended with this change, if one did.")
    def previous(self) -> LazyMembership | None:
        from schema.types.membership import Membership

        return Membership.from_row(self.previous_row) if self.previous_row else None

    @strawberry.field(description="The sources of `membership`: what attests the change.")
    async def evidence(self, info: Info) -> list[Source]:
        assert self.row.id is not None
        return await Source.related(info, SOURCES_BY_SUBJECT["membership"], self.row.id)


@dataclass(frozen=True)
class _Event:
    change: MembershipChange

    @property
    def key(self) -> tuple[int, bool, str, int, int]:
        change = self.change
        assert change.row.id is not None
        return (
            change.year,
            change.date is None,
            change.date or "",
            change.row.id,
            list(MembershipChangeKind).index(change.kind),
        )


def _event(
    date: str | None,
    year: int,
    kind: MembershipChangeKind,
    before: MembershipRole | None,
    after: MembershipRole | None,
    row: models.Membership,
    previous: models.Membership | None,
) -> _Event:
    change = MembershipChange(
        date=date,
        year=year,
        kind=kind,
        role_before=before,
        role_after=after,
        row=row,
        previous_row=previous,
    )
    return _Event(change)


def _successor(
    row: models.Membership, rows: Sequence[models.Membership]
) -> models.Membership | None:
    """The role of the same member that starts when `row` ends, if any."""
    if row.until_year is None:
        return None
    following = [r for r in rows if r is not row and r.since_year == row.until_year]
    exact = [r for r in following if r.since == row.until]
    found = exact or following
    return found[0] if found else None


def membership_changes(
    rows: Sequence[models.Membership], years: IntRange | None = None
) -> list[MembershipChange]:
    """Every change the rows record, oldest first (per member and organisation)."""
    by_seat: dict[tuple[int, int | None, int | None], list[models.Membership]] = defaultdict(list)
    for row in rows:
        by_seat[(row.organisation_id, row.member_state_id, row.member_organisation_id)].append(row)
    events: list[_Event] = []
    for seat in by_seat.values():
        successors = {id(row): _successor(row, seat) for row in seat}
        predecessors = {id(nxt): row for row in seat if (nxt := successors[id(row)])}
        for row in seat:
            previous = predecessors.get(id(row))
            role = MembershipRole(row.role)
            before = MembershipRole(previous.role) if previous else None
            if row.since_year is not None:
                kind = change_kind(before, role)
                events.append(_event(row.since, row.since_year, kind, before, role, row, previous))
            elif row.attested_year is not None:
                attested = MembershipChangeKind.ATTESTED
                events.append(_event(None, row.attested_year, attested, None, role, row, None))
            if row.until_year is not None and successors[id(row)] is None:
                left = MembershipChangeKind.LEFT
                events.append(_event(row.until, row.until_year, left, role, None, row, row))
    low, high = years.bounds("years") if years is not None else (None, None)
    return [
        event.change
        for event in sorted(events, key=lambda e: e.key)
        if (low is None or event.change.year >= low) and (high is None or event.change.year <= high)
    ]
