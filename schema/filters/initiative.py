"""Initiatives: what `initiatives(filter:)` and the nested initiative lists accept."""

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
from schema.loaders.initiatives import (
    INITIATIVES_BY_ORGANISATION_ID,
    INITIATIVES_BY_PERSON_ID,
    INITIATIVES_BY_STATE_ID,
)
from schema.types.enums import InitiativeKind, InitiativeStatus

Initiative = models.Initiative


@strawberry.input(description="Narrows initiatives; all given conditions must hold.")
class InitiativeFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="A state among its actors (code, any case)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="An organisation among its actors (acronym, any case)."
    )
    person: str | None = strawberry.field(
        default=None, description="A person among its actors (key)."
    )
    kind: InitiativeKind | None = strawberry.field(default=None, description="Only this kind.")
    status: InitiativeStatus | None = strawberry.field(
        default=None, description="Only this status."
    )
    year: int | None = strawberry.field(default=None, description="Only initiatives of this year.")

    criteria_of = {
        "state": Criterion(
            state_code,
            lambda code: linked(Initiative.id, INITIATIVES_BY_STATE_ID.link, state_ids([code])),
        ),
        "organisation": Criterion(
            name,
            lambda n: linked(
                Initiative.id, INITIATIVES_BY_ORGANISATION_ID.link, organisation_ids([n])
            ),
        ),
        "person": Criterion(
            name,
            lambda key: linked(Initiative.id, INITIATIVES_BY_PERSON_ID.link, person_ids([key])),
        ),
        "kind": equal_to(Initiative.kind),
        "status": equal_to(Initiative.status),
        "year": equal_to(Initiative.year),
    }
