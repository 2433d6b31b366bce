"""Non-state actors: what `nonStateActors(filter:, orderBy:)` and their export accept."""

from enum import Enum

import strawberry

from api import models
from schema.filters.base import (
    FilterInput,
    key_in,
    state_code_in,
    state_code_is,
    state_code_of,
    text_in,
)
from schema.ordering import sorted_by, text_field
from schema.pagination import Direction

Actor = models.NonStateActor


@strawberry.input(description="Narrows non-state actors; all given conditions must hold.")
class NonStateActorFilter(FilterInput):
    country: str | None = strawberry.field(
        default=None, description="Placed in this state by its source (code, any case)."
    )
    countries: list[str] | None = strawberry.field(
        default=None, description="Placed in any of these states (codes)."
    )
    keys: list[str] | None = strawberry.field(
        default=None, description="Any of these keys (`pkk`, `hezbollah`)."
    )
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the name or description (any case)."
    )

    criteria_of = {
        "country": state_code_is(Actor.country_id),
        "countries": state_code_in(Actor.country_id),
        "keys": key_in(Actor.key),
        "text_contains": text_in(Actor.name, Actor.description),
    }


@strawberry.enum(description="What non-state actors can be sorted by.")
class NonStateActorOrderField(Enum):
    KEY = "KEY"
    NAME = "NAME"
    COUNTRY = "COUNTRY"


@strawberry.input(description="One sort term for non-state actors.")
class NonStateActorOrder:
    field: NonStateActorOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


NON_STATE_ACTOR_SORT = {
    NonStateActorOrderField.KEY: text_field("key", lambda c: c.key),
    NonStateActorOrderField.NAME: text_field("name", lambda c: c.name),
    NonStateActorOrderField.COUNTRY: text_field(
        "country", lambda c: state_code_of(c.country_id), nullable=True
    ),
}
NON_STATE_ACTOR_BY_KEY = sorted_by(NON_STATE_ACTOR_SORT, NonStateActorOrderField.KEY)
