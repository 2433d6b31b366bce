"""cow igo

Organisations carry their Correlates of War IGO number (`ionum`), by which a re-import of the
COW data finds the organisations it created or matched before. The ASSOCIATE membership role
needs no change to the tables: roles are stored as text.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-29 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cow_number", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_organisation_cow_number"), ["cow_number"], unique=True)


def downgrade() -> None:
    # Not in batch mode: SQLite (3.35+) drops a column in place, where a batch would copy the
    # table through reflection, which cannot carry the expression index on acronyms.
    op.drop_index("ix_organisation_cow_number", table_name="organisation")
    op.drop_column("organisation", "cow_number")
