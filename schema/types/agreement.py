"""Agreements in the broad sense and the parties to them."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import AGREEMENT_SORT, AgreementFilter, AgreementOrder, criteria_of
from schema.loaders.agreements import AGREEMENT_ORDER, PARTIES_BY_AGREEMENT_ID
from schema.loaders.arms_transfers import ARMS_TRANSFERS_BY_AGREEMENT_ID
from schema.loaders.relations import Relation, RowsKey
from schema.ordering import ordering_of
from schema.pagination import Nested, PageQuery
from schema.types.actors import Party, load_actor
from schema.types.enums import AgreementKind, AgreementStatus, DatePrecision, PartyRole
from schema.types.node import RowNode
from schema.types.source import Cited

if TYPE_CHECKING:
    from schema.types.arms_transfer import ArmsTransfer
    from schema.types.event import Event

LazyArmsTransfer = Annotated["ArmsTransfer", strawberry.lazy("schema.types.arms_transfer")]
LazyEvent = Annotated["Event", strawberry.lazy("schema.types.event")]


@strawberry.type(description="A party to an agreement together with how it stands to it.")
class AgreementParty:
    role: PartyRole = strawberry.field(description="Signatory, adopter or issuing body.")
    row: strawberry.Private[models.AgreementParty]

    @strawberry.field(description="The state, organisation or company.")
    async def party(self, info: Info) -> Party:
        return await load_actor(
            info,
            state_id=self.row.state_id,
            organisation_id=self.row.organisation_id,
            company_id=self.row.company_id,
        )


@strawberry.type(
    description="A treaty, agreement, declaration, memorandum, protocol, concept, resolution "
    "or similar instrument, with its parties."
)
class Agreement(RowNode, Cited):
    model: ClassVar[Any] = models.Agreement
    cited_as: ClassVar[str] = "agreement"

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key of the agreement in silkgraph.")
    title: str = strawberry.field(description="Title, or the name sources use for it.")
    kind: AgreementKind = strawberry.field(description="Its form.")
    date: str | None = strawberry.field(
        description="When it was signed or adopted, as precise as reported "
        "(`2021`, `2022-05`, `2025-11-16`)."
    )
    date_precision: DatePrecision | None = strawberry.field(
        description="Whether `date` gives a year, a month or a day."
    )
    year: int | None = strawberry.field(description="The year of `date`.")
    place: str | None = strawberry.field(description="Where it was signed or adopted.")
    summary: str | None = strawberry.field(description="What it does, in a sentence or two.")
    status: AgreementStatus = strawberry.field(description="How far it has got.")

    @classmethod
    def from_row(cls, row: models.Agreement) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            key=row.key,
            title=row.title,
            kind=row.kind,
            date=row.date,
            date_precision=row.date_precision,
            year=row.year,
            place=row.place,
            summary=row.summary,
            status=row.status,
        )

    async def _parties(self, info: Info) -> list[AgreementParty]:
        rows = await info.context.loaders.rows.load(RowsKey(PARTIES_BY_AGREEMENT_ID, self.id))
        return [AgreementParty(role=row.role, row=row) for row in rows]

    @strawberry.field(description="The states, organisations and companies party to it.")
    async def parties(self, info: Info) -> list[Party]:
        return [await party.party(info) for party in await self._parties(info)]

    @strawberry.field(description="The parties with the role each plays.")
    async def party_roles(self, info: Info) -> list[AgreementParty]:
        return await self._parties(info)

    @strawberry.field(description="Arms transfers made under it.")
    async def arms_transfers(self, info: Info) -> list[LazyArmsTransfer]:
        from schema.types.arms_transfer import ArmsTransfer

        return await ArmsTransfer.related(info, ARMS_TRANSFERS_BY_AGREEMENT_ID, self.id)

    @strawberry.field(description="Events at which it was signed or adopted.")
    async def events(self, info: Info) -> list[LazyEvent]:
        from schema.loaders.events import EVENTS_BY_OUTCOME_AGREEMENT_ID
        from schema.types.event import events_list

        return await events_list(info, EVENTS_BY_OUTCOME_AGREEMENT_ID, self.id)


def agreements_of(
    info: Info,
    relation: Relation,
    parent_id: int,
    filter: AgreementFilter | None,
    order_by: list[AgreementOrder] | None,
) -> PageQuery[Agreement]:
    """The agreements a party (state, organisation, company) is party to, as a nested page."""
    return PageQuery(
        sessions=info.context.sessions,
        model=models.Agreement,
        ordering=ordering_of(AGREEMENT_SORT, order_by, AGREEMENT_ORDER),
        to_node=Agreement.from_row,
        nested=Nested(relation, parent_id, criteria_of(filter) or None),
    )
