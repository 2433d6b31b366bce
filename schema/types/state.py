"""States: sovereign countries from ISO 3166, and state-like entities with codes of our own."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import (
    ARMS_TRANSFER_SORT,
    AgreementFilter,
    AgreementOrder,
    ArmsTransferFilter,
    ArmsTransferOrder,
    IntRange,
    MembershipFilter,
    criteria_of,
    state_code,
)
from schema.loaders.agreements import AGREEMENTS_BY_PARTY_STATE_ID
from schema.loaders.arms_transfers import (
    ARMS_EXPORTS_BY_STATE_ID,
    ARMS_IMPORTS_BY_STATE_ID,
    TRANSFER_ORDER,
)
from schema.loaders.memberships import MEMBERSHIPS_BY_MEMBER_STATE_ID
from schema.loaders.organisations import COMPANIES_BY_COUNTRY_ID
from schema.loaders.relations import Relation, RowsKey
from schema.ordering import ordering_of
from schema.pagination import Connection, Nested, PageQuery
from schema.types.arguments import (
    AsOf,
    Filter,
    OrderBy,
    Role,
    Years,
    membership_criteria,
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
    from schema.types.history import MembershipChange
    from schema.types.membership import Membership

LazyAgreement = Annotated["Agreement", strawberry.lazy("schema.types.agreement")]
LazyArmsTransfer = Annotated["ArmsTransfer", strawberry.lazy("schema.types.arms_transfer")]
LazyCompany = Annotated["Company", strawberry.lazy("schema.types.company")]
LazyMembership = Annotated["Membership", strawberry.lazy("schema.types.membership")]
LazyDiversification = Annotated[
    "ArmsSupplierDiversification", strawberry.lazy("schema.types.analyses")
]
LazySharedOrganisation = Annotated["SharedOrganisation", strawberry.lazy("schema.types.analyses")]
LazyMembershipChange = Annotated["MembershipChange", strawberry.lazy("schema.types.history")]


def _transfers(
    info: Info,
    relation: Relation,
    state_id: int,
    filter: ArmsTransferFilter | None,
    order_by: list[ArmsTransferOrder] | None,
) -> PageQuery["ArmsTransfer"]:
    from schema.types.arms_transfer import ArmsTransfer

    return PageQuery(
        sessions=info.context.sessions,
        model=models.ArmsTransfer,
        ordering=ordering_of(ARMS_TRANSFER_SORT, order_by, TRANSFER_ORDER),
        to_node=ArmsTransfer.from_row,
        nested=Nested(relation, state_id, criteria_of(filter) or None),
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
        rows = await info.context.loaders.rows.load(
            RowsKey(MEMBERSHIPS_BY_MEMBER_STATE_ID, self.id, scope)
        )
        return [Membership.from_row(row) for row in rows]

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
        return _transfers(info, ARMS_IMPORTS_BY_STATE_ID, self.id, filter, order_by)

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
        return _transfers(info, ARMS_EXPORTS_BY_STATE_ID, self.id, filter, order_by)

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

        rows = await info.context.loaders.rows.load(RowsKey(COMPANIES_BY_COUNTRY_ID, self.id))
        return [Company.from_row(row) for row in rows]
