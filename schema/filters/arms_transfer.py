"""Arms transfers: what `armsTransfers(filter:, orderBy:)`, the nested import/export
connections, the transfer statistics, the diversification analysis and the export accept."""

from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import col

from api import models
from schema.filters.base import (
    Criterion,
    FilterInput,
    IntRange,
    between,
    known,
    name,
    one_of,
    state_code_in,
    state_code_is,
    state_code_of,
    text_in,
)
from schema.ordering import SortField, text_field
from schema.pagination import Columns, Direction
from schema.types.enums import TransferStatus, WeaponCategory


def _agreement_is(key: str) -> Any:
    agreement = aliased(models.Agreement)
    return col(models.ArmsTransfer.agreement_id).in_(
        select(col(agreement.id)).where(col(agreement.key) == key)
    )


@strawberry.input(description="Narrows arms transfers; all given conditions must hold.")
class ArmsTransferFilter(FilterInput):
    supplier: str | None = strawberry.field(
        default=None, description="Code of the supplying state (any case)."
    )
    recipient: str | None = strawberry.field(
        default=None, description="Code of the receiving state (any case)."
    )
    suppliers: list[str] | None = strawberry.field(
        default=None, description="Any of these supplying states, by code (any case)."
    )
    recipients: list[str] | None = strawberry.field(
        default=None, description="Any of these receiving states, by code (any case)."
    )
    categories: list[WeaponCategory] | None = strawberry.field(
        default=None, description="Any of these weapon categories."
    )
    statuses: list[TransferStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    order_year: IntRange | None = strawberry.field(
        default=None,
        description="Ordered in these years (deals without an order year never match).",
    )
    agreement: str | None = strawberry.field(
        default=None, description="Made under the agreement with this key."
    )
    number_ordered_known: bool | None = strawberry.field(
        default=None,
        description="true: only deals whose number ordered is reported; false: only those "
        "whose number is not.",
    )
    number_delivered_known: bool | None = strawberry.field(
        default=None, description="As `numberOrderedKnown`, for the number delivered."
    )
    text_contains: str | None = strawberry.field(
        default=None,
        description="Text in the weapon designation, description or comments (any case).",
    )

    criteria_of = {
        "supplier": state_code_is(models.ArmsTransfer.supplier_id),
        "recipient": state_code_is(models.ArmsTransfer.recipient_id),
        "suppliers": state_code_in(models.ArmsTransfer.supplier_id),
        "recipients": state_code_in(models.ArmsTransfer.recipient_id),
        "categories": one_of(models.ArmsTransfer.weapon_category),
        "statuses": one_of(models.ArmsTransfer.status),
        "order_year": between(models.ArmsTransfer.order_year),
        "agreement": Criterion(name, _agreement_is),
        "number_ordered_known": known(models.ArmsTransfer.number_ordered),
        "number_delivered_known": known(models.ArmsTransfer.number_delivered),
        "text_contains": text_in(
            models.ArmsTransfer.weapon_designation,
            models.ArmsTransfer.weapon_description,
            models.ArmsTransfer.comments,
        ),
    }


@strawberry.enum(description="What arms transfers can be sorted by.")
class ArmsTransferOrderField(Enum):
    ORDER_YEAR = "ORDER_YEAR"
    NUMBER_ORDERED = "NUMBER_ORDERED"
    NUMBER_DELIVERED = "NUMBER_DELIVERED"
    SUPPLIER = "SUPPLIER"
    RECIPIENT = "RECIPIENT"
    CATEGORY = "CATEGORY"
    STATUS = "STATUS"
    DESIGNATION = "DESIGNATION"
    KEY = "KEY"


@strawberry.input(description="One sort term for arms transfers.")
class ArmsTransferOrder:
    field: ArmsTransferOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


def _supplier(c: Columns) -> Any:
    return state_code_of(c.supplier_id)


def _recipient(c: Columns) -> Any:
    return state_code_of(c.recipient_id)


ARMS_TRANSFER_SORT = {
    ArmsTransferOrderField.ORDER_YEAR: SortField("orderYear", lambda c: c.order_year, True),
    ArmsTransferOrderField.NUMBER_ORDERED: SortField(
        "numberOrdered", lambda c: c.number_ordered, True
    ),
    ArmsTransferOrderField.NUMBER_DELIVERED: SortField(
        "numberDelivered", lambda c: c.number_delivered, True
    ),
    ArmsTransferOrderField.SUPPLIER: text_field("supplier", _supplier, nullable=True),
    ArmsTransferOrderField.RECIPIENT: text_field("recipient", _recipient, nullable=True),
    ArmsTransferOrderField.CATEGORY: text_field("category", lambda c: c.weapon_category),
    ArmsTransferOrderField.STATUS: text_field("status", lambda c: c.status),
    ArmsTransferOrderField.DESIGNATION: text_field(
        "designation", lambda c: c.weapon_designation, nullable=True
    ),
    ArmsTransferOrderField.KEY: text_field("key", lambda c: c.key),
}
