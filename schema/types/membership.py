"""A member's role in an organisation over time."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.types.actors import Member, load_actor
from schema.types.company import Company
from schema.types.enums import MembershipRole
from schema.types.node import RowNode
from schema.types.organisation import Organisation
from schema.types.source import Cited

if TYPE_CHECKING:
    from schema.types.event import Event

LazyEvent = Annotated["Event", strawberry.lazy("schema.types.event")]


@strawberry.type(
    description="A state or organisation holding one role in an organisation for a period. "
    "A member that changed role (Uzbekistan in the CSTO) has one membership per role."
)
class Membership(RowNode, Cited):
    model: ClassVar[Any] = models.Membership
    cited_as: ClassVar[str] = "membership"

    id: relay.NodeID[int]
    role: MembershipRole = strawberry.field(description="The standing held.")
    since: int | None = strawberry.field(description="Year the role began, if reported.")
    since_date: str | None = strawberry.field(
        description="When the role began, as precise as reported (YYYY, YYYY-MM, YYYY-MM-DD)."
    )
    until: int | None = strawberry.field(description="Year the role ended; null while it lasts.")
    until_date: str | None = strawberry.field(
        description="When the role ended, as precise as reported."
    )
    attested_year: int | None = strawberry.field(
        description="When the start is unreported: the year a source says the role held. "
        "`asOf` counts the role from this year."
    )
    note: str | None = strawberry.field(description="What else the sources say of it.")
    organisation_id: strawberry.Private[int]
    member_state_id: strawberry.Private[int | None]
    member_organisation_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Membership) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            role=row.role,
            since=row.since_year,
            since_date=row.since,
            until=row.until_year,
            until_date=row.until,
            attested_year=row.attested_year,
            note=row.note,
            organisation_id=row.organisation_id,
            member_state_id=row.member_state_id,
            member_organisation_id=row.member_organisation_id,
        )

    @strawberry.field(description="Who holds the seat.")
    async def member(self, info: Info) -> Member:
        actor = await load_actor(
            info, state_id=self.member_state_id, organisation_id=self.member_organisation_id
        )
        assert not isinstance(actor, Company)
        return actor

    @strawberry.field(description="The organisation the seat is in.")
    async def organisation(self, info: Info) -> Organisation:
        row = await info.context.loaders.by_id(models.Organisation).load(self.organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field(description="Events at which the role was granted (observer status …).")
    async def events(self, info: Info) -> list[LazyEvent]:
        from schema.loaders.events import EVENTS_BY_OUTCOME_MEMBERSHIP_ID
        from schema.types.event import events_list

        return await events_list(info, EVENTS_BY_OUTCOME_MEMBERSHIP_ID, self.id)
