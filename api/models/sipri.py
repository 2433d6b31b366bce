"""SIPRI exports as records: what each covered and did, and what each changed in which deal."""

from datetime import datetime

from sqlalchemy import JSON, Column, DateTime, Index, String, Text
from sqlmodel import Field, SQLModel


class SipriExport(SQLModel, table=True):
    """One export of one SIPRI release, as imported: the file's stamp, its selection (None
    where a spreadsheet re-save lost the first line) and what importing it did, summed over
    every import of it. Which deals it holds are the citations of its document."""

    __tablename__ = "sipri_export"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", unique=True, ondelete="RESTRICT")
    release: int = Field(index=True)  # SIPRI's yearly release (March) the export was made from
    generated: datetime = Field(sa_column=Column(DateTime(), nullable=False))
    stamp: str  # `Data generated:` as SIPRI wrote it, or the date the user gave
    file_name: str
    layout: str = Field(sa_type=String(20))
    selection: str | None = Field(default=None, sa_type=Text)  # the first line, verbatim
    orders: bool | None = None  # deals by order year too, or deliveries only
    year_start: int | None = None
    year_end: int | None = None
    suppliers: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    recipients: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    deals: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    uncertain: int = 0
    imported_at: datetime = Field(sa_column=Column(DateTime(), nullable=False))


class ArmsTransferChange(SQLModel, table=True):
    """What an export did to a deal: added it, changed one field (old and new value, as JSON
    text), or removed it (its last values kept in `old_value`, its key in `deal`)."""

    __tablename__ = "arms_transfer_change"
    __table_args__ = (Index("ix_arms_transfer_change_export", "export_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    export_id: int = Field(foreign_key="sipri_export.id", ondelete="CASCADE")
    # Null once the deal is removed: the change stays, named by `deal`.
    arms_transfer_id: int | None = Field(
        default=None, foreign_key="arms_transfer.id", index=True, ondelete="SET NULL"
    )
    deal: str = Field(max_length=200)  # the deal's key when the change was made
    kind: str = Field(sa_type=String(10))  # ADDED, CHANGED, REMOVED
    field: str | None = Field(default=None, max_length=40)
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
    # The deal was matched by the rule's uncertain step (a respelt designation): review it.
    uncertain: bool = False
