"""Root field for one cited document, with its evidence coverage."""

from typing import Annotated

import strawberry

from schema.context import Info
from schema.queries import first_row
from schema.queries.agreement import document_by_key
from schema.types.source import Document


@strawberry.type
class DocumentQueries:
    @strawberry.field(description="The document with this key; null if there is none.")
    async def document(
        self,
        info: Info,
        key: Annotated[str, strawberry.argument(description="e.g. `paper`.")],
    ) -> Document | None:
        row = await first_row(info, document_by_key(key))
        return Document.from_row(row) if row else None
