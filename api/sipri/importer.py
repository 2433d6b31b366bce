"""Import a SIPRI export: read, crosswalk, diff within its scope, write in one go, report.

SIPRI rows carry no id, so each deal gets a natural key from what identifies it, in
silkgraph's terms so that SIPRI's renamings (Turkey -> Turkiye) do not change it:

    sipri:<recipient>/<supplier>/<order year>/<designation, compacted>[/<n>]

where an actor is its state code, organisation acronym or non-state-actor key (all lower
case), `unknown`, or the slug of an unmapped name; `<n>` (from 2) tells apart deals that share
all of these. Deals are matched to the stored ones by `api.sipri.identity` (a matched deal
keeps its row and global id, and its key follows its designation), and `api.sipri.diff`
decides what changes within the export's scope. Every deal cites each export it appeared in,
at its line; each export is a `SipriExport` with what it did, each change an
`ArmsTransferChange`. Refusals (an older release, many removals, unknown descriptions of new
deals) name the reason and write nothing.
"""

import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api import models
from api.bulk import collector_paused, insert_rows, is_postgres, reserve_ids, update_rows
from api.db import SessionFactory
from api.fixtures import is_user_assigned
from api.import_lock import import_transaction
from api.importing import ImportJob, ImportOutcome, ImportRefused, Progress
from api.models.enums import CodeAssignment, TransferStatus, WeaponCategory
from api.models.search import SearchKind
from api.search_index import Scope, refresh_search_index
from api.sipri.counterparts import Counterparts, unlinked_paper_deals
from api.sipri.crosswalk import ActorEntry, ActorKind, Crosswalk
from api.sipri.diff import (
    COMPARED,
    Change,
    ExportScope,
    Incoming,
    Plan,
    Stored,
    plan,
)
from api.sipri.diff import transfer_status as status_of
from api.sipri.identity import KEY_END, KEY_PREFIX, Identity, identity, identity_key, slug
from api.sipri.reader import Edition, Register, SipriRow, read_register
from api.sipri.selection import Selection

PUBLISHER = "Stockholm International Peace Research Institute (SIPRI)"
DATABASE_URL = "https://www.sipri.org/databases/armstransfers"
CHUNK = 5_000

TRANSFERS = models.ArmsTransfer.__table__  # type: ignore[attr-defined]
CITATIONS = models.Citation.__table__  # type: ignore[attr-defined]
CHANGES = models.ArmsTransferChange.__table__  # type: ignore[attr-defined]
# An import that would remove more than this share of the stored deals its selection covers
# stops and asks for --allow-removals: SIPRI revises a few deals a year, not a tenth.
REMOVAL_SHARE = 0.02

LABELS = {
    "state": "states",
    "historic_state": "historic states",
    "organisation": "organisations",
    "non_state_actor": "non-state actors",
    "non_state_actors": "non-state actors",
    "unknown": "unknown",
}


class SipriImportError(ImportRefused):
    """Why nothing of a SIPRI export was imported: every problem, bad lines by number."""


def transfer_status(row: SipriRow) -> TransferStatus:
    """How far the deal got, from one export's numbers."""
    return status_of(row.number_ordered, row.number_delivered, row.delivery_years)


@dataclass(frozen=True)
class Actor:
    """One side of a deal as silkgraph records it."""

    key_part: str
    state_id: int | None = None
    organisation_id: int | None = None
    non_state_actor_id: int | None = None


