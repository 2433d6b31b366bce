"""Keep the search index in step with the records: what text each kind of record contributes.

Each searchable kind is declared once (`SEARCHABLE`): its table, the citation column whose
quotes join its body, and how to word its title, keywords and body. `refresh_search_index`
runs at the end of every fixture load (and any later import), inside its transaction, and
brings `search_entry` up to date: new records are added, changed ones rewritten, gone ones
removed, unchanged ones left alone (so their ids, and search cursors, hold).
"""

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api import models
from api.db import SessionFactory
from api.models.search import SearchEntry, SearchKind, terms

SEPARATOR = " · "


@dataclass
class SearchText:
    title: str
    keywords: list[str | None] = field(default_factory=list)
    body: list[str | None] = field(default_factory=list)


@dataclass
class Names:
    """What titles of one record need from others: names of states, organisations …"""

    states: dict[int, models.State]
    organisations: dict[int, models.Organisation]
    companies: dict[int, models.Company]
    former_names: dict[int, list[str]]
    parties: dict[int, list[str]]

    @classmethod
    async def load(cls, session: AsyncSession) -> "Names":
        states = {s.id: s for s in await session.scalars(select(models.State)) if s.id}
        organisations = {
            o.id: o for o in await session.scalars(select(models.Organisation)) if o.id
        }
        companies = {c.id: c for c in await session.scalars(select(models.Company)) if c.id}
        former: dict[int, list[str]] = defaultdict(list)
        former_rows = select(models.OrganisationName).order_by(col(models.OrganisationName.id))
        for former_name in await session.scalars(former_rows):
            former[former_name.organisation_id].append(former_name.name)
        names = cls(states, organisations, companies, former, defaultdict(list))
        party_rows = select(models.AgreementParty).order_by(
            col(models.AgreementParty.agreement_id), col(models.AgreementParty.position)
        )
        for party in await session.scalars(party_rows):
            names.parties[party.agreement_id].append(
                names.actor(party.state_id, party.organisation_id, party.company_id)
            )
        return names

    def state(self, state_id: int | None) -> str | None:
        return self.states[state_id].name if state_id is not None else None

    def actor(
        self, state_id: int | None, organisation_id: int | None, company_id: int | None = None
    ) -> str:
        if state_id is not None:
            return self.states[state_id].name
        if organisation_id is not None:
            return self.organisations[organisation_id].name
        assert company_id is not None
        return self.companies[company_id].name


def _label(value: str) -> str:
    """An enum value as words: `ARMOURED_VEHICLES` → `armoured vehicles`."""
    return value.replace("_", " ").lower()


def _state(row: models.State, _names: Names) -> SearchText:
    return SearchText(
        row.name,
        [row.code, row.alpha2, row.official_name, *row.aliases],
        [row.region, row.continent, row.recognition_note],
    )


def _organisation(row: models.Organisation, names: Names) -> SearchText:
    assert row.id is not None
    return SearchText(
        row.name,
        [row.acronym, *names.former_names.get(row.id, [])],
        [row.description, row.headquarters],
    )


def _company(row: models.Company, names: Names) -> SearchText:
    return SearchText(row.name, [row.key], [row.description, names.state(row.country_id)])


def _agreement(row: models.Agreement, names: Names) -> SearchText:
    assert row.id is not None
    return SearchText(
        row.title, [row.key, *names.parties.get(row.id, [])], [row.summary, row.place]
    )


def _arms_transfer(row: models.ArmsTransfer, names: Names) -> SearchText:
    what = row.weapon_designation or row.weapon_description or _label(row.weapon_category)
    supplier = names.state(row.supplier_id) or "unknown supplier"
    recipient = names.state(row.recipient_id) or "unknown recipient"
    return SearchText(
        f"{what}: {supplier} to {recipient}",
        [row.weapon_designation, row.weapon_description, _label(row.weapon_category)],
        [row.comments],
    )


