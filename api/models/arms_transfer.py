"""Arms transfers, one row per deal, shaped like a SIPRI trade-register line."""

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    String,
    UnaryExpression,
    func,
    literal_column,
)
from sqlmodel import Field, SQLModel

from api.models.enums import TransferCondition, TransferStatus, WeaponCategory


def _at_most_one(columns: tuple[str, ...]) -> str:
    return " + ".join(f"(CASE WHEN {c} IS NOT NULL THEN 1 ELSE 0 END)" for c in columns) + " <= 1"


SUPPLIER_COLUMNS = ("supplier_id", "supplier_organisation_id", "supplier_non_state_actor_id")
RECIPIENT_COLUMNS = ("recipient_id", "recipient_organisation_id", "recipient_non_state_actor_id")

# The register reads newest order first (schema.loaders.arms_transfers.TRANSFER_ORDER): these
# indexes hold exactly that order, per recipient, per supplier and overall, so a page of a
# million-row table is an index range scan instead of a sort. The expression must match the
# query's text, literal 0 included.
NEWEST_FIRST: UnaryExpression[Any] = func.coalesce(
    literal_column("order_year"), literal_column("0")
).desc()


class ArmsTransfer(SQLModel, table=True):
    __tablename__ = "arms_transfer"
    __table_args__ = (
        # A count is unknown (NULL) or a reported number. SIPRI reports 0 ordered for open-ended
        # orders (licensed production whose total was never fixed); unknown is never 0.
        CheckConstraint(
            "number_ordered IS NULL OR number_ordered >= 0",
            name="arms_transfer_ordered_non_negative",
        ),
        CheckConstraint(
            "number_delivered IS NULL OR number_delivered >= 0",
            name="arms_transfer_delivered_non_negative",
        ),
        # Each side is a state, an organisation, a non-state actor, or unknown (all null).
        CheckConstraint(_at_most_one(SUPPLIER_COLUMNS), name="arms_transfer_one_supplier"),
        CheckConstraint(_at_most_one(RECIPIENT_COLUMNS), name="arms_transfer_one_recipient"),
        Index("ix_arms_transfer_newest", NEWEST_FIRST, literal_column("id")),
        Index(
            "ix_arms_transfer_recipient_newest",
            literal_column("recipient_id"),
            NEWEST_FIRST,
            literal_column("id"),
        ),
        Index(
            "ix_arms_transfer_supplier_newest",
            literal_column("supplier_id"),
            NEWEST_FIRST,
            literal_column("id"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    # Indexed by ix_arms_transfer_{supplier,recipient}_newest, whose first column they are.
    supplier_id: int | None = Field(default=None, foreign_key="state.id", ondelete="RESTRICT")
    recipient_id: int | None = Field(default=None, foreign_key="state.id", ondelete="RESTRICT")
    supplier_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="RESTRICT"
    )
    recipient_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="RESTRICT"
    )
    supplier_non_state_actor_id: int | None = Field(
        default=None, foreign_key="non_state_actor.id", index=True, ondelete="RESTRICT"
    )
    recipient_non_state_actor_id: int | None = Field(
        default=None, foreign_key="non_state_actor.id", index=True, ondelete="RESTRICT"
    )
    # The actors as the source spells them ("Turkiye", "unknown supplier(s)"), where it is a
    # dataset with its own names; the ids above say who they are.
    supplier_name: str | None = None
    recipient_name: str | None = None
    weapon_designation: str | None = None
    weapon_category: WeaponCategory = Field(sa_type=String(30), index=True)
    weapon_description: str | None = None
    number_ordered: int | None = None
    number_delivered: int | None = None
    order_year: int | None = Field(default=None, index=True)
    delivery_years: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: TransferStatus = Field(sa_type=String(30), index=True)
    # SIPRI's `?` per value: True = an estimate, False = reported, None = the source has no
    # such flag (the paper). SIPRI flags no delivery years, only the number delivered.
    order_year_estimated: bool | None = None
    number_ordered_estimated: bool | None = None
    number_delivered_estimated: bool | None = None
    condition: TransferCondition | None = Field(default=None, sa_type=String(30))
    # SIPRI trend-indicator values, in millions; None where SIPRI leaves the field empty
    # (for delivered TIV: no deliveries identified), which is not 0.
    tiv_per_unit: float | None = None
    tiv_total_order: float | None = None
    tiv_delivered: float | None = None
    # Whole units of `financing_currency`; integers avoid SQLite's lossy decimals.
    financing_amount: int | None = Field(default=None, sa_type=BigInteger)
    financing_currency: str | None = Field(default=None, max_length=3)
    agreement_id: int | None = Field(
        default=None, foreign_key="agreement.id", index=True, ondelete="SET NULL"
    )
    # Records of one deal from different sources (the paper's and SIPRI's) share a deal key,
    # so each account stays whole and the API can show them side by side.
    deal_key: str | None = Field(default=None, index=True, max_length=200)
    comments: str | None = None
