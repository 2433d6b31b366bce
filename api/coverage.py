"""Evidence coverage: which body paragraphs of a held document no record cites."""

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlmodel import col

from api import models
from api.db import SessionFactory


@dataclass(frozen=True)
class Coverage:
    document: str
    total: int
    uncited: list[models.DocumentParagraph]

    @property
    def cited(self) -> int:
        return self.total - len(self.uncited)

    @property
    def share(self) -> float:
        return self.cited / self.total if self.total else 0.0


class UnknownDocument(LookupError):
    """No document with that key, or none whose text silkgraph holds."""


async def coverage(sessions: SessionFactory, key: str) -> Coverage:
    """The paragraphs of document `key` and those among them that no citation stands in."""
    paragraph, citation = models.DocumentParagraph, models.Citation
    async with sessions() as session:
        document = await session.scalar(
            select(models.Document).where(col(models.Document.key) == key)
        )
        if document is None:
            raise UnknownDocument(f"no document {key!r}")
        rows = list(
            await session.scalars(
                select(paragraph)
                .where(col(paragraph.document_id) == document.id)
                .order_by(col(paragraph.number))
            )
        )
        if not rows:
            raise UnknownDocument(f"silkgraph does not hold the text of {key!r}")
        cited = exists(
            select(col(citation.id)).where(
                col(citation.document_id) == col(paragraph.document_id),
                col(citation.paragraph) == col(paragraph.number),
            )
        )
        uncited = list(
            await session.scalars(
                select(paragraph)
                .where(col(paragraph.document_id) == document.id, ~cited)
                .order_by(col(paragraph.number))
            )
        )
    return Coverage(key, len(rows), uncited)
