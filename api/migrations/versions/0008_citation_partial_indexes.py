"""citation partial indexes

Each subject column of `citation` is indexed only where it is set. A citation fills one of
the fifteen, so the full indexes wrote fourteen NULL entries per citation: most of the cost
of the 28,000 citations a SIPRI release adds (bench/sipri_releases.py). Lookups by subject
imply NOT NULL and use the partial indexes as they used the full ones.

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-29 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The cited tables as of this revision (api.models.source.CITED_TABLES then).
SUBJECTS = (
    "state",
    "organisation",
    "organisation_name",
    "company",
    "membership",
    "agreement",
    "arms_transfer",
    "person",
    "office_holding",
    "event",
    "military_exercise",
    "corridor",
    "initiative",
    "economic_figure",
    "non_state_actor",
)


def _recreate(*, partial: bool) -> None:
    for subject in SUBJECTS:
        column = f"{subject}_id"
        name = f"ix_citation_{column}"
        where = {}
        if partial:
            predicate = sa.text(f"{column} IS NOT NULL")
            where = {"sqlite_where": predicate, "postgresql_where": predicate}
        op.drop_index(name, table_name="citation")
        op.create_index(name, "citation", [column], unique=False, **where)


def upgrade() -> None:
    _recreate(partial=True)


def downgrade() -> None:
    _recreate(partial=False)
