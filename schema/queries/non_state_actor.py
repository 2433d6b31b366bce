"""Root fields for non-state actors."""

from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.pagination import Connection, Ordering, PageQuery, SortKey, by_id
from schema.queries import first_row
from schema.types.non_state_actor import NonStateActor

NON_STATE_ACTOR_ORDER = Ordering((SortKey("key", lambda c: c.key), by_id()))


@strawberry.type
class NonStateActorQueries:
    @strawberry.field(description="The non-state actor with this key; null if there is none.")
    async def non_state_actor(
        self,
        info: Info,
        key: Annotated[str, strawberry.argument(description="e.g. `pkk`, `hezbollah`.")],
    ) -> NonStateActor | None:
        row = await first_row(
            info,
            select(models.NonStateActor).where(
                col(models.NonStateActor.key) == key.strip().lower()
            ),
        )
        return NonStateActor.from_row(row) if row else None

    @relay.connection(Connection[NonStateActor], description="All non-state actors, by key.")
    async def non_state_actors(self, info: Info) -> PageQuery[NonStateActor]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.NonStateActor,
            ordering=NON_STATE_ACTOR_ORDER,
            to_node=NonStateActor.from_row,
        )
