"""States: what `states(filter:, orderBy:)` and the state export accept."""

from enum import Enum

import strawberry
from sqlalchemy import ColumnElement, String, cast, exists, func, select
from sqlmodel import col

from api import models
from schema.filters.base import (
    Criteria,
    Criterion,
    FilterInput,
    items,
    name,
    one_of,
    state_code,
    text_in,
)
from schema.filters.membership import MembershipFilter
from schema.ordering import sorted_by, text_field
from schema.pagination import Direction
from schema.types.enums import CodeAssignment


def _region_is(regions: tuple[str, ...]) -> ColumnElement[bool]:
    return func.lower(models.State.region).in_(regions)


def _with_membership(criteria: Criteria) -> ColumnElement[bool]:
    membership = models.Membership
    return exists(
        select(col(membership.id)).where(
            col(membership.member_state_id) == col(models.State.id), *criteria.conditions()
        )
    )


def _membership_criteria(value: MembershipFilter, field: str) -> Criteria:
    return value.criteria(field)


@strawberry.input(description="Narrows states; all given conditions must hold.")
class StateFilter(FilterInput):
    region: str | None = strawberry.field(
        default=None, description="UN M49 sub-region, e.g. `Central Asia` (any case)."
    )
    regions: list[str] | None = strawberry.field(
        default=None, description="Any of these UN M49 sub-regions (any case)."
    )
    continent: str | None = strawberry.field(
        default=None, description="UN M49 region, e.g. `Asia` (any case)."
    )
    codes: list[str] | None = strawberry.field(
        default=None, description="Any of these state codes (any case)."
    )
    code_assignments: list[CodeAssignment] | None = strawberry.field(
        default=None, description="Codes from any of these sources."
    )
    text_contains: str | None = strawberry.field(
        default=None,
        description="Text in the name, official name or aliases (any case).",
    )
    memberships: MembershipFilter | None = strawberry.field(
        default=None,
        description="Holding at least one seat that matches this filter "
        '(`{organisation: "OTS", asOf: 2025}`).',
    )

    criteria_of = {
        "region": Criterion(name, lambda region: _region_is((region,))),
        "regions": Criterion(items(name), _region_is),
        "continent": Criterion(
            name, lambda continent: func.lower(models.State.continent) == continent
        ),
        "codes": Criterion(items(state_code), lambda codes: col(models.State.code).in_(codes)),
        "code_assignments": one_of(models.State.code_assignment),
        "text_contains": text_in(
            models.State.name, models.State.official_name, cast(models.State.aliases, String)
        ),
        "memberships": Criterion(_membership_criteria, _with_membership),
    }


@strawberry.enum(description="What states can be sorted by.")
class StateOrderField(Enum):
    CODE = "CODE"
    NAME = "NAME"
    REGION = "REGION"
    CONTINENT = "CONTINENT"


@strawberry.input(description="One sort term for states.")
class StateOrder:
    field: StateOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


STATE_SORT = {
    StateOrderField.CODE: text_field("code", lambda c: c.code),
    StateOrderField.NAME: text_field("name", lambda c: c.name),
    StateOrderField.REGION: text_field("region", lambda c: c.region, nullable=True),
    StateOrderField.CONTINENT: text_field("continent", lambda c: c.continent, nullable=True),
}
STATE_ORDER = sorted_by(STATE_SORT, StateOrderField.CODE)
