"""Import the COW IGO-year table: check everything first, then upsert its periods in one go.

Each state's years in an organisation become periods (api/cow/periods.py), one membership
each, keyed in silkgraph's terms so that the key survives a re-import:

    cow:<COW organisation number>/<state code, lower case>/<first year>

A period the paper also records (same organisation, member and role, and years that do not
contradict the paper's: Kazakhstan in the CSTO) is not written twice: the paper's membership
cites COW too, and takes COW's first year where the paper gives none. The paper's other facts
(role, end, attested year, note, quotes) stay as they are.

Re-importing is a diff within the file's scope, the organisations it holds: same key and same
values is unchanged, other values is changed, a key only the database has is removed; the
memberships and organisations of anything the file does not hold are left alone.
"""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api import models
from api.bulk import insert_rows, reserve_ids
from api.cow.crosswalk import Crosswalk, StateKind
from api.cow.periods import Period, periods
from api.cow.reader import CowOrganisation, IgoTable, read_table
from api.db import SessionFactory
from api.fixtures import is_user_assigned
from api.import_lock import import_transaction
from api.importing import ImportJob, ImportOutcome, ImportRefused, Progress
from api.models.enums import CodeAssignment, MembershipRole, OrganisationKind
from api.models.search import SearchKind
from api.search_index import Scope, refresh_search_index

KEY_PREFIX = "cow:"
KEY_END = "cow;"  # the next string after every "cow:…" key: a range the key index serves
DOCUMENT_KEY = "cow-igo-3.0"
DOCUMENT = {
    "title": "Correlates of War Intergovernmental Organizations data, version 3.0 (IGO-year table)",
    "author": "Jon C. W. Pevehouse, Timothy Nordstrom, Roseanne W. McManus and Anne Spencer "
    "Jamison",
    "publisher": "Correlates of War Project",
    "published": "2020",
    "url": "https://correlatesofwar.org/data-sets/igos/",
}
ROLES = {1: MembershipRole.MEMBER, 2: MembershipRole.ASSOCIATE, 3: MembershipRole.OBSERVER}
STATUS_WORDS = {1: "full member", 2: "associate member", 3: "observer"}
# Which of two columns' statuses for one state in one year counts (West and united Germany in
# 1990): a held status over 0, 0 over unknown, full membership over the lesser standings.
STRENGTH = {1: 5, 2: 4, 3: 3, 0: 2, -9: 1, -1: 0}
CHUNK = 5_000
COMPARED = (
    "organisation_id",
    "member_state_id",
    "role",
    "since",
    "since_year",
    "until",
    "until_year",
)
MEMBERSHIPS = models.Membership.__table__  # type: ignore[attr-defined]
CITATIONS = models.Citation.__table__  # type: ignore[attr-defined]


class CowImportError(ImportRefused):
    """Why nothing of a COW table was imported: every problem, bad lines by line and column."""


@dataclass(frozen=True)
class Seat:
    """One period as silkgraph records it, with the COW cells it comes from."""

    number: int  # COW organisation number
    code: str
    columns: tuple[str, ...]
    period: Period

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}{self.number}/{self.code.lower()}/{self.period.since}"

    @property
    def role(self) -> MembershipRole:
        return ROLES[self.period.status]

    @property
    def locator(self) -> str:
        end = self.period.last_seen
        years = str(self.period.since) if end == self.period.since else f"{self.period.since}–{end}"
        return f"organisation {self.number}, {'/'.join(self.columns)}, {years}"

    @property
    def quote(self) -> str:
        return f"status {self.period.status} ({STATUS_WORDS[self.period.status]})"


@dataclass
class ImportReport(ImportOutcome):
    path: Path
    rows: int
    organisations: int
    columns: int
    periods: Counter[str] = field(default_factory=Counter)
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    merged: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        roles = ", ".join(f"{n:,} {role.lower()}" for role, n in sorted(self.periods.items()))
        lines = [
            f"Correlates of War IGO data ({self.path})",
            f"  read: {self.rows:,} organisation-years, {self.organisations:,} organisations, "
            f"{self.columns} state columns",
            f"  periods: {sum(self.periods.values()):,} ({roles})",
        ]
        if self.created:
            made = ", ".join(f"{n:,} {kind}" for kind, n in sorted(self.created.items()))
            lines.append(f"  created: {made}")
        lines.append(
            f"  memberships: {self.added:,} added, {self.changed:,} changed, "
            f"{self.removed:,} removed, {self.unchanged:,} unchanged"
        )
        if self.merged:
            lines.append(f"  the paper's seats, citing COW too: {', '.join(self.merged)}")
        return lines + self.closing(self.rows, "rows")


