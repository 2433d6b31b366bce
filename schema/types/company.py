"""Companies: the manufacturers and firms that sign memoranda and build arms."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import AgreementFilter, AgreementOrder
from schema.loaders.agreements import AGREEMENTS_BY_PARTY_COMPANY_ID
from schema.pagination import Connection, PageQuery
from schema.types.arguments import Filter, OrderBy
from schema.types.node import RowNode
from schema.types.source import Cited
from schema.types.state import State

if TYPE_CHECKING:
    from schema.types.agreement import Agreement

LazyAgreement = Annotated["Agreement", strawberry.lazy("schema.types.agreement")]


@strawberry.type(description="A company that acts in the record (signs, builds, supplies).")
class Company(RowNode, Cited):
    model: ClassVar[Any] = models.Company
    cited_as: ClassVar[str] = "company"

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key of the company in silkgraph.")
    name: str = strawberry.field(description="Name of the company.")
    description: str | None = strawberry.field(description="What it does, in a sentence.")
    country_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Company) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            key=row.key,
            name=row.name,
            description=row.description,
            country_id=row.country_id,
        )

    @strawberry.field(description="The state where it is based.")
    async def country(self, info: Info) -> State | None:
        if self.country_id is None:
            return None
        row = await info.context.loaders.by_id(models.State).load(self.country_id)
        return State.from_row(row) if row else None

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

        return agreements_of(info, AGREEMENTS_BY_PARTY_COMPANY_ID, self.id, filter, order_by)
