"""Root fields for military exercises."""

from typing import Annotated

import strawberry
from sqlalchemy import Select, select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import (
    MILITARY_EXERCISE_SORT,
    MilitaryExerciseFilter,
    MilitaryExerciseOrder,
    conditions_of,
)
from schema.loaders.exercises import EXERCISE_ORDER
from schema.ordering import ordering_of
from schema.pagination import Connection, PageQuery
from schema.queries import first_row
from schema.types.arguments import Filter, OrderBy
from schema.types.exercise import MilitaryExercise

Key = Annotated[str, strawberry.argument(description="exercise2")]


def military_exercise_by_key(key: str) -> Select[models.MilitaryExercise]:
    """The look-up `militaryExercise(key:)` makes, shared with the compiled read path."""
    return select(models.MilitaryExercise).where(
        col(models.MilitaryExercise.key) == key.strip().lower()
    )


@strawberry.type
class MilitaryExerciseQueries:
    @strawberry.field(description="The military exercise with this key; null if there is none.")
    async def military_exercise(self, info: Info, key: Key) -> MilitaryExercise | None:
        row = await first_row(info, military_exercise_by_key(key))
        return MilitaryExercise.from_row(row) if row else None

    @relay.connection(
        Connection[MilitaryExercise],
        description="All military exercises, by date (undated last), unless `orderBy` says "
        "otherwise.",
    )
    async def military_exercises(
        self,
        info: Info,
        filter: Filter[MilitaryExerciseFilter] = None,
        order_by: OrderBy[MilitaryExerciseOrder] = None,
    ) -> PageQuery[MilitaryExercise]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.MilitaryExercise,
            ordering=ordering_of(MILITARY_EXERCISE_SORT, order_by, EXERCISE_ORDER),
            to_node=MilitaryExercise.from_row,
            where=conditions_of(filter),
        )
