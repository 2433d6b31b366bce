"""Evidence: the documents silkgraph cites and the quotes every record carries."""

from typing import TYPE_CHECKING, Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.loaders.relations import RowsKey
from schema.loaders.sources import SOURCES_BY_SUBJECT
from schema.types.node import RowNode


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


@strawberry.type(description="One piece of evidence for a record: a document and what it says.")
class Source:
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
        rows = await info.context.loaders.rows.load(RowsKey(relation, self.id))
        return [Source.from_row(row) for row in rows]
