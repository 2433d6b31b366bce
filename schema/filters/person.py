"""People and the offices they held: what `people(filter:, orderBy:)` and the nested people
and office lists accept, `asOf` for offices included."""

from collections.abc import Sequence
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, String, case, cast, exists, func, or_, select
from sqlmodel import col

from api import models
from schema.filters.base import (
    Criteria,
    Criterion,
    FilterInput,
    as_is,
    held_in,
    items,
    key_in,
    name,
    organisation_ids,
    state_code,
    state_code_in,
    state_code_of,
    state_ids,
    text_in,
)
from schema.ordering import text_field
from schema.pagination import Direction

Person = models.Person
Office = models.OfficeHolding


def office_start() -> ColumnElement[Any]:
    """When an office counts from: its first year, or the year a source says it was held."""
    return func.coalesce(Office.since_year, Office.attested_year)


def office_end() -> ColumnElement[Any]:
    """The first year it no longer counts: the year it ended; for an office known only from
    the year a source says it was held, the next year (its term is not known to go on)."""
    return func.coalesce(
        Office.until_year,
        case((col(Office.since_year).is_(None), col(Office.attested_year) + 1), else_=None),
    )


def office_held_as_of(year: int) -> ColumnElement[bool]:
    """An office held in `year`: dated offices by their years (the end year exclusive, as
    with memberships); an office attested only for a year, in that year alone; an office of
    no known year, never."""
    return held_in(year, office_start(), office_end())


def _office_in_states(codes: Sequence[str]) -> ColumnElement[bool]:
    return col(Office.state_id).in_(state_ids(codes))


def _office_in_organisations(names: Sequence[str]) -> ColumnElement[bool]:
    return col(Office.organisation_id).in_(organisation_ids(names))


@strawberry.input(description="Narrows offices held; all given conditions must hold.")
class OfficeHoldingFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="Offices of this state (code, any case)."
    )
    states: list[str] | None = strawberry.field(
        default=None, description="Offices of any of these states (codes)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="Offices in this organisation (acronym, any case)."
    )
    organisations: list[str] | None = strawberry.field(
        default=None, description="Offices in any of these organisations (acronyms)."
    )
    as_of: int | None = strawberry.field(
        default=None,
        description="Only offices held in this year: from their first year (or the year a "
        "source attests them) until the year they ended; an office known only from one "
        "year's attestation counts for that year alone.",
    )
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the office or its note (any case)."
    )

    criteria_of = {
        "state": Criterion(state_code, lambda code: _office_in_states([code])),
        "states": Criterion(items(state_code), _office_in_states),
        "organisation": Criterion(name, lambda n: _office_in_organisations([n])),
        "organisations": Criterion(items(name), _office_in_organisations),
        "as_of": Criterion(as_is, office_held_as_of),
        "text_contains": text_in(Office.office, Office.note),
    }


def _holding(criteria: Criteria) -> ColumnElement[bool]:
    """People with an office that meets `criteria`."""
    office = Office
    return exists(
        select(col(office.id)).where(
            col(office.person_id) == col(Person.id), *criteria.conditions()
        )
    )


def _of_states(codes: Sequence[str]) -> ColumnElement[bool]:
    """Nationals of these states, or holders of an office of theirs."""
    return or_(
        col(Person.nationality_id).in_(state_ids(codes)),
        col(Person.id).in_(select(col(Office.person_id)).where(_office_in_states(codes))),
    )


def _of_organisations(names: Sequence[str]) -> ColumnElement[bool]:
    return col(Person.id).in_(select(col(Office.person_id)).where(_office_in_organisations(names)))


def _office_criteria(value: OfficeHoldingFilter, field: str) -> Criteria:
    return value.criteria(field)


@strawberry.input(description="Narrows people; all given conditions must hold.")
class PersonFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="Nationality or the state of an office held (code, any case)."
    )
    states: list[str] | None = strawberry.field(
        default=None, description="Any of these states, as for `state` (codes)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="The organisation of an office held (acronym, any case)."
    )
    organisations: list[str] | None = strawberry.field(
        default=None, description="Any of these organisations, as for `organisation`."
    )
    nationalities: list[str] | None = strawberry.field(
        default=None, description="Nationals of any of these states (codes)."
    )
    offices: OfficeHoldingFilter | None = strawberry.field(
        default=None,
        description='Holding at least one office that matches this filter (`{state: "TUR", '
        "asOf: 2023}`).",
    )
    keys: list[str] | None = strawberry.field(default=None, description="Any of these person keys.")
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the name, other spellings or description (any case)."
    )

    criteria_of = {
        "state": Criterion(state_code, lambda code: _of_states([code])),
        "states": Criterion(items(state_code), _of_states),
        "organisation": Criterion(name, lambda n: _of_organisations([n])),
        "organisations": Criterion(items(name), _of_organisations),
        "nationalities": state_code_in(Person.nationality_id),
        "offices": Criterion(_office_criteria, _holding),
        "keys": key_in(Person.key),
        "text_contains": text_in(Person.name, cast(Person.aliases, String), Person.description),
    }


@strawberry.enum(description="What people can be sorted by.")
class PersonOrderField(Enum):
    NAME = "NAME"
    KEY = "KEY"
    NATIONALITY = "NATIONALITY"


@strawberry.input(description="One sort term for people.")
class PersonOrder:
    field: PersonOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


PERSON_SORT = {
    PersonOrderField.NAME: text_field("name", lambda c: c.name),
    PersonOrderField.KEY: text_field("key", lambda c: c.key),
    PersonOrderField.NATIONALITY: text_field(
        "nationality", lambda c: state_code_of(c.nationality_id), nullable=True
    ),
}
