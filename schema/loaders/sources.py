"""Citations of every kind of record, each kind through its own column of the citation table."""

from collections.abc import Hashable, Sequence

from sqlalchemy import ColumnElement, exists, select
from sqlmodel import col

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


PARAGRAPH_ORDER = Ordering((SortKey("number", lambda c: c.number), by_id()))
UNCITED = "uncited"


def paragraph_conditions(scope: Hashable) -> Sequence[ColumnElement[bool]]:
    """With scope UNCITED, only the paragraphs no citation stands in."""
    if scope != UNCITED:
        return ()
    paragraph, citation = models.DocumentParagraph, models.Citation
    return (
        ~exists(
            select(col(citation.id)).where(
                col(citation.document_id) == col(paragraph.document_id),
                col(citation.paragraph) == col(paragraph.number),
            )
        ),
    )


PARAGRAPHS_BY_DOCUMENT_ID = Relation(
    name="paragraphs_by_document_id",
    model=models.DocumentParagraph,
    parent=models.DocumentParagraph.document_id,
    ordering=PARAGRAPH_ORDER,
    conditions=paragraph_conditions,
)
