"""Citations of every kind of record, each kind through its own column of the citation table."""

from api import models
from schema.loaders.relations import Relation
from schema.pagination import Ordering, SortKey, by_id

CITATION_ORDER = Ordering((SortKey("position", lambda c: c.position), by_id()))

SOURCES_BY_SUBJECT: dict[str, Relation] = {
    table: Relation(
        name=f"sources_by_{table}_id",
        model=models.Citation,
        parent=getattr(models.Citation, f"{table}_id"),
        ordering=CITATION_ORDER,
    )
    for table in models.CITED_TABLES
}
