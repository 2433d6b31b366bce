"""Memberships seen from the organisation (its members) and from the member (its seats)."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, or_
from sqlmodel import col

from api import models
from api.models.enums import MembershipRole
from schema.loaders.relations import Relation
from schema.pagination import Ordering, SortKey, by_id


@dataclass(frozen=True)
class MembershipScope:
    """`asOf` and `role` as asked; equal scopes share one statement."""

    as_of: int | None = None
    role: MembershipRole | None = None


def membership_conditions(scope: Hashable) -> Sequence[ColumnElement[bool]]:
    """A role held in year Y started by Y (or is attested by then) and had not ended by Y."""
    assert isinstance(scope, MembershipScope)
    conditions: list[ColumnElement[bool]] = []
    if scope.role is not None:
        conditions.append(col(models.Membership.role) == scope.role)
    if scope.as_of is not None:
        start = func.coalesce(models.Membership.since_year, models.Membership.attested_year)
        conditions.append(start <= scope.as_of)
        conditions.append(
            or_(
                col(models.Membership.until_year).is_(None),
                col(models.Membership.until_year) > scope.as_of,
            )
        )
    return conditions


# Chronological: by start year (or the year attested), then the finer start date, then id.
MEMBERSHIP_ORDER = Ordering(
    (
        SortKey("sinceYear", lambda c: func.coalesce(c.since_year, c.attested_year, 0)),
        SortKey("since", lambda c: func.coalesce(c.since, "")),
        by_id(),
    )
)


# An organisation's roster reads full members first, then the other standings, each by start.
ROLE_RANK = {
    MembershipRole.FOUNDING_MEMBER: 0,
    MembershipRole.MEMBER: 0,
    MembershipRole.SUSPENDED: 1,
    MembershipRole.CANDIDATE: 2,
    MembershipRole.PARTNER: 3,
    MembershipRole.OBSERVER: 4,
    MembershipRole.GUEST: 5,
}
ROSTER_ORDER = Ordering(
    (
        SortKey(
            "role",
            lambda c: case(
                {role.value: rank for role, rank in ROLE_RANK.items()}, value=c.role, else_=9
            ),
        ),
        *MEMBERSHIP_ORDER.keys,
    )
)


def _memberships_by(name: str, parent: object, ordering: Ordering = MEMBERSHIP_ORDER) -> Relation:
    return Relation(
        name=name,
        model=models.Membership,
        parent=parent,
        ordering=ordering,
        conditions=membership_conditions,
    )


MEMBERSHIPS_BY_ORGANISATION_ID = _memberships_by(
    "memberships_by_organisation_id", models.Membership.organisation_id, ROSTER_ORDER
)
MEMBERSHIPS_BY_MEMBER_STATE_ID = _memberships_by(
    "memberships_by_member_state_id", models.Membership.member_state_id
)
MEMBERSHIPS_BY_MEMBER_ORGANISATION_ID = _memberships_by(
    "memberships_by_member_organisation_id", models.Membership.member_organisation_id
)
