"""Keep the search index in step with the records: what text each kind of record contributes.

Each searchable kind is declared once (`SEARCHABLE`): its table, the citation column whose
quotes join its body, and how to word its title, keywords and body. `refresh_search_index`
brings `search_entry` up to date inside the caller's transaction: new records are added,
changed ones rewritten, gone ones removed, unchanged ones left alone (so their ids, and search
cursors, hold). A fixture load refreshes every kind; an import passes the records it touched
(`scope`), so re-importing 28,000 SIPRI deals does not re-read the whole index. Rows are read
and written in bulk (plain rows, COPY or executemany), never an ORM object per record.
"""

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api import models
from api.bulk import insert_rows, update_rows
from api.db import SessionFactory
from api.models.search import SearchEntry, SearchKind, terms

SEPARATOR = " · "
CHUNK = 10_000  # ids per IN (…) list: well below SQLite's limit of bound parameters
ENTRIES = SearchEntry.__table__  # type: ignore[attr-defined]
VALUES = ("title", "keywords", "body", "title_terms", "keyword_terms", "body_terms", "all_terms")

Row = Any  # a plain row of a record's table: its columns as attributes
Scope = Mapping[SearchKind, Collection[int] | None]
"""The records to refresh, by kind: their ids, or None for every record of the kind."""


@dataclass
class SearchText:
    title: str
    keywords: list[str | None] = field(default_factory=list)
    body: list[str | None] = field(default_factory=list)


@dataclass
class Names:
    """What titles of one record need from others: names of states, organisations …"""

    states: dict[int, Row]
    organisations: dict[int, Row]
    companies: dict[int, Row]
    non_state_actors: dict[int, Row]
    people: dict[int, Row]
    former_names: dict[int, list[str]]
    parties: dict[int, list[str]]
    offices: dict[int, list[str]]

    @classmethod
    async def load(cls, session: AsyncSession) -> "Names":
        async def by_id(model: Any) -> dict[int, Row]:
            return {row.id: row for row in await session.execute(select(model.__table__))}

        names = cls(
            states=await by_id(models.State),
            organisations=await by_id(models.Organisation),
            companies=await by_id(models.Company),
            non_state_actors=await by_id(models.NonStateActor),
            people=await by_id(models.Person),
            former_names=defaultdict(list),
            parties=defaultdict(list),
            offices=defaultdict(list),
        )
        former_rows = select(models.OrganisationName).order_by(col(models.OrganisationName.id))
        for former_name in await session.scalars(former_rows):
            names.former_names[former_name.organisation_id].append(former_name.name)
        party_rows = select(models.AgreementParty).order_by(
            col(models.AgreementParty.agreement_id), col(models.AgreementParty.position)
        )
        for party in await session.scalars(party_rows):
            names.parties[party.agreement_id].append(
                names.actor(party.state_id, party.organisation_id, company_id=party.company_id)
            )
        office_rows = select(models.OfficeHolding).order_by(
            col(models.OfficeHolding.person_id), col(models.OfficeHolding.position)
        )
        for office in await session.scalars(office_rows):
            where = names.state(office.state_id) or names.organisation(office.organisation_id)
            names.offices[office.person_id].append(
                f"{office.office} ({where})" if where else office.office
            )
        return names

    def state(self, state_id: int | None) -> str | None:
        return self.states[state_id].name if state_id is not None else None

    def organisation(self, organisation_id: int | None) -> str | None:
        return self.organisations[organisation_id].name if organisation_id is not None else None

    def actor(
        self,
        state_id: int | None,
        organisation_id: int | None,
        *,
        company_id: int | None = None,
        person_id: int | None = None,
        non_state_actor_id: int | None = None,
    ) -> str:
        """The name of the one actor an exclusive-arc row points at."""
        for found, table in (
            (state_id, self.states),
            (organisation_id, self.organisations),
            (company_id, self.companies),
            (person_id, self.people),
            (non_state_actor_id, self.non_state_actors),
        ):
            if found is not None:
                name: str = table[found].name
                return name
        raise ValueError("no actor")


def _label(value: str | None) -> str | None:
    """An enum value as words: `ARMOURED_VEHICLES` → `armoured vehicles`."""
    return value.replace("_", " ").lower() if value else None


def _state(row: Row, _names: Names) -> SearchText:
    return SearchText(
        row.name,
        [row.code, row.alpha2, row.official_name, *row.aliases],
        [row.region, row.continent, row.recognition_note],
    )


def _organisation(row: Row, names: Names) -> SearchText:
    return SearchText(
        row.name,
        [row.acronym, *names.former_names.get(row.id, [])],
        [row.description, row.headquarters],
    )


def _company(row: Row, names: Names) -> SearchText:
    return SearchText(row.name, [row.key], [row.description, names.state(row.country_id)])


def _agreement(row: Row, names: Names) -> SearchText:
    return SearchText(
        row.title, [row.key, *names.parties.get(row.id, [])], [row.summary, row.place]
    )


