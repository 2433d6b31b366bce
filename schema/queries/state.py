"""Root fields for states."""

from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import StateFilter, conditions_of
from schema.pagination import Connection, Ordering, PageQuery, SortKey, by_id
from schema.queries import first_row
from schema.types.state import State

STATE_ORDER = Ordering((SortKey("code", lambda c: c.code), by_id()))


@strawberry.type
class StateQueries:
    @strawberry.field(description="The state with this code (any case); null if there is none.")
    async def state(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="ISO alpha-3 or silkgraph code.")],
    ) -> State | None:
        row = await first_row(
            info, select(models.State).where(col(models.State.code) == code.strip().upper())
        )
        return State.from_row(row) if row else None

    @relay.connection(Connection[State], description="All states, by code.")
    async def states(self, info: Info, filter: StateFilter | None = None) -> PageQuery[State]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.State,
            ordering=STATE_ORDER,
            to_node=State.from_row,
            where=conditions_of(filter),
        )
