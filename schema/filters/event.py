"""Events: what `events(filter:, orderBy:)` and the nested event connections accept."""

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
    state_code_in,
    text_in,
)
from schema.loaders.events import (
    EVENTS_BY_ORGANISATION_ID,
    EVENTS_BY_PERSON_ID,
    EVENTS_BY_STATE_ID,
)
from schema.ordering import text_field
from schema.pagination import Direction
from schema.types.enums import EventKind

Event = models.Event
STATES = EVENTS_BY_STATE_ID.link
ORGANISATIONS = EVENTS_BY_ORGANISATION_ID.link
PEOPLE = EVENTS_BY_PERSON_ID.link


@strawberry.input(description="Narrows events; all given conditions must hold.")
class EventFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="A state that took part in or hosted it (code, any case)."
    )
    states: list[str] | None = strawberry.field(
        default=None, description="Any of these states took part in or hosted it (codes)."
    )
    organisation: str | None = strawberry.field(
        default=None,
        description="An organisation that took part in, organised or came out of it (acronym).",
    )
    organisations: list[str] | None = strawberry.field(
        default=None, description="Any of these organisations, as for `organisation`."
    )
    person: str | None = strawberry.field(default=None, description="A participant's key.")
    people: list[str] | None = strawberry.field(
        default=None, description="Any of these people took part (keys)."
    )
    place_states: list[str] | None = strawberry.field(
        default=None, description="Held in any of these states (codes)."
    )
    kind: EventKind | None = strawberry.field(default=None, description="Only this kind.")
    kinds: list[EventKind] | None = strawberry.field(
        default=None, description="Any of these kinds."
    )
    year: int | None = strawberry.field(default=None, description="Only events of this year.")
    years: IntRange | None = strawberry.field(
        default=None, description="Held in these years (undated events never match)."
    )
    keys: list[str] | None = strawberry.field(default=None, description="Any of these event keys.")
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the title, summary or city (any case)."
    )

    criteria_of = {
        "state": linked_state(Event.id, STATES),
        "states": linked_states(Event.id, STATES),
        "organisation": linked_organisation(Event.id, ORGANISATIONS),
        "organisations": linked_organisations(Event.id, ORGANISATIONS),
        "person": linked_person(Event.id, PEOPLE),
        "people": linked_people(Event.id, PEOPLE),
        "place_states": state_code_in(Event.place_state_id),
        "kind": equal_to(Event.kind),
        "kinds": one_of(Event.kind),
        "year": equal_to(Event.year),
        "years": between(Event.year),
        "keys": key_in(Event.key),
        "text_contains": text_in(Event.title, Event.summary, Event.city),
    }


@strawberry.enum(description="What events can be sorted by.")
class EventOrderField(Enum):
    DATE = "DATE"
    TITLE = "TITLE"
    KIND = "KIND"
    KEY = "KEY"


@strawberry.input(description="One sort term for events.")
class EventOrder:
    field: EventOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


EVENT_SORT = {
    # Partial dates as text sort chronologically (`2025` before `2025-10`).
    EventOrderField.DATE: text_field("date", lambda c: c.date, nullable=True),
    EventOrderField.TITLE: text_field("title", lambda c: c.title),
    EventOrderField.KIND: text_field("kind", lambda c: c.kind),
    EventOrderField.KEY: text_field("key", lambda c: c.key),
}
