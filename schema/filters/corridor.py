"""Transport corridors: what `corridors(filter:, orderBy:)` and the nested corridor lists
accept. A corridor's status is its current one: the data model dates no status, so corridors
take no `asOf` (the events on their agendas are dated: `Corridor.events(filter: {years:})`)."""

from enum import Enum

import strawberry
from sqlalchemy import ColumnElement, String, cast, or_

from api import models
from schema.filters.base import (
    Criterion,
    FilterInput,
    as_is,
    equal_to,
    items,
    key_in,
    linked_organisation,
    linked_organisations,
    linked_state,
    linked_states,
    one_of,
    text_in,
)
from schema.loaders.corridors import CORRIDORS_BY_ORGANISATION_ID, CORRIDORS_BY_STATE_ID
from schema.ordering import text_field
from schema.pagination import Direction
from schema.types.enums import CorridorKind, CorridorStatus, TransportMode

Corridor = models.Corridor
STATES = CORRIDORS_BY_STATE_ID.link
ORGANISATIONS = CORRIDORS_BY_ORGANISATION_ID.link


def _uses_any(modes: tuple[TransportMode, ...]) -> ColumnElement[bool]:
    """Routes whose JSON list of modes holds any of `modes` (stored as `["RAIL", "SEA"]`)."""
    stored = cast(Corridor.modes, String)
    return or_(*(stored.contains(f'"{mode.value}"') for mode in modes))


@strawberry.input(description="Narrows corridors; all given conditions must hold.")
class CorridorFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None,
        description="A state it runs through or that initiated, backs or has a stake in it.",
    )
    states: list[str] | None = strawberry.field(
        default=None, description="Any of these states, as for `state` (codes)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="An organisation that coordinates, backs or initiated it."
    )
    organisations: list[str] | None = strawberry.field(
        default=None, description="Any of these organisations, as for `organisation`."
    )
    kind: CorridorKind | None = strawberry.field(default=None, description="Only this kind.")
    kinds: list[CorridorKind] | None = strawberry.field(
        default=None, description="Any of these kinds."
    )
    status: CorridorStatus | None = strawberry.field(default=None, description="Only this status.")
    statuses: list[CorridorStatus] | None = strawberry.field(
        default=None, description="Any of these statuses (the current one; statuses are undated)."
    )
    modes: list[TransportMode] | None = strawberry.field(
        default=None, description="Using any of these means of transport."
    )
    keys: list[str] | None = strawberry.field(
        default=None, description="Any of these corridor keys."
    )
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the name, aliases or summary (any case)."
    )

    criteria_of = {
        "state": linked_state(Corridor.id, STATES),
        "states": linked_states(Corridor.id, STATES),
        "organisation": linked_organisation(Corridor.id, ORGANISATIONS),
        "organisations": linked_organisations(Corridor.id, ORGANISATIONS),
        "kind": equal_to(Corridor.kind),
        "kinds": one_of(Corridor.kind),
        "status": equal_to(Corridor.status),
        "statuses": one_of(Corridor.status),
        "modes": Criterion(items(as_is), _uses_any),
        "keys": key_in(Corridor.key),
        "text_contains": text_in(Corridor.name, cast(Corridor.aliases, String), Corridor.summary),
    }


@strawberry.enum(description="What corridors can be sorted by.")
class CorridorOrderField(Enum):
    NAME = "NAME"
    KIND = "KIND"
    STATUS = "STATUS"
    KEY = "KEY"


@strawberry.input(description="One sort term for corridors.")
class CorridorOrder:
    field: CorridorOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


CORRIDOR_SORT = {
    CorridorOrderField.NAME: text_field("name", lambda c: c.name),
    CorridorOrderField.KIND: text_field("kind", lambda c: c.kind),
    CorridorOrderField.STATUS: text_field("status", lambda c: c.status),
    CorridorOrderField.KEY: text_field("key", lambda c: c.key),
}
