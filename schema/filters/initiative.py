"""Initiatives: what `initiatives(filter:, orderBy:)` and the nested initiative lists accept."""

from enum import Enum

import strawberry

from api import models
from schema.filters.base import (
    FilterInput,
    IntRange,
    between,
    equal_to,
    key_in,
    linked_organisation,
    linked_organisations,
    linked_people,
    linked_person,
    linked_state,
    linked_states,
    one_of,
    text_in,
)
from schema.loaders.initiatives import (
    INITIATIVES_BY_ORGANISATION_ID,
    INITIATIVES_BY_PERSON_ID,
    INITIATIVES_BY_STATE_ID,
)
from schema.ordering import text_field
from schema.pagination import Direction
from schema.types.enums import InitiativeKind, InitiativeStatus

Initiative = models.Initiative
STATES = INITIATIVES_BY_STATE_ID.link
ORGANISATIONS = INITIATIVES_BY_ORGANISATION_ID.link
PEOPLE = INITIATIVES_BY_PERSON_ID.link


@strawberry.input(description="Narrows initiatives; all given conditions must hold.")
class InitiativeFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="A state among its actors (code, any case)."
    )
    states: list[str] | None = strawberry.field(
        default=None, description="Any of these states among its actors (codes)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="An organisation among its actors (acronym, any case)."
    )
    organisations: list[str] | None = strawberry.field(
        default=None, description="Any of these organisations among its actors (acronyms)."
    )
    person: str | None = strawberry.field(
        default=None, description="A person among its actors (key)."
    )
    people: list[str] | None = strawberry.field(
        default=None, description="Any of these people among its actors (keys)."
    )
    kind: InitiativeKind | None = strawberry.field(default=None, description="Only this kind.")
    kinds: list[InitiativeKind] | None = strawberry.field(
        default=None, description="Any of these kinds."
    )
    status: InitiativeStatus | None = strawberry.field(
        default=None, description="Only this status."
    )
    statuses: list[InitiativeStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    year: int | None = strawberry.field(default=None, description="Only initiatives of this year.")
    years: IntRange | None = strawberry.field(
        default=None,
        description="Proposed, launched or published in these years (undated never match).",
    )
    keys: list[str] | None = strawberry.field(
        default=None, description="Any of these initiative keys."
    )
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the title or summary (any case)."
    )

    criteria_of = {
        "state": linked_state(Initiative.id, STATES),
        "states": linked_states(Initiative.id, STATES),
        "organisation": linked_organisation(Initiative.id, ORGANISATIONS),
        "organisations": linked_organisations(Initiative.id, ORGANISATIONS),
        "person": linked_person(Initiative.id, PEOPLE),
        "people": linked_people(Initiative.id, PEOPLE),
        "kind": equal_to(Initiative.kind),
        "kinds": one_of(Initiative.kind),
        "status": equal_to(Initiative.status),
        "statuses": one_of(Initiative.status),
        "year": equal_to(Initiative.year),
        "years": between(Initiative.year),
        "keys": key_in(Initiative.key),
        "text_contains": text_in(Initiative.title, Initiative.summary),
    }


@strawberry.enum(description="What initiatives can be sorted by.")
class InitiativeOrderField(Enum):
    DATE = "DATE"
    TITLE = "TITLE"
    KIND = "KIND"
    STATUS = "STATUS"
    KEY = "KEY"


@strawberry.input(description="One sort term for initiatives.")
class InitiativeOrder:
    field: InitiativeOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


INITIATIVE_SORT = {
    InitiativeOrderField.DATE: text_field("date", lambda c: c.date, nullable=True),
    InitiativeOrderField.TITLE: text_field("title", lambda c: c.title),
    InitiativeOrderField.KIND: text_field("kind", lambda c: c.kind),
    InitiativeOrderField.STATUS: text_field("status", lambda c: c.status),
    InitiativeOrderField.KEY: text_field("key", lambda c: c.key),
}
