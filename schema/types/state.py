"""States: sovereign countries from ISO 3166, and state-like entities with codes of our own."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.loaders.agreements import AGREEMENTS_BY_PARTY_STATE_ID
from schema.loaders.arms_transfers import (
    ARMS_EXPORTS_BY_STATE_ID,
    ARMS_IMPORTS_BY_STATE_ID,
    TRANSFER_ORDER,
)
from schema.loaders.corridors import CORRIDORS_BY_STATE_ID
from schema.loaders.economic_figures import FIGURE_ORDER, FIGURES_BY_STATE_ID
from schema.loaders.events import EVENTS_BY_STATE_ID
from schema.loaders.exercises import EXERCISES_BY_STATE_ID
from schema.loaders.initiatives import INITIATIVES_BY_STATE_ID
from schema.loaders.memberships import MEMBERSHIPS_BY_MEMBER_STATE_ID, MembershipScope
from schema.loaders.organisations import COMPANIES_BY_COUNTRY_ID
from schema.loaders.people import OFFICES_BY_STATE_ID, PEOPLE_BY_NATIONALITY_ID
from schema.loaders.relations import Relation, RowsKey
from schema.pagination import Connection, Nested, PageQuery
from schema.types.enums import CodeAssignment, MembershipRole
from schema.types.node import RowNode
from schema.types.source import Cited

if TYPE_CHECKING:
    from schema.types.agreement import Agreement
    from schema.types.arms_transfer import ArmsTransfer
    from schema.types.company import Company
    from schema.types.corridor import Corridor
    from schema.types.economic_figure import EconomicFigure
    from schema.types.event import Event
    from schema.types.exercise import MilitaryExercise
    from schema.types.initiative import Initiative
    from schema.types.membership import Membership
    from schema.types.person import OfficeHolding, Person
    from schema.types.timeline import TimelineItem

LazyAgreement = Annotated["Agreement", strawberry.lazy("schema.types.agreement")]
LazyArmsTransfer = Annotated["ArmsTransfer", strawberry.lazy("schema.types.arms_transfer")]
LazyCompany = Annotated["Company", strawberry.lazy("schema.types.company")]
LazyMembership = Annotated["Membership", strawberry.lazy("schema.types.membership")]
LazyCorridor = Annotated["Corridor", strawberry.lazy("schema.types.corridor")]
LazyEconomicFigure = Annotated["EconomicFigure", strawberry.lazy("schema.types.economic_figure")]
LazyEvent = Annotated["Event", strawberry.lazy("schema.types.event")]
LazyExercise = Annotated["MilitaryExercise", strawberry.lazy("schema.types.exercise")]
LazyInitiative = Annotated["Initiative", strawberry.lazy("schema.types.initiative")]
LazyOfficeHolding = Annotated["OfficeHolding", strawberry.lazy("schema.types.person")]
LazyPerson = Annotated["Person", strawberry.lazy("schema.types.person")]
LazyTimelineItem = Annotated["TimelineItem", strawberry.lazy("schema.types.timeline")]
YearFrom = Annotated[
    int | None, strawberry.argument(name="from", description="Only items of this year or later.")
]
YearTo = Annotated[
    int | None, strawberry.argument(name="to", description="Only items of this year or earlier.")
]


def transfers_of(info: Info, relation: Relation, parent_id: int) -> PageQuery["ArmsTransfer"]:
    """The arms a state, organisation or non-state actor received or supplied, as a page."""
    from schema.types.arms_transfer import ArmsTransfer

    return PageQuery(
        sessions=info.context.sessions,
        model=models.ArmsTransfer,
        ordering=TRANSFER_ORDER,
        to_node=ArmsTransfer.from_row,
        nested=Nested(relation, parent_id),
    )


@strawberry.type(
    description="A state: an ISO 3166-1 country, a former state, or a state-like entity "
    "(such as Northern Cyprus) with a code from ISO's user-assigned range."
)
class State(RowNode, Cited):
    model: ClassVar[Any] = models.State
    cited_as: ClassVar[str] = "state"

    id: relay.NodeID[int]
    code: str = strawberry.field(description="ISO 3166-1 alpha-3 code, or silkgraph's own.")
    code_assignment: CodeAssignment = strawberry.field(description="Where the code comes from.")
    alpha2: str | None = strawberry.field(description="ISO 3166-1 alpha-2 code, if any.")
    name: str = strawberry.field(description="Short name (ISO's common name where it has one).")
    official_name: str | None = strawberry.field(description="Official name, where ISO gives one.")
    aliases: list[str] = strawberry.field(
        description='Other names sources use for it ("Turkey" for Türkiye).'
    )
    region: str | None = strawberry.field(description="UN M49 sub-region, e.g. Central Asia.")
    continent: str | None = strawberry.field(description="UN M49 region (continent).")
    recognition_note: str | None = strawberry.field(
        description="Who recognises it, where that is in question."
    )

    @classmethod
    def from_row(cls, row: models.State) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            code=row.code,
            code_assignment=row.code_assignment,
            alpha2=row.alpha2,
            name=row.name,
            official_name=row.official_name,
            aliases=list(row.aliases),
            region=row.region,
            continent=row.continent,
            recognition_note=row.recognition_note,
        )

    @strawberry.field(description="Seats this state holds or held in organisations.")
    async def memberships(
        self,
        info: Info,
        as_of: Annotated[
            int | None,
            strawberry.argument(description="Only roles held in this year."),
        ] = None,
        role: Annotated[
            MembershipRole | None, strawberry.argument(description="Only this role.")
        ] = None,
    ) -> list[LazyMembership]:
        from schema.types.membership import Membership

        rows = await info.context.loaders.rows.load(
            RowsKey(MEMBERSHIPS_BY_MEMBER_STATE_ID, self.id, MembershipScope(as_of, role))
        )
        return [Membership.from_row(row) for row in rows]

    @relay.connection(
        Connection[LazyAgreement], description="Agreements this state is a party to, by date."
    )
    async def agreements(self, info: Info) -> PageQuery[LazyAgreement]:
        from schema.types.agreement import agreements_of

        return agreements_of(info, AGREEMENTS_BY_PARTY_STATE_ID, self.id)

    @relay.connection(
        Connection[LazyArmsTransfer], description="Arms this state received, newest order first."
    )
    async def arms_imports(self, info: Info) -> PageQuery[LazyArmsTransfer]:
        return transfers_of(info, ARMS_IMPORTS_BY_STATE_ID, self.id)

    @relay.connection(
        Connection[LazyArmsTransfer], description="Arms this state supplied, newest order first."
    )
    async def arms_exports(self, info: Info) -> PageQuery[LazyArmsTransfer]:
        return transfers_of(info, ARMS_EXPORTS_BY_STATE_ID, self.id)

    @strawberry.field(description="Companies based in this state.")
    async def companies(self, info: Info) -> list[LazyCompany]:
        from schema.types.company import Company

        rows = await info.context.loaders.rows.load(RowsKey(COMPANIES_BY_COUNTRY_ID, self.id))
        return [Company.from_row(row) for row in rows]

    @relay.connection(
        Connection[LazyEvent], description="Events it took part in or hosted, by date."
    )
    async def events(self, info: Info) -> PageQuery[LazyEvent]:
        from schema.types.event import events_of

        return events_of(info, EVENTS_BY_STATE_ID, self.id)

    @strawberry.field(description="Military exercises it joined, hosted or organised, by date.")
    async def military_exercises(self, info: Info) -> list[LazyExercise]:
        from schema.types.exercise import MilitaryExercise

        rows = await info.context.loaders.rows.load(RowsKey(EXERCISES_BY_STATE_ID, self.id))
        return [MilitaryExercise.from_row(row) for row in rows]

    @strawberry.field(
        description="Transport corridors running through it or that it initiated, backs or has "
        "a stake in."
    )
    async def corridors(self, info: Info) -> list[LazyCorridor]:
        from schema.types.corridor import Corridor

        rows = await info.context.loaders.rows.load(RowsKey(CORRIDORS_BY_STATE_ID, self.id))
        return [Corridor.from_row(row) for row in rows]

    @strawberry.field(description="Initiatives it proposed, adopted, joined or is the subject of.")
    async def initiatives(self, info: Info) -> list[LazyInitiative]:
        from schema.types.initiative import Initiative

        rows = await info.context.loaders.rows.load(RowsKey(INITIATIVES_BY_STATE_ID, self.id))
        return [Initiative.from_row(row) for row in rows]

    @relay.connection(
        Connection[LazyEconomicFigure],
        description="Figures about it, or about its dealings with another state, by year.",
    )
    async def economic_figures(self, info: Info) -> PageQuery[LazyEconomicFigure]:
        from schema.types.economic_figure import EconomicFigure

        return PageQuery(
            sessions=info.context.sessions,
            model=models.EconomicFigure,
            ordering=FIGURE_ORDER,
            to_node=EconomicFigure.from_row,
            nested=Nested(FIGURES_BY_STATE_ID, self.id),
        )

    @strawberry.field(description="Offices of this state the sources name, with their holders.")
    async def office_holders(self, info: Info) -> list[LazyOfficeHolding]:
        from schema.types.person import OfficeHolding

        rows = await info.context.loaders.rows.load(RowsKey(OFFICES_BY_STATE_ID, self.id))
        return [OfficeHolding.from_row(row) for row in rows]

    @strawberry.field(description="People the sources name who are its nationals.")
    async def people(self, info: Info) -> list[LazyPerson]:
        from schema.types.person import Person

        rows = await info.context.loaders.rows.load(RowsKey(PEOPLE_BY_NATIONALITY_ID, self.id))
        return [Person.from_row(row) for row in rows]

    @strawberry.field(
        description="Its history in one list: memberships begun and ended, agreements, events, "
        "exercises, initiatives, figures and offices, in date order (undated records left out)."
    )
    async def timeline(
        self, info: Info, year_from: YearFrom = None, year_to: YearTo = None
    ) -> list[LazyTimelineItem]:
        from schema.types.timeline import STATE, build_timeline

        return await build_timeline(
            info,
            STATE,
            self.id,
            founded=None,
            founded_item=None,
            year_from=year_from,
            year_to=year_to,
        )