def seats(table: IgoTable, crosswalk: Crosswalk) -> list[Seat]:
    """Every period in the table, its columns merged per state (two columns may be one state
    in different years: `wgermany` and `germany` are both DEU)."""
    last_year = table.last_year
    found: list[Seat] = []
    for number, organisation in sorted(table.organisations.items()):
        years = sorted(organisation.years)
        # One tuple of statuses per column, over the years: a column never held is skipped.
        by_column = zip(*(organisation.years[year] for year in years), strict=True)
        series: dict[str, dict[int, int]] = defaultdict(dict)
        columns: dict[str, set[str]] = defaultdict(set)
        for column, statuses in zip(table.columns, by_column, strict=True):
            if max(statuses) <= 0:
                continue
            for year, status in zip(years, statuses, strict=True):
                if status < 0:
                    continue
                code = crosswalk.code_of(column, year)
                if code is None:
                    continue
                known = series[code]
                if status > 0:
                    columns[code].add(column)
                if year not in known or STRENGTH[status] > STRENGTH[known[year]]:
                    known[year] = status
        for code, known in sorted(series.items()):
            for period in periods(sorted(known.items()), last_year):
                found.append(Seat(number, code, tuple(sorted(columns[code])), period))
    return found


def _compatible(seat: Seat, row: Any) -> bool:
    """Whether the paper's membership `row` can be the same seat as COW's period: its known
    start and end agree, or, with neither known, the period covers the year it is attested."""
    period = seat.period
    if row.since_year is not None and row.since_year != period.since:
        return False
    if row.until_year is not None and row.until_year != period.until:
        return False
    if row.since_year is None and row.until_year is None:
        year = row.attested_year
        return (
            year is not None
            and period.since <= year
            and (period.until is None or year < period.until)
        )
    return True


def _same_role(role: str) -> MembershipRole:
    return MembershipRole.MEMBER if role == MembershipRole.FOUNDING_MEMBER else MembershipRole(role)


