"""Root fields for agreements, arms transfers and the documents they cite."""

import strawberry
from sqlalchemy import Select, select
from sqlalchemy import inspect as sa_inspect
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import (
    AGREEMENT_SORT,
    ARMS_TRANSFER_SORT,
    AgreementFilter,
    AgreementOrder,
    ArmsTransferFilter,
    ArmsTransferOrder,
    conditions_of,
    transfer_criteria_of,
)
from schema.loaders.agreements import AGREEMENT_ORDER
from schema.loaders.arms_transfers import TRANSFER_ORDER
from schema.ordering import ordering_of
from schema.pagination import Connection, Ordering, PageQuery, SortKey
from schema.queries import first_row
from schema.types.agreement import Agreement
from schema.types.arguments import Filter, OrderBy
from schema.types.arms_transfer import ArmsTransfer
from schema.types.source import Document


def agreement_by_key(key: str) -> Select[models.Agreement]:
    """The look-up `agreement(key:)` makes, shared with the compiled read path."""
    return select(models.Agreement).where(col(models.Agreement.key) == key.strip())


# The order `documents` lists them in (keys are unique), shared with the compiled read path.
DOCUMENT_ORDER = Ordering((SortKey("key", lambda c: c.key),))


def every_document() -> Select[models.Document]:
    """What `documents` lists, before it is ordered (`DOCUMENT_ORDER`)."""
    return select(models.Document)


def document_by_key(key: str) -> Select[models.Document]:
    """The look-up `document(key:)` makes, shared with the compiled read path."""
    return select(models.Document).where(col(models.Document.key) == key.strip())


@strawberry.type
class AgreementQueries:
    @strawberry.field(description="The agreement with this key; null if there is none.")
    async def agreement(self, info: Info, key: str) -> Agreement | None:
        row = await first_row(info, agreement_by_key(key))
        return Agreement.from_row(row) if row else None

    @relay.connection(
        Connection[Agreement],
        description="All agreements, by date unless `orderBy` says otherwise.",
    )
    async def agreements(
        self,
        info: Info,
        filter: Filter[AgreementFilter] = None,
        order_by: OrderBy[AgreementOrder] = None,
    ) -> PageQuery[Agreement]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.Agreement,
            ordering=ordering_of(AGREEMENT_SORT, order_by, AGREEMENT_ORDER),
            to_node=Agreement.from_row,
            where=conditions_of(filter),
        )

    @relay.connection(
        Connection[ArmsTransfer],
        description="All arms transfers, newest order first unless `orderBy` says otherwise.",
    )
    async def arms_transfers(
        self,
        info: Info,
        filter: Filter[ArmsTransferFilter] = None,
        order_by: OrderBy[ArmsTransferOrder] = None,
    ) -> PageQuery[ArmsTransfer]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.ArmsTransfer,
            ordering=ordering_of(ARMS_TRANSFER_SORT, order_by, TRANSFER_ORDER),
            to_node=ArmsTransfer.from_row,
            where=transfer_criteria_of(filter).conditions(),
        )

    @strawberry.field(description="Every document silkgraph cites.")
    async def documents(self, info: Info) -> list[Document]:
        async with info.context.sessions() as session:
            table = sa_inspect(models.Document).columns
            order = [k.order_by(table) for k in DOCUMENT_ORDER.keys]
            rows = await session.scalars(every_document().order_by(*order))
            return [Document.from_row(row) for row in rows]
