"""Root fields for events."""

from typing import Annotated

import strawberry
from sqlalchemy import Select, select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import EVENT_SORT, EventFilter, EventOrder, conditions_of
from schema.loaders.events import EVENT_ORDER
from schema.ordering import ordering_of
from schema.pagination import Connection, PageQuery
from schema.queries import first_row
from schema.types.arguments import Filter, OrderBy
from schema.types.event import Event

Key = Annotated[str, strawberry.argument(description="event2")]


def event_by_key(key: str) -> Select[models.Event]:
    """The look-up `event(key:)` makes, shared with the compiled read path."""
    return select(models.Event).where(col(models.Event.key) == key.strip().lower())


@strawberry.type
class EventQueries:
    @strawberry.field(description="The event with this key; null if there is none.")
    async def event(self, info: Info, key: Key) -> Event | None:
        row = await first_row(info, event_by_key(key))
        return Event.from_row(row) if row else None

    @relay.connection(
        Connection[Event],
        description="All events, by date (undated last), unless `orderBy` says otherwise.",
    )
    async def events(
        self,
        info: Info,
        filter: Filter[EventFilter] = None,
        order_by: OrderBy[EventOrder] = None,
    ) -> PageQuery[Event]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.Event,
            ordering=ordering_of(EVENT_SORT, order_by, EVENT_ORDER),
            to_node=Event.from_row,
            where=conditions_of(filter),
        )
