"""Transport corridors and routes: where they run, who drives them, what they connect to."""

from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import EventFilter, EventOrder
from schema.loaders.corridors import (
    ACTORS_BY_CORRIDOR_ID,
    LINKS_BY_CORRIDOR_ID,
    STOPS_BY_CORRIDOR_ID,
)
from schema.loaders.events import EVENTS_BY_CORRIDOR_ID
from schema.loaders.relations import RowsKey
from schema.pagination import Connection, PageQuery
from schema.types.arguments import Filter, OrderBy
from schema.types.enums import (
    CorridorKind,
    CorridorLinkKind,
    CorridorRole,
    CorridorStatus,
    StopKind,
    TransportMode,
)
from schema.types.event import Event, events_of
from schema.types.node import RowNode
from schema.types.person import Actor, load_organisation, load_state
from schema.types.source import Cited
from schema.types.state import State


@strawberry.type(description="A state, sea or region along a corridor, in route order.")
class CorridorStop:
    position: int = strawberry.field(description="Place along the route, from 0.")
    kind: StopKind = strawberry.field(description="State, sea or region.")
    row: strawberry.Private[models.CorridorStop]

    @strawberry.field(description="Its name: the state's name, or the sea's or region's.")
    async def name(self, info: Info) -> str:
        if self.row.name is not None:
            return self.row.name
        state = await load_state(info, self.row.state_id)
        assert state is not None  # a STATE stop has a state (check constraint)
        return state.name

    @strawberry.field(description="The state, for a stop that is one.")
    async def state(self, info: Info) -> State | None:
        return await load_state(info, self.row.state_id)


@strawberry.type(description="A state or organisation and how it stands to a corridor.")
class CorridorActor:
    role: CorridorRole = strawberry.field(description="Initiator, coordinator, stakeholder …")
    row: strawberry.Private[models.CorridorActor]

    @strawberry.field(description="The state or organisation.")
    async def actor(self, info: Info) -> Actor:
        found = await load_state(info, self.row.state_id) or await load_organisation(
            info, self.row.organisation_id
        )
        assert found is not None  # exactly one is set (check constraint)
        return found


@strawberry.type(description="Another route this one connects to or is compared with.")
class CorridorLink:
    kind: CorridorLinkKind = strawberry.field(description="Connection or alternative.")
    status: CorridorStatus | None = strawberry.field(
        description="How far the connection has got (PLANNED …), where reported."
    )
    note: str | None = strawberry.field(description="What the sources say of the link.")
    other_id: strawberry.Private[int]

    @strawberry.field(description="The other route.")
    async def corridor(self, info: Info) -> "Corridor":
        row = await info.context.loaders.by_id(models.Corridor).load(self.other_id)
        assert row is not None
        return Corridor.from_row(row)


@strawberry.type(
    description="A transport corridor or route: its aliases, the states and seas along it in "
    "order, its modes and status, who initiated, coordinates or backs it, and its links."
)
class Corridor(RowNode, Cited):
    model: ClassVar[Any] = models.Corridor
    cited_as: ClassVar[str] = "corridor"

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key of the corridor in silkgraph.")
    name: str = strawberry.field(description="Its usual name (Middle Corridor).")
    aliases: list[str] = strawberry.field(
        description="Other names (Trans-Caspian International Transport Route)."
    )
    kind: CorridorKind = strawberry.field(description="Corridor, railway or route.")
    modes: list[TransportMode] = strawberry.field(description="Means of transport, where reported.")
    status: CorridorStatus = strawberry.field(description="How far it has got, where reported.")
    summary: str | None = strawberry.field(description="What the sources say of it.")

    @classmethod
    def from_row(cls, row: models.Corridor) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            key=row.key,
            name=row.name,
            aliases=list(row.aliases),
            kind=row.kind,
            modes=[TransportMode(mode) for mode in row.modes],
            status=row.status,
            summary=row.summary,
        )

    @strawberry.field(description="The states, seas and regions along it, in route order.")
    async def stops(self, info: Info) -> list[CorridorStop]:
        rows = await info.context.loaders.rows.load(RowsKey(STOPS_BY_CORRIDOR_ID, self.id))
        return [CorridorStop(position=row.position, kind=row.kind, row=row) for row in rows]

    @strawberry.field(description="States and organisations that initiated, coordinate or back it.")
    async def actors(self, info: Info) -> list[CorridorActor]:
        rows = await info.context.loaders.rows.load(RowsKey(ACTORS_BY_CORRIDOR_ID, self.id))
        return [CorridorActor(role=row.role, row=row) for row in rows]

    @strawberry.field(description="Routes it connects to or is compared with.")
    async def links(self, info: Info) -> list[CorridorLink]:
        rows = await info.context.loaders.rows.load(RowsKey(LINKS_BY_CORRIDOR_ID, self.id))
        return [
            CorridorLink(kind=row.kind, status=row.status, note=row.note, other_id=row.other_id)
            for row in rows
        ]

    @relay.connection(
        Connection[Event],
        description="Events that had it on their agenda, by date unless `orderBy` says otherwise.",
    )
    async def events(
        self,
        info: Info,
        filter: Filter[EventFilter] = None,
        order_by: OrderBy[EventOrder] = None,
    ) -> PageQuery[Event]:
        return events_of(info, EVENTS_BY_CORRIDOR_ID, self.id, filter, order_by)
