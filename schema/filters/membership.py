"""Memberships: what `memberships(filter:, orderBy:)`, the nested seat lists and the membership
statistics and export accept."""

from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, func, or_, select
from sqlmodel import col

from api import models
from schema.filters.base import (
    Criterion,
    FilterInput,
    IntRange,
    as_is,
    between,
    held_in,
    is_state_code,
    items,
    name,
    one_of,
    organisation_ids,
    state_ids,
    table_of,
)
from schema.ordering import sorted_by, text_field
from schema.pagination import Columns, Direction
from schema.types.enums import MembershipRole, OrganisationKind


def membership_start() -> ColumnElement[Any]:
    """When a role counts from: its start year, or the year a source attests it."""
    return func.coalesce(models.Membership.since_year, models.Membership.attested_year)


def held_as_of(year: int) -> ColumnElement[bool]:
    """A role held in `year`: started (or attested) by then and not ended by then."""
    return held_in(year, membership_start(), col(models.Membership.until_year))


def _member_is(names: tuple[str, ...]) -> ColumnElement[bool]:
    """Members by state code or organisation acronym (lower-cased)."""
    codes = [n.upper() for n in names if is_state_code(n)]
    by_organisation = col(models.Membership.member_organisation_id).in_(organisation_ids(names))
    if not codes:
        return by_organisation
    return or_(col(models.Membership.member_state_id).in_(state_ids(codes)), by_organisation)


def _organisation_is(names: tuple[str, ...]) -> ColumnElement[bool]:
    return col(models.Membership.organisation_id).in_(organisation_ids(names))


def _organisation_kind_in(kinds: tuple[OrganisationKind, ...]) -> ColumnElement[bool]:
    organisation = table_of(models.Organisation).alias()
    return col(models.Membership.organisation_id).in_(
        select(organisation.c.id).where(organisation.c.kind.in_(kinds))
    )


def _member_region_is(region: str) -> ColumnElement[bool]:
    state = table_of(models.State).alias()
    return col(models.Membership.member_state_id).in_(
        select(state.c.id).where(func.lower(state.c.region) == region)
    )


@strawberry.input(description="Narrows memberships; all given conditions must hold.")
class MembershipFilter(FilterInput):
    organisation: str | None = strawberry.field(
        default=None, description="Acronym of the organisation (any case)."
    )
    organisations: list[str] | None = strawberry.field(
        default=None, description="Any of these organisations, by acronym (any case)."
    )
    organisation_kinds: list[OrganisationKind] | None = strawberry.field(
        default=None, description="Seats in organisations of any of these kinds."
    )
    member: str | None = strawberry.field(
        default=None, description="State code or organisation acronym of the member."
    )
    members: list[str] | None = strawberry.field(
        default=None, description="Any of these members: state codes or organisation acronyms."
    )
    member_region: str | None = strawberry.field(
        default=None, description="Member states from this UN M49 sub-region (any case)."
    )
    role: MembershipRole | None = strawberry.field(default=None, description="Only this role.")
    roles: list[MembershipRole] | None = strawberry.field(
        default=None, description="Any of these roles."
    )
    as_of: int | None = strawberry.field(
        default=None,
        description="Only roles held in this year: started (or attested) by then, not ended by "
        "then.",
    )
    since: IntRange | None = strawberry.field(
        default=None, description="Roles that began in these years (unknown starts never match)."
    )

    criteria_of = {
        "organisation": Criterion(name, lambda n: _organisation_is((n,))),
        "organisations": Criterion(items(name), _organisation_is),
        "organisation_kinds": Criterion(items(as_is), _organisation_kind_in),
        "member": Criterion(name, lambda n: _member_is((n,))),
        "members": Criterion(items(name), _member_is),
        "member_region": Criterion(name, _member_region_is),
        "role": Criterion(as_is, lambda role: col(models.Membership.role) == role),
        "roles": one_of(models.Membership.role),
        "as_of": Criterion(as_is, held_as_of),
        "since": between(models.Membership.since_year),
    }


@strawberry.enum(description="What memberships can be sorted by.")
class MembershipOrderField(Enum):
    SINCE = "SINCE"
    UNTIL = "UNTIL"
    ROLE = "ROLE"
    ORGANISATION = "ORGANISATION"
    MEMBER = "MEMBER"


@strawberry.input(description="One sort term for memberships.")
class MembershipOrder:
    field: MembershipOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


def _acronym_of(organisation_id: Any) -> Any:
    organisation = table_of(models.Organisation).alias()
    return (
        select(func.lower(organisation.c.acronym))
        .where(organisation.c.id == organisation_id)
        .scalar_subquery()
    )


def _member_label(c: Columns) -> Any:
    state = table_of(models.State).alias()
    code = select(func.lower(state.c.code)).where(state.c.id == c.member_state_id).scalar_subquery()
    return func.coalesce(code, _acronym_of(c.member_organisation_id))


MEMBERSHIP_SORT = {
    # Partial dates as text sort chronologically (`2022` before `2022-11`).
    MembershipOrderField.SINCE: text_field("since", lambda c: c.since, nullable=True),
    MembershipOrderField.UNTIL: text_field("until", lambda c: c.until, nullable=True),
    MembershipOrderField.ROLE: text_field("role", lambda c: c.role),
    MembershipOrderField.ORGANISATION: text_field(
        "organisation", lambda c: _acronym_of(c.organisation_id)
    ),
    MembershipOrderField.MEMBER: text_field("member", _member_label),
}
MEMBERSHIP_BY_SINCE = sorted_by(MEMBERSHIP_SORT, MembershipOrderField.SINCE)
