"""Import a SIPRI trade-register edition: check everything first, then upsert it in one go.

SIPRI rows carry no id, so each deal gets a natural key from what identifies it, in
silkgraph's terms so that SIPRI's renamings (Turkey -> Turkiye) do not change it:

    sipri:<recipient>/<supplier>/<order year>/<designation slug>/<description slug>[/<n>]

where an actor is its state code, organisation acronym or non-state-actor key (all lower
case), `unknown`, or the slug of an unmapped name; `<n>` (from 2) tells apart deals that share
all of these, numbered in the order of their remaining values so that a reordered file keeps
their keys. Re-importing an edition is then an upsert: same key and same values is
unchanged, same key and other values is changed, a key only the database has (from an earlier
edition) is removed. Every imported deal cites the edition's Document, with its CSV line.
"""

import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import and_, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api import models
from api.bulk import insert_rows, reserve_ids
from api.db import SessionFactory
from api.fixtures import is_user_assigned
from api.import_lock import hold_import_lock
from api.models.enums import CodeAssignment, TransferStatus, WeaponCategory
from api.models.search import SearchKind
from api.search_index import Scope, refresh_search_index
from api.sipri.crosswalk import ActorEntry, ActorKind, Crosswalk
from api.sipri.reader import Edition, Register, SipriRow, read_register

KEY_PREFIX = "sipri:"
KEY_END = "sipri;"  # the next string after every "sipri:…" key: a range the key index serves
PUBLISHER = "Stockholm International Peace Research Institute (SIPRI)"
DATABASE_URL = "https://www.sipri.org/databases/armstransfers"
CHUNK = 5_000

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
TRANSFERS = models.ArmsTransfer.__table__  # type: ignore[attr-defined]
CITATIONS = models.Citation.__table__  # type: ignore[attr-defined]

LABELS = {
    "state": "states",
    "historic_state": "historic states",
    "organisation": "organisations",
    "non_state_actor": "non-state actors",
    "non_state_actors": "non-state actors",
    "unknown": "unknown",
}

Progress = Callable[[str, int, int], None]
"""Called as (stage, done, total) while an import runs; the CLI draws it as a bar."""


