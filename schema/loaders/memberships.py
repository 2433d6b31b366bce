"""Memberships seen from the organisation (its members) and from the member (its seats)."""

from sqlalchemy import case, func

from api import models
from api.models.enums import MembershipRole
from schema.filters.base import criteria_conditions
from schema.loaders.relations import Relation
from schema.pagination import Ordering, SortKey, by_id

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
    MembershipRole.ASSOCIATE: 1,
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
        conditions=criteria_conditions,
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