@dataclass
class ImportReport(ImportOutcome):
    path: Path
    edition: Edition
    lines: int
    deals: int
    split_deals: int
    names_by_kind: dict[str, int]
    actors_by_kind: dict[str, int]
    unmapped_names: list[str] = field(default_factory=list)
    # description -> deals with it: matched ones kept their category, new ones got OTHER
    unmapped_descriptions: dict[str, int] = field(default_factory=dict)
    kept_category: int = 0
    selection: Selection | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    kept_newer: int = 0
    left_out: int = 0
    covered: int = 0
    uncertain: list[str] = field(default_factory=list)
    older_than: int | None = None  # the newest release stored, when this one is older
    linked: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)
    counterparts: Counterparts | None = None  # the paper's deals left without a SIPRI link

    def summary(self) -> list[str]:
        def kinds(counts: dict[str, int]) -> str:
            return ", ".join(f"{n:,} {LABELS.get(k, k)}" for k, n in counts.items() if n)

        scope = self.selection.describe() if self.selection else "unknown (no first line)"
        lines = [
            f"SIPRI trade register, release {self.edition.release}, data generated "
            f"{self.edition.stamp} ({self.path})",
            f"  selection: {scope}",
            f"  read: {self.lines:,} lines, {self.deals:,} deals "
            f"({self.split_deals} split over two lines)",
            f"  SIPRI names: {kinds(self.names_by_kind)}",
            f"  actors: {kinds(self.actors_by_kind)}",
        ]
        if self.created:
            lines.append(f"  created: {kinds(dict(sorted(self.created.items())))}")
        if self.unmapped_names:
            lines.append(f"  unmapped names kept as spelled: {', '.join(self.unmapped_names)}")
        if self.unmapped_descriptions:
            described = ", ".join(f"{d!r} ({n})" for d, n in self.unmapped_descriptions.items())
            lines.append(
                f"  unknown descriptions, {sum(self.unmapped_descriptions.values()):,} deals: "
                f"{described}; {self.kept_category:,} matched deals kept their category, "
                "new ones are OTHER"
            )
        lines.append(
            f"  deals: {self.added:,} added, {self.changed:,} changed, "
            f"{self.removed:,} removed, {self.unchanged:,} unchanged"
        )
        if self.older_than is not None:
            lines.append(
                f"  older than release {self.older_than}: {self.kept_newer:,} deals kept the "
                f"newer values, {self.left_out:,} left out (a newer release removed them)"
            )
        if self.uncertain:
            shown = "; ".join(self.uncertain[:10])
            more = f"; and {len(self.uncertain) - 10:,} more" if len(self.uncertain) > 10 else ""
            lines.append(
                f"  uncertain matches, {len(self.uncertain):,} (review them, as changes "
                f"marked uncertain in sipriExports): {shown}{more}"
            )
        if self.linked:
            lines.append(f"  same deal as the paper's: {', '.join(self.linked)}")
        lines.extend(f"  not linked: {reason}" for reason in self.unlinked)
        if self.counterparts:
            lines.extend(self.counterparts.summary())
        return lines + self.closing(self.deals, "deals")


def _historic_codes() -> set[str]:
    return {country.alpha_3 for country in pycountry.historic_countries}


