"""Arms transfers: what `armsTransfers(filter:, orderBy:)`, the nested import/export
connections, the transfer statistics, the diversification analysis and the export accept."""

from collections.abc import Sequence
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlmodel import col

from api import models
from api.models.arms_transfer import RECIPIENT_COLUMNS, SUPPLIER_COLUMNS
from schema.filters.base import (
    NO_CRITERIA,
    Criteria,
    Criterion,
    FilterInput,
    FloatRange,
    IntRange,
    as_is,
    between,
    is_flag,
    items,
    known,
    name,
    one_of,
    organisation_ids,
    state_code_in,
    state_code_is,
    state_code_of,
    table_of,
    text_in,
)
from schema.filters.deals import TransferRecords, counted_once, is_sipri
from schema.ordering import SortField, text_field
from schema.pagination import Columns, Direction
from schema.types.enums import TransferCondition, TransferStatus, WeaponCategory

Transfer = models.ArmsTransfer


@strawberry.enum(description="What kind of actor a side of an arms transfer is.")
class TransferActorKind(Enum):
    STATE = "STATE"
    ORGANISATION = "ORGANISATION"
    NON_STATE_ACTOR = "NON_STATE_ACTOR"
    UNKNOWN = "UNKNOWN"  # the source names none ("unknown supplier(s)")


# The three actor columns of each side: state, organisation, non-state actor.
SIDES = {"supplier": SUPPLIER_COLUMNS, "recipient": RECIPIENT_COLUMNS}


def _kind_in(side: str) -> Criterion:
    state, organisation, actor = (col(getattr(Transfer, c)) for c in SIDES[side])
    columns = {
        TransferActorKind.STATE: state,
        TransferActorKind.ORGANISATION: organisation,
        TransferActorKind.NON_STATE_ACTOR: actor,
    }

    def condition(kinds: tuple[TransferActorKind, ...]) -> ColumnElement[bool]:
        terms = [
            and_(state.is_(None), organisation.is_(None), actor.is_(None))
            if kind is TransferActorKind.UNKNOWN
            else columns[kind].is_not(None)
            for kind in kinds
        ]
        return or_(*terms)

    return Criterion(items(as_is), condition)


def _actor_in(side: str) -> Criterion:
    """Actors of any kind by name: state codes, organisation acronyms, non-state-actor keys."""
    state, organisation, actor = (col(getattr(Transfer, c)) for c in SIDES[side])

    def condition(names: Sequence[str]) -> ColumnElement[bool]:
        states = table_of(models.State).alias()
        actors = table_of(models.NonStateActor).alias()
        return or_(
            state.in_(select(states.c.id).where(func.lower(states.c.code).in_(names))),
            organisation.in_(organisation_ids(names)),
            actor.in_(select(actors.c.id).where(actors.c.key.in_(names))),
        )

    return Criterion(items(name), condition)


def actor_label(c: Columns, side: str) -> ColumnElement[Any]:
    """A side's actor as a short name: state code, organisation acronym or non-state-actor
    key, as correlated subqueries; null when the source names none."""
    state, organisation, actor = (c[column] for column in SIDES[side])
    organisations = table_of(models.Organisation).alias()
    actors = table_of(models.NonStateActor).alias()
    return func.coalesce(
        state_code_of(state),
        select(organisations.c.acronym).where(organisations.c.id == organisation).scalar_subquery(),
        select(actors.c.key).where(actors.c.id == actor).scalar_subquery(),
    )


def _agreement_is(key: str) -> Any:
    agreement = table_of(models.Agreement).alias()
    return col(models.ArmsTransfer.agreement_id).in_(
        select(agreement.c.id).where(agreement.c.key == key)
    )


SIPRI = "sipri"  # every SIPRI export: the import's keys all start `sipri:`


