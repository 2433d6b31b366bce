"""Arms transfers, one row per deal, shaped like a SIPRI trade-register line."""

from sqlalchemy import JSON, BigInteger, CheckConstraint, Column, String
from sqlmodel import Field, SQLModel

from api.models.enums import TransferStatus, WeaponCategory


class ArmsTransfer(SQLModel, table=True):
    __tablename__ = "arms_transfer"
    __table_args__ = (
        # A count is unknown (NULL) or a real number of items; 0 is never "not reported".
        CheckConstraint(
            "number_ordered IS NULL OR number_ordered > 0", name="arms_transfer_ordered_positive"
        ),
        CheckConstraint(
            "number_delivered IS NULL OR number_delivered >= 0",
            name="arms_transfer_delivered_non_negative",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    supplier_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="RESTRICT"
    )
    recipient_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="RESTRICT"
    )
    weapon_designation: str | None = None
    weapon_category: WeaponCategory = Field(sa_type=String(30), index=True)
    weapon_description: str | None = None
    number_ordered: int | None = None
    number_delivered: int | None = None
    order_year: int | None = Field(default=None, index=True)
    delivery_years: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: TransferStatus = Field(sa_type=String(30), index=True)
    # Whole units of `financing_currency`; integers avoid SQLite's lossy decimals.
    financing_amount: int | None = Field(default=None, sa_type=BigInteger)
    financing_currency: str | None = Field(default=None, max_length=3)
    agreement_id: int | None = Field(
        default=None, foreign_key="agreement.id", index=True, ondelete="SET NULL"
    )
    comments: str | None = None