def _side(row: Row, names: Names, side: str) -> str:
    """One side of a deal by name: a state, organisation or non-state actor, else the
    source's own words (SIPRI's `unknown supplier(s)`)."""
    ids = [getattr(row, c) for c in (f"{side}_id", f"{side}_organisation_id")]
    actor = getattr(row, f"{side}_non_state_actor_id")
    if any(i is not None for i in ids) or actor is not None:
        return names.actor(*ids, non_state_actor_id=actor)
    spelled: str | None = getattr(row, f"{side}_name")
    return spelled or f"unknown {side}"


def _arms_transfer(row: Row, names: Names) -> SearchText:
    what = row.weapon_designation or row.weapon_description or _label(row.weapon_category)
    return SearchText(
        f"{what}: {_side(row, names, 'supplier')} to {_side(row, names, 'recipient')}",
        [row.weapon_designation, row.weapon_description, _label(row.weapon_category)],
        [row.comments],
    )


def _membership(row: Row, names: Names) -> SearchText:
    organisation = names.organisations[row.organisation_id]
    member = names.actor(row.member_state_id, row.member_organisation_id)
    return SearchText(
        f"{member}: {_label(row.role)} of {organisation.name}",
        [organisation.acronym, _label(row.role)],
        [row.note],
    )


def _document(row: Row, _names: Names) -> SearchText:
    return SearchText(row.title, [row.key, row.author, row.publisher])


def _person(row: Row, names: Names) -> SearchText:
    return SearchText(
        row.name,
        [row.key, *row.aliases],
        [row.description, names.state(row.nationality_id), *names.offices.get(row.id, [])],
    )


def _non_state_actor(row: Row, names: Names) -> SearchText:
    return SearchText(row.name, [row.key], [row.description, names.state(row.country_id)])


def _event(row: Row, names: Names) -> SearchText:
    organiser = names.organisations.get(row.organisation_id) if row.organisation_id else None
    return SearchText(
        row.title,
        [
            row.key,
            _label(row.kind),
            row.city,
            names.state(row.place_state_id),
            organiser.acronym if organiser else None,
        ],
        [row.summary],
    )


def _exercise(row: Row, names: Names) -> SearchText:
    organiser = names.state(row.organiser_state_id) or names.organisation(
        row.organiser_organisation_id
    )
    title = f"{row.name} {row.year}" if row.series and row.year else row.name
    return SearchText(
        title,
        [row.key, row.series, _label(row.format), names.state(row.host_state_id), organiser],
        [row.focus, row.summary],
    )


def _corridor(row: Row, _names: Names) -> SearchText:
    return SearchText(
        row.name,
        [row.key, *row.aliases, _label(row.kind), *(_label(m) for m in row.modes)],
        [row.summary],
    )


def _initiative(row: Row, _names: Names) -> SearchText:
    return SearchText(row.title, [row.key, _label(row.kind)], [row.summary])


def _economic_figure(row: Row, names: Names) -> SearchText:
    subject = names.actor(
        row.subject_state_id, row.subject_organisation_id, person_id=row.subject_person_id
    )
    return SearchText(
        f"{row.metric}: {subject}",
        [row.key, subject, names.state(row.partner_state_id)],
        [row.note, row.period],
    )


@dataclass(frozen=True)
class Searchable:
    """A kind of record in the index: its table, its citations' column, how it reads."""

    kind: SearchKind
    model: Any
    cited_as: str | None
    describe: Callable[[Row, Names], SearchText]


SEARCHABLE: tuple[Searchable, ...] = (
    Searchable(SearchKind.STATE, models.State, "state", _state),
    Searchable(SearchKind.ORGANISATION, models.Organisation, "organisation", _organisation),
    Searchable(SearchKind.PERSON, models.Person, "person", _person),
    Searchable(
        SearchKind.NON_STATE_ACTOR, models.NonStateActor, "non_state_actor", _non_state_actor
    ),
    Searchable(SearchKind.COMPANY, models.Company, "company", _company),
    Searchable(SearchKind.AGREEMENT, models.Agreement, "agreement", _agreement),
    Searchable(SearchKind.EVENT, models.Event, "event", _event),
    Searchable(
        SearchKind.MILITARY_EXERCISE, models.MilitaryExercise, "military_exercise", _exercise
    ),
    Searchable(SearchKind.CORRIDOR, models.Corridor, "corridor", _corridor),
    Searchable(SearchKind.INITIATIVE, models.Initiative, "initiative", _initiative),
    Searchable(SearchKind.ARMS_TRANSFER, models.ArmsTransfer, "arms_transfer", _arms_transfer),
    Searchable(SearchKind.MEMBERSHIP, models.Membership, "membership", _membership),
    Searchable(
        SearchKind.ECONOMIC_FIGURE, models.EconomicFigure, "economic_figure", _economic_figure
    ),
    Searchable(SearchKind.DOCUMENT, models.Document, None, _document),
)


