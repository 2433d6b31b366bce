"""Arms transfers, one per deal, shaped like a SIPRI trade-register row."""

from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.loaders.arms_transfers import TRANSFERS_BY_DEAL_KEY
from schema.loaders.relations import RowsKey
from schema.loaders.sipri import CHANGES_BY_TRANSFER_ID, EXPORTS_BY_TRANSFER_ID
from schema.types.actors import TransferActor, load_transfer_actor
from schema.types.agreement import Agreement
from schema.types.enums import TransferCondition, TransferStatus, WeaponCategory
from schema.types.node import RowNode
from schema.types.sipri import ArmsTransferChange, SipriExport
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
        description="Items ordered; null when not reported. SIPRI gives 0 for an open-ended "
        "order (licensed production whose total was never fixed)."
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
    supplier_name: str | None = strawberry.field(
        description="The supplier as a dataset source spells it (SIPRI: `Turkiye`, "
        "`unknown supplier(s)`); null for curated records."
    )
    recipient_name: str | None = strawberry.field(
        description="The recipient as a dataset source spells it; null for curated records."
    )
    order_year_estimated: bool | None = strawberry.field(
        description="Whether the order year is an estimate (SIPRI's `?`); null when the source "
        "flags no estimates."
    )
    number_ordered_estimated: bool | None = strawberry.field(
        description="Whether the number ordered is an estimate (SIPRI's `?`); null when the "
        "source flags no estimates."
    )
    number_delivered_estimated: bool | None = strawberry.field(
        description="Whether the number delivered (and so its years) is an estimate (SIPRI's "
        "`?`); null when the source flags no estimates."
    )
    condition: TransferCondition | None = strawberry.field(
        description="New, second hand, or second hand but modernised; null when not reported."
    )
    tiv_per_unit: float | None = strawberry.field(
        description="SIPRI trend-indicator value of one item, in millions; null when SIPRI "
        "gives none (which is not 0)."
    )
    tiv_total_order: float | None = strawberry.field(
        description="SIPRI TIV of the whole order, in millions; null when the number ordered or "
        "the unit TIV is not available."
    )
    tiv_delivered: float | None = strawberry.field(
        description="SIPRI TIV of the items delivered, in millions; 0 means between 0 and 0.5, "
        "null means no deliveries identified."
    )
    deal_key: str | None = strawberry.field(
        description="Shared by records of one deal from different sources; see `sameDeal`."
    )
    supplier_id: strawberry.Private[int | None]
    recipient_id: strawberry.Private[int | None]
    supplier_organisation_id: strawberry.Private[int | None]
    recipient_organisation_id: strawberry.Private[int | None]
    supplier_non_state_actor_id: strawberry.Private[int | None]
    recipient_non_state_actor_id: strawberry.Private[int | None]
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
            supplier_name=row.supplier_name,
            recipient_name=row.recipient_name,
            order_year_estimated=row.order_year_estimated,
            number_ordered_estimated=row.number_ordered_estimated,
            number_delivered_estimated=row.number_delivered_estimated,
            condition=row.condition,
            tiv_per_unit=row.tiv_per_unit,
            tiv_total_order=row.tiv_total_order,
            tiv_delivered=row.tiv_delivered,
            deal_key=row.deal_key,
            supplier_id=row.supplier_id,
            recipient_id=row.recipient_id,
            supplier_organisation_id=row.supplier_organisation_id,
            recipient_organisation_id=row.recipient_organisation_id,
            supplier_non_state_actor_id=row.supplier_non_state_actor_id,
            recipient_non_state_actor_id=row.recipient_non_state_actor_id,
            agreement_id=row.agreement_id,
        )

    async def _state(self, info: Info, state_id: int | None) -> State | None:
        if state_id is None:
            return None
        row = await info.context.loaders.by_id(models.State).load(state_id)
        return State.from_row(row) if row else None

    @strawberry.field(
        description="The supplying state; null when unknown or not a state (see `supplierActor`)."
    )
    async def supplier(self, info: Info) -> State | None:
        return await self._state(info, self.supplier_id)

    @strawberry.field(
        description="The receiving state; null when unknown or not a state (see `recipientActor`)."
    )
    async def recipient(self, info: Info) -> State | None:
        return await self._state(info, self.recipient_id)

    @strawberry.field(description="The agreement the deal was made under, if known.")
    async def agreement(self, info: Info) -> Agreement | None:
        if self.agreement_id is None:
            return None
        row = await info.context.loaders.by_id(models.Agreement).load(self.agreement_id)
        return Agreement.from_row(row) if row else None

    @strawberry.field(
        description="Who supplied: a state, an organisation or a non-state actor; null when "
        "unknown (SIPRI's `unknown supplier(s)`)."
    )
    async def supplier_actor(self, info: Info) -> TransferActor | None:
        return await load_transfer_actor(
            info,
            state_id=self.supplier_id,
            organisation_id=self.supplier_organisation_id,
            non_state_actor_id=self.supplier_non_state_actor_id,
        )

    @strawberry.field(
        description="Who received: a state, an organisation or a non-state actor; null when "
        "unknown (SIPRI's `unknown recipient(s)`)."
    )
    async def recipient_actor(self, info: Info) -> TransferActor | None:
        return await load_transfer_actor(
            info,
            state_id=self.recipient_id,
            organisation_id=self.recipient_organisation_id,
            non_state_actor_id=self.recipient_non_state_actor_id,
        )

    @strawberry.field(
        description="Other records of this very deal from other sources, each with its own "
        "numbers and sources, side by side (the paper says Kyrgyzstan's order quantities were "
        "not reported; SIPRI estimates them). Empty when no other source describes it."
    )
    async def same_deal(self, info: Info) -> list["ArmsTransfer"]:
        if self.deal_key is None:
            return []
        rows = await info.context.loaders.rows.load(RowsKey(TRANSFERS_BY_DEAL_KEY, self.deal_key))
        return [ArmsTransfer.from_row(row) for row in rows if row.id != self.id]

    @strawberry.field(
        description="The SIPRI exports this deal appeared in, oldest release first (empty for the "
        "paper's records); each is also among its `sources`."
    )
    async def sipri_exports(self, info: Info) -> list[SipriExport]:
        return await SipriExport.related(info, EXPORTS_BY_TRANSFER_ID, self.id)

    @strawberry.field(
        description="What each SIPRI export changed in this deal, in the order made: when it "
        "was added, and each field's old and new value since."
    )
    async def history(self, info: Info) -> list[ArmsTransferChange]:
        return await ArmsTransferChange.related(info, CHANGES_BY_TRANSFER_ID, self.id)
