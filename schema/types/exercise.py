"""Military exercises: who held, organised and joined them."""

from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.loaders.exercises import PARTICIPANTS_BY_EXERCISE_ID
from schema.types.enums import DatePrecision, ExerciseFormat
from schema.types.node import RowNode
from schema.types.person import Actor, load_organisation, load_state
from schema.types.source import Cited
from schema.types.state import State


@strawberry.type(
    description="A military exercise, or one holding of a recurring series (Unity 2024), with "
    "host, organiser, participants, format and focus as far as sources give them."
)
class MilitaryExercise(RowNode, Cited):
    model: ClassVar[Any] = models.MilitaryExercise
    cited_as: ClassVar[str] = "military_exercise"

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key of the exercise in silkgraph.")
    name: str = strawberry.field(description="Name of the exercise (Rubezh-2025, EFES …).")
    series: str | None = strawberry.field(description="The recurring series it belongs to.")
    date: str | None = strawberry.field(description="When it was held, as precise as reported.")
    date_precision: DatePrecision | None = strawberry.field(
        description="Whether `date` gives a year, a month or a day."
    )
    year: int | None = strawberry.field(description="The year of `date`.")
    format: ExerciseFormat | None = strawberry.field(
        description="Bilateral or multinational, where reported."
    )
    focus: str | None = strawberry.field(description="What it trained for, where reported.")
    summary: str | None = strawberry.field(description="What else the sources say of it.")
    host_state_id: strawberry.Private[int | None]
    organiser_state_id: strawberry.Private[int | None]
    organiser_organisation_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.MilitaryExercise) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            key=row.key,
            name=row.name,
            series=row.series,
            date=row.date,
            date_precision=row.date_precision,
            year=row.year,
            format=row.format,
            focus=row.focus,
            summary=row.summary,
            host_state_id=row.host_state_id,
            organiser_state_id=row.organiser_state_id,
            organiser_organisation_id=row.organiser_organisation_id,
        )

    @strawberry.field(description="The state it was held in, where reported.")
    async def host_state(self, info: Info) -> State | None:
        return await load_state(info, self.host_state_id)

    @strawberry.field(description="The state or organisation that organised it, where reported.")
    async def organiser(self, info: Info) -> Actor | None:
        if self.organiser_state_id is not None:
            return await load_state(info, self.organiser_state_id)
        return await load_organisation(info, self.organiser_organisation_id)

    @strawberry.field(description="The states that took part, by code.")
    async def participants(self, info: Info) -> list[State]:
        return await State.related(info, PARTICIPANTS_BY_EXERCISE_ID, self.id)
