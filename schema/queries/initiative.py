"""Root fields for initiatives and policies."""

from typing import Annotated

import strawberry
from sqlalchemy import Select, select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import INITIATIVE_SORT, InitiativeFilter, InitiativeOrder, conditions_of
from schema.loaders.initiatives import INITIATIVE_ORDER
from schema.ordering import ordering_of
from schema.pagination import Connection, PageQuery
from schema.queries import first_row
from schema.types.arguments import Filter, OrderBy
from schema.types.initiative import Initiative

Key = Annotated[str, strawberry.argument(description="initiative2")]


def initiative_by_key(key: str) -> Select[models.Initiative]:
    """The look-up `initiative(key:)` makes, shared with the compiled read path."""
    return select(models.Initiative).where(col(models.Initiative.key) == key.strip().lower())


@strawberry.type
class InitiativeQueries:
    @strawberry.field(description="The initiative with this key; null if there is none.")
    async def initiative(self, info: Info, key: Key) -> Initiative | None:
        row = await first_row(info, initiative_by_key(key))
        return Initiative.from_row(row) if row else None

    @relay.connection(
        Connection[Initiative],
        description="All initiatives, by date (undated last), unless `orderBy` says otherwise.",
    )
    async def initiatives(
        self,
        info: Info,
        filter: Filter[InitiativeFilter] = None,
        order_by: OrderBy[InitiativeOrder] = None,
    ) -> PageQuery[Initiative]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.Initiative,
            ordering=ordering_of(INITIATIVE_SORT, order_by, INITIATIVE_ORDER),
            to_node=Initiative.from_row,
            where=conditions_of(filter),
        )
