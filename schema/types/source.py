"""Evidence: the documents silkgraph cites and the quotes every record carries."""

from typing import Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.loaders.relations import RowsKey
from schema.loaders.sources import SOURCES_BY_SUBJECT
from schema.types.node import resolve_by_ids


@strawberry.type(description="A work cited as evidence: the paper, a reference dataset …")
class Document(relay.Node):
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

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Self | None]:
        return await resolve_by_ids(info, models.Document, node_ids, required, cls.from_row)


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


async def sources_of(info: Info, table: str, subject_id: int) -> list[Source]:
    """The citations of one record, through the batched loader of its kind."""
    rows = await info.context.loaders.rows.load(RowsKey(SOURCES_BY_SUBJECT[table], subject_id))
    return [Source.from_row(row) for row in rows]
