"""Organisations: international organisations, alliances, assemblies, agencies and formats."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import (
    AgreementFilter,
    AgreementOrder,
    ArmsTransferFilter,
    ArmsTransferOrder,
    CorridorFilter,
    EconomicFigureFilter,
    EventFilter,
    EventOrder,
    InitiativeFilter,
    MembershipFilter,
    MilitaryExerciseFilter,
    OfficeHoldingFilter,
)
from schema.loaders.agreements import AGREEMENTS_BY_PARTY_ORGANISATION_ID
from schema.loaders.arms_transfers import (
    ARMS_EXPORTS_BY_ORGANISATION_ID,
    ARMS_IMPORTS_BY_ORGANISATION_ID,
)
from schema.loaders.corridors import CORRIDORS_BY_ORGANISATION_ID
from schema.loaders.economic_figures import FIGURES_BY_ORGANISATION_ID
from schema.loaders.events import EVENTS_BY_ORGANISATION_ID
from schema.loaders.exercises import EXERCISES_BY_ORGANISER_ORGANISATION_ID
from schema.loaders.initiatives import INITIATIVES_BY_ORGANISATION_ID
from schema.loaders.memberships import (
    MEMBERSHIPS_BY_MEMBER_ORGANISATION_ID,
    MEMBERSHIPS_BY_ORGANISATION_ID,
)
from schema.loaders.organisations import (
    FORMER_NAMES_BY_ORGANISATION_ID,
    SUBSIDIARIES_BY_PARENT_ID,
    names_in_use,
)
from schema.loaders.people import OFFICES_BY_ORGANISATION_ID
from schema.loaders.relations import Relation, RowsKey
from schema.pagination import Connection, PageQuery
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
)
from schema.types.enums import MembershipRole, OrganisationKind
from schema.types.node import FromRow, RowNode
from schema.types.source import Cited
from schema.types.state import (
    LazyCorridor,
    LazyEconomicFigure,
    LazyEvent,
    LazyExercise,
    LazyInitiative,
    LazyOfficeHolding,
    LazyTimelineItem,
    State,
    YearFrom,
    YearTo,
    transfers_of,
)

if TYPE_CHECKING:
    from schema.types.agreement import Agreement
    from schema.types.arms_transfer import ArmsTransfer
    from schema.types.history import MembershipChange
    from schema.types.membership import Membership

LazyAgreement = Annotated["Agreement", strawberry.lazy("schema.types.agreement")]
LazyArmsTransfer = Annotated["ArmsTransfer", strawberry.lazy("schema.types.arms_transfer")]
LazyMembership = Annotated["Membership", strawberry.lazy("schema.types.membership")]
LazyMembershipChange = Annotated["MembershipChange", strawberry.lazy("schema.types.history")]


@strawberry.type(description="A name an organisation carried before, with the years it was used.")
class FormerName(FromRow, Cited):
    cited_as: ClassVar[str] = "organisation_name"

    name: str = strawberry.field(description="The name as then used.")
    from_: int | None = strawberry.field(name="from", description="First year of use, if known.")
    until: int | None = strawberry.field(description="Year the name was given up, if known.")
    id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.OrganisationName) -> Self:
        assert row.id is not None
        return cls(name=row.name, from_=row.from_year, until=row.until_year, id=row.id)


async def _memberships(
    info: Info,
    relation: Relation,
    parent_id: int,
    as_of: int | None,
    role: MembershipRole | None,
    filter: MembershipFilter | None,
) -> list["Membership"]:
    from schema.types.membership import Membership

    scope = membership_criteria(as_of, role, filter)
    return await Membership.related(info, relation, parent_id, scope)


@strawberry.type(
    description="An international organisation, alliance, parliamentary assembly, agency or "
    "standing format of cooperation."
)
class Organisation(RowNode, Cited):
    model: ClassVar[Any] = models.Organisation
    cited_as: ClassVar[str] = "organisation"

    id: relay.NodeID[int]
    acronym: str = strawberry.field(
        description="Its acronym, or the customary short name where it has none."
    )
    name: str = strawberry.field(description="Full current name.")
    kind: OrganisationKind = strawberry.field(description="What sort of body it is.")
    founded: int | None = strawberry.field(description="Year founded, if the sources give it.")
    headquarters: str | None = strawberry.field(description="Seat (city), if the sources give it.")
    description: str | None = strawberry.field(description="What it is, in a sentence.")
    cow_number: int | None = strawberry.field(
        description="Its number (`ionum`) in the Correlates of War IGO data, if COW has it."
    )
    headquarters_state_id: strawberry.Private[int | None]
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Organisation) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            acronym=row.acronym,
            name=row.name,
            kind=row.kind,
            founded=row.founded_year,
            headquarters=row.headquarters,
            description=row.description,
            cow_number=row.cow_number,
            headquarters_state_id=row.headquarters_state_id,
            parent_id=row.parent_id,
        )

    @strawberry.field(description="The state where its headquarters are.")
    async def headquarters_state(self, info: Info) -> State | None:
        if self.headquarters_state_id is None:
            return None
        row = await info.context.loaders.by_id(models.State).load(self.headquarters_state_id)
        return State.from_row(row) if row else None

    @strawberry.field(description="The organisation it belongs to (UN for the Security Council).")
    async def parent(self, info: Info) -> "Organisation | None":
        if self.parent_id is None:
            return None
        row = await info.context.loaders.by_id(models.Organisation).load(self.parent_id)
        return Organisation.from_row(row) if row else None

    @strawberry.field(description="Bodies that belong to it: organs, committees, formats.")
    async def subsidiaries(self, info: Info) -> list["Organisation"]:
        return await Organisation.related(info, SUBSIDIARIES_BY_PARENT_ID, self.id)

    @strawberry.field(description="Names it carried before, oldest first.")
    async def former_names(
        self,
        info: Info,
        as_of: Annotated[
            int | None,
            strawberry.argument(
                description="Only names in use in this year (a name given up in a year no "
                "longer counts in it)."
            ),
        ] = None,
    ) -> list[FormerName]:
        return await FormerName.related(
            info, FORMER_NAMES_BY_ORGANISATION_ID, self.id, names_in_use(as_of)
        )

    @strawberry.field(
        description="What it was called in a year: the (first) former name then in use, else "
        "its current name; null for a year before it was founded."
    )
    async def name_as_of(
        self, info: Info, year: Annotated[int, strawberry.argument(description="The year.")]
    ) -> str | None:
        if self.founded is not None and year < self.founded:
            return None
        in_use = await self.former_names(info, as_of=year)
        return in_use[0].name if in_use else self.name

    @strawberry.field(
        description="Every change in who belongs to it and how, oldest first: joined, became "
        "observer, suspended, left …"
    )
    async def membership_history(
        self, info: Info, years: Years = None
    ) -> list[LazyMembershipChange]:
        from schema.types.history import membership_changes

        rows = await info.context.loaders.rows.load(
            RowsKey(MEMBERSHIPS_BY_ORGANISATION_ID, self.id)
        )
        return membership_changes(rows, years)

    @strawberry.field(description="Its members, observers, candidates …, in order of joining.")
    async def members(
        self,
        info: Info,
        as_of: AsOf = None,
        role: Role = None,
        filter: Filter[MembershipFilter] = None,
    ) -> list[LazyMembership]:
        return await _memberships(
            info, MEMBERSHIPS_BY_ORGANISATION_ID, self.id, as_of, role, filter
        )

    @strawberry.field(
        description="Seats it holds in other organisations (the ECO is an OTS observer)."
    )
    async def memberships(
        self,
        info: Info,
        as_of: AsOf = None,
        role: Role = None,
        filter: Filter[MembershipFilter] = None,
    ) -> list[LazyMembership]:
        return await _memberships(
            info, MEMBERSHIPS_BY_MEMBER_ORGANISATION_ID, self.id, as_of, role, filter
        )

    @relay.connection(
        Connection[LazyAgreement],
        description="Agreements it is a party to, by date unless `orderBy` says otherwise.",
    )
    async def agreements(
        self,
        info: Info,
        filter: Filter[AgreementFilter] = None,
        order_by: OrderBy[AgreementOrder] = None,
    ) -> PageQuery[LazyAgreement]:
        from schema.types.agreement import agreements_of

        return agreements_of(info, AGREEMENTS_BY_PARTY_ORGANISATION_ID, self.id, filter, order_by)

    @relay.connection(
        Connection[LazyEvent],
        description="Events it took part in, organised, or came out of, by date.",
    )
    async def events(
        self,
        info: Info,
        filter: Filter[EventFilter] = None,
        order_by: OrderBy[EventOrder] = None,
    ) -> PageQuery[LazyEvent]:
        from schema.types.event import events_of

        return events_of(info, EVENTS_BY_ORGANISATION_ID, self.id, filter, order_by)

    @strawberry.field(description="Military exercises it organised, by date.")
    async def military_exercises(
        self, info: Info, filter: Filter[MilitaryExerciseFilter] = None
    ) -> list[LazyExercise]:
        from schema.types.exercise import MilitaryExercise

        return await MilitaryExercise.related(
            info, EXERCISES_BY_ORGANISER_ORGANISATION_ID, self.id, scope_of(filter)
        )

    @strawberry.field(description="Transport corridors it coordinates, backs or initiated.")
    async def corridors(
        self, info: Info, filter: Filter[CorridorFilter] = None
    ) -> list[LazyCorridor]:
        from schema.types.corridor import Corridor

        return await Corridor.related(info, CORRIDORS_BY_ORGANISATION_ID, self.id, scope_of(filter))

    @strawberry.field(
        description="Initiatives it proposed, adopted, published, realises or is the subject of."
    )
    async def initiatives(
        self, info: Info, filter: Filter[InitiativeFilter] = None
    ) -> list[LazyInitiative]:
        from schema.types.initiative import Initiative

        return await Initiative.related(
            info, INITIATIVES_BY_ORGANISATION_ID, self.id, scope_of(filter)
        )

    @strawberry.field(description="Figures about it (areas of cooperation, countries reached …).")
    async def economic_figures(
        self, info: Info, filter: Filter[EconomicFigureFilter] = None
    ) -> list[LazyEconomicFigure]:
        from schema.types.economic_figure import EconomicFigure

        return await EconomicFigure.related(
            info, FIGURES_BY_ORGANISATION_ID, self.id, scope_of(filter)
        )

    @strawberry.field(description="Offices in it the sources name, with their holders.")
    async def office_holders(
        self,
        info: Info,
        as_of: OfficeAsOf = None,
        filter: Filter[OfficeHoldingFilter] = None,
    ) -> list[LazyOfficeHolding]:
        from schema.types.person import OfficeHolding

        return await OfficeHolding.related(
            info, OFFICES_BY_ORGANISATION_ID, self.id, office_criteria(as_of, filter)
        )

    @strawberry.field(
        description="Its history in one list: founding, seats and members gained and lost, "
        "agreements, events, exercises, initiatives, figures and offices, in date order "
        "(undated records left out)."
    )
    async def timeline(
        self, info: Info, year_from: YearFrom = None, year_to: YearTo = None
    ) -> list[LazyTimelineItem]:
        from schema.types.timeline import ORGANISATION, build_timeline

        return await build_timeline(
            info,
            ORGANISATION,
            self.id,
            founded=self.founded,
            founded_item=self,
            year_from=year_from,
            year_to=year_to,
        )

    @relay.connection(
        Connection[LazyArmsTransfer],
        description="Arms it received (UN peacekeeping, NATO's AWACS …), newest order first.",
    )
    async def arms_imports(
        self,
        info: Info,
        filter: Filter[ArmsTransferFilter] = None,
        order_by: OrderBy[ArmsTransferOrder] = None,
    ) -> PageQuery[LazyArmsTransfer]:
        return transfers_of(info, ARMS_IMPORTS_BY_ORGANISATION_ID, self.id, filter, order_by)

    @relay.connection(
        Connection[LazyArmsTransfer], description="Arms it supplied, newest order first."
    )
    async def arms_exports(
        self,
        info: Info,
        filter: Filter[ArmsTransferFilter] = None,
        order_by: OrderBy[ArmsTransferOrder] = None,
    ) -> PageQuery[LazyArmsTransfer]:
        return transfers_of(info, ARMS_EXPORTS_BY_ORGANISATION_ID, self.id, filter, order_by)
