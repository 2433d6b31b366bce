"""Root fields for transport corridors and routes."""

from typing import Annotated

import strawberry
from sqlalchemy import Select, select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import CORRIDOR_SORT, CorridorFilter, CorridorOrder, conditions_of
from schema.loaders.corridors import CORRIDOR_ORDER
from schema.ordering import ordering_of
from schema.pagination import Connection, PageQuery
from schema.queries import first_row
from schema.types.arguments import Filter, OrderBy
from schema.types.corridor import Corridor

Key = Annotated[str, strawberry.argument(description="corridor2")]


def corridor_by_key(key: str) -> Select[models.Corridor]:
    """The look-up `corridor(key:)` makes, shared with the compiled read path."""
    return select(models.Corridor).where(col(models.Corridor.key) == key.strip().lower())


@strawberry.type
class CorridorQueries:
    @strawberry.field(description="The corridor with this key; null if there is none.")
    async def corridor(self, info: Info, key: Key) -> Corridor | None:
        row = await first_row(info, corridor_by_key(key))
        return Corridor.from_row(row) if row else None

    @relay.connection(
        Connection[Corridor],
        description="All transport corridors and routes, by name, unless `orderBy` says otherwise.",
    )
    async def corridors(
        self,
        info: Info,
        filter: Filter[CorridorFilter] = None,
        order_by: OrderBy[CorridorOrder] = None,
    ) -> PageQuery[Corridor]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.Corridor,
            ordering=ordering_of(CORRIDOR_SORT, order_by, CORRIDOR_ORDER),
            to_node=Corridor.from_row,
            where=conditions_of(filter),
        )
