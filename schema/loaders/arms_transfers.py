"""Arms transfers seen from the recipient, the supplier and the agreement they belong to."""

from sqlalchemy import func, literal_column

from api import models
from schema.filters.base import criteria_conditions
from schema.loaders.relations import Relation
from schema.pagination import Direction, Ordering, SortKey, by_id

# Newest orders first, as SIPRI's register reads; undated deals after dated ones. The 0 is
# literal SQL, not a bound parameter, so the expression matches the indexes that hold this
# order (api.models.arms_transfer.NEWEST_FIRST).
TRANSFER_ORDER = Ordering(
    (
        SortKey(
            "orderYear",
            lambda c: func.coalesce(c.order_year, literal_column("0")),
            Direction.DESC,
        ),
        by_id(),
    )
)


def _transfers_by(name: str, parent: object) -> Relation:
    return Relation(
        name=name,
        model=models.ArmsTransfer,
        parent=parent,
        ordering=TRANSFER_ORDER,
        conditions=criteria_conditions,
    )


ARMS_IMPORTS_BY_STATE_ID = _transfers_by(
    "arms_imports_by_state_id", models.ArmsTransfer.recipient_id
)
ARMS_EXPORTS_BY_STATE_ID = _transfers_by(
    "arms_exports_by_state_id", models.ArmsTransfer.supplier_id
)
ARMS_TRANSFERS_BY_AGREEMENT_ID = _transfers_by(
    "arms_transfers_by_agreement_id", models.ArmsTransfer.agreement_id
)
ARMS_IMPORTS_BY_ORGANISATION_ID = _transfers_by(
    "arms_imports_by_organisation_id", models.ArmsTransfer.recipient_organisation_id
)
ARMS_EXPORTS_BY_ORGANISATION_ID = _transfers_by(
    "arms_exports_by_organisation_id", models.ArmsTransfer.supplier_organisation_id
)
ARMS_IMPORTS_BY_NON_STATE_ACTOR_ID = _transfers_by(
    "arms_imports_by_non_state_actor_id", models.ArmsTransfer.recipient_non_state_actor_id
)
ARMS_EXPORTS_BY_NON_STATE_ACTOR_ID = _transfers_by(
    "arms_exports_by_non_state_actor_id", models.ArmsTransfer.supplier_non_state_actor_id
)
# Every account of one deal (the paper's, SIPRI's), oldest record first.
TRANSFERS_BY_DEAL_KEY = Relation(
    name="transfers_by_deal_key",
    model=models.ArmsTransfer,
    parent=models.ArmsTransfer.deal_key,
    ordering=Ordering((by_id(),)),
)
