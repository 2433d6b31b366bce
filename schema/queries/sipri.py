"""Root fields for SIPRI exports and the changes they made: what each release did."""

from typing import Annotated

import strawberry
from sqlalchemy import ColumnElement, select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.loaders.sipri import CHANGE_ORDER, EXPORT_ORDER
from schema.pagination import Connection, PageQuery
from schema.types.sipri import ArmsTransferChange, SipriExport


@strawberry.type
class SipriQueries:
    @relay.connection(
        Connection[SipriExport],
        description="Every SIPRI export imported, by release, then in the order imported: "
        "what each covered and did.",
    )
    async def sipri_exports(
        self,
        info: Info,
        release: Annotated[
            int | None, strawberry.argument(description="Only the exports of this release.")
        ] = None,
    ) -> PageQuery[SipriExport]:
        where = () if release is None else (col(models.SipriExport.release) == release,)
        return PageQuery(
            sessions=info.context.sessions,
            model=models.SipriExport,
            ordering=EXPORT_ORDER,
            to_node=SipriExport.from_row,
            where=where,
        )

    @relay.connection(
        Connection[ArmsTransferChange],
        description="The changes the exports of one SIPRI release made, in the order made: "
        "a page at a time, for a dashboard or a curator's review.",
    )
    async def sipri_changes(
        self,
        info: Info,
        release: Annotated[int, strawberry.argument(description="The release, e.g. 2025.")],
        uncertain: Annotated[
            bool | None,
            strawberry.argument(description="true: only uncertain matches, to review."),
        ] = None,
    ) -> PageQuery[ArmsTransferChange]:
        exports = select(col(models.SipriExport.id)).where(
            col(models.SipriExport.release) == release
        )
        where: list[ColumnElement[bool]] = [col(models.ArmsTransferChange.export_id).in_(exports)]
        if uncertain is not None:
            where.append(col(models.ArmsTransferChange.uncertain) == uncertain)
        return PageQuery(
            sessions=info.context.sessions,
            model=models.ArmsTransferChange,
            ordering=CHANGE_ORDER,
            to_node=ArmsTransferChange.from_row,
            where=tuple(where),
        )
