"""Organisations and companies: what their connections and exports accept."""

from enum import Enum

import strawberry
from sqlalchemy import ColumnElement, exists, func, select
from sqlmodel import col

from api import models
from schema.filters.base import (
    Criteria,
    Criterion,
    FilterInput,
    IntRange,
    as_is,
    between,
    items,
    name,
    organisation_ids,
    state_code,
    state_code_in,
    state_ids,
    text_in,
)
from schema.filters.membership import MembershipFilter
from schema.ordering import SortField, sorted_by, text_field
from schema.pagination import Direction
from schema.types.enums import OrganisationKind


def _with_member(criteria: Criteria) -> ColumnElement[bool]:
    membership = models.Membership
    return exists(
        select(col(membership.id)).where(
            col(membership.organisation_id) == col(models.Organisation.id),
            *criteria.conditions(),
        )
    )


def _membership_criteria(value: MembershipFilter, field: str) -> Criteria:
    return value.criteria(field)


@strawberry.input(description="Narrows organisations; all given conditions must hold.")
class OrganisationFilter(FilterInput):
    kind: OrganisationKind | None = strawberry.field(default=None, description="Only this kind.")
    kinds: list[OrganisationKind] | None = strawberry.field(
        default=None, description="Any of these kinds."
    )
    acronyms: list[str] | None = strawberry.field(
        default=None, description="Any of these acronyms or short names (any case)."
    )
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the acronym, name or description (any case)."
    )
    founded: IntRange | None = strawberry.field(
        default=None, description="Founded in these years (unknown years never match)."
    )
    parent: str | None = strawberry.field(
        default=None, description="Bodies of this organisation, by acronym (any case)."
    )
    headquarters_state: str | None = strawberry.field(
        default=None, description="Headquartered in this state, by code (any case)."
    )
    members: MembershipFilter | None = strawberry.field(
        default=None,
        description='With at least one seat that matches this filter (`{member: "TUR"}`).',
    )

    criteria_of = {
        "kind": Criterion(as_is, lambda kind: col(models.Organisation.kind) == kind),
        "kinds": Criterion(items(as_is), lambda kinds: col(models.Organisation.kind).in_(kinds)),
        "acronyms": Criterion(
            items(name), lambda names: func.lower(models.Organisation.acronym).in_(names)
        ),
        "text_contains": text_in(
            models.Organisation.acronym,
            models.Organisation.name,
            models.Organisation.description,
        ),
        "founded": between(models.Organisation.founded_year),
        "parent": Criterion(
            name, lambda n: col(models.Organisation.parent_id).in_(organisation_ids([n]))
        ),
        "headquarters_state": Criterion(
            state_code,
            lambda code: col(models.Organisation.headquarters_state_id).in_(state_ids([code])),
        ),
        "members": Criterion(_membership_criteria, _with_member),
    }


@strawberry.enum(description="What organisations can be sorted by.")
class OrganisationOrderField(Enum):
    ACRONYM = "ACRONYM"
    NAME = "NAME"
    KIND = "KIND"
    FOUNDED = "FOUNDED"


@strawberry.input(description="One sort term for organisations.")
class OrganisationOrder:
    field: OrganisationOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


ORGANISATION_SORT = {
    OrganisationOrderField.ACRONYM: SortField("acronym", lambda c: func.lower(c.acronym)),
    OrganisationOrderField.NAME: text_field("name", lambda c: c.name),
    OrganisationOrderField.KIND: text_field("kind", lambda c: c.kind),
    OrganisationOrderField.FOUNDED: SortField("founded", lambda c: c.founded_year, nullable=True),
}


@strawberry.input(description="Narrows companies; all given conditions must hold.")
class CompanyFilter(FilterInput):
    countries: list[str] | None = strawberry.field(
        default=None, description="Based in any of these states, by code (any case)."
    )
    keys: list[str] | None = strawberry.field(
        default=None, description="Any of these company keys."
    )
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the name or description (any case)."
    )

    criteria_of = {
        "countries": state_code_in(models.Company.country_id),
        "keys": Criterion(items(name), lambda keys: col(models.Company.key).in_(keys)),
        "text_contains": text_in(models.Company.name, models.Company.description),
    }


@strawberry.enum(description="What companies can be sorted by.")
class CompanyOrderField(Enum):
    NAME = "NAME"
    KEY = "KEY"


@strawberry.input(description="One sort term for companies.")
class CompanyOrder:
    field: CompanyOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


COMPANY_SORT = {
    CompanyOrderField.NAME: text_field("name", lambda c: c.name),
    CompanyOrderField.KEY: text_field("key", lambda c: c.key),
}
ORGANISATION_BY_ACRONYM = sorted_by(ORGANISATION_SORT, OrganisationOrderField.ACRONYM)
COMPANY_BY_NAME = sorted_by(COMPANY_SORT, CompanyOrderField.NAME)
