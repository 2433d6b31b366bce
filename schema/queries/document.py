"""Root field for one cited document, with its evidence coverage."""

from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlmodel import col

from api import models
from schema.context import Info
from schema.queries import first_row
from schema.types.source import Document


@strawberry.type
class DocumentQueries:
    @strawberry.field(description="The document with this key; null if there is none.")
    async def document(
        self,
        info: Info,
        key: Annotated[str, strawberry.argument(description="e.g. `paper`.")],
    ) -> Document | None:
        row = await first_row(
            info, select(models.Document).where(col(models.Document.key) == key.strip())
        )
        return Document.from_row(row) if row else None
