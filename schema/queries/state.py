"""Root fields for states."""

from typing import Annotated

import strawberry
from sqlalchemy import Select, select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import STATE_SORT, StateFilter, StateOrder, conditions_of
from schema.filters.state import STATE_ORDER
from schema.ordering import ordering_of
from schema.pagination import Connection, PageQuery
from schema.queries import first_row
from schema.types.arguments import Filter, OrderBy
from schema.types.state import State


def state_by_code(code: str) -> Select[models.State]:
    """The look-up `state(code:)` makes, shared with the compiled read path."""
    return select(models.State).where(col(models.State.code) == code.strip().upper())


@strawberry.type
class StateQueries:
    @strawberry.field(description="The state with this code (any case); null if there is none.")
    async def state(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="ISO alpha-3 or silkgraph code.")],
    ) -> State | None:
        row = await first_row(info, state_by_code(code))
        return State.from_row(row) if row else None

    @relay.connection(
        Connection[State], description="All states, by code unless `orderBy` says otherwise."
    )
    async def states(
        self, info: Info, filter: Filter[StateFilter] = None, order_by: OrderBy[StateOrder] = None
    ) -> PageQuery[State]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.State,
            ordering=ordering_of(STATE_SORT, order_by, STATE_ORDER),
            to_node=State.from_row,
            where=conditions_of(filter),
        )
