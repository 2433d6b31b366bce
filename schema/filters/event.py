"""Events: what `events(filter:)` and the nested event connections accept."""

import strawberry

from api import models
from schema.filters.base import (
    Criterion,
    FilterInput,
    equal_to,
    linked,
    name,
    organisation_ids,
    person_ids,
    state_code,
    state_ids,
)
from schema.loaders.events import (
    EVENTS_BY_ORGANISATION_ID,
    EVENTS_BY_PERSON_ID,
    EVENTS_BY_STATE_ID,
)
from schema.types.enums import EventKind

Event = models.Event


@strawberry.input(description="Narrows events; all given conditions must hold.")
class EventFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="A state that took part in or hosted it (code, any case)."
    )
    organisation: str | None = strawberry.field(
        default=None,
        description="An organisation that took part in, organised or came out of it (acronym).",
    )
    person: str | None = strawberry.field(default=None, description="A participant's key.")
    kind: EventKind | None = strawberry.field(default=None, description="Only this kind.")
    year: int | None = strawberry.field(default=None, description="Only events of this year.")

    criteria_of = {
        "state": Criterion(
            state_code, lambda code: linked(Event.id, EVENTS_BY_STATE_ID.link, state_ids([code]))
        ),
        "organisation": Criterion(
            name,
            lambda n: linked(Event.id, EVENTS_BY_ORGANISATION_ID.link, organisation_ids([n])),
        ),
        "person": Criterion(
            name, lambda key: linked(Event.id, EVENTS_BY_PERSON_ID.link, person_ids([key]))
        ),
        "kind": equal_to(Event.kind),
        "year": equal_to(Event.year),
    }
