"""Initiatives and policies: plans, concepts, formats and proposals that are not agreements."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.loaders.events import EVENTS_BY_OUTCOME_INITIATIVE_ID
from schema.loaders.initiatives import ACTORS_BY_INITIATIVE_ID
from schema.loaders.relations import RowsKey
from schema.types.enums import DatePrecision, InitiativeKind, InitiativeRole, InitiativeStatus
from schema.types.node import RowNode
from schema.types.person import Participant, load_participant
from schema.types.source import Cited

if TYPE_CHECKING:
    from schema.types.event import Event

LazyEvent = Annotated["Event", strawberry.lazy("schema.types.event")]


@strawberry.type(description="A state, organisation or person and how it stands to an initiative.")
class InitiativeActor:
    role: InitiativeRole = strawberry.field(description="Proposer, initiator, adopter …")
    row: strawberry.Private[models.InitiativeActor]

    @strawberry.field(description="The state, organisation or person.")
    async def actor(self, info: Info) -> Participant:
        return await load_participant(
            info,
            state_id=self.row.state_id,
            organisation_id=self.row.organisation_id,
            person_id=self.row.person_id,
        )


@strawberry.type(
    description="A plan, concept, policy, strategy, format, proposal or narrative that is not a "
    "signed agreement: who proposed or adopted it, when, and how far it got."
)
class Initiative(RowNode, Cited):
    model: ClassVar[Any] = models.Initiative
    cited_as: ClassVar[str] = "initiative"

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key of the initiative in silkgraph.")
    title: str = strawberry.field(description="Its name.")
    kind: InitiativeKind = strawberry.field(description="What sort of initiative it is.")
    status: InitiativeStatus = strawberry.field(description="How far it has got.")
    date: str | None = strawberry.field(
        description="When it was proposed, launched or published, as precise as reported."
    )
    date_precision: DatePrecision | None = strawberry.field(
        description="Whether `date` gives a year, a month or a day."
    )
    year: int | None = strawberry.field(description="The year of `date`.")
    summary: str | None = strawberry.field(description="What it is, in a sentence or two.")

    @classmethod
    def from_row(cls, row: models.Initiative) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            key=row.key,
            title=row.title,
            kind=row.kind,
            status=row.status,
            date=row.date,
            date_precision=row.date_precision,
            year=row.year,
            summary=row.summary,
        )

    @strawberry.field(description="Who proposed, initiated, adopted or realises it, and how.")
    async def actors(self, info: Info) -> list[InitiativeActor]:
        rows = await info.context.loaders.rows.load(RowsKey(ACTORS_BY_INITIATIVE_ID, self.id))
        return [InitiativeActor(role=row.role, row=row) for row in rows]

    @strawberry.field(description="Events at which it was proposed or announced.")
    async def events(self, info: Info) -> list[LazyEvent]:
        from schema.types.event import events_list

        return await events_list(info, EVENTS_BY_OUTCOME_INITIATIVE_ID, self.id)
