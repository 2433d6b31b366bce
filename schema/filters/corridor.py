"""Transport corridors: what `corridors(filter:)` and the nested corridor lists accept."""

import strawberry

from api import models
from schema.filters.base import (
    Criterion,
    FilterInput,
    equal_to,
    linked,
    name,
    organisation_ids,
    state_code,
    state_ids,
)
from schema.loaders.corridors import CORRIDORS_BY_ORGANISATION_ID, CORRIDORS_BY_STATE_ID
from schema.types.enums import CorridorKind, CorridorStatus

Corridor = models.Corridor


@strawberry.input(description="Narrows corridors; all given conditions must hold.")
class CorridorFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None,
        description="A state it runs through or that initiated, backs or has a stake in it.",
    )
    organisation: str | None = strawberry.field(
        default=None, description="An organisation that coordinates, backs or initiated it."
    )
    kind: CorridorKind | None = strawberry.field(default=None, description="Only this kind.")
    status: CorridorStatus | None = strawberry.field(default=None, description="Only this status.")

    criteria_of = {
        "state": Criterion(
            state_code,
            lambda code: linked(Corridor.id, CORRIDORS_BY_STATE_ID.link, state_ids([code])),
        ),
        "organisation": Criterion(
            name,
            lambda n: linked(Corridor.id, CORRIDORS_BY_ORGANISATION_ID.link, organisation_ids([n])),
        ),
        "kind": equal_to(Corridor.kind),
        "status": equal_to(Corridor.status),
    }