class _Import(ImportJob):
    refusal = SipriImportError

    def __init__(
        self,
        session: AsyncSession,
        register: Register,
        crosswalk: Crosswalk,
        *,
        allow_unmapped: bool,
        progress: Progress | None,
    ) -> None:
        assert register.edition is not None
        self.register = register
        self.edition = register.edition
        self.crosswalk = crosswalk
        self.allow_unmapped = allow_unmapped
        self.touched: set[int] = set()  # deals added, changed or removed
        self.document: models.Document | None = None
        self.actors: dict[str, Actor] = {}
        names = {r.recipient for r in register.rows} | {r.supplier for r in register.rows}
        self.entries = {n: crosswalk.actors[n] for n in names if n in crosswalk.actors}
        self.report = ImportReport(
            path=register.path,
            edition=self.edition,
            lines=register.lines,
            deals=len(register.rows),
            split_deals=sum(1 for r in register.rows if r.end_line > r.line and not r.sipri_id),
            names_by_kind=self._count_kinds(self.entries.values(), distinct=False),
            actors_by_kind=self._count_kinds(self.entries.values(), distinct=True),
            unmapped_names=sorted(names - set(self.entries), key=str.lower),
            selection=register.selection,
        )
        super().__init__(session, self.report, progress)

    @staticmethod
    def _count_kinds(entries: Any, *, distinct: bool) -> dict[str, int]:
        seen = {(e.kind, e.code) if distinct else e.sipri_name: e.kind for e in entries}
        counts = Counter(seen.values())
        return {kind.value: counts[kind] for kind in ActorKind}

    # -- checks that need no database --------------------------------------------------------

    def check_mapping(self) -> None:
        lines_of: dict[str, list[int]] = defaultdict(list)
        for row in self.register.rows:
            for name in (row.recipient, row.supplier):
                if name not in self.entries:
                    lines_of[name].append(row.line)
        if not self.allow_unmapped:
            for name in self.report.unmapped_names:
                self.problems.append(
                    f"{self.register.path}: unmapped SIPRI actor {name!r} "
                    f"(lines {_lines(lines_of[name])}): add it to fixtures/sipri/actors.csv "
                    "or pass --allow-unmapped"
                )

    # -- actors and the edition's document ---------------------------------------------------

    async def write_document(self) -> None:
        self.document = await self.cited_document(
            self.edition.document_key,
            {
                "title": "SIPRI Arms Transfers Database: trade register "
                f"(data generated {self.edition.stamp})",
                "publisher": PUBLISHER,
                "published": self.edition.day.isoformat(),
                "url": DATABASE_URL,
            },
        )

    def _cite(self, entry: ActorEntry, column: str, subject_id: int | None) -> None:
        assert self.document is not None
        assert self.document.id is not None
        self.cite(
            self.document.id, column, subject_id, quote=entry.sipri_name, locator="actor name"
        )

    async def resolve_actors(self) -> None:
        """Find every mapped actor, creating the historic states, organisations and non-state
        actors the database lacks (each cited to this edition, quoting SIPRI's spelling)."""
        session = self.session
        states = {s.code: s for s in await session.scalars(select(models.State))}
        organisations = {
            o.acronym.lower(): o for o in await session.scalars(select(models.Organisation))
        }
        actors = {a.key: a for a in await session.scalars(select(models.NonStateActor))}
        historic = _historic_codes()
        # States before the non-state actors placed in them; by name, so ids and the spelling
        # a shared state is first cited by do not vary from run to run.
        states_first = sorted(
            self.entries.values(),
            key=lambda e: (e.kind is ActorKind.NON_STATE_ACTOR, e.sipri_name),
        )
        for entry in states_first:
            where = f"fixtures/sipri/actors.csv: {entry.sipri_name!r}"
            if entry.kind in (ActorKind.STATE, ActorKind.HISTORIC_STATE):
                state = states.get(entry.code)
                if state is None:
                    state = self._new_state(entry, historic, where)
                    if state is None:
                        continue
                    states[entry.code] = state
                    await session.flush()
                    self._cite(entry, "state_id", state.id)
                self.actors[entry.sipri_name] = Actor(entry.code.lower(), state_id=state.id)
            elif entry.kind is ActorKind.ORGANISATION:
                organisation = organisations.get(entry.code.lower())
                if organisation is None:
                    assert entry.organisation_kind is not None
                    organisation = models.Organisation(
                        acronym=entry.code, name=entry.name, kind=entry.organisation_kind
                    )
                    session.add(organisation)
                    await session.flush()
                    organisations[entry.code.lower()] = organisation
                    self.report.created["organisations"] += 1
                    self._cite(entry, "organisation_id", organisation.id)
                self.actors[entry.sipri_name] = Actor(
                    slug(entry.code), organisation_id=organisation.id
                )
            elif entry.kind is ActorKind.NON_STATE_ACTOR:
                actor = actors.get(entry.code)
                country = states.get(entry.country) if entry.country else None
                if entry.country and country is None:
                    self.problems.append(f"{where}: country: unknown state code {entry.country!r}")
                    continue
                if actor is None:
                    actor = models.NonStateActor(key=entry.code, name=entry.name)
                    session.add(actor)
                    self.report.created["non_state_actors"] += 1
                actor.name = entry.name
                actor.country_id = country.id if country else None
                actor.description = entry.note or None
                if entry.code not in actors:
                    await session.flush()
                    actors[entry.code] = actor
                    self._cite(entry, "non_state_actor_id", actor.id)
                self.actors[entry.sipri_name] = Actor(entry.code, non_state_actor_id=actor.id)
            else:
                self.actors[entry.sipri_name] = Actor("unknown")
        for name in self.report.unmapped_names:
            self.actors[name] = Actor(slug(name))
        await session.flush()

    def _new_state(self, entry: ActorEntry, historic: set[str], where: str) -> models.State | None:
        if entry.code in historic:
            assignment = CodeAssignment.ISO_3166_3
        elif is_user_assigned(entry.code):
            assignment = CodeAssignment.USER_ASSIGNED
        else:
            self.problems.append(
                f"{where}: state {entry.code} is not in the database: load the fixtures first "
                "(silkgraph load fixtures/), which bring every ISO 3166-1 state"
            )
            return None
        if not entry.name:
            self.problems.append(f"{where}: name: needed to create state {entry.code}")
            return None
        state = models.State(code=entry.code, name=entry.name, code_assignment=assignment)
        self.session.add(state)
        self.report.created["states"] += 1
        return state

    # -- the deals -------------------------------------------------------------------------

    @staticmethod
    def _part(entry: ActorEntry | None, name: str) -> str:
        """A SIPRI name's part of a deal key, through the crosswalk."""
        if entry is None:
            return slug(name)
        if entry.kind in (ActorKind.STATE, ActorKind.HISTORIC_STATE):
            return entry.code.lower()
        if entry.kind is ActorKind.ORGANISATION:
            return slug(entry.code)
        if entry.kind is ActorKind.NON_STATE_ACTOR:
            return entry.code
        return "unknown"

    def _parts(self, names: Iterable[str] | None) -> frozenset[str] | None:
        if names is None:
            return None
        return frozenset(self._part(self.crosswalk.actors.get(n), n) for n in names)

    def covers(
        self,
        selection: Selection,
        ident: Identity,
        order_year: int | None,
        delivery_years: Iterable[int],
    ) -> bool:
        """Whether a selection covers a deal: its years, and its countries through the
        crosswalk, so that a selection spelling `Turkey` covers deals spelt `Turkiye`."""
        if not selection.covers_years(order_year, delivery_years):
            return False
        key = (selection.suppliers, selection.recipients)
        if key not in self._selection_parts:
            self._selection_parts[key] = (
                self._parts(selection.suppliers),
                self._parts(selection.recipients),
            )
        suppliers, recipients = self._selection_parts[key]
        recipient, supplier = ident[0], ident[1]
        return (suppliers is None or supplier in suppliers) and (
            recipients is None or recipient in recipients
        )

    _selection_parts: dict[
        tuple[tuple[str, ...] | None, tuple[str, ...] | None],
        tuple[frozenset[str] | None, frozenset[str] | None],
    ]

    def category(self, row: SipriRow) -> WeaponCategory | None:
        """SIPRI's own category where the export states it, else the crosswalk's by
        description (any case and spacing); None when neither knows it."""
        if row.category is not None:
            return row.category
        return self.crosswalk.category(row.description)

    def incoming(self) -> list[Incoming]:
        """Every deal of the export with its key and the column values it brings."""
        absent = self.register.absent
        groups: dict[Identity, list[tuple[SipriRow, dict[str, Any]]]] = defaultdict(list)
        for row in self.register.rows:
            recipient, supplier = self.actors[row.recipient], self.actors[row.supplier]
            category = self.category(row)
            values = {
                "supplier_id": supplier.state_id,
                "supplier_organisation_id": supplier.organisation_id,
                "supplier_non_state_actor_id": supplier.non_state_actor_id,
                "recipient_id": recipient.state_id,
                "recipient_organisation_id": recipient.organisation_id,
                "recipient_non_state_actor_id": recipient.non_state_actor_id,
                "supplier_name": row.supplier,
                "recipient_name": row.recipient,
                "weapon_designation": row.designation,
                "weapon_category": category.value if category else None,
                "weapon_description": row.description,
                "number_ordered": row.number_ordered,
                "number_delivered": row.number_delivered,
                "order_year": row.order_year,
                "delivery_years": list(row.delivery_years),
                "status": transfer_status(row).value,
                "order_year_estimated": row.order_year_estimated,
                "number_ordered_estimated": row.number_ordered_estimated,
                "number_delivered_estimated": row.number_delivered_estimated,
                "condition": row.condition.value,
                "tiv_per_unit": row.tiv_per_unit,
                "tiv_total_order": row.tiv_total_order,
                "tiv_delivered": row.tiv_delivered,
                "comments": row.comments,
            }
            for column in absent:
                del values[column]
            ident = identity(recipient.key_part, supplier.key_part, row.order_year, row.designation)
            groups[ident].append((row, values))
        found: list[Incoming] = []
        for ident, members in groups.items():
            if len(members) > 1:
                members.sort(key=lambda m: repr([m[1].get(c) for c in COMPARED]))
            for n, (row, values) in enumerate(members, start=1):
                found.append(Incoming(identity_key(KEY_PREFIX, ident, n), ident, row, values))
        return found

    async def recorded_exports(self) -> dict[int, ExportScope]:
        rows = await self.session.scalars(select(models.SipriExport))
        return {row.id: _scope(row) for row in rows if row.id is not None}

    async def stored(self, exports: dict[int, ExportScope]) -> list[Stored]:
        """Every SIPRI deal in the store, its identity worked out from its columns (so keys
        of any earlier scheme match too) and the recorded exports that hold it."""
        session = self.session
        codes: dict[int | None, str] = dict(
            (await session.execute(select(col(models.State.id), col(models.State.code)))).all()
        )
        acronyms: dict[int | None, str] = dict(
            (
                await session.execute(
                    select(col(models.Organisation.id), col(models.Organisation.acronym))
                )
            ).all()
        )
        keys: dict[int | None, str] = dict(
            (
                await session.execute(
                    select(col(models.NonStateActor.id), col(models.NonStateActor.key))
                )
            ).all()
        )

        def part(state: int | None, organisation: int | None, actor: int | None, name: str) -> str:
            if state is not None:
                return str(codes[state]).lower()
            if organisation is not None:
                return slug(str(acronyms[organisation]))
            if actor is not None:
                return str(keys[actor])
            return self._part(self.crosswalk.actors.get(name or ""), name or "")

        by_document = {scope.document_id: scope for scope in exports.values()}
        holders: dict[int, list[ExportScope]] = defaultdict(list)
        cited = await session.execute(
            select(CITATIONS.c.arms_transfer_id, CITATIONS.c.document_id)
            .join(TRANSFERS, TRANSFERS.c.id == CITATIONS.c.arms_transfer_id)
            .where(
                TRANSFERS.c.key >= KEY_PREFIX,
                TRANSFERS.c.key < KEY_END,
                CITATIONS.c.document_id.in_(list(by_document)),
            )
        )
        for transfer_id, document_id in cited.all():
            holders[transfer_id].append(by_document[document_id])
        columns = [TRANSFERS.c.id, TRANSFERS.c.key, *(TRANSFERS.c[c] for c in COMPARED)]
        result = await session.execute(
            select(*columns).where(TRANSFERS.c.key >= KEY_PREFIX, TRANSFERS.c.key < KEY_END)
        )
        found: list[Stored] = []
        for row in result.all():
            values = dict(zip(COMPARED, row[2:], strict=True))
            ident = identity(
                part(
                    values["recipient_id"],
                    values["recipient_organisation_id"],
                    values["recipient_non_state_actor_id"],
                    values["recipient_name"],
                ),
                part(
                    values["supplier_id"],
                    values["supplier_organisation_id"],
                    values["supplier_non_state_actor_id"],
                    values["supplier_name"],
                ),
                values["order_year"] or 0,
                values["weapon_designation"] or "",
            )
            found.append(Stored(row[0], row[1], ident, values, holders.get(row[0], [])))
        return found

    async def diff(self) -> Plan:
        exports = await self.recorded_exports()
        assert self.document is not None
        same = [e for e in exports.values() if e.document_id == self.document.id]
        this = ExportScope(
            id=same[0].id if same else -1,
            document_id=self.document.id or -1,
            release=self.edition.release,
            generated=self.edition.generated,
            selection=self.register.selection,
        )
        self.export_id = same[0].id if same else None
        newer = [e for e in exports.values() if e.release > this.release]
        if newer:
            self.report.older_than = max(e.release for e in newer)
        self._selection_parts = {}
        stored = await self.stored(exports)
        self._keys = {item.id: item.key for item in stored}
        result = plan(self.incoming(), stored, this, newer, self.covers)
        report = self.report
        report.added, report.changed, report.removed = (
            len(result.added),
            result.changed,
            len(result.removed),
        )
        report.unchanged, report.kept_newer, report.left_out = (
            result.unchanged,
            result.kept_newer,
            result.left_out,
        )
        report.covered, report.kept_category = result.covered, result.kept_category
        report.uncertain = [
            f"{old.values['weapon_designation']} -> {new.row.designation} "
            f"({new.row.recipient} from {new.row.supplier}, {new.row.order_year})"
            for new, old in result.uncertain
        ]
        unknown = Counter(item.row.description for item in self.incoming_unknown(result))
        report.unmapped_descriptions = dict(sorted(unknown.items(), key=lambda i: i[0].lower()))
        return result

    def incoming_unknown(self, result: Plan) -> list[Incoming]:
        """Deals whose description no table knows: matched ones keep their category."""
        matched = [new for new, _old in result.matched]
        return [i for i in (*matched, *result.added) if i.values.get("weapon_category") is None]

    def check_plan(self, result: Plan, *, allow_older: bool, allow_removals: bool) -> None:
        """The refusals that protect stored data; each says what would happen."""
        path, report = self.register.path, self.report
        if report.older_than is not None and not allow_older:
            self.problems.append(
                f"{path}: release {self.edition.release} (data generated {self.edition.stamp}) "
                f"is older than release {report.older_than}, already imported: it would "
                f"revert nothing (newer values win) but add {len(result.added):,} deals and "
                "record it in their history; pass --allow-older to import it all the same"
            )
        limit = int(report.covered * REMOVAL_SHARE)
        if len(result.removed) > limit and not allow_removals:
            share = len(result.removed) / report.covered if report.covered else 1.0
            self.problems.append(
                f"{path}: it would remove {len(result.removed):,} of the {report.covered:,} "
                f"stored deals its selection covers ({share:.0%}; more than "
                f"{REMOVAL_SHARE:.0%} needs a flag), add {len(result.added):,} and change "
                f"{result.changed:,}; pass --allow-removals if SIPRI really dropped them"
            )
        new_unknown = Counter(
            i.row.description for i in result.added if i.values["weapon_category"] is None
        )
        if new_unknown and not self.allow_unmapped:
            for description, count in sorted(new_unknown.items()):
                lines = [i.row.line for i in result.added if i.row.description == description]
                self.problems.append(
                    f"{path}: unmapped weapon description {description!r} ({count} new deals, "
                    f"lines {_lines(lines)}): add it to fixtures/sipri/weapon_categories.csv "
                    "or pass --allow-unmapped to record them as OTHER"
                )

    async def write_export(self, result: Plan) -> int:
        """The export's record: created, or (re-imported) its counts added to."""
        assert self.document is not None
        assert self.document.id is not None
        selection = self.register.selection
        export = (
            await self.session.get(models.SipriExport, self.export_id)
            if self.export_id is not None
            else None
        )
        if export is None:
            export = models.SipriExport(
                document_id=self.document.id,
                release=self.edition.release,
                generated=self.edition.generated,
                stamp=self.edition.stamp,
                file_name=self.register.path.name,
                layout=self.register.layout.value,
                imported_at=datetime.now(UTC).replace(tzinfo=None),
            )
            self.session.add(export)
        export.selection = selection.text if selection else None
        export.orders = selection.orders if selection else None
        export.year_start = selection.start if selection else None
        export.year_end = selection.end if selection else None
        export.suppliers = list(selection.suppliers) if selection and selection.suppliers else None
        export.recipients = (
            list(selection.recipients) if selection and selection.recipients else None
        )
        export.deals = len(self.register.rows)
        export.added += len(result.added)
        export.changed += result.changed
        export.removed += len(result.removed)
        export.unchanged = result.unchanged
        export.uncertain += len(result.uncertain)
        await self.session.flush()
        assert export.id is not None
        return export.id

    async def write(self, result: Plan) -> None:
        export_id = await self.write_export(result)
        session = self.session
        total = len(result.added) + len(result.removed) + len(result.updated)
        done = 0
        removed = [old.id for old in result.removed]
        self.touched.update(removed)
        for start in range(0, len(removed), CHUNK):
            doomed = removed[start : start + CHUNK]
            await session.execute(
                delete(models.ArmsTransfer).where(col(models.ArmsTransfer.id).in_(doomed))
            )
            done += len(doomed)
            self._tick("writing", done, total)
        moving = [
            (row_id, f"sipri-moving:{row_id}")
            for row_id, key, _values, _fields in result.updated
            if key != self._keys[row_id]
        ]
        if moving:  # keys may trade places: step aside first, so no two rows share one
            await update_rows(session, TRANSFERS, "id", ["key"], moving)
        if result.updated:
            self.touched.update(result.retext)  # numbers and years are not searched
            for columns, rows in self._updates(result, every_column=is_postgres(session)).items():
                await update_rows(session, TRANSFERS, "id", columns, rows)
                done += len(rows)
                self._tick("writing", done, total)
        ids = {new.key: old.id for new, old in result.matched}
        if result.added:
            first = await reserve_ids(session, TRANSFERS, len(result.added))
            ids.update({new.key: first + i for i, new in enumerate(result.added)})
            self.touched.update(ids[new.key] for new in result.added)
            rows = []
            for new in result.added:
                values = dict.fromkeys(COMPARED) | new.values
                values["weapon_category"] = values["weapon_category"] or WeaponCategory.OTHER.value
                rows.append((ids[new.key], new.key, *(values[c] for c in COMPARED)))
            await insert_rows(session, TRANSFERS, ["id", "key", *COMPARED], rows)
            done += len(rows)
            self._tick("writing", done, total)
        written = [*(new for new, _old in result.matched), *result.added]
        await self._cite_deals(written, ids)
        await insert_rows(
            session,
            CHANGES,
            [
                "export_id",
                "arms_transfer_id",
                "deal",
                "kind",
                "field",
                "old_value",
                "new_value",
                "uncertain",
            ],
            [_change_row(export_id, change, ids) for change in result.changes],
        )
        self._tick("writing", total, total)

    _keys: dict[int, str]

    def _updates(
        self, result: Plan, *, every_column: bool
    ) -> dict[tuple[str, ...], list[tuple[Any, ...]]]:
        """The updated deals' rows, by the columns to set. SQLite rewrites every index on a
        column it sets, changed or not (setting all of them was eight times slower), so there
        each group sets only what changes; PostgreSQL leaves an unchanged value's indexes
        alone, and one statement setting every column saves it a round trip per group."""
        groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
        for row_id, key, values, fields in result.updated:
            if every_column:
                columns: tuple[str, ...] = ("key", *COMPARED)
            else:
                columns = ("key", *fields) if key != self._keys[row_id] else fields
            groups[columns].append((row_id, *(key if c == "key" else values[c] for c in columns)))
        return groups

    async def _cite_deals(self, written: list[Incoming], ids: dict[str, int]) -> None:
        """Each deal cites every export it appeared in, at its line there: a deal new to
        this export gets a citation, one it held before has its line brought up to date."""
        assert self.document is not None
        assert self.document.id is not None
        document_id = self.document.id
        result = await self.session.execute(
            select(CITATIONS.c.id, CITATIONS.c.arms_transfer_id, CITATIONS.c.locator).where(
                CITATIONS.c.document_id == document_id,
                CITATIONS.c.arms_transfer_id.is_not(None),
            )
        )
        current = {row.arms_transfer_id: row for row in result.all()}
        moved: list[tuple[int, str]] = []
        new: list[tuple[Any, ...]] = []
        for item in written:
            transfer_id = ids[item.key]
            citation = current.get(transfer_id)
            if citation is None:
                new.append((document_id, transfer_id, item.row.locator, 0))
            elif citation.locator != item.row.locator:
                moved.append((citation.id, item.row.locator))
        await update_rows(self.session, CITATIONS, "id", ["locator"], moved)
        if new:
            await insert_rows(
                self.session,
                CITATIONS,
                ["document_id", "arms_transfer_id", "locator", "position"],
                new,
            )

    async def link_same_deals(self) -> None:
        """Join the paper's record and SIPRI's record of one deal under the paper's key."""
        links = self.crosswalk.same_deals
        wanted = [link.paper_key for link in links] + [link.sipri_key for link in links]
        present = set(
            await self.session.scalars(
                select(col(models.ArmsTransfer.key)).where(col(models.ArmsTransfer.key).in_(wanted))
            )
        )
        paper_keys = keys = present
        linked_sipri: list[str] = []
        for link in links:
            if link.sipri_key not in keys:
                self.report.unlinked.append(f"{link.sipri_key} is not in the store")
            elif link.paper_key not in paper_keys:
                self.report.unlinked.append(f"paper record {link.paper_key} is not loaded")
            else:
                await self.session.execute(
                    update(models.ArmsTransfer)
                    .where(col(models.ArmsTransfer.key).in_([link.paper_key, link.sipri_key]))
                    .values(deal_key=link.paper_key)
                )
                self.report.linked.append(f"{link.paper_key} = {link.sipri_key}")
                linked_sipri.append(link.sipri_key)
        # A link taken out of the file no longer joins the SIPRI record to anything.
        await self.session.execute(
            update(models.ArmsTransfer)
            .where(
                col(models.ArmsTransfer.key) >= KEY_PREFIX,
                col(models.ArmsTransfer.key) < KEY_END,
                col(models.ArmsTransfer.deal_key).is_not(None),
                col(models.ArmsTransfer.key).not_in(linked_sipri),
            )
            .values(deal_key=None)
        )
        self.report.counterparts = await unlinked_paper_deals(self.session, self.crosswalk)

    def search_scope(self) -> Scope:
        """What the search index must re-read: the deals this import added, removed or changed
        in what is searched (not numbers or years), and every record of the kinds it may have
        created or renamed (a few hundred: states, organisations, non-state actors, its
        edition's document)."""
        return {
            SearchKind.ARMS_TRANSFER: self.touched,
            SearchKind.STATE: None,
            SearchKind.ORGANISATION: None,
            SearchKind.NON_STATE_ACTOR: None,
            SearchKind.DOCUMENT: None,
        }


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:5])
    return shown + (f" and {len(lines) - 5} more" if len(lines) > 5 else "")


