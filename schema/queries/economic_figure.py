"""Root fields for economic figures."""

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import EconomicFigureFilter, conditions_of
from schema.loaders.economic_figures import FIGURE_ORDER
from schema.pagination import Connection, PageQuery
from schema.types.economic_figure import EconomicFigure


@strawberry.type
class EconomicFigureQueries:
    @relay.connection(
        Connection[EconomicFigure],
        description="Every figure the sources give, by year (undated last), then metric.",
    )
    async def economic_figures(
        self, info: Info, filter: EconomicFigureFilter | None = None
    ) -> PageQuery[EconomicFigure]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.EconomicFigure,
            ordering=FIGURE_ORDER,
            to_node=EconomicFigure.from_row,
            where=conditions_of(filter),
        )
