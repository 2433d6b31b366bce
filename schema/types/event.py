"""Events: summits, meetings, conferences, fairs; their participants, outcomes and agendas."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import EVENT_SORT, EventFilter, EventOrder
from schema.loaders.corridors import CORRIDORS_BY_EVENT_ID
from schema.loaders.events import (
    EVENT_ORDER,
    OUTCOMES_BY_EVENT_ID,
    PARTICIPANTS_BY_EVENT_ID,
    SIDE_EVENTS_BY_PARENT_ID,
)
from schema.loaders.relations import Relation, RowsKey
from schema.ordering import ordering_of
from schema.pagination import Nested, PageQuery
from schema.types.agreement import Agreement
from schema.types.arguments import scope_of
from schema.types.enums import DatePrecision, EventKind, OutcomeKind, ParticipantRole
from schema.types.membership import Membership
from schema.types.node import RowNode
from schema.types.organisation import Organisation
from schema.types.person import Participant, load_organisation, load_participant, load_state
from schema.types.source import Cited
from schema.types.state import State

if TYPE_CHECKING:
    from schema.types.corridor import Corridor
    from schema.types.initiative import Initiative

LazyCorridor = Annotated["Corridor", strawberry.lazy("schema.types.corridor")]
LazyInitiative = Annotated["Initiative", strawberry.lazy("schema.types.initiative")]

OutcomeRecord = Annotated[
    Agreement | Membership | Organisation | LazyInitiative,
    strawberry.union(
        "OutcomeRecord",
        description="What an event produced: an agreement, a membership, a body or an initiative.",
    ),
]


@strawberry.type(description="A participant of an event with the role it played.")
class EventParticipant:
    role: ParticipantRole = strawberry.field(description="Host, attendee, speaker …")
    note: str | None = strawberry.field(description="How it took part, where the source says.")
    row: strawberry.Private[models.EventParticipant]

    @strawberry.field(description="The state, organisation or person.")
    async def participant(self, info: Info) -> Participant:
        return await load_participant(
            info,
            state_id=self.row.state_id,
            organisation_id=self.row.organisation_id,
            person_id=self.row.person_id,
        )


@strawberry.type(description="Something an event produced, and how.")
class EventOutcome:
    kind: OutcomeKind = strawberry.field(description="Adoption, admission, founding, proposal …")
    row: strawberry.Private[models.EventOutcome]

    @strawberry.field(description="The agreement, membership, organisation or initiative.")
    async def record(self, info: Info) -> OutcomeRecord:
        from schema.types.initiative import Initiative

        loaders, row = info.context.loaders, self.row
        if row.agreement_id is not None:
            agreement = await loaders.by_id(models.Agreement).load(row.agreement_id)
            assert agreement is not None
            return Agreement.from_row(agreement)
        if row.membership_id is not None:
            membership = await loaders.by_id(models.Membership).load(row.membership_id)
            assert membership is not None
            return Membership.from_row(membership)
        if row.organisation_id is not None:
            organisation = await load_organisation(info, row.organisation_id)
            assert organisation is not None
            return organisation
        assert row.initiative_id is not None  # the table's check constraint allows no other case
        initiative = await loaders.by_id(models.Initiative).load(row.initiative_id)
        assert initiative is not None
        return Initiative.from_row(initiative)


@strawberry.type(
    description="A summit, meeting, conference, fair or other dated happening, with who took "
    "part and what came out of it."
)
class Event(RowNode, Cited):
    model: ClassVar[Any] = models.Event
    cited_as: ClassVar[str] = "event"

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key of the event in silkgraph.")
    title: str = strawberry.field(description="What the event is called.")
    kind: EventKind = strawberry.field(description="What sort of event it was.")
    number: int | None = strawberry.field(
        description="Its ordinal in a series (8 for the eighth summit), if given."
    )
    date: str | None = strawberry.field(
        description="When it took place, as precise as reported (`2021-11`, `2025-11-16`)."
    )
    date_precision: DatePrecision | None = strawberry.field(
        description="Whether `date` gives a year, a month or a day."
    )
    year: int | None = strawberry.field(description="The year of `date`.")
    city: str | None = strawberry.field(description="City or place, where reported.")
    summary: str | None = strawberry.field(description="What happened, in a sentence or two.")
    place_state_id: strawberry.Private[int | None]
    organisation_id: strawberry.Private[int | None]
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.Event) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            key=row.key,
            title=row.title,
            kind=row.kind,
            number=row.number,
            date=row.date,
            date_precision=row.date_precision,
            year=row.year,
            city=row.city,
            summary=row.summary,
            place_state_id=row.place_state_id,
            organisation_id=row.organisation_id,
            parent_id=row.parent_id,
        )

    @strawberry.field(description="The state it took place in, where reported.")
    async def place_state(self, info: Info) -> State | None:
        return await load_state(info, self.place_state_id)

    @strawberry.field(description="The organisation or format that held it, if any.")
    async def organisation(self, info: Info) -> Organisation | None:
        return await load_organisation(info, self.organisation_id)

    @strawberry.field(description="The event it was held alongside (a fair for a side meeting).")
    async def parent(self, info: Info) -> "Event | None":
        if self.parent_id is None:
            return None
        row = await info.context.loaders.by_id(models.Event).load(self.parent_id)
        return Event.from_row(row) if row else None

    @strawberry.field(description="Events held alongside this one.")
    async def side_events(self, info: Info) -> list["Event"]:
        return await Event.related(info, SIDE_EVENTS_BY_PARENT_ID, self.id)

    @strawberry.field(description="Who took part (states, organisations, people) and how.")
    async def participants(self, info: Info) -> list[EventParticipant]:
        rows = await info.context.loaders.rows.load(RowsKey(PARTICIPANTS_BY_EVENT_ID, self.id))
        return [EventParticipant(role=row.role, note=row.note, row=row) for row in rows]

    @strawberry.field(description="What it produced: agreements, memberships, bodies, initiatives.")
    async def outcomes(self, info: Info) -> list[EventOutcome]:
        rows = await info.context.loaders.rows.load(RowsKey(OUTCOMES_BY_EVENT_ID, self.id))
        return [EventOutcome(kind=row.kind, row=row) for row in rows]

    @strawberry.field(description="Transport corridors on its agenda.")
    async def corridors(self, info: Info) -> list[LazyCorridor]:
        from schema.types.corridor import Corridor

        return await Corridor.related(info, CORRIDORS_BY_EVENT_ID, self.id)


def events_of(
    info: Info,
    relation: Relation,
    parent_id: int,
    filter: EventFilter | None = None,
    order_by: list[EventOrder] | None = None,
) -> PageQuery[Event]:
    """The events a state, organisation, person or corridor is tied to, as a nested page."""
    return PageQuery(
        sessions=info.context.sessions,
        model=models.Event,
        ordering=ordering_of(EVENT_SORT, order_by, EVENT_ORDER),
        to_node=Event.from_row,
        nested=Nested(relation, parent_id, scope_of(filter)),
    )


async def events_list(info: Info, relation: Relation, parent_id: int) -> list[Event]:
    """The same as a plain list, for records tied to few events (an agreement's origin)."""
    return await Event.related(info, relation, parent_id)