class _Import(ImportJob):
    refusal = CowImportError

    def __init__(
        self,
        session: AsyncSession,
        table: IgoTable,
        crosswalk: Crosswalk,
        progress: Progress | None,
    ) -> None:
        self.table = table
        self.crosswalk = crosswalk
        self.document_id = 0
        self.state_ids: dict[str, int] = {}
        self.organisation_ids: dict[int, int] = {}  # COW number -> ours
        self.touched: set[int] = set()
        self.seats: list[Seat] = []
        self.report = ImportReport(
            path=table.path,
            rows=table.rows,
            organisations=len(table.organisations),
            columns=len(table.columns),
        )
        super().__init__(session, self.report, progress)

    def check_columns(self) -> None:
        unmapped = [c for c in self.table.columns if c not in self.crosswalk.states]
        if unmapped:
            self.problems.append(
                f"{self.table.path}:1: unmapped state column(s) {', '.join(unmapped)}: "
                "add them to fixtures/cow/states.csv"
            )
            return
        gaps: list[str] = []
        for organisation in self.table.organisations.values():
            for year, statuses in organisation.years.items():
                for column, status in zip(self.table.columns, statuses, strict=True):
                    if status > 0 and self.crosswalk.code_of(column, year) is None:
                        gaps.append(f"{column} in {year} (line {organisation.lines[year]})")
        if gaps:
            shown = ", ".join(gaps[:5]) + (f" and {len(gaps) - 5} more" if len(gaps) > 5 else "")
            self.problems.append(
                f"{self.table.path}: a status for a year no line of fixtures/cow/states.csv "
                f"covers: {shown}"
            )

    async def write_document(self) -> None:
        document = await self.cited_document(DOCUMENT_KEY, DOCUMENT)
        assert document.id is not None
        self.document_id = document.id

    def _cite(self, column: str, subject_id: int | None, locator: str, quote: str) -> None:
        self.cite(self.document_id, column, subject_id, quote=quote, locator=locator)

    async def resolve_states(self) -> None:
        """Find every state a period needs, creating the historic and silkgraph-coded ones the
        database lacks (each cited to COW, quoting the column it comes from)."""
        needed = {seat.code for seat in self.seats}
        states = {s.code: s for s in await self.session.scalars(select(models.State))}
        historic = {country.alpha_3 for country in pycountry.historic_countries}
        entries = {entry.code: entry for spans in self.crosswalk.states.values() for entry in spans}
        for code in sorted(needed):
            state = states.get(code)
            entry = entries[code]
            if state is None:
                where = f"fixtures/cow/states.csv: {entry.cow_column!r}"
                if code in historic and entry.kind is StateKind.HISTORIC_STATE:
                    assignment = CodeAssignment.ISO_3166_3
                elif is_user_assigned(code):
                    assignment = CodeAssignment.USER_ASSIGNED
                else:
                    self.problems.append(
                        f"{where}: state {code} is not in the database: load the fixtures first "
                        "(silkgraph load fixtures/), which bring every ISO 3166-1 state"
                    )
                    continue
                if not entry.name:
                    self.problems.append(f"{where}: name: needed to create state {code}")
                    continue
                state = models.State(code=code, name=entry.name, code_assignment=assignment)
                self.session.add(state)
                await self.session.flush()
                self.report.created["states"] += 1
                self._cite("state_id", state.id, f"column {entry.cow_column}", entry.name)
            assert state.id is not None
            self.state_ids[code] = state.id

    async def resolve_organisations(self) -> None:
        """Find each organisation by its COW number, else by the crosswalk's acronym; create
        the rest with their COW names and numbers."""
        session = self.session
        rows = list(await session.scalars(select(models.Organisation)))
        by_number = {o.cow_number: o for o in rows if o.cow_number is not None}
        by_acronym = {o.acronym.lower(): o for o in rows}
        created: list[tuple[models.Organisation, CowOrganisation]] = []
        resolved: dict[int, models.Organisation] = {}
        for number, cow in sorted(self.table.organisations.items()):
            organisation = by_number.get(number)
            entry = self.crosswalk.organisations.get(number)
            if organisation is None and entry is not None:
                organisation = by_acronym.get(entry.acronym.lower())
                if organisation is not None:
                    organisation.cow_number = number
            if organisation is None:
                acronym = entry.acronym if entry else cow.short_name
                clash = by_acronym.get(acronym.lower())
                if clash is not None:
                    self.problems.append(
                        f"{self.table.path}:{cow.line}: COW organisation {number} "
                        f"({cow.short_name}, {cow.name}) has the acronym of {clash.name!r}: "
                        "map it in fixtures/cow/organisations.csv if it is the same body"
                    )
                    continue
                organisation = models.Organisation(
                    acronym=acronym,
                    name=_name(cow.long_name, cow.name),
                    kind=OrganisationKind.INTERGOVERNMENTAL_ORGANISATION,
                    founded_year=cow.founded,
                    cow_number=number,
                )
                session.add(organisation)
                by_acronym[acronym.lower()] = organisation
                created.append((organisation, cow))
            resolved[number] = organisation
        await session.flush()  # once for all the organisations created: their ids
        for organisation, cow in created:
            self.report.created["organisations"] += 1
            self._cite(
                "organisation_id",
                organisation.id,
                f"organisation {cow.number}, line {cow.line}",
                f"{cow.short_name}: {cow.name}",
            )
        for number, organisation in resolved.items():
            assert organisation.id is not None
            self.organisation_ids[number] = organisation.id
        await session.flush()

    def desired(self) -> dict[str, tuple[Seat, dict[str, Any]]]:
        found: dict[str, tuple[Seat, dict[str, Any]]] = {}
        for seat in self.seats:
            period = seat.period
            found[seat.key] = (
                seat,
                {
                    "organisation_id": self.organisation_ids[seat.number],
                    "member_state_id": self.state_ids[seat.code],
                    "role": seat.role.value,
                    "since": str(period.since),
                    "since_year": period.since,
                    "until": None if period.until is None else str(period.until),
                    "until_year": period.until,
                },
            )
        return found

    async def merges(
        self, desired: dict[str, tuple[Seat, dict[str, Any]]]
    ) -> dict[int, tuple[Seat, Any]]:
        """The paper's memberships that are the same seat as a COW period, by their id."""
        scope = list(self.organisation_ids.values())
        result = await self.session.execute(
            select(MEMBERSHIPS).where(
                MEMBERSHIPS.c.organisation_id.in_(scope),
                MEMBERSHIPS.c.member_state_id.is_not(None),
                ~MEMBERSHIPS.c.key.startswith(KEY_PREFIX),
            )
        )
        others: dict[tuple[int, int, MembershipRole], list[Any]] = defaultdict(list)
        row: Any
        for row in result.all():
            others[(row.organisation_id, row.member_state_id, _same_role(row.role))].append(row)
        found: dict[int, tuple[Seat, Any]] = {}
        for key, (seat, values) in list(desired.items()):
            candidates = others.get(
                (values["organisation_id"], values["member_state_id"], seat.role), []
            )
            row = next((r for r in candidates if r.id not in found and _compatible(seat, r)), None)
            if row is not None:
                found[row.id] = (seat, row)
                del desired[key]
        return found

    async def write(self, *, dry_run: bool) -> None:
        desired = self.desired()
        merged = await self.merges(desired)
        existing = await self._existing()
        added = [key for key in desired if key not in existing]
        removed = [existing[key][0] for key in existing if key not in desired]
        changed = [
            (existing[key][0], values)
            for key, (_seat, values) in desired.items()
            if key in existing and existing[key][1] != values
        ]
        report = self.report
        report.periods.update(seat.role.value for seat in self.seats)
        report.added, report.removed, report.changed = len(added), len(removed), len(changed)
        report.unchanged = len(desired) - len(added) - len(changed)
        names = await self._organisation_names()
        report.merged = sorted(
            f"{names[row.organisation_id]} {seat.code}" for seat, row in merged.values()
        )
        if dry_run:
            return
        self.touched.update(removed)
        self.touched.update(row_id for row_id, _values in changed)
        total = len(added) + len(removed) + len(changed)
        done = 0
        for start in range(0, len(removed), CHUNK):
            doomed = removed[start : start + CHUNK]
            await self.session.execute(
                delete(models.Membership).where(col(models.Membership.id).in_(doomed))
            )
            done += len(doomed)
            self._tick("writing", done, total)
        if changed:
            statement = (
                update(MEMBERSHIPS)
                .where(MEMBERSHIPS.c.id == bindparam("row_id"))
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
        ids = {key: row_id for key, (row_id, _values) in existing.items()}
        if added:
            first = await reserve_ids(self.session, MEMBERSHIPS, len(added))
            ids.update({key: first + i for i, key in enumerate(added)})
            self.touched.update(ids[key] for key in added)
            columns = ["id", "key", *COMPARED]
            for start in range(0, len(added), CHUNK):
                keys = added[start : start + CHUNK]
                rows = [(ids[key], key, *(desired[key][1][c] for c in COMPARED)) for key in keys]
                await insert_rows(self.session, MEMBERSHIPS, columns, rows)
                done += len(keys)
                self._tick("writing", done, total)
        await self._merge(merged)
        cited = {ids[key]: seat for key, (seat, _values) in desired.items()}
        cited.update({row_id: seat for row_id, (seat, _row) in merged.items()})
        await self._cite_seats(cited, set(merged))
        self._tick("writing", total, total)

    async def _existing(self) -> dict[str, tuple[int, dict[str, Any]]]:
        columns = [MEMBERSHIPS.c.id, MEMBERSHIPS.c.key, *(MEMBERSHIPS.c[c] for c in COMPARED)]
        result = await self.session.execute(
            select(*columns).where(
                MEMBERSHIPS.c.key >= KEY_PREFIX,
                MEMBERSHIPS.c.key < KEY_END,
                MEMBERSHIPS.c.organisation_id.in_(list(self.organisation_ids.values())),
            )
        )
        return {row.key: (row.id, {c: getattr(row, c) for c in COMPARED}) for row in result.all()}

    async def _organisation_names(self) -> dict[int, str]:
        result = await self.session.execute(
            select(col(models.Organisation.id), col(models.Organisation.acronym))
        )
        return {row.id: row.acronym for row in result.all()}

    async def _merge(self, merged: dict[int, tuple[Seat, Any]]) -> None:
        """The paper's seats take COW's first year where the paper gives none."""
        for row_id, (seat, row) in merged.items():
            if row.since_year is None:
                await self.session.execute(
                    update(MEMBERSHIPS)
                    .where(MEMBERSHIPS.c.id == row_id)
                    .values(since=str(seat.period.since), since_year=seat.period.since)
                )
                self.touched.add(row_id)

    async def _cite_seats(self, cited: dict[int, Seat], merged: set[int]) -> None:
        """Each seat cites COW once, with the years and columns it comes from; citations of
        seats in this file's organisations that no period backs any more go."""
        result = await self.session.execute(
            select(
                CITATIONS.c.id, CITATIONS.c.membership_id, CITATIONS.c.locator, CITATIONS.c.quote
            )
            .join(MEMBERSHIPS, MEMBERSHIPS.c.id == CITATIONS.c.membership_id)
            .where(
                CITATIONS.c.document_id == self.document_id,
                MEMBERSHIPS.c.organisation_id.in_(list(self.organisation_ids.values())),
            )
        )
        current = {row.membership_id: row for row in result.all()}
        gone = [row.id for membership_id, row in current.items() if membership_id not in cited]
        moved: list[dict[str, Any]] = []
        new: list[tuple[Any, ...]] = []
        for membership_id, seat in cited.items():
            citation = current.get(membership_id)
            # After the paper's own citations, on the paper's seats.
            position = 100 if membership_id in merged else 0
            if citation is None:
                new.append((self.document_id, membership_id, seat.locator, seat.quote, position))
            elif (citation.locator, citation.quote) != (seat.locator, seat.quote):
                moved.append(
                    {
                        "citation_id": citation.id,
                        "new_locator": seat.locator,
                        "new_quote": seat.quote,
                    }
                )
        for start in range(0, len(gone), CHUNK):
            await self.session.execute(
                delete(CITATIONS).where(CITATIONS.c.id.in_(gone[start : start + CHUNK]))
            )
        if moved:
            statement = (
                update(CITATIONS)
                .where(CITATIONS.c.id == bindparam("citation_id"))
                .values(locator=bindparam("new_locator"), quote=bindparam("new_quote"))
            )
            for start in range(0, len(moved), CHUNK):
                await self.session.execute(statement, moved[start : start + CHUNK])
        if new:
            await insert_rows(
                self.session,
                CITATIONS,
                ["document_id", "membership_id", "locator", "quote", "position"],
                new,
            )
        self.touched.update(merged)

    def search_scope(self) -> Scope:
        """What the search index must re-read: the seats this import touched, and every record
        of the kinds it may have created (states, organisations, its document)."""
        return {
            SearchKind.MEMBERSHIP: self.touched,
            SearchKind.STATE: None,
            SearchKind.ORGANISATION: None,
            SearchKind.DOCUMENT: None,
        }


def _name(long_name: str, name: str) -> str:
    """COW's long name, unless its encoding was damaged on the way (some carry stray control
    characters where accents were): then the short form, which is plain ASCII."""
    if long_name and all(ch.isprintable() for ch in long_name):
        return long_name
    return name


async def import_table(
    sessions: SessionFactory,
    path: Path,
    *,
    crosswalk: Crosswalk | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and check `path` whole, then write it in one transaction (nothing on any problem);
    with `dry_run`, work out and report the same changes, then roll them back."""
    started = time.perf_counter()
    crosswalk = crosswalk or Crosswalk.load()
    table = read_table(
        path, progress=(lambda done, total: progress("reading", done, total)) if progress else None
    )
    if table.problems:
        raise CowImportError(table.problems)
    what = f"COW import of {path.name}"
    async with import_transaction(sessions, what, dry_run=dry_run) as session:
        job = _Import(session, table, crosswalk, progress)
        job.check_columns()
        job.stop_if_problems()
        job.seats = seats(table, crosswalk)
        await job.write_document()
        await job.resolve_states()
        await job.resolve_organisations()
        job.stop_if_problems()
        await job.write(dry_run=dry_run)
        if not dry_run:
            # In the same transaction: searches never see seats the index lacks.
            job.report.search_entries = await refresh_search_index(session, job.search_scope())
    job.report.dry_run = dry_run
    job.report.seconds = time.perf_counter() - started
    return job.report