class SipriImportError(Exception):
    """Why nothing was imported: every problem found, bad lines named by line number."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "-"


def transfer_status(row: SipriRow) -> TransferStatus:
    """How far the deal got, from SIPRI's numbers: nothing delivered yet, all of a known order
    delivered, or some delivered with the rest (or the order's size) not reported."""
    delivered = row.number_delivered or 0
    if delivered == 0 and not row.delivery_years:
        return TransferStatus.ORDERED
    if row.number_ordered and delivered >= row.number_ordered:
        return TransferStatus.DELIVERED
    return TransferStatus.PARTLY_DELIVERED


@dataclass(frozen=True)
class Actor:
    """One side of a deal as silkgraph records it."""

    key_part: str
    state_id: int | None = None
    organisation_id: int | None = None
    non_state_actor_id: int | None = None


@dataclass
class ImportReport:
    path: Path
    edition: Edition
    lines: int
    deals: int
    split_deals: int
    names_by_kind: dict[str, int]
    actors_by_kind: dict[str, int]
    unmapped_names: list[str] = field(default_factory=list)
    unmapped_descriptions: list[str] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    linked: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)
    search_entries: int = 0
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def rate(self) -> float:
        return self.deals / self.seconds if self.seconds else 0.0

    def summary(self) -> list[str]:
        def kinds(counts: dict[str, int]) -> str:
            return ", ".join(f"{n:,} {LABELS.get(k, k)}" for k, n in counts.items() if n)

        lines = [
            f"SIPRI trade register, data generated {self.edition.stamp} ({self.path})",
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
            described = ", ".join(self.unmapped_descriptions)
            lines.append(f"  unmapped descriptions recorded as OTHER: {described}")
        lines.append(
            f"  deals: {self.added:,} added, {self.changed:,} changed, "
            f"{self.removed:,} removed, {self.unchanged:,} unchanged"
        )
        if self.linked:
            lines.append(f"  same deal as the paper's: {', '.join(self.linked)}")
        lines.extend(f"  not linked: {reason}" for reason in self.unlinked)
        if not self.dry_run:
            lines.append(f"  search index: {self.search_entries:,} entries written or removed")
        verb = "Checked" if self.dry_run else "Imported"
        lines.append(f"{verb} in {self.seconds:.2f} s ({self.rate:,.0f} deals/s).")
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return lines


def _historic_codes() -> set[str]:
    return {country.alpha_3 for country in pycountry.historic_countries}


class _Import:
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
        self.session = session
        self.register = register
        self.edition = register.edition
        self.crosswalk = crosswalk
        self.allow_unmapped = allow_unmapped
        self.progress = progress
        self.problems: list[str] = []
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
            split_deals=sum(1 for r in register.rows if r.end_line > r.line),
            names_by_kind=self._count_kinds(self.entries.values(), distinct=False),
            actors_by_kind=self._count_kinds(self.entries.values(), distinct=True),
            unmapped_names=sorted(names - set(self.entries), key=str.lower),
        )

    @staticmethod
    def _count_kinds(entries: Any, *, distinct: bool) -> dict[str, int]:
        seen = {(e.kind, e.code) if distinct else e.sipri_name: e.kind for e in entries}
        counts = Counter(seen.values())
        return {kind.value: counts[kind] for kind in ActorKind}

    def _tick(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

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
        unmapped: dict[str, list[int]] = defaultdict(list)
        for row in self.register.rows:
            if row.description.lower() not in self.crosswalk.weapon_categories:
                unmapped[row.description].append(row.line)
        self.report.unmapped_descriptions = sorted(unmapped, key=str.lower)
        if not self.allow_unmapped:
            for description, lines in unmapped.items():
                self.problems.append(
                    f"{self.register.path}: unmapped weapon description {description!r} "
                    f"(lines {_lines(lines)}): add it to fixtures/sipri/weapon_categories.csv "
                    "or pass --allow-unmapped"
                )

    # -- actors and the edition's document ---------------------------------------------------

    async def write_document(self) -> None:
        key = self.edition.document_key
        doc = await self.session.scalar(
            select(models.Document).where(col(models.Document.key) == key)
        )
        if doc is None:
            doc = models.Document(key=key, title="")
            self.session.add(doc)
            self.report.created["documents"] += 1
        doc.sqlmodel_update(
            {
                "title": "SIPRI Arms Transfers Database: trade register "
                f"(data generated {self.edition.stamp})",
                "publisher": PUBLISHER,
                "published": self.edition.day.isoformat(),
                "url": DATABASE_URL,
            }
        )
        await self.session.flush()
        self.document = doc

    def _cite(self, entry: ActorEntry, column: str, subject_id: int | None) -> None:
        assert self.document is not None
        assert self.document.id is not None
        citation = models.Citation(
            document_id=self.document.id, quote=entry.sipri_name, locator="actor name", position=0
        )
        setattr(citation, column, subject_id)
        self.session.add(citation)

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

    def desired(self) -> dict[str, tuple[SipriRow, dict[str, Any]]]:
        """Every deal of the edition by natural key, with the column values it should have."""
        if self._desired is None:
            self._desired = self._compute_desired()
        return self._desired

    _desired: dict[str, tuple[SipriRow, dict[str, Any]]] | None = None

    def _compute_desired(self) -> dict[str, tuple[SipriRow, dict[str, Any]]]:
        groups: dict[str, list[tuple[SipriRow, dict[str, Any]]]] = defaultdict(list)
        for row in self.register.rows:
            recipient, supplier = self.actors[row.recipient], self.actors[row.supplier]
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
                "weapon_category": self.crosswalk.weapon_categories.get(
                    row.description.lower(), WeaponCategory.OTHER
                ).value,
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
            identity = "/".join(
                (
                    recipient.key_part,
                    supplier.key_part,
                    str(row.order_year),
                    slug(row.designation),
                    slug(row.description),
                )
            )
            groups[KEY_PREFIX + identity].append((row, values))
        found: dict[str, tuple[SipriRow, dict[str, Any]]] = {}
        for identity, members in groups.items():
            if len(members) > 1:
                members.sort(key=lambda member: repr([member[1][c] for c in COMPARED]))
            for n, member in enumerate(members, start=1):
                found[identity if n == 1 else f"{identity}/{n}"] = member
        return found

    async def existing(self) -> dict[str, tuple[int, dict[str, Any]]]:
        columns = [TRANSFERS.c.id, TRANSFERS.c.key, *(TRANSFERS.c[c] for c in COMPARED)]
        result = await self.session.execute(
            select(*columns).where(TRANSFERS.c.key >= KEY_PREFIX, TRANSFERS.c.key < KEY_END)
        )
        return {row.key: (row.id, {c: getattr(row, c) for c in COMPARED}) for row in result.all()}

    async def write(self, *, dry_run: bool) -> None:
        desired = self.desired()
        existing = await self.existing()
        added = [key for key in desired if key not in existing]
        removed = [existing[key][0] for key in existing if key not in desired]
        changed = [
            (existing[key][0], values)
            for key, (_row, values) in desired.items()
            if key in existing and existing[key][1] != values
        ]
        report = self.report
        report.added, report.removed, report.changed = len(added), len(removed), len(changed)
        report.unchanged = len(desired) - len(added) - len(changed)
        if dry_run:
            return
        self.touched.update(removed)
        self.touched.update(row_id for row_id, _values in changed)
        total = len(added) + len(removed) + len(changed) + len(desired)
        done = 0
        for start in range(0, len(removed), CHUNK):
            doomed = removed[start : start + CHUNK]
            await self.session.execute(
                delete(models.ArmsTransfer).where(col(models.ArmsTransfer.id).in_(doomed))
            )
            done += len(doomed)
            self._tick("writing", done, total)
        if changed:
            statement = (
                update(TRANSFERS)
                .where(TRANSFERS.c.id == bindparam("row_id"))
                .values({c: bindparam(f"new_{c}") for c in COMPARED})
            )
            for start in range(0, len(changed), CHUNK):
                batch = changed[start : start + CHUNK]
                await self.session.execute(
                    statement,
                    [
                        {"row_id": row_id, **{f"new_{c}": v for c, v in values.items()}}
                        for row_id, values in batch
                    ],
                )
                done += len(batch)
                self._tick("writing", done, total)
        ids: dict[str, int] = {key: row_id for key, (row_id, _values) in existing.items()}
        if added:
            first = await reserve_ids(self.session, TRANSFERS, len(added))
            ids.update({key: first + i for i, key in enumerate(added)})
            self.touched.update(ids[key] for key in added)
            columns = ["id", "key", *COMPARED]
            for start in range(0, len(added), CHUNK):
                keys = added[start : start + CHUNK]
                rows = [(ids[key], key, *(desired[key][1][c] for c in COMPARED)) for key in keys]
                await insert_rows(self.session, TRANSFERS, columns, rows)
                done += len(keys)
                self._tick("writing", done, total)
        await self._cite_deals(desired, ids)
        self._tick("writing", total, total)

    async def _cite_deals(
        self, desired: dict[str, tuple[SipriRow, dict[str, Any]]], ids: dict[str, int]
    ) -> None:
        """Each deal cites this edition at its line: new deals get a citation, kept ones have
        their SIPRI citation moved to this edition and line (nothing, if already there)."""
        assert self.document is not None
        assert self.document.id is not None
        document_id = self.document.id
        editions = select(col(models.Document.id)).where(
            col(models.Document.publisher) == PUBLISHER
        )
        result = await self.session.execute(
            select(
                CITATIONS.c.id,
                CITATIONS.c.arms_transfer_id,
                CITATIONS.c.document_id,
                CITATIONS.c.locator,
            )
            .join(TRANSFERS, TRANSFERS.c.id == CITATIONS.c.arms_transfer_id)
            .where(
                and_(TRANSFERS.c.key >= KEY_PREFIX, TRANSFERS.c.key < KEY_END),
                CITATIONS.c.document_id.in_(editions),
            )
        )
        current = {row.arms_transfer_id: row for row in result.all()}
        moved: list[dict[str, Any]] = []
        new: list[tuple[Any, ...]] = []
        for key, (row, _values) in desired.items():
            transfer_id = ids[key]
            citation = current.get(transfer_id)
            if citation is None:
                new.append((document_id, transfer_id, row.locator, 0))
            elif (citation.document_id, citation.locator) != (document_id, row.locator):
                moved.append(
                    {
                        "citation_id": citation.id,
                        "new_document": document_id,
                        "new_locator": row.locator,
                    }
                )
        if moved:
            statement = (
                update(CITATIONS)
                .where(CITATIONS.c.id == bindparam("citation_id"))
                .values(document_id=bindparam("new_document"), locator=bindparam("new_locator"))
            )
            for start in range(0, len(moved), CHUNK):
                await self.session.execute(statement, moved[start : start + CHUNK])
        if new:
            await insert_rows(
                self.session,
                CITATIONS,
                ["document_id", "arms_transfer_id", "locator", "position"],
                new,
            )

    async def link_same_deals(self, keys: set[str]) -> None:
        """Join the paper's record and SIPRI's record of one deal under the paper's key."""
        links = self.crosswalk.same_deals
        paper_keys = set(
            await self.session.scalars(
                select(col(models.ArmsTransfer.key)).where(
                    col(models.ArmsTransfer.key).in_([link.paper_key for link in links])
                )
            )
        )
        linked_sipri: list[str] = []
        for link in links:
            if link.sipri_key not in keys:
                self.report.unlinked.append(f"{link.sipri_key} is not in this edition")
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

    def search_scope(self) -> Scope:
        """What the search index must re-read: the deals this import added, changed or
        removed, and every record of the kinds it may have created or renamed (a few
        hundred: states, organisations, non-state actors, its edition's document)."""
        return {
            SearchKind.ARMS_TRANSFER: self.touched,
            SearchKind.STATE: None,
            SearchKind.ORGANISATION: None,
            SearchKind.NON_STATE_ACTOR: None,
            SearchKind.DOCUMENT: None,
        }

    def stop_if_problems(self) -> None:
        if self.problems:
            raise SipriImportError(self.problems)


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:5])
    return shown + (f" and {len(lines) - 5} more" if len(lines) > 5 else "")


