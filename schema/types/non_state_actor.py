"""Non-state actors: armed groups, rebel movements and rival authorities in the arms trade."""

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import ArmsTransferFilter, ArmsTransferOrder
from schema.loaders.arms_transfers import (
    ARMS_EXPORTS_BY_NON_STATE_ACTOR_ID,
    ARMS_IMPORTS_BY_NON_STATE_ACTOR_ID,
)
from schema.pagination import Connection, PageQuery
from schema.types.arguments import Filter, OrderBy
from schema.types.node import RowNode
from schema.types.source import Cited
from schema.types.state import State, transfers_of

if TYPE_CHECKING:
    from schema.types.arms_transfer import ArmsTransfer

LazyArmsTransfer = Annotated["ArmsTransfer", strawberry.lazy("schema.types.arms_transfer")]


@strawberry.type(
    description="An actor that is not a state (SIPRI marks them with `*`): an armed group, a "
    "rebel movement, a rival authority. Never recorded as a state."
)
class NonStateActor(RowNode, Cited):
    model: ClassVar[Any] = models.NonStateActor
    cited_as: ClassVar[str] = "non_state_actor"

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key in silkgraph (`pkk`, `hezbollah`).")
    name: str = strawberry.field(description="Name, as its source gives it.")
    description: str | None = strawberry.field(
        description="What silkgraph notes about it (where its source is ambiguous)."
    )
    country_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.NonStateActor) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            key=row.key,
            name=row.name,
            description=row.description,
            country_id=row.country_id,
        )

    @strawberry.field(
        description="The state its source places it in (SIPRI's parentheses: `PKK (Turkiye)`); "
        "for colonial-era movements, the state then ruling the territory; null if none is named."
    )
    async def country(self, info: Info) -> State | None:
        if self.country_id is None:
            return None
        row = await info.context.loaders.by_id(models.State).load(self.country_id)
        return State.from_row(row) if row else None

    @relay.connection(
        Connection[LazyArmsTransfer], description="Arms it received, newest order first."
    )
    async def arms_imports(
        self,
        info: Info,
        filter: Filter[ArmsTransferFilter] = None,
        order_by: OrderBy[ArmsTransferOrder] = None,
    ) -> PageQuery[LazyArmsTransfer]:
        return transfers_of(info, ARMS_IMPORTS_BY_NON_STATE_ACTOR_ID, self.id, filter, order_by)

    @relay.connection(
        Connection[LazyArmsTransfer], description="Arms it supplied, newest order first."
    )
    async def arms_exports(
        self,
        info: Info,
        filter: Filter[ArmsTransferFilter] = None,
        order_by: OrderBy[ArmsTransferOrder] = None,
    ) -> PageQuery[LazyArmsTransfer]:
        return transfers_of(info, ARMS_EXPORTS_BY_NON_STATE_ACTOR_ID, self.id, filter, order_by)