def _scope(row: models.SipriExport) -> ExportScope:
    """A recorded export's selection, rebuilt from its columns."""
    selection = None
    if row.selection is not None and row.orders is not None:
        assert row.year_start is not None
        assert row.year_end is not None
        selection = Selection(
            text=row.selection,
            suppliers=tuple(row.suppliers) if row.suppliers else None,
            recipients=tuple(row.recipients) if row.recipients else None,
            orders=row.orders,
            start=row.year_start,
            end=row.year_end,
        )
    assert row.id is not None
    return ExportScope(row.id, row.document_id, row.release, row.generated, selection)


def _change_row(export_id: int, change: Change, ids: dict[str, int]) -> tuple[Any, ...]:
    transfer_id = change.transfer_id if change.kind != "ADDED" else ids[change.deal]
    return (
        export_id,
        None if change.kind == "REMOVED" else transfer_id,
        change.deal,
        change.kind,
        change.field,
        change.old,
        change.new,
        change.uncertain,
    )


async def import_register(
    sessions: SessionFactory,
    path: Path,
    *,
    crosswalk: Crosswalk | None = None,
    dry_run: bool = False,
    allow_unmapped: bool = False,
    allow_older: bool = False,
    allow_removals: bool = False,
    data_generated: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and check `path` whole, then write it in one transaction (nothing on any problem
    or refusal); with `dry_run`, work out and report the same changes, then roll them back.
    `allow_older` imports a release older than one already imported, `allow_removals` one
    that removes more than a small share of what it covers; `data_generated` dates a file
    whose `Data generated` line a spreadsheet re-save lost."""
    with collector_paused():
        started = time.perf_counter()
        crosswalk = crosswalk or Crosswalk.load()
        register = read_register(
            path,
            progress=(lambda done, total: progress("reading", done, total)) if progress else None,
            generated=data_generated,
        )
        if register.problems:
            raise SipriImportError(register.problems)
        assert register.edition is not None
        what = f"SIPRI import of {path.name}"
        async with import_transaction(sessions, what, dry_run=dry_run) as session:
            job = _Import(
                session, register, crosswalk, allow_unmapped=allow_unmapped, progress=progress
            )
            job.check_mapping()
            job.stop_if_problems()
            await job.write_document()
            await job.resolve_actors()
            job.stop_if_problems()
            result = await job.diff()
            job.check_plan(result, allow_older=allow_older, allow_removals=allow_removals)
            job.stop_if_problems()
            if not dry_run:
                await job.write(result)
                await job.link_same_deals()
                # In the same transaction: searches never see deals the index lacks.
                job.report.search_entries = await refresh_search_index(session, job.search_scope())
        job.report.dry_run = dry_run
        job.report.seconds = time.perf_counter() - started
        return job.report
