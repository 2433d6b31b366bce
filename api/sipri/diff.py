"""What an export changes in the store, within its own scope: the diff step of the import.

Pure: given the export's deals and the stored ones (with the exports each appeared in), it
decides, by the rules below, what to add, change, keep and remove, and refuses nothing; the
importer turns its numbers into refusals and its plan into one transaction.

- Newest wins: a deal takes its values from the newest export holding it (by the date each
  was generated), so exports imported in any order leave the same values. Columns an export's
  layout lacks (the deliveries list has no number ordered) are left as they are.
- Removal needs coverage: a stored deal the export lacks is removed only when the export's
  selection covers it (its years and countries) and no other export of the same or a newer
  release holds it. Exports of one release add up; a file without its first line removes
  nothing.
- A deal an older release brings is not added back when a newer release covers it and left it
  out: SIPRI removed it.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from api.models.enums import TransferStatus
from api.sipri.identity import Identity, match
from api.sipri.reader import SipriRow
from api.sipri.selection import Selection

# The columns an import owns and compares; everything else (agreement, financing, the deal
# key) is silkgraph's own and left alone.
COMPARED = (
    "supplier_id",
    "supplier_organisation_id",
    "supplier_non_state_actor_id",
    "recipient_id",
    "recipient_organisation_id",
    "recipient_non_state_actor_id",
    "supplier_name",
    "recipient_name",
    "weapon_designation",
    "weapon_category",
    "weapon_description",
    "number_ordered",
    "number_delivered",
    "order_year",
    "delivery_years",
    "status",
    "order_year_estimated",
    "number_ordered_estimated",
    "number_delivered_estimated",
    "condition",
    "tiv_per_unit",
    "tiv_total_order",
    "tiv_delivered",
    "comments",
)
# What a deal's search entry is made of (api.search_index): only a change to these re-reads it.
SEARCHED = frozenset(COMPARED[:11]) | {"comments"}
# Silkgraph's own columns a change list would only repeat (the actor ids follow the names).
UNREPORTED = frozenset(COMPARED[:6]) | {"status"}


def transfer_status(
    number_ordered: int | None, number_delivered: int | None, delivery_years: Iterable[int]
) -> TransferStatus:
    """How far the deal got, from SIPRI's numbers: nothing delivered yet, all of a known order
    delivered, or some delivered with the rest (or the order's size) not reported."""
    delivered = number_delivered or 0
    if delivered == 0 and not list(delivery_years):
        return TransferStatus.ORDERED
    if number_ordered and delivered >= number_ordered:
        return TransferStatus.DELIVERED
    return TransferStatus.PARTLY_DELIVERED


@dataclass(frozen=True)
class ExportScope:
    """An export already recorded, as far as the diff needs it."""

    id: int
    document_id: int
    release: int
    generated: datetime
    selection: Selection | None


@dataclass(eq=False)
class Incoming:
    key: str
    identity: Identity
    row: SipriRow
    values: dict[str, Any]  # the columns the export's layout has; category None: unknown


@dataclass(eq=False)
class Stored:
    id: int
    key: str
    identity: Identity
    values: dict[str, Any]
    exports: list[ExportScope]  # the recorded exports holding it


@dataclass(frozen=True)
class Change:
    transfer_id: int | None  # None for a deal not yet written (an addition)
    deal: str
    kind: str
    field: str | None = None
    old: str | None = None
    new: str | None = None
    uncertain: bool = False


@dataclass
class Plan:
    added: list[Incoming] = field(default_factory=list)
    # id, new key, the full new values and the columns whose value changes, for deals whose
    # values or key change
    updated: list[tuple[int, str, dict[str, Any], tuple[str, ...]]] = field(default_factory=list)
    matched: list[tuple[Incoming, Stored]] = field(default_factory=list)
    removed: list[Stored] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    changed: int = 0
    unchanged: int = 0
    kept_newer: int = 0  # matched, but a newer export holds the values
    left_out: int = 0  # not added: a newer release covers them and no longer lists them
    covered: int = 0  # stored deals the export's selection covers
    uncertain: list[tuple[Incoming, Stored]] = field(default_factory=list)
    kept_category: int = 0  # matched deals with an unknown description kept their category
    retext: set[int] = field(default_factory=set)  # updated deals whose search text changed


DELIVERIES = ("delivery_years", "number_delivered", "number_delivered_estimated", "tiv_delivered")


def _span(export: ExportScope) -> tuple[int, int]:
    """The years an export speaks for; one without its first line, all of them."""
    if export.selection is None:
        return (0, 9999)
    return (export.selection.start, export.selection.end)


def _years_within(inner: ExportScope, outer: ExportScope) -> bool:
    (start, end), (outer_start, outer_end) = _span(inner), _span(outer)
    return outer_start <= start and end <= outer_end


def _add(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else round(a + b, 4)


def _merged(
    old: dict[str, Any], new: dict[str, Any], export: ExportScope, *, keep_deal: bool
) -> dict[str, Any]:
    """A stored deal's values after an export that holds it. An export reports deliveries
    only within its years ("the number delivered and the years of deliveries refer only to
    deliveries in the selected years"), so deliveries outside them stay: summed when the
    stored ones all lie outside, else the larger of the two totals (the export's is a part).
    The deal's other fields come from the export unless a newer export holds the deal."""
    values = dict(old) if keep_deal else {**old, **new}
    start, end = _span(export)
    stored_years = list(old["delivery_years"] or [])
    outside = [y for y in stored_years if not start <= y <= end]
    if not outside:
        values.update({c: new[c] for c in DELIVERIES if c in new})
        return values
    values["delivery_years"] = sorted({*outside, *new["delivery_years"]})
    values["number_delivered_estimated"] = bool(
        old["number_delivered_estimated"] or new["number_delivered_estimated"]
    )
    if len(outside) == len(stored_years):
        values["number_delivered"] = _add(old["number_delivered"], new["number_delivered"])
        values["tiv_delivered"] = _add(old["tiv_delivered"], new["tiv_delivered"])
    else:
        for column in ("number_delivered", "tiv_delivered"):
            known = [v for v in (old[column], new[column]) if v is not None]
            values[column] = max(known) if known else None
    return values


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def plan(
    incoming: list[Incoming],
    stored: list[Stored],
    export: ExportScope,
    newer: list[ExportScope],
    covers: Callable[[Selection, Identity, int | None, Iterable[int]], bool],
) -> Plan:
    """Decide everything; `newer` are the recorded exports of later releases, `covers` tells
    whether a selection covers a deal (identity, order year, delivery years)."""
    result = Plan()
    matching = match(
        [(item.identity, item) for item in incoming],
        [(item.identity, item) for item in sorted(stored, key=lambda s: s.key)],
    )
    for new, old in matching.pairs:
        result.matched.append((new, old))
        uncertain = new in matching.uncertain
        if uncertain:
            result.uncertain.append((new, old))
        newer = [e for e in old.exports if e.id != export.id and e.generated > export.generated]
        if any(_years_within(export, e) for e in newer):
            result.kept_newer += 1
            continue
        values = _merged(old.values, new.values, export, keep_deal=bool(newer))
        if values["weapon_category"] is None:
            values["weapon_category"] = old.values["weapon_category"]
            result.kept_category += 1
        values["status"] = transfer_status(
            values["number_ordered"], values["number_delivered"], values["delivery_years"]
        ).value
        fields = [c for c in COMPARED if values[c] != old.values[c]]
        if fields or new.key != old.key:
            result.updated.append((old.id, new.key, values, tuple(fields)))
            if SEARCHED.intersection(fields):
                result.retext.add(old.id)
        reported = [c for c in fields if c not in UNREPORTED]
        if reported:
            result.changed += 1
            result.changes.extend(
                Change(
                    old.id,
                    new.key,
                    "CHANGED",
                    c,
                    dump(old.values[c]),
                    dump(values[c]),
                    uncertain,
                )
                for c in reported
            )
        else:
            result.unchanged += 1
    for new in matching.new:
        if any(
            e.selection is not None
            and covers(e.selection, new.identity, new.row.order_year, new.row.delivery_years)
            for e in newer
        ):
            result.left_out += 1
            continue
        result.added.append(new)
        result.changes.append(Change(None, new.key, "ADDED"))
    selection = export.selection
    for old in matching.old:
        if selection is None or not covers(
            selection, old.identity, old.values["order_year"], old.values["delivery_years"]
        ):
            continue
        result.covered += 1
        if any(e.id != export.id and e.release >= export.release for e in old.exports):
            continue
        result.removed.append(old)
        snapshot = {c: old.values[c] for c in COMPARED if c not in UNREPORTED}
        result.changes.append(Change(old.id, old.key, "REMOVED", None, dump(snapshot), None))
    result.covered += sum(
        1
        for _new, old in result.matched
        if selection is not None
        and covers(selection, old.identity, old.values["order_year"], old.values["delivery_years"])
    )
    return result