async def import_register(
    sessions: SessionFactory,
    path: Path,
    *,
    crosswalk: Crosswalk | None = None,
    dry_run: bool = False,
    allow_unmapped: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and check `path` whole, then write it in one transaction (nothing on any problem);
    with `dry_run`, work out and report the same changes, then roll them back."""
    started = time.perf_counter()
    crosswalk = crosswalk or Crosswalk.load()
    register = read_register(
        path, progress=(lambda done, total: progress("reading", done, total)) if progress else None
    )
    if register.problems:
        raise SipriImportError(register.problems)
    assert register.edition is not None
    async with sessions() as session:
        transaction = await session.begin()
        try:
            await hold_import_lock(session, f"SIPRI import of {path.name}")
            job = _Import(
                session, register, crosswalk, allow_unmapped=allow_unmapped, progress=progress
            )
            job.check_mapping()
            job.stop_if_problems()
            await job.write_document()
            await job.resolve_actors()
            job.stop_if_problems()
            await job.write(dry_run=dry_run)
            await job.link_same_deals(set(job.desired()))
            if not dry_run:
                # In the same transaction: searches never see deals the index lacks.
                job.report.search_entries = await refresh_search_index(session, job.search_scope())
        except BaseException:
            await transaction.rollback()
            raise
        if dry_run:
            await transaction.rollback()
        else:
            await transaction.commit()
    job.report.dry_run = dry_run
    job.report.seconds = time.perf_counter() - started
    return job.report
