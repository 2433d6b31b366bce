"""SIPRI exports seen from a deal: the changes each made to it and the exports it appeared in."""

from sqlmodel import col

from api import models
from schema.loaders.relations import Relation
from schema.pagination import Direction, Ordering, SortKey, by_id

# A deal's history in the order the changes were made (export by export, field by field).
CHANGES_BY_TRANSFER_ID = Relation(
    name="changes_by_transfer_id",
    model=models.ArmsTransferChange,
    parent=models.ArmsTransferChange.arms_transfer_id,
    ordering=Ordering((by_id(),)),
)
# The exports a deal appeared in are those whose document it cites, oldest release first.
EXPORTS_BY_TRANSFER_ID = Relation(
    name="exports_by_transfer_id",
    model=models.SipriExport,
    parent=models.Citation.arms_transfer_id,
    ordering=Ordering((SortKey("release", lambda c: c.release, Direction.ASC), by_id())),
    link=models.Citation,
    on=col(models.Citation.document_id) == col(models.SipriExport.document_id),
    distinct=False,
)
# By release, then in the order imported (a cursor holds the ints).
EXPORT_ORDER = Ordering((SortKey("release", lambda c: c.release, Direction.ASC), by_id()))
CHANGE_ORDER = Ordering((by_id(),))
