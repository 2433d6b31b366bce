"""Root fields for economic figures."""

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import (
    ECONOMIC_FIGURE_SORT,
    EconomicFigureFilter,
    EconomicFigureOrder,
    conditions_of,
)
from schema.loaders.economic_figures import FIGURE_ORDER
from schema.ordering import ordering_of
from schema.pagination import Connection, PageQuery
from schema.types.arguments import Filter, OrderBy
from schema.types.economic_figure import EconomicFigure


@strawberry.type
class EconomicFigureQueries:
    @relay.connection(
        Connection[EconomicFigure],
        description="Every figure the sources give, by year (undated last), then metric, unless "
        "`orderBy` says otherwise.",
    )
    async def economic_figures(
        self,
        info: Info,
        filter: Filter[EconomicFigureFilter] = None,
        order_by: OrderBy[EconomicFigureOrder] = None,
    ) -> PageQuery[EconomicFigure]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.EconomicFigure,
            ordering=ordering_of(ECONOMIC_FIGURE_SORT, order_by, FIGURE_ORDER),
            to_node=EconomicFigure.from_row,
            where=conditions_of(filter),
        )
