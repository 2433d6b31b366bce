"""Root fields for non-state actors."""

from typing import Annotated

import strawberry
from sqlalchemy import Select, select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import (
    NON_STATE_ACTOR_SORT,
    NonStateActorFilter,
    NonStateActorOrder,
    conditions_of,
)
from schema.filters.non_state_actor import NON_STATE_ACTOR_BY_KEY
from schema.ordering import ordering_of
from schema.pagination import Connection, PageQuery
from schema.queries import first_row
from schema.types.arguments import Filter, OrderBy
from schema.types.non_state_actor import NonStateActor


def non_state_actor_by_key(key: str) -> Select[models.NonStateActor]:
    """The look-up `nonStateActor(key:)` makes, shared with the compiled read path."""
    return select(models.NonStateActor).where(col(models.NonStateActor.key) == key.strip().lower())


@strawberry.type
class NonStateActorQueries:
    @strawberry.field(description="The non-state actor with this key; null if there is none.")
    async def non_state_actor(
        self,
        info: Info,
        key: Annotated[str, strawberry.argument(description="e.g. `pkk`, `hezbollah`.")],
    ) -> NonStateActor | None:
        row = await first_row(info, non_state_actor_by_key(key))
        return NonStateActor.from_row(row) if row else None

    @relay.connection(
        Connection[NonStateActor],
        description="All non-state actors, by key unless `orderBy` says otherwise.",
    )
    async def non_state_actors(
        self,
        info: Info,
        filter: Filter[NonStateActorFilter] = None,
        order_by: OrderBy[NonStateActorOrder] = None,
    ) -> PageQuery[NonStateActor]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.NonStateActor,
            ordering=ordering_of(NON_STATE_ACTOR_SORT, order_by, NON_STATE_ACTOR_BY_KEY),
            to_node=NonStateActor.from_row,
            where=conditions_of(filter),
        )
