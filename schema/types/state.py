"""States: sovereign countries from ISO 3166, and state-like entities with codes of our own."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import (
    ARMS_TRANSFER_SORT,
    ECONOMIC_FIGURE_SORT,
    AgreementFilter,
    AgreementOrder,
    ArmsTransferFilter,
    ArmsTransferOrder,
    CorridorFilter,
    EconomicFigureFilter,
    EconomicFigureOrder,
    EventFilter,
    EventOrder,
    InitiativeFilter,
    IntRange,
    MembershipFilter,
    MilitaryExerciseFilter,
    OfficeHoldingFilter,
    PersonFilter,
    state_code,
    transfer_criteria_of,
)
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
from schema.loaders.memberships import MEMBERSHIPS_BY_MEMBER_STATE_ID
from schema.loaders.organisations import COMPANIES_BY_COUNTRY_ID
from schema.loaders.people import OFFICES_BY_STATE_ID, PEOPLE_BY_NATIONALITY_ID
from schema.loaders.relations import Relation, RowsKey
from schema.ordering import ordering_of
from schema.pagination import Connection, Nested, PageQuery
from schema.types.arguments import (
    AsOf,
    Filter,
    OfficeAsOf,
    OrderBy,
    Role,
    Years,
    membership_criteria,
    office_criteria,
    scope_of,
    transfer_criteria,
)
from schema.types.enums import CodeAssignment
from schema.types.node import RowNode
from schema.types.source import Cited

if TYPE_CHECKING:
    from schema.types.agreement import Agreement
    from schema.types.analyses import ArmsSupplierDiversification, SharedOrganisation
    from schema.types.arms_transfer import ArmsTransfer
    from schema.types.company import Company
    from schema.types.corridor import Corridor
    from schema.types.economic_figure import EconomicFigure
    from schema.types.event import Event
    from schema.types.exercise import MilitaryExercise
    from schema.types.history import MembershipChange
    from schema.types.initiative import Initiative
    from schema.types.membership import Membership
    from schema.types.person import OfficeHolding, Person
    from schema.types.timeline import TimelineItem

LazyAgreement = Annotated["Agreement", strawberry.lazy("schema.types.agreement")]
LazyArmsTransfer = Annotated["ArmsTransfer", strawberry.lazy("schema.types.arms_transfer")]
LazyCompany = Annotated["Company", strawberry.lazy("schema.types.company")]
LazyMembership = Annotated["Membership", strawberry.lazy("schema.types.membership")]
LazyDiversification = Annotated[
    "ArmsSupplierDiversification", strawberry.lazy("schema.types.analyses")
]
LazySharedOrganisation = Annotated["SharedOrganisation", strawberry.lazy("schema.types.analyses")]
LazyMembershipChange = Annotated["MembershipChange", strawberry.lazy("schema.types.history")]
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


def transfers_of(
    info: Info,
    relation: Relation,
    parent_id: int,
    filter: ArmsTransferFilter | None = None,
    order_by: list[ArmsTransferOrder] | None = None,
) -> PageQuery["ArmsTransfer"]:
    """The arms a state, organisation or non-state actor received or supplied, as a page."""
    from schema.types.arms_transfer import ArmsTransfer

    return PageQuery(
        sessions=info.context.sessions,
        model=models.ArmsTransfer,
        ordering=ordering_of(ARMS_TRANSFER_SORT, order_by, TRANSFER_ORDER),
        to_node=ArmsTransfer.from_row,
        nested=Nested(relation, parent_id, transfer_criteria_of(filter) or None),
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
        as_of: AsOf = None,
        role: Role = None,
        filter: Filter[MembershipFilter] = None,
    ) -> list[LazyMembership]:
        from schema.types.membership import Membership

        scope = membership_criteria(as_of, role, filter)
        return await Membership.related(info, MEMBERSHIPS_BY_MEMBER_STATE_ID, self.id, scope)

    @strawberry.field(
        description="Every change in the seats this state holds, oldest first: joined, became "
        "observer, suspended, left …"
    )
    async def membership_history(
        self, info: Info, years: Years = None
    ) -> list[LazyMembershipChange]:
        from schema.types.history import membership_changes

        rows = await info.context.loaders.rows.load(
            RowsKey(MEMBERSHIPS_BY_MEMBER_STATE_ID, self.id)
        )
        return membership_changes(rows, years)

    @relay.connection(
        Connection[LazyAgreement],
        description="Agreements this state is a party to, by date unless `orderBy` says otherwise.",
    )
    async def agreements(
        self,
        info: Info,
        filter: Filter[AgreementFilter] = None,
        order_by: OrderBy[AgreementOrder] = None,
    ) -> PageQuery[LazyAgreement]:
        from schema.types.agreement import agreements_of

        return agreements_of(info, AGREEMENTS_BY_PARTY_STATE_ID, self.id, filter, order_by)

    @relay.connection(
        Connection[LazyArmsTransfer],
        description="Arms this state received, newest order first unless `orderBy` says otherwise.",
    )
    async def arms_imports(
        self,
        info: Info,
        filter: Filter[ArmsTransferFilter] = None,
        order_by: OrderBy[ArmsTransferOrder] = None,
    ) -> PageQuery[LazyArmsTransfer]:
        return transfers_of(info, ARMS_IMPORTS_BY_STATE_ID, self.id, filter, order_by)

    @relay.connection(
        Connection[LazyArmsTransfer],
        description="Arms this state supplied, newest order first unless `orderBy` says otherwise.",
    )
    async def arms_exports(
        self,
        info: Info,
        filter: Filter[ArmsTransferFilter] = None,
        order_by: OrderBy[ArmsTransferOrder] = None,
    ) -> PageQuery[LazyArmsTransfer]:
        return transfers_of(info, ARMS_EXPORTS_BY_STATE_ID, self.id, filter, order_by)

    @strawberry.field(
        description="How spread this state's arms imports are over suppliers: the paper's "
        '"multi-vector" measure (shares, top supplier, Herfindahl–Hirschman index).'
    )
    async def arms_supplier_diversification(
        self,
        info: Info,
        order_year: Annotated[
            IntRange | None,
            strawberry.argument(description="Only deals ordered in these years."),
        ] = None,
        filter: Filter[ArmsTransferFilter] = None,
    ) -> LazyDiversification:
        from schema.loaders.analyses import SuppliersKey, load_supplier_counts
        from schema.types.analyses import diversification

        criteria = transfer_criteria(order_year, filter)
        counts = await info.context.loaders.batch(load_supplier_counts).load(
            SuppliersKey(self.id, criteria)
        )
        return diversification(self.id, counts)

    @strawberry.field(
        description="Organisations this state and another both belong to, with each one's "
        "roles, by acronym."
    )
    async def shared_organisations(
        self,
        info: Info,
        with_: Annotated[
            str, strawberry.argument(name="with", description="The other state's code.")
        ],
        as_of: Annotated[
            int | None,
            strawberry.argument(description="Only seats both held in this year."),
        ] = None,
    ) -> list[LazySharedOrganisation]:
        from schema.loaders.analyses import SharedKey, load_shared_seats
        from schema.types.analyses import SharedOrganisation

        other = state_code(with_, "with")
        seats = await info.context.loaders.batch(load_shared_seats).load(
            SharedKey(self.id, other, as_of)
        )
        return [SharedOrganisation.from_seats(s) for s in seats]

    @strawberry.field(description="Companies based in this state.")
    async def companies(self, info: Info) -> list[LazyCompany]:
        from schema.types.company import Company

        return await Company.related(info, COMPANIES_BY_COUNTRY_ID, self.id)

    @relay.connection(
        Connection[LazyEvent], description="Events it took part in or hosted, by date."
    )
    async def events(
        self,
        info: Info,
        filter: Filter[EventFilter] = None,
        order_by: OrderBy[EventOrder] = None,
    ) -> PageQuery[LazyEvent]:
        from schema.types.event import events_of

        return events_of(info, EVENTS_BY_STATE_ID, self.id, filter, order_by)

    @strawberry.field(description="Military exercises it joined, hosted or organised, by date.")
    async def military_exercises(
        self, info: Info, filter: Filter[MilitaryExerciseFilter] = None
    ) -> list[LazyExercise]:
        from schema.types.exercise import MilitaryExercise

        return await MilitaryExercise.related(
            info, EXERCISES_BY_STATE_ID, self.id, scope_of(filter)
        )

    @strawberry.field(
        description="Transport corridors running through it or that it initiated, backs or has "
        "a stake in."
    )
    async def corridors(
        self, info: Info, filter: Filter[CorridorFilter] = None
    ) -> list[LazyCorridor]:
        from schema.types.corridor import Corridor

        return await Corridor.related(info, CORRIDORS_BY_STATE_ID, self.id, scope_of(filter))

    @strawberry.field(description="Initiatives it proposed, adopted, joined or is the subject of.")
    async def initiatives(
        self, info: Info, filter: Filter[InitiativeFilter] = None
    ) -> list[LazyInitiative]:
        from schema.types.initiative import Initiative

        return await Initiative.related(info, INITIATIVES_BY_STATE_ID, self.id, scope_of(filter))

    @relay.connection(
        Connection[LazyEconomicFigure],
        description="Figures about it, or about its dealings with another state, by year.",
    )
    async def economic_figures(
        self,
        info: Info,
        filter: Filter[EconomicFigureFilter] = None,
        order_by: OrderBy[EconomicFigureOrder] = None,
    ) -> PageQuery[LazyEconomicFigure]:
        from schema.types.economic_figure import EconomicFigure

        return PageQuery(
            sessions=info.context.sessions,
            model=models.EconomicFigure,
            ordering=ordering_of(ECONOMIC_FIGURE_SORT, order_by, FIGURE_ORDER),
            to_node=EconomicFigure.from_row,
            nested=Nested(FIGURES_BY_STATE_ID, self.id, scope_of(filter)),
        )

    @strawberry.field(description="Offices of this state the sources name, with their holders.")
    async def office_holders(
        self,
        info: Info,
        as_of: OfficeAsOf = None,
        filter: Filter[OfficeHoldingFilter] = None,
    ) -> list[LazyOfficeHolding]:
        from schema.types.person import OfficeHolding

        return await OfficeHolding.related(
            info, OFFICES_BY_STATE_ID, self.id, office_criteria(as_of, filter)
        )

    @strawberry.field(description="People the sources name who are its nationals.")
    async def people(self, info: Info, filter: Filter[PersonFilter] = None) -> list[LazyPerson]:
        from schema.types.person import Person

        return await Person.related(info, PEOPLE_BY_NATIONALITY_ID, self.id, scope_of(filter))

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
