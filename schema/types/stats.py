"""Aggregates: arms transfers counted and summed by any grouping, members counted per year."""

from enum import Enum

import strawberry

from schema.pagination import Direction
from schema.types.actors import TransferActor
from schema.types.enums import MembershipRole, TransferCondition, TransferStatus, WeaponCategory
from schema.types.organisation import Organisation
from schema.types.state import State


@strawberry.enum(description="What arms transfer statistics can be grouped by.")
class ArmsTransferDimension(Enum):
    SUPPLIER = "SUPPLIER"
    RECIPIENT = "RECIPIENT"
    ORDER_YEAR = "ORDER_YEAR"
    CATEGORY = "CATEGORY"
    STATUS = "STATUS"
    SUPPLIER_ACTOR = "SUPPLIER_ACTOR"
    RECIPIENT_ACTOR = "RECIPIENT_ACTOR"
    CONDITION = "CONDITION"


@strawberry.enum(description="What statistics can be sorted by.")
class StatsOrderField(Enum):
    COUNT = "COUNT"
    KEY = "KEY"


@strawberry.input(
    description="How to sort statistics: by `COUNT` (ties by key, ascending) or by `KEY`, "
    "the grouped values in the order grouped by (codes and acronyms by code point, years by "
    "number; ties by count, largest first). Unknown keys come last either way."
)
class StatsOrder:
    field: StatsOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


@strawberry.type(
    description="The arms transfers sharing one value of each grouped dimension. A dimension "
    "not grouped by is null here; so is one grouped by whose value is unknown."
)
class ArmsTransferBucket:
    order_year: int | None = strawberry.field(description="Year of the order.")
    category: WeaponCategory | None = strawberry.field(description="Weapon category.")
    status: TransferStatus | None = strawberry.field(description="How far the deals got.")
    condition: TransferCondition | None = strawberry.field(
        description="New or second-hand (SIPRI)."
    )
    count: int = strawberry.field(description="How many deals.")
    number_ordered_sum: int | None = strawberry.field(
        description="Items ordered, summed over the deals that report a number; null when none "
        "does."
    )
    number_ordered_unknown: int = strawberry.field(
        description="Deals whose number ordered is not reported."
    )
    number_delivered_sum: int | None = strawberry.field(
        description="Items delivered, summed over the deals that report a number; null when "
        "none does."
    )
    number_delivered_unknown: int = strawberry.field(
        description="Deals whose number delivered is not reported."
    )
    tiv_total_order_sum: float | None = strawberry.field(
        description="SIPRI trend-indicator values of the orders, in millions, summed over the "
        "deals that give one; null when none does."
    )
    tiv_delivered_sum: float | None = strawberry.field(
        description="SIPRI trend-indicator values delivered, in millions, summed likewise."
    )
    # Plain fields, filled from one look-up for all buckets: thousands of buckets would
    # otherwise cost thousands of async resolver calls.
    supplier: State | None = strawberry.field(description="The supplying state.")
    recipient: State | None = strawberry.field(description="The receiving state.")
    supplier_actor: TransferActor | None = strawberry.field(
        description="The supplier of any kind (SUPPLIER_ACTOR): state, organisation or "
        "non-state actor; null when the source names none."
    )
    recipient_actor: TransferActor | None = strawberry.field(
        description="The recipient of any kind (RECIPIENT_ACTOR)."
    )


@strawberry.type(description="Arms transfer statistics: one bucket per group.")
class ArmsTransferStats:
    buckets: list[ArmsTransferBucket] = strawberry.field(
        description="As `orderBy` says; without it by count, largest first, ties by the "
        "grouped values (codes, years …)."
    )
    truncated: bool = strawberry.field(description="Whether `limit` cut buckets off.")


@strawberry.type(description="How many members held one role in an organisation in one year.")
class MembershipStat:
    role: MembershipRole = strawberry.field(description="The role.")
    year: int = strawberry.field(description="The year.")
    count: int = strawberry.field(description="How many members held it that year.")
    organisation: Organisation = strawberry.field(description="The organisation.")


@strawberry.type(
    description="Members per organisation, role and year; years in which nobody held a role "
    "are left out unless `fillEmptyYears` asks for them."
)
class MembershipStats:
    rows: list[MembershipStat] = strawberry.field(
        description="As `orderBy` says; without it (and by `KEY`) by organisation (acronym), "
        "role (members first), year."
    )
    truncated: bool = strawberry.field(description="Whether `limit` cut rows off.")
