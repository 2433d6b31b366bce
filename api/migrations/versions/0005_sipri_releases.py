"""SIPRI releases: each imported export as a record, and the changes it made to each deal

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sipri_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("release", sa.Integer(), nullable=False),
        sa.Column("generated", sa.DateTime(), nullable=False),
        sa.Column("stamp", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("layout", sa.String(length=20), nullable=False),
        sa.Column("selection", sa.Text(), nullable=True),
        sa.Column("orders", sa.Boolean(), nullable=True),
        sa.Column("year_start", sa.Integer(), nullable=True),
        sa.Column("year_end", sa.Integer(), nullable=True),
        sa.Column("suppliers", sa.JSON(), nullable=True),
        sa.Column("recipients", sa.JSON(), nullable=True),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("uncertain", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id"),
    )
    with op.batch_alter_table("sipri_export", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sipri_export_release"), ["release"], unique=False)
    op.create_table(
        "arms_transfer_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("arms_transfer_id", sa.Integer(), nullable=True),
        sa.Column("deal", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["arms_transfer_id"], ["arms_transfer.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["export_id"], ["sipri_export.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("arms_transfer_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_arms_transfer_change_arms_transfer_id"),
            ["arms_transfer_id"],
            unique=False,
        )
        batch_op.create_index("ix_arms_transfer_change_export", ["export_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_table("arms_transfer_change")
    op.drop_table("sipri_export")
