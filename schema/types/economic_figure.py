"""Economic and other figures: one number from a source, with its subject, unit and qualifier."""

from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.types.enums import FigureQualifier, FigureUnit
from schema.types.node import RowNode
from schema.types.person import Participant, load_participant, load_state
from schema.types.source import Cited
from schema.types.state import State


@strawberry.type(
    description="One number a source gives: subject, partner, metric, value, unit, year and "
    'qualifier ("more than USD 50 billion" is value 5e10, unit USD, qualifier MORE_THAN).'
)
class EconomicFigure(RowNode, Cited):
    model: ClassVar[Any] = models.EconomicFigure
    cited_as: ClassVar[str] = "economic_figure"

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key of the figure in silkgraph.")
    metric: str = strawberry.field(description="What is counted or measured.")
    value: float = strawberry.field(description="The number, in `unit`.")
    unit: FigureUnit = strawberry.field(description="USD, a count, a percentage or a rank.")
    qualifier: FigureQualifier = strawberry.field(
        description="Exact, more than, about … as the source says."
    )
    year: int | None = strawberry.field(description="The year it refers to, if the source says.")
    period: str | None = strawberry.field(
        description="What it covers when undated (post-Soviet period, at the time of writing)."
    )
    note: str | None = strawberry.field(description="What else the source says of it.")
    subject_state_id: strawberry.Private[int | None]
    subject_organisation_id: strawberry.Private[int | None]
    subject_person_id: strawberry.Private[int | None]
    partner_state_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.EconomicFigure) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            key=row.key,
            metric=row.metric,
            value=row.value,
            unit=row.unit,
            qualifier=row.qualifier,
            year=row.year,
            period=row.period,
            note=row.note,
            subject_state_id=row.subject_state_id,
            subject_organisation_id=row.subject_organisation_id,
            subject_person_id=row.subject_person_id,
            partner_state_id=row.partner_state_id,
        )

    @strawberry.field(description="Whose figure it is: a state, organisation or person.")
    async def subject(self, info: Info) -> Participant:
        return await load_participant(
            info,
            state_id=self.subject_state_id,
            organisation_id=self.subject_organisation_id,
            person_id=self.subject_person_id,
        )

    @strawberry.field(description="The state the figure concerns besides the subject, if any.")
    async def partner(self, info: Info) -> State | None:
        return await load_state(info, self.partner_state_id)