def _source_is(source: str) -> Any:
    """A dataset (`sipri`) or a document key (`paper`, `sipri-trade-register-2025-10-23`):
    the deals that dataset holds, or that cite that document."""
    if source == SIPRI:
        return is_sipri(col(Transfer.key))
    documents = table_of(models.Document).alias()
    citations = table_of(models.Citation).alias()
    return col(Transfer.id).in_(
        select(citations.c.arms_transfer_id)
        .join(documents, documents.c.id == citations.c.document_id)
        .where(documents.c.key == source)
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
    supplier_kinds: list[TransferActorKind] | None = strawberry.field(
        default=None,
        description="Supplied by any of these kinds of actor (UNKNOWN: the source names none).",
    )
    recipient_kinds: list[TransferActorKind] | None = strawberry.field(
        default=None, description="Received by any of these kinds of actor."
    )
    supplier_actors: list[str] | None = strawberry.field(
        default=None,
        description="Supplied by any of these actors of any kind: state codes, organisation "
        "acronyms, non-state-actor keys (any case).",
    )
    recipient_actors: list[str] | None = strawberry.field(
        default=None, description="Received by any of these actors, as for `supplierActors`."
    )
    # `conditions` in GraphQL; the Python name would shadow FilterInput.conditions().
    condition_in: list[TransferCondition] | None = strawberry.field(
        default=None,
        name="conditions",
        description="New or second-hand, as SIPRI says (deals without a condition never match).",
    )
    order_year_estimated: bool | None = strawberry.field(
        default=None,
        description="true: SIPRI estimates the order year; false: it reports it. Deals without "
        "SIPRI's flag (the paper's) match neither.",
    )
    number_ordered_estimated: bool | None = strawberry.field(
        default=None, description="As `orderYearEstimated`, for the number ordered."
    )
    number_delivered_estimated: bool | None = strawberry.field(
        default=None, description="As `orderYearEstimated`, for the number delivered."
    )
    tiv_per_unit: FloatRange | None = strawberry.field(
        default=None,
        description="SIPRI trend-indicator value per unit, in millions (empty never matches).",
    )
    tiv_total_order: FloatRange | None = strawberry.field(
        default=None, description="SIPRI TIV of the whole order, in millions."
    )
    tiv_delivered: FloatRange | None = strawberry.field(
        default=None, description="SIPRI TIV of what was delivered, in millions."
    )
    source: str | None = strawberry.field(
        default=None,
        description="Only what one source describes: `sipri` (any SIPRI release), or a "
        "document key: `paper`, or one SIPRI export's (`sipri-trade-register-2025-10-23`, the "
        "deals that export held): that source's records, each counted.",
    )
    records: TransferRecords = strawberry.field(
        default=TransferRecords.ONE_PER_DEAL,
        description="Without `source`: count a deal that the paper and SIPRI both describe "
        "once (ONE_PER_DEAL, its SIPRI record standing for it) or each record "
        "(EVERY_RECORD). With `source`, that source's records are counted either way.",
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
        "supplier_kinds": _kind_in("supplier"),
        "recipient_kinds": _kind_in("recipient"),
        "supplier_actors": _actor_in("supplier"),
        "recipient_actors": _actor_in("recipient"),
        "condition_in": one_of(Transfer.condition),
        "order_year_estimated": is_flag(Transfer.order_year_estimated),
        "number_ordered_estimated": is_flag(Transfer.number_ordered_estimated),
        "number_delivered_estimated": is_flag(Transfer.number_delivered_estimated),
        "tiv_per_unit": between(Transfer.tiv_per_unit),
        "tiv_total_order": between(Transfer.tiv_total_order),
        "tiv_delivered": between(Transfer.tiv_delivered),
        "source": Criterion(name, _source_is),
    }

    def criteria(self, argument: str = "filter", also: Criteria = NO_CRITERIA) -> Criteria:
        """The filter's criteria and `also` (a shorthand argument's), counting a deal once
        unless `source` or `records` says otherwise (schema.filters.deals)."""
        matched = also & super().criteria(argument)
        if self.source is None and self.records is TransferRecords.ONE_PER_DEAL:
            return counted_once(matched)
        return matched


def transfer_criteria_of(
    filter_: ArmsTransferFilter | None, argument: str = "filter", also: Criteria = NO_CRITERIA
) -> Criteria:
    """An optional transfer filter's criteria: with none given, each deal still counts once."""
    return (filter_ if filter_ is not None else ArmsTransferFilter()).criteria(argument, also)


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
    SUPPLIER_ACTOR = "SUPPLIER_ACTOR"
    RECIPIENT_ACTOR = "RECIPIENT_ACTOR"
    CONDITION = "CONDITION"
    TIV_PER_UNIT = "TIV_PER_UNIT"
    TIV_TOTAL_ORDER = "TIV_TOTAL_ORDER"
    TIV_DELIVERED = "TIV_DELIVERED"


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
    # Any kind of actor by its short name, lower-cased: codes, acronyms and keys interleave.
    ArmsTransferOrderField.SUPPLIER_ACTOR: text_field(
        "supplierActor", lambda c: func.lower(actor_label(c, "supplier")), nullable=True
    ),
    ArmsTransferOrderField.RECIPIENT_ACTOR: text_field(
        "recipientActor", lambda c: func.lower(actor_label(c, "recipient")), nullable=True
    ),
    ArmsTransferOrderField.CONDITION: text_field("condition", lambda c: c.condition, nullable=True),
    ArmsTransferOrderField.TIV_PER_UNIT: SortField(
        "tivPerUnit", lambda c: c.tiv_per_unit, nullable=True
    ),
    ArmsTransferOrderField.TIV_TOTAL_ORDER: SortField(
        "tivTotalOrder", lambda c: c.tiv_total_order, nullable=True
    ),
    ArmsTransferOrderField.TIV_DELIVERED: SortField(
        "tivDelivered", lambda c: c.tiv_delivered, nullable=True
    ),
}
