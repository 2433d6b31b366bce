"""Arms transfers, one per deal, shaped like a SIPRI trade-register row."""

from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.types.agreement import Agreement
from schema.types.enums import TransferStatus, WeaponCategory
from schema.types.node import RowNode
from schema.types.source import Cited
from schema.types.state import State


@strawberry.type(description="Money allocated for a purchase.")
class Financing:
    amount: float = strawberry.field(description="Amount, in whole units of the currency.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")


@strawberry.type(
    description="One arms deal between a supplier and a recipient: what, how many, when, and "
    "how far it got. Null counts mean 'not reported', never zero."
)
class ArmsTransfer(RowNode, Cited):
    model: ClassVar[Any] = models.ArmsTransfer
    cited_as: ClassVar[str] = "arms_transfer"

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key of the deal in silkgraph.")
    weapon_designation: str | None = strawberry.field(
        description="Designation of the weapon (Bayraktar TB2 …), where named."
    )
    weapon_category: WeaponCategory = strawberry.field(description="SIPRI-style category.")
    description: str | None = strawberry.field(description="What the weapon is (combat UAV …).")
    number_ordered: int | None = strawberry.field(
        description="Items ordered; null when not reported."
    )
    number_delivered: int | None = strawberry.field(
        description="Items delivered; null when not reported."
    )
    order_year: int | None = strawberry.field(description="Year of the order, if reported.")
    delivery_years: list[int] = strawberry.field(description="Years with deliveries, if any.")
    status: TransferStatus = strawberry.field(description="How far the deal has got.")
    financing: Financing | None = strawberry.field(
        description="Money allocated for it, where reported (aid-funded purchases)."
    )
    comments: str | None = strawberry.field(description="What else the sources say.")
    supplier_id: strawberry.Private[int | None]
    recipient_id: strawberry.Private[int | None]
    agreement_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: models.ArmsTransfer) -> Self:
        assert row.id is not None
        financing = None
        if row.financing_amount is not None and row.financing_currency is not None:
            financing = Financing(amount=row.financing_amount, currency=row.financing_currency)
        return cls(
            id=row.id,
            key=row.key,
            weapon_designation=row.weapon_designation,
            weapon_category=row.weapon_category,
            description=row.weapon_description,
            number_ordered=row.number_ordered,
            number_delivered=row.number_delivered,
            order_year=row.order_year,
            delivery_years=list(row.delivery_years),
            status=row.status,
            financing=financing,
            comments=row.comments,
            supplier_id=row.supplier_id,
            recipient_id=row.recipient_id,
            agreement_id=row.agreement_id,
        )

    async def _state(self, info: Info, state_id: int | None) -> State | None:
        if state_id is None:
            return None
        row = await info.context.loaders.by_id(models.State).load(state_id)
        return State.from_row(row) if row else None

    @strawberry.field(description="The supplying state; null when unknown.")
    async def supplier(self, info: Info) -> State | None:
        return await self._state(info, self.supplier_id)

    @strawberry.field(description="The receiving state; null when unknown.")
    async def recipient(self, info: Info) -> State | None:
        return await self._state(info, self.recipient_id)

    @strawberry.field(description="The agreement the deal was made under, if known.")
    async def agreement(self, info: Info) -> Agreement | None:
        if self.agreement_id is None:
            return None
        row = await info.context.loaders.by_id(models.Agreement).load(self.agreement_id)
        return Agreement.from_row(row) if row else None
