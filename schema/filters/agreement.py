"""Agreements: what `agreements(filter:, orderBy:)`, the nested agreement connections and the
agreement export accept."""

from enum import Enum

import strawberry
from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlmodel import col

from api import models
from schema.errors import bad_input
from schema.filters.base import (
    MAX_TEXT_LENGTH,
    Criterion,
    FilterInput,
    IntRange,
    between,
    items,
    name,
    one_of,
    table_of,
    text_in,
)
from schema.ordering import sorted_by, text_field
from schema.pagination import Direction
from schema.types.enums import AgreementKind, AgreementStatus


def party_name(value: str, field: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_TEXT_LENGTH:
        raise bad_input(f"`{field}` must be 1 to {MAX_TEXT_LENGTH} characters", field)
    return value


def has_party(wanted: str) -> ColumnElement[bool]:
    """A party given as state code, organisation acronym, or company name or key (any case)."""
    party = table_of(models.AgreementParty).alias()
    state = table_of(models.State).alias()
    organisation = table_of(models.Organisation).alias()
    company = table_of(models.Company).alias()
    return exists(
        select(party.c.id)
        .outerjoin(state, state.c.id == party.c.state_id)
        .outerjoin(organisation, organisation.c.id == party.c.organisation_id)
        .outerjoin(company, company.c.id == party.c.company_id)
        .where(
            party.c.agreement_id == col(models.Agreement.id),
            or_(
                state.c.code == wanted.upper(),
                func.lower(organisation.c.acronym) == wanted.lower(),
                func.lower(company.c.name) == wanted.lower(),
                company.c.key == wanted.lower(),
            ),
        )
    )


@strawberry.input(description="Narrows agreements; all given conditions must hold.")
class AgreementFilter(FilterInput):
    party: str | None = strawberry.field(
        default=None,
        description="A party: state code, organisation acronym, or company name or key (any case).",
    )
    parties: list[str] | None = strawberry.field(
        default=None,
        description='All of these are parties (each as for `party`): `["TUR", "AZE"]` gives '
        "the agreements between Turkey and Azerbaijan.",
    )
    kinds: list[AgreementKind] | None = strawberry.field(
        default=None, description="Any of these forms."
    )
    statuses: list[AgreementStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    year: IntRange | None = strawberry.field(
        default=None, description="Signed or adopted in these years (undated never match)."
    )
    keys: list[str] | None = strawberry.field(
        default=None, description="Any of these agreement keys."
    )
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the title, summary or place (any case)."
    )

    criteria_of = {
        "party": Criterion(party_name, has_party),
        "parties": Criterion(items(party_name), lambda names: and_(*(has_party(n) for n in names))),
        "kinds": one_of(models.Agreement.kind),
        "statuses": one_of(models.Agreement.status),
        "year": between(models.Agreement.year),
        "keys": Criterion(items(name), lambda keys: col(models.Agreement.key).in_(keys)),
        "text_contains": text_in(
            models.Agreement.title, models.Agreement.summary, models.Agreement.place
        ),
    }


@strawberry.enum(description="What agreements can be sorted by.")
class AgreementOrderField(Enum):
    DATE = "DATE"
    TITLE = "TITLE"
    KIND = "KIND"
    STATUS = "STATUS"
    KEY = "KEY"


@strawberry.input(description="One sort term for agreements.")
class AgreementOrder:
    field: AgreementOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


AGREEMENT_SORT = {
    # Partial dates as text sort chronologically (`2022` before `2022-05`).
    AgreementOrderField.DATE: text_field("date", lambda c: c.date, nullable=True),
    AgreementOrderField.TITLE: text_field("title", lambda c: c.title),
    AgreementOrderField.KIND: text_field("kind", lambda c: c.kind),
    AgreementOrderField.STATUS: text_field("status", lambda c: c.status),
    AgreementOrderField.KEY: text_field("key", lambda c: c.key),
}
AGREEMENT_BY_DATE = sorted_by(AGREEMENT_SORT, AgreementOrderField.DATE)

__all__ = ["AGREEMENT_BY_DATE", "AgreementFilter", "AgreementOrder", "AgreementOrderField"]
