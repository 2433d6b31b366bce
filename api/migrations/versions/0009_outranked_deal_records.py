"""outranked deal records

A view of the records that another record of the same deal stands for (schema/filters/deals.py:
SIPRI's record before any other, then the smallest key). Counting a deal once excludes them.
As a view, the rule reaches every statement as one short `NOT IN (SELECT id FROM …)`: written
out inline, it took SQLite 3.40's fixed parser stack past its end inside the compiled read
path's deepest statements (benchmark query c), which then fell back to the resolvers.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 20:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rank(alias: str) -> str:
    # Row values compare left to right: a SIPRI key (`sipri:…`) first, then the smaller key.
    return f'(substr({alias}."key", 1, 6) <> \'sipri:\', {alias}."key")'


VIEW = f"""
CREATE VIEW arms_transfer_outranked AS
SELECT deal_record.id AS id
FROM arms_transfer AS deal_record
JOIN arms_transfer AS same_deal
  ON same_deal.deal_key = deal_record.deal_key AND same_deal.id <> deal_record.id
WHERE deal_record.deal_key >= '' AND {_rank("same_deal")} < {_rank("deal_record")}
"""


def upgrade() -> None:
    op.execute(VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW arms_transfer_outranked")