def _membership(row: models.Membership, names: Names) -> SearchText:
    organisation = names.organisations[row.organisation_id]
    member = names.actor(row.member_state_id, row.member_organisation_id)
    return SearchText(
        f"{member}: {_label(row.role)} of {organisation.name}",
        [organisation.acronym, _label(row.role)],
        [row.note],
    )


def _document(row: models.Document, _names: Names) -> SearchText:
    return SearchText(row.title, [row.key, row.author, row.publisher])


@dataclass(frozen=True)
class Searchable:
    """A kind of record in the index: its table, its citations' column, how it reads."""

    kind: SearchKind
    model: Any
    cited_as: str | None
    describe: Callable[[Any, Names], SearchText]


SEARCHABLE: tuple[Searchable, ...] = (
    Searchable(SearchKind.STATE, models.State, "state", _state),
    Searchable(SearchKind.ORGANISATION, models.Organisation, "organisation", _organisation),
    Searchable(SearchKind.COMPANY, models.Company, "company", _company),
    Searchable(SearchKind.AGREEMENT, models.Agreement, "agreement", _agreement),
    Searchable(SearchKind.ARMS_TRANSFER, models.ArmsTransfer, "arms_transfer", _arms_transfer),
    Searchable(SearchKind.MEMBERSHIP, models.Membership, "membership", _membership),
    Searchable(SearchKind.DOCUMENT, models.Document, None, _document),
)


async def _quotes(session: AsyncSession) -> dict[tuple[str, int], list[str]]:
    """Every quote, by the record it is evidence for, in citation order."""
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    citations = (
        select(models.Citation)
        .where(col(models.Citation.quote).is_not(None))
        .order_by(col(models.Citation.position), col(models.Citation.id))
    )
    for citation in await session.scalars(citations):
        for table in models.CITED_TABLES:
            subject = getattr(citation, f"{table}_id")
            if subject is not None and citation.quote:
                found[(table, subject)].append(citation.quote)
    return found


def _joined(texts: Sequence[str | None]) -> str:
    unique = dict.fromkeys(unicodedata.normalize("NFC", t.strip()) for t in texts if t)
    return SEPARATOR.join(t for t in unique if t)


def entry_values(text: SearchText) -> dict[str, str]:
    """The columns of a search entry for a record's text."""
    title = unicodedata.normalize("NFC", text.title.strip())
    keywords = _joined(text.keywords)
    body = _joined(text.body)
    return {
        "title": title,
        "keywords": keywords,
        "body": body,
        "title_terms": terms([title]),
        "keyword_terms": terms([keywords]),
        "body_terms": terms([body]),
        "all_terms": terms([title, keywords, body]),
    }


async def refresh_search_index(session: AsyncSession) -> int:
    """Bring the index in line with the records; returns how many entries changed."""
    names = await Names.load(session)
    quotes = await _quotes(session)
    wanted: dict[tuple[SearchKind, int], dict[str, str]] = {}
    for searchable in SEARCHABLE:
        for row in await session.scalars(select(searchable.model)):
            text = searchable.describe(row, names)
            if searchable.cited_as is not None:
                text.body += quotes.get((searchable.cited_as, row.id), [])
            wanted[(searchable.kind, row.id)] = entry_values(text)
    existing = {
        (SearchKind(entry.kind), entry.record_id): entry
        for entry in await session.scalars(select(SearchEntry))
    }
    changed = 0
    for (kind, record_id), values in wanted.items():
        entry = existing.pop((kind, record_id), None)
        if entry is None:
            session.add(
                SearchEntry.model_validate({"kind": kind, "record_id": record_id, **values})
            )
        elif any(getattr(entry, k) != v for k, v in values.items()):
            entry.sqlmodel_update(values)
        else:
            continue
        changed += 1
    for entry in existing.values():
        await session.delete(entry)
        changed += 1
    await session.flush()
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