async def _quotes(session: AsyncSession) -> dict[tuple[str, int], list[str]]:
    """Every quote, by the record it is evidence for, in citation order."""
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    citation = models.Citation.__table__  # type: ignore[attr-defined]
    subjects = [citation.c[f"{table}_id"] for table in models.CITED_TABLES]
    statement = (
        select(citation.c.quote, *subjects)
        .where(citation.c.quote.is_not(None))
        .order_by(citation.c.position, citation.c.id)
    )
    for quote, *ids in await session.execute(statement):
        for table, subject in zip(models.CITED_TABLES, ids, strict=True):
            if subject is not None and quote:
                found[(table, subject)].append(quote)
    return found


def _joined(texts: Sequence[str | None]) -> str:
    unique = dict.fromkeys(unicodedata.normalize("NFC", t.strip()) for t in texts if t)
    return SEPARATOR.join(t for t in unique if t)


def entry_values(text: SearchText) -> dict[str, str]:
    """The columns of a search entry for a record's text."""
    title = unicodedata.normalize("NFC", text.title.strip())
    keywords = _joined(text.keywords)
    body = _joined(text.body)
    title_terms, keyword_terms, body_terms = terms([title]), terms([keywords]), terms([body])
    return {
        "title": title,
        "keywords": keywords,
        "body": body,
        "title_terms": title_terms,
        "keyword_terms": keyword_terms,
        "body_terms": body_terms,
        # terms([title, keywords, body]): the three, one after the other
        "all_terms": title_terms + keyword_terms + body_terms,
    }


def _chunks(ids: Collection[int] | None) -> Iterator[list[int] | None]:
    """`ids` in lists short enough for one IN (…); a single None for every record."""
    if ids is None:
        yield None
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


async def _refresh(
    session: AsyncSession,
    searchable: Searchable,
    ids: Collection[int] | None,
    names: Names,
    quotes: dict[tuple[str, int], list[str]],
) -> int:
    """Bring one kind's entries for `ids` (all when None) in line; returns how many changed."""
    table = searchable.model.__table__
    wanted: dict[int, dict[str, str]] = {}
    existing: dict[int, tuple[int, tuple[str, ...]]] = {}
    for chunk in _chunks(ids):
        records = select(table)
        entries = select(ENTRIES.c.id, ENTRIES.c.record_id, *(ENTRIES.c[v] for v in VALUES))
        entries = entries.where(ENTRIES.c.kind == searchable.kind.value)
        if chunk is not None:
            records = records.where(table.c.id.in_(chunk))
            entries = entries.where(ENTRIES.c.record_id.in_(chunk))
        for row in await session.execute(records):
            text = searchable.describe(row, names)
            if searchable.cited_as is not None:
                text.body += quotes.get((searchable.cited_as, row.id), [])
            wanted[row.id] = entry_values(text)
        for entry_id, record_id, *values in await session.execute(entries):
            existing[record_id] = (entry_id, tuple(values))

    added = [record_id for record_id in wanted if record_id not in existing]
    changed = [
        (existing[record_id][0], values)
        for record_id, values in wanted.items()
        if record_id in existing and existing[record_id][1] != tuple(values[v] for v in VALUES)
    ]
    gone = [entry_id for record_id, (entry_id, _) in existing.items() if record_id not in wanted]
    if added:
        rows = (
            (searchable.kind.value, record_id, *(wanted[record_id][v] for v in VALUES))
            for record_id in added
        )
        await insert_rows(session, ENTRIES, ["kind", "record_id", *VALUES], rows)
    if changed:
        rows = ((entry_id, *(values[v] for v in VALUES)) for entry_id, values in changed)
        await update_rows(session, ENTRIES, "id", VALUES, rows)
    for start in range(0, len(gone), CHUNK):
        await session.execute(delete(ENTRIES).where(ENTRIES.c.id.in_(gone[start : start + CHUNK])))
    return len(added) + len(changed) + len(gone)


async def refresh_search_index(session: AsyncSession, scope: Scope | None = None) -> int:
    """Bring the index in line with the records, every record or those of `scope`; returns
    how many entries changed. Runs in the caller's transaction."""
    await session.flush()
    names = await Names.load(session)
    quotes = await _quotes(session)
    changed = 0
    for searchable in SEARCHABLE:
        if scope is None:
            changed += await _refresh(session, searchable, None, names, quotes)
        elif searchable.kind in scope:
            changed += await _refresh(session, searchable, scope[searchable.kind], names, quotes)
    return changed


async def ensure_search_index(sessions: SessionFactory) -> bool:
    """Build the index of a database that has records but no index yet (one migrated to
    0004 after its data was loaded); True if it did."""
    async with sessions() as session, session.begin():
        entries = await session.scalar(select(func.count()).select_from(SearchEntry))
        documents = await session.scalar(select(func.count()).select_from(models.Document))
        if entries or not documents:
            return False
        await refresh_search_index(session)
        return True
