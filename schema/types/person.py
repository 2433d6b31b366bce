"""People the sources name, the offices they held, and the Participant union they belong to."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import (
    EconomicFigureFilter,
    EventFilter,
    EventOrder,
    InitiativeFilter,
    OfficeHoldingFilter,
)
from schema.loaders.economic_figures import FIGURES_BY_PERSON_ID
from schema.loaders.events import EVENTS_BY_PERSON_ID
from schema.loaders.initiatives import INITIATIVES_BY_PERSON_ID
from schema.loaders.people import OFFICES_BY_PERSON_ID
from schema.pagination import Connection, PageQuery
from schema.types.arguments import Filter, OfficeAsOf, OrderBy, office_criteria, scope_of
from schema.types.node import RowNode
from schema.types.organisation import Organisation
from schema.types.source import Cited
from schema.types.state import State

if TYPE_CHECKING:
    from schema.types.economic_figure import EconomicFigure
    from schema.types.event import Event
    from schema.types.initiative import Initiative

LazyEvent = Annotated["Event", strawberry.lazy("schema.types.event")]
LazyInitiative = Annotated["Initiative", strawberry.lazy("schema.types.initiative")]
LazyEconomicFigure = Annotated["EconomicFigure", strawberry.lazy("schema.types.economic_figure")]


async def load_state(info: Info, state_id: int | None) -> State | None:
    if state_id is None:
        return None
    row = await info.context.loaders.by_id(models.State).load(state_id)
    return State.from_row(row) if row else None


async def load_organisation(info: Info, organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return None
    row = await info.context.loaders.by_id(models.Organisation).load(organisation_id)
    return Organisation.from_row(row) if row else None


@strawberry.type(
    description="An office a person held in a state or organisation, dated as far as sources "
    "say: `since`/`until` where given, else the year a source says it was held."
)
class OfficeHolding(RowNode, Cited):
    model: ClassVar[Any] = models.OfficeHolding
    cited_as: ClassVar[str] = "office_holding"

    id: relay.NodeID[int]
    office: str = strawberry.field(description="The office (President, Foreign Minister …).")
    since: int | None = strawberry.field(description="Year it began, if reported.")
    since_date: str | None = strawberry.field(description="When it began, as precise as reported.")
    until: int | None = strawberry.field(description="Year it ended, if reported.")
    until_date: str | None = strawberry.field(description="When it ended, as precise as reported.")
    attested_year: int | None = strawberry.field(
        description="When the period is unreported: the year a source says it was held."
    )
    note: str | None = strawberry.field(description="What else the sources say of it.")
    person_id: strawberry.Private[int]
    state_id: strawberry.Private[int | None]
    organisation_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.OfficeHolding) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            office=row.office,
            since=row.since_year,
            since_date=row.since,
            until=row.until_year,
            until_date=row.until,
            attested_year=row.attested_year,
            note=row.note,
            person_id=row.person_id,
            state_id=row.state_id,
            organisation_id=row.organisation_id,
        )

    @strawberry.field(description="Who held it.")
    async def person(self, info: Info) -> "Person":
        row = await info.context.loaders.by_id(models.Person).load(self.person_id)
        assert row is not None
        return Person.from_row(row)

    @strawberry.field(description="The state the office belongs to, if any.")
    async def state(self, info: Info) -> State | None:
        return await load_state(info, self.state_id)

    @strawberry.field(description="The organisation the office belongs to, if any.")
    async def organisation(self, info: Info) -> Organisation | None:
        return await load_organisation(info, self.organisation_id)


@strawberry.type(description="A person the sources name: an office holder, a thinker, a diplomat.")
class Person(RowNode, Cited):
    model: ClassVar[Any] = models.Person
    cited_as: ClassVar[str] = "person"

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key of the person in silkgraph.")
    name: str = strawberry.field(description="Name as the sources spell it.")
    aliases: list[str] = strawberry.field(description="Other spellings (Gasprinskiy …).")
    description: str | None = strawberry.field(description="Who they are, in a sentence or two.")
    nationality_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Person) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            key=row.key,
            name=row.name,
            aliases=list(row.aliases),
            description=row.description,
            nationality_id=row.nationality_id,
        )

    @strawberry.field(description="The state the person is a national of, where known.")
    async def nationality(self, info: Info) -> State | None:
        return await load_state(info, self.nationality_id)

    @strawberry.field(description="Offices held, in order of when they were held.")
    async def offices(
        self,
        info: Info,
        as_of: OfficeAsOf = None,
        filter: Filter[OfficeHoldingFilter] = None,
    ) -> list[OfficeHolding]:
        return await OfficeHolding.related(
            info, OFFICES_BY_PERSON_ID, self.id, office_criteria(as_of, filter)
        )

    @relay.connection(
        Connection[LazyEvent],
        description="Events the person took part in, by date unless `orderBy` says otherwise.",
    )
    async def events(
        self,
        info: Info,
        filter: Filter[EventFilter] = None,
        order_by: OrderBy[EventOrder] = None,
    ) -> PageQuery[LazyEvent]:
        from schema.types.event import events_of

        return events_of(info, EVENTS_BY_PERSON_ID, self.id, filter, order_by)

    @strawberry.field(description="Initiatives the person proposed, authored or is party to.")
    async def initiatives(
        self, info: Info, filter: Filter[InitiativeFilter] = None
    ) -> list[LazyInitiative]:
        from schema.types.initiative import Initiative

        return await Initiative.related(info, INITIATIVES_BY_PERSON_ID, self.id, scope_of(filter))

    @strawberry.field(description="Figures about the person (meetings held …).")
    async def economic_figures(
        self, info: Info, filter: Filter[EconomicFigureFilter] = None
    ) -> list[LazyEconomicFigure]:
        from schema.types.economic_figure import EconomicFigure

        return await EconomicFigure.related(info, FIGURES_BY_PERSON_ID, self.id, scope_of(filter))


Participant = Annotated[
    State | Organisation | Person,
    strawberry.union(
        "Participant", description="Who takes part or acts: a state, organisation or person."
    ),
]
Actor = Annotated[
    State | Organisation,
    strawberry.union("Actor", description="A state or an organisation."),
]


async def load_participant(
    info: Info,
    *,
    state_id: int | None = None,
    organisation_id: int | None = None,
    person_id: int | None = None,
) -> State | Organisation | Person:
    """The one participant an exclusive-arc row points at, through the by-id loaders."""
    if state_id is not None:
        state = await load_state(info, state_id)
        assert state is not None
        return state
    if organisation_id is not None:
        organisation = await load_organisation(info, organisation_id)
        assert organisation is not None
        return organisation
    assert person_id is not None  # the table's check constraint allows no other case
    row = await info.context.loaders.by_id(models.Person).load(person_id)
    assert row is not None
    return Person.from_row(row)
