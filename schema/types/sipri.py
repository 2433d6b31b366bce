"""SIPRI exports as imported, and the changes each made to a deal: a deal's history."""

import json
from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay

from api import models
from schema.context import Info
from schema.types.node import RowNode
from schema.types.source import Document


@strawberry.type(
    description="One SIPRI export as imported: which release, what its first line selected, "
    "and what importing it did (summed over every import of the same export)."
)
class SipriExport(RowNode):
    model: ClassVar[Any] = models.SipriExport

    id: relay.NodeID[int]
    release: int = strawberry.field(
        description="SIPRI's yearly release (published in March) the export was made from."
    )
    generated: str = strawberry.field(
        description="When the export was made (ISO 8601, SIPRI's local time, no zone)."
    )
    stamp: str = strawberry.field(description="`Data generated:` as SIPRI wrote it.")
    file_name: str = strawberry.field(description="The file it was imported from.")
    layout: str = strawberry.field(
        description="`register` (one line per deal) or `deliveries` (one line per deal and "
        "delivery year, with SIPRI's deal id)."
    )
    selection: str | None = strawberry.field(
        description="The export's first line, verbatim; null when a spreadsheet re-save lost it "
        "(such an export removed nothing)."
    )
    deliveries_only: bool | None = strawberry.field(
        description="true: deals with deliveries in the years; false: deliveries or orders."
    )
    year_start: int | None = strawberry.field(description="First year of the selection.")
    year_end: int | None = strawberry.field(description="Last year of the selection.")
    suppliers: list[str] | None = strawberry.field(
        description="The suppliers selected, as SIPRI spells them; null: all countries."
    )
    recipients: list[str] | None = strawberry.field(
        description="The recipients selected, as SIPRI spells them; null: all countries."
    )
    deals: int = strawberry.field(description="Deals the export holds.")
    added: int = strawberry.field(description="Deals it added.")
    changed: int = strawberry.field(description="Deals whose SIPRI fields it changed.")
    removed: int = strawberry.field(description="Deals it removed (its selection covered them).")
    unchanged: int = strawberry.field(description="Deals it held as they were (last import).")
    uncertain: int = strawberry.field(
        description="Deals matched by the uncertain step of the matching rule (a respelt "
        "designation): see `changes(uncertain: true)`."
    )
    document_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.SipriExport) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            release=row.release,
            generated=row.generated.isoformat(),
            stamp=row.stamp,
            file_name=row.file_name,
            layout=row.layout,
            selection=row.selection,
            deliveries_only=None if row.orders is None else not row.orders,
            year_start=row.year_start,
            year_end=row.year_end,
            suppliers=row.suppliers,
            recipients=row.recipients,
            deals=row.deals,
            added=row.added,
            changed=row.changed,
            removed=row.removed,
            unchanged=row.unchanged,
            uncertain=row.uncertain,
            document_id=row.document_id,
        )

    @strawberry.field(description="The document every deal it holds cites.")
    async def document(self, info: Info) -> Document:
        row = await info.context.loaders.by_id(models.Document).load(self.document_id)
        assert row is not None  # the foreign key guarantees it
        return Document.from_row(row)


def display_json(text: str | None) -> str | None:
    """A stored JSON value as display text: strings bare, the rest as JSON."""
    if text is None:
        return None
    value = json.loads(text)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@strawberry.type(
    description="What one SIPRI export did to one deal: added it, changed one field (old and "
    "new value), or removed it (its last values in `oldValue`)."
)
class ArmsTransferChange(RowNode):
    model: ClassVar[Any] = models.ArmsTransferChange

    id: relay.NodeID[int]
    deal: str = strawberry.field(description="The deal's key when the change was made.")
    kind: str = strawberry.field(description="`ADDED`, `CHANGED` or `REMOVED`.")
    field: str | None = strawberry.field(
        description="The column changed (`number_ordered` …); null for ADDED and REMOVED."
    )
    old_value: str | None = strawberry.field(
        description="The value before (JSON for numbers, lists and the removed deal's values)."
    )
    new_value: str | None = strawberry.field(description="The value after.")
    uncertain: bool = strawberry.field(
        description="Whether the deal was matched by the uncertain step (a respelt "
        "designation): a curator should review it."
    )
    export_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.ArmsTransferChange) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            deal=row.deal,
            kind=row.kind,
            field=row.field,
            old_value=display_json(row.old_value),
            new_value=display_json(row.new_value),
            uncertain=row.uncertain,
            export_id=row.export_id,
        )

    @strawberry.field(description="The export that made the change.")
    async def export(self, info: Info) -> SipriExport:
        row = await info.context.loaders.by_id(models.SipriExport).load(self.export_id)
        assert row is not None  # the foreign key guarantees it
        return SipriExport.from_row(row)
