"""Evidence: the documents silkgraph cites and the quotes every record carries."""

from typing import TYPE_CHECKING, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.loaders.relations import RowsKey
from schema.loaders.sources import PARAGRAPHS_BY_DOCUMENT_ID, SOURCES_BY_SUBJECT, UNCITED
from schema.types.node import FromRow, RowNode


@strawberry.type(description="A numbered body paragraph of a document silkgraph holds.")
class Paragraph:
    number: int = strawberry.field(description="Its number, counting body paragraphs from 1.")
    section: str = strawberry.field(description="The section it stands in.")
    text: str = strawberry.field(description="Its text, whitespace collapsed.")

    @classmethod
    def from_row(cls, row: models.DocumentParagraph) -> Self:
        return cls(number=row.number, section=row.section, text=row.text)


@strawberry.type(description="How much of a document the records cite: its evidence coverage.")
class Coverage:
    cited: int = strawberry.field(description="Paragraphs that at least one record quotes.")
    total: int = strawberry.field(description="Body paragraphs of the document.")
    share: float = strawberry.field(description="`cited / total`, from 0 to 1 (0 without text).")
    uncited: list[Paragraph] = strawberry.field(description="Paragraphs no record quotes.")


@strawberry.type(description="A work cited as evidence: the paper, a reference dataset …")
class Document(RowNode):
    model: ClassVar[Any] = models.Document

    id: relay.NodeID[int]
    key: str = strawberry.field(description="Stable key of the document in silkgraph.")
    title: str = strawberry.field(description="Title of the work.")
    author: str | None = strawberry.field(description="Author(s), where known.")
    publisher: str | None = strawberry.field(description="Publisher, where known.")
    published: str | None = strawberry.field(
        description="Publication date, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD)."
    )
    url: str | None = strawberry.field(description="Where the work can be read, when known.")
    has_full_text: bool = strawberry.field(
        description="Whether silkgraph holds the full text, against which every quote is checked."
    )

    @classmethod
    def from_row(cls, row: models.Document) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            key=row.key,
            title=row.title,
            author=row.author,
            publisher=row.publisher,
            published=row.published,
            url=row.url,
            has_full_text=row.full_text is not None,
        )

    @strawberry.field(
        description="Which of its paragraphs the records cite; null for a document whose text "
        "silkgraph does not hold."
    )
    async def coverage(self, info: Info) -> Coverage | None:
        if not self.has_full_text:
            return None
        rows = info.context.loaders.rows
        every, uncited = await rows.load_many(
            [
                RowsKey(PARAGRAPHS_BY_DOCUMENT_ID, self.id),
                RowsKey(PARAGRAPHS_BY_DOCUMENT_ID, self.id, UNCITED),
            ]
        )
        total = len(every)
        return Coverage(
            cited=total - len(uncited),
            total=total,
            share=(total - len(uncited)) / total if total else 0.0,
            uncited=[Paragraph.from_row(row) for row in uncited],
        )


@strawberry.type(description="One piece of evidence for a record: a document and what it says.")
class Source(FromRow):
    quote: str | None = strawberry.field(
        description="A short passage copied verbatim from the document (null for reference data)."
    )
    locator: str | None = strawberry.field(
        description="Where in the document: paragraph and section, or a code in a dataset."
    )
    document_id: strawberry.Private[int]
    citation_url: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, row: models.Citation) -> Self:
        return cls(
            quote=row.quote,
            locator=row.locator,
            document_id=row.document_id,
            citation_url=row.url,
        )

    async def _document(self, info: Info) -> models.Document:
        document = await info.context.loaders.by_id(models.Document).load(self.document_id)
        assert document is not None  # the foreign key guarantees it
        return document

    @strawberry.field(description="Title of the cited document.")
    async def document(self, info: Info) -> str:
        return (await self._document(info)).title

    @strawberry.field(description="Link to the evidence: the citation's own, else the document's.")
    async def url(self, info: Info) -> str | None:
        return self.citation_url or (await self._document(info)).url

    @strawberry.field(description="The cited document with its details.")
    async def document_details(self, info: Info) -> Document:
        return Document.from_row(await self._document(info))


@strawberry.interface(description="A record that cites its evidence.")
class Cited:
    """Gives every record its `sources`; `cited_as` names its column in the citation table."""

    cited_as: ClassVar[str]
    if TYPE_CHECKING:
        id: int

    @strawberry.field(description="Evidence for this record: documents, quotes, locators.")
    async def sources(self, info: Info) -> list[Source]:
        relation = SOURCES_BY_SUBJECT[self.cited_as]
        return await Source.related(info, relation, self.id)
