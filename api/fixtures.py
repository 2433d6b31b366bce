"""Load YAML fixtures: validate every file, record and reference first, then write all in one go.

A load is an upsert keyed on natural keys, so loading the same files twice changes nothing;
a record's citations, former names and parties are replaced by what the files now say.
Any problem anywhere stops the load before a single row is written.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api import models
from api.db import SessionFactory
from api.documents import DocumentText
from api.fixture_schema import (
    RECORD_LABEL_FIELDS,
    ActorRef,
    ArmsTransferIn,
    Cited,
    FixtureFile,
    ParticipantRef,
    SourceIn,
)
from api.import_lock import import_transaction
from api.importing import ImportRefused
from api.models.dates import PartialDate
from api.models.enums import CodeAssignment, StopKind
from api.reference import ISO_DOCUMENT_KEY, M49_DOCUMENT_KEY, reference_documents, reference_states
from api.search_index import refresh_search_index

# ISO 3166-1 leaves these alpha-3 ranges to users; silkgraph's own codes come from them.
USER_ASSIGNED_RANGES = (("AAA", "AAZ"), ("QMA", "QZZ"), ("XAA", "XZZ"), ("ZZA", "ZZZ"))


class FixtureError(ImportRefused):
    """Everything wrong with a set of fixtures, each problem naming file, record and field."""


@dataclass(frozen=True)
class FixtureSource:
    path: Path
    content: FixtureFile


@dataclass
class LoadReport:
    """How many records of each kind a load inserted and updated."""

    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, *, new: bool) -> None:
        target = self.inserted if new else self.updated
        target[kind] = target.get(kind, 0) + 1

    def summary(self) -> str:
        kinds = sorted(set(self.inserted) | set(self.updated))
        return ", ".join(
            f"{kind}: {self.inserted.get(kind, 0)} new, {self.updated.get(kind, 0)} updated"
            for kind in kinds
        )


def _year(text: str | None) -> int | None:
    return PartialDate.parse(text).year if text else None


def _dated(text: str | None) -> dict[str, Any]:
    """The date, precision and year columns of a dated record."""
    date = PartialDate.parse(text) if text else None
    return {
        "date": text,
        "date_precision": date.precision if date else None,
        "year": date.year if date else None,
    }


def is_user_assigned(code: str) -> bool:
    return any(low <= code <= high for low, high in USER_ASSIGNED_RANGES)


def fixture_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every `*.yaml` inside named folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return found


def _label(section: str, index: int, value_of: Any) -> str:
    """`memberships[3] (OTS/HUN/OBSERVER/2018)`: where a record sits and what it is called."""
    try:
        parts = [str(v) for f in RECORD_LABEL_FIELDS[section] if (v := value_of(f))]
    except (KeyError, IndexError, TypeError, AttributeError):
        parts = []
    return f"{section}[{index}]" + (f" ({parts[0]})" if parts else "")


def _raw_label(raw: Any, section: str, index: int) -> str:
    return _label(section, index, lambda f: raw[section][index].get(f))


def _describe(path: Path, raw: Any, error: ValidationError) -> list[str]:
    problems = []
    for detail in error.errors():
        loc = list(detail["loc"])
        where = str(loc[0]) if loc else "(file)"
        if len(loc) >= 2 and isinstance(loc[1], int):
            where = _raw_label(raw, str(loc[0]), loc[1])
            loc = loc[2:]
        else:
            loc = loc[1:]
        field_path = ".".join(str(part) for part in loc) or "(record)"
        problems.append(f"{path}: {where}: {field_path}: {detail['msg']}")
    return problems


def read_fixtures(paths: Iterable[Path]) -> list[FixtureSource]:
    """Parse and validate every file; raise one FixtureError listing all problems found."""
    sources: list[FixtureSource] = []
    problems: list[str] = []
    files = fixture_paths(paths)
    if not files:
        raise FixtureError(["no fixture files found"])
    for path in files:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror}")
            continue
        except yaml.YAMLError as exc:
            problems.append(f"{path}: not valid YAML: {exc}")
            continue
        try:
            sources.append(FixtureSource(path, FixtureFile.model_validate(raw or {})))
        except ValidationError as exc:
            problems.extend(_describe(path, raw, exc))
    if problems:
        raise FixtureError(problems)
    return sources


@dataclass
class _Citing:
    """Citations to write for one record once its id is known."""

    column: str
    subject_id: int
    sources: Sequence[SourceIn]
    where: str


class _Loader:
    """One load: resolves natural keys to ids, checks everything, then writes."""

    def __init__(self, session: AsyncSession, sources: list[FixtureSource]) -> None:
        self.session = session
        self.sources = sources
        self.problems: list[str] = []
        self.report = LoadReport()
        # One entry per record: a later entry for the same record replaces an earlier one.
        self.citing: dict[tuple[str, int], _Citing] = {}
        self.documents: dict[str, models.Document] = {}
        self.texts: dict[str, DocumentText] = {}
        self.states: dict[str, models.State] = {}
        self.organisations: dict[str, models.Organisation] = {}
        self.companies: dict[str, models.Company] = {}
        self.agreements: dict[str, models.Agreement] = {}
        self.memberships: dict[str, int | None] = {}
        self.people: dict[str, models.Person] = {}
        self.initiatives: dict[str, models.Initiative] = {}
        self.corridors: dict[str, models.Corridor] = {}
        self.events: dict[str, models.Event] = {}

    # -- reading what is already there -------------------------------------------------------

    async def _existing(self) -> None:
        session = self.session
        self.documents = {d.key: d for d in await session.scalars(select(models.Document))}
        self.states = {s.code: s for s in await session.scalars(select(models.State))}
        self.organisations = {
            o.acronym.lower(): o for o in await session.scalars(select(models.Organisation))
        }
        self.companies = {c.key: c for c in await session.scalars(select(models.Company))}
        self.agreements = {a.key: a for a in await session.scalars(select(models.Agreement))}
        memberships = select(col(models.Membership.key), col(models.Membership.id))
        self.memberships = {key: id_ for key, id_ in await session.execute(memberships)}  # noqa: C416
        self.people = {p.key: p for p in await session.scalars(select(models.Person))}
        self.initiatives = {i.key: i for i in await session.scalars(select(models.Initiative))}
        self.corridors = {c.key: c for c in await session.scalars(select(models.Corridor))}
        self.events = {e.key: e for e in await session.scalars(select(models.Event))}

    # -- checks ----------------------------------------------------------------------------

    def _records(self, section: str) -> Iterable[tuple[str, Any]]:
        for source in self.sources:
            for index, record in enumerate(getattr(source.content, section)):
                label = _label(section, index, lambda f, r=record: getattr(r, f, None))
                yield f"{source.path}: {label}", record

    def _check_unique(self, section: str, key_of: Any) -> None:
        seen: dict[str, str] = {}
        for where, record in self._records(section):
            key = key_of(record)
            if key in seen:
                self.problems.append(f"{where}: duplicate of {seen[key]}")
            seen.setdefault(key, where)

    def _check_state(self, where: str, field_name: str, code: str | None) -> None:
        if code is not None and code not in self.states and code not in self._new_states:
            self.problems.append(f"{where}: {field_name}: unknown state code {code!r}")

    def _check_organisation(self, where: str, field_name: str, acronym: str | None) -> None:
        if acronym is not None and acronym.lower() not in self._known_organisations:
            self.problems.append(f"{where}: {field_name}: unknown organisation {acronym!r}")

    def _check_actor(self, where: str, field_name: str, ref: ActorRef) -> None:
        self._check_state(where, f"{field_name}.state", ref.state)
        self._check_organisation(where, f"{field_name}.organisation", ref.organisation)
        if ref.company and ref.company not in self._known_companies:
            self.problems.append(f"{where}: {field_name}.company: unknown company {ref.company!r}")

    def _check_participant(self, where: str, field_name: str, ref: ParticipantRef) -> None:
        self._check_state(where, f"{field_name}.state", ref.state)
        self._check_organisation(where, f"{field_name}.organisation", ref.organisation)
        self._check_key(where, f"{field_name}.person", ref.person, self._known["people"], "person")

    def _check_key(
        self, where: str, field_name: str, key: str | None, known: set[str], kind: str
    ) -> None:
        if key is not None and key not in known:
            self.problems.append(f"{where}: {field_name}: unknown {kind} {key!r}")

    def _check_sources(self, where: str, record: Cited) -> None:
        for i, source in enumerate(record.sources):
            at = f"{where}: sources[{i}]"
            if source.document not in self._known_documents:
                self.problems.append(f"{at}.document: unknown document {source.document!r}")
                continue
            text = self.texts.get(source.document)
            if text is None:
                continue
            if not source.quote:
                self.problems.append(f"{at}.quote: required when citing {source.document!r}")
            elif text.locate(source.quote) is None:
                self.problems.append(
                    f"{at}.quote: not found verbatim in {source.document!r}: {source.quote!r}"
                )
            if source.locator:
                self.problems.append(
                    f"{at}.locator: computed from the text of {source.document!r}; remove it"
                )

    def _check(self) -> None:
        fixture_docs = {d.key for _, d in self._records("documents")}
        self._known_documents = set(self.documents) | fixture_docs
        self._new_states = {s.code for _, s in self._records("states")}
        self._known_organisations = set(self.organisations) | {
            o.acronym.lower() for _, o in self._records("organisations")
        }
        self._known_companies = set(self.companies) | {c.key for _, c in self._records("companies")}
        known_agreements = set(self.agreements) | {a.key for _, a in self._records("agreements")}

        self._check_unique("documents", lambda d: d.key)
        self._check_unique("states", lambda s: s.code)
        self._check_unique("organisations", lambda o: o.acronym.lower())
        self._check_unique("companies", lambda c: c.key)
        self._check_unique("memberships", lambda m: m.natural_key)
        self._check_unique("agreements", lambda a: a.key)
        self._check_unique("arms_transfers", lambda t: t.key)

        for where, state in self._records("states"):
            self._check_sources(where, state)
            if state.code not in self.states:
                if state.name is None:
                    self.problems.append(f"{where}: name: required for a state ISO does not list")
                if not is_user_assigned(state.code):
                    self.problems.append(
                        f"{where}: code: {state.code} is not an ISO 3166-1 code and not in the "
                        "user-assigned ranges AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ"
                    )
        for where, org in self._records("organisations"):
            self._check_sources(where, org)
            self._check_organisation(where, "parent", org.parent)
            self._check_state(where, "headquarters_state", org.headquarters_state)
            for i, former in enumerate(org.former_names):
                self._check_sources(f"{where}: former_names[{i}]", former)
        for where, company in self._records("companies"):
            self._check_sources(where, company)
            self._check_state(where, "country", company.country)
        for where, membership in self._records("memberships"):
            self._check_sources(where, membership)
            self._check_organisation(where, "organisation", membership.organisation)
            self._check_actor(where, "member", membership.member)
        for where, agreement in self._records("agreements"):
            self._check_sources(where, agreement)
            for i, party in enumerate(agreement.parties):
                self._check_actor(where, f"parties[{i}]", party)
        self._known = {
            "people": set(self.people) | {p.key for _, p in self._records("people")},
            "initiatives": set(self.initiatives) | {i.key for _, i in self._records("initiatives")},
            "corridors": set(self.corridors) | {c.key for _, c in self._records("corridors")},
            "events": set(self.events) | {e.key for _, e in self._records("events")},
            "agreements": known_agreements,
            "memberships": set(self.memberships)
            | {m.natural_key for _, m in self._records("memberships")},
        }
        self._check_paper_entities()
        for where, transfer in self._records("arms_transfers"):
            self._check_sources(where, transfer)
            self._check_state(where, "supplier", transfer.supplier)
            self._check_state(where, "recipient", transfer.recipient)
            if transfer.agreement and transfer.agreement not in known_agreements:
                self.problems.append(
                    f"{where}: agreement: unknown agreement {transfer.agreement!r}"
                )

    def _check_paper_entities(self) -> None:
        known = self._known
        for section in (
            "people",
            "initiatives",
            "corridors",
            "events",
            "military_exercises",
            "economic_figures",
        ):
            self._check_unique(section, lambda r: r.key)
        for where, person in self._records("people"):
            self._check_sources(where, person)
            self._check_state(where, "nationality", person.nationality)
            for i, office in enumerate(person.offices):
                at = f"{where}: offices[{i}]"
                self._check_sources(at, office)
                self._check_state(at, "state", office.state)
                self._check_organisation(at, "organisation", office.organisation)
        for where, initiative in self._records("initiatives"):
            self._check_sources(where, initiative)
            for i, actor in enumerate(initiative.actors):
                self._check_participant(where, f"actors[{i}]", actor)
        for where, corridor in self._records("corridors"):
            self._check_sources(where, corridor)
            for i, stop in enumerate(corridor.stops):
                self._check_state(where, f"stops[{i}].state", stop.state)
            for i, actor in enumerate(corridor.actors):
                self._check_state(where, f"actors[{i}].state", actor.state)
                self._check_organisation(where, f"actors[{i}].organisation", actor.organisation)
            for i, link in enumerate(corridor.links):
                self._check_key(
                    where, f"links[{i}].corridor", link.corridor, known["corridors"], "corridor"
                )
        for where, event in self._records("events"):
            self._check_sources(where, event)
            self._check_state(where, "place_state", event.place_state)
            self._check_organisation(where, "organisation", event.organisation)
            self._check_key(where, "parent", event.parent, known["events"], "event")
            if event.parent == event.key:
                self.problems.append(f"{where}: parent: an event cannot be its own parent")
            for i, participant in enumerate(event.participants):
                self._check_participant(where, f"participants[{i}]", participant)
            for i, outcome in enumerate(event.outcomes):
                at = f"outcomes[{i}]"
                self._check_key(
                    where, f"{at}.agreement", outcome.agreement, known["agreements"], "agreement"
                )
                self._check_key(
                    where,
                    f"{at}.membership",
                    outcome.membership,
                    known["memberships"],
                    "membership",
                )
                self._check_organisation(where, f"{at}.organisation", outcome.organisation)
                self._check_key(
                    where,
                    f"{at}.initiative",
                    outcome.initiative,
                    known["initiatives"],
                    "initiative",
                )
            for i, corridor in enumerate(event.corridors):
                self._check_key(where, f"corridors[{i}]", corridor, known["corridors"], "corridor")
        for where, exercise in self._records("military_exercises"):
            self._check_sources(where, exercise)
            self._check_state(where, "host_state", exercise.host_state)
            if exercise.organiser:
                self._check_state(where, "organiser.state", exercise.organiser.state)
                self._check_organisation(
                    where, "organiser.organisation", exercise.organiser.organisation
                )
            for i, code in enumerate(exercise.participants):
                self._check_state(where, f"participants[{i}]", code)
        for where, figure in self._records("economic_figures"):
            self._check_sources(where, figure)
            self._check_participant(where, "subject", figure.subject)
            self._check_state(where, "partner", figure.partner)

    # -- writing ---------------------------------------------------------------------------

    async def _add(self, kind: str, row: Any, *, new: bool) -> None:
        self.session.add(row)
        self.report.count(kind, new=new)

    async def _reference_data(self) -> None:
        """Ensure the ISO reference documents and states exist; never overwrite curated values."""
        for ref in reference_documents():
            if ref.key not in self.documents:
                doc = models.Document(
                    key=ref.key, title=ref.title, publisher=ref.publisher, url=ref.url
                )
                await self._add("documents", doc, new=True)
                self.documents[ref.key] = doc
        missing = [s for s in reference_states() if s.code not in self.states]
        for ref_state in missing:
            state = models.State(
                code=ref_state.code,
                code_assignment=CodeAssignment.ISO_3166_1,
                alpha2=ref_state.alpha2,
                numeric=ref_state.numeric,
                name=ref_state.name,
                official_name=ref_state.official_name,
                region=ref_state.region,
                continent=ref_state.continent,
            )
            await self._add("states", state, new=True)
            self.states[state.code] = state
        await self.session.flush()
        for ref_state in missing:
            self._cite_reference(self.states[ref_state.code])

    @staticmethod
    def _reference_sources(state: models.State) -> list[SourceIn]:
        if state.code_assignment == CodeAssignment.USER_ASSIGNED:
            return []
        sources = [SourceIn(document=ISO_DOCUMENT_KEY, locator=state.code)]
        if state.region:
            sources.append(SourceIn(document=M49_DOCUMENT_KEY, locator=state.code))
        return sources

    def _cite_reference(self, state: models.State) -> None:
        assert state.id is not None
        self._cite(
            _Citing("state_id", state.id, self._reference_sources(state), f"state {state.code}")
        )

    async def _documents(self) -> None:
        for source in self.sources:
            for doc_in in source.content.documents:
                text: str | None = None
                if doc_in.text:
                    text_path = source.path.parent / doc_in.text
                    try:
                        text = text_path.read_text(encoding="utf-8")
                    except OSError as exc:
                        self.problems.append(
                            f"{source.path}: documents ({doc_in.key}): text: {exc}"
                        )
                        continue
                    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                    if digest != doc_in.text_sha256:
                        self.problems.append(
                            f"{source.path}: documents ({doc_in.key}): text_sha256: "
                            f"{text_path} has sha256 {digest}"
                        )
                doc = self.documents.get(doc_in.key)
                new = doc is None
                doc = doc or models.Document(key=doc_in.key, title=doc_in.title)
                doc.sqlmodel_update(
                    doc_in.model_dump(exclude={"key", "text"}) | {"full_text": text}
                )
                await self._add("documents", doc, new=new)
                self.documents[doc_in.key] = doc
        self.texts = {
            key: DocumentText(doc.full_text) for key, doc in self.documents.items() if doc.full_text
        }

    async def _write_paragraphs(self) -> None:
        """Keep each held text's paragraphs in the database, rewriting them only when changed."""
        for key, text in self.texts.items():
            document_id = self.documents[key].id
            assert document_id is not None
            table = models.DocumentParagraph
            stored = await self.session.execute(
                select(col(table.number), col(table.section), col(table.text))
                .where(col(table.document_id) == document_id)
                .order_by(col(table.number))
            )
            wanted = [(p.number, p.section, p.text) for p in text.paragraphs]
            if [tuple(row) for row in stored] == wanted:
                continue
            await self.session.execute(delete(table).where(col(table.document_id) == document_id))
            for number, section, paragraph in wanted:
                self.session.add(
                    table(document_id=document_id, number=number, section=section, text=paragraph)
                )

    async def _write_states(self) -> None:
        for _, state_in in self._records("states"):
            state = self.states.get(state_in.code)
            new = state is None
            if state is None:
                state = models.State(
                    code=state_in.code,
                    name=state_in.name or state_in.code,
                    code_assignment=CodeAssignment.USER_ASSIGNED,
                )
            values = state_in.model_dump(exclude={"code", "sources"}, exclude_none=True)
            if not values.get("aliases"):
                values.pop("aliases", None)
            state.sqlmodel_update(values)
            await self._add("states", state, new=new)
            self.states[state.code] = state
        await self.session.flush()
        for where, state_in in self._records("states"):
            state = self.states[state_in.code]
            assert state.id is not None
            # Replacing a state's citations must keep its reference ones, ahead of the paper's.
            sources = [*self._reference_sources(state), *state_in.sources]
            self._cite(_Citing("state_id", state.id, sources, where))

    async def _write_organisations(self) -> None:
        for _, org_in in self._records("organisations"):
            org = self.organisations.get(org_in.acronym.lower())
            new = org is None
            org = org or models.Organisation(
                acronym=org_in.acronym, name=org_in.name, kind=org_in.kind
            )
            org.sqlmodel_update(
                {
                    "acronym": org_in.acronym,
                    "name": org_in.name,
                    "kind": org_in.kind,
                    "founded_year": org_in.founded,
                    "headquarters": org_in.headquarters,
                    "description": org_in.description,
                    "headquarters_state_id": self._state_id(org_in.headquarters_state),
                }
            )
            await self._add("organisations", org, new=new)
            self.organisations[org_in.acronym.lower()] = org
        await self.session.flush()
        for where, org_in in self._records("organisations"):
            org = self.organisations[org_in.acronym.lower()]
            assert org.id is not None
            org.parent_id = self._organisation_id(org_in.parent)
            self._cite(_Citing("organisation_id", org.id, org_in.sources, where))
            await self.session.execute(
                delete(models.OrganisationName).where(
                    col(models.OrganisationName.organisation_id) == org.id
                )
            )
            for i, former_in in enumerate(org_in.former_names):
                former = models.OrganisationName(
                    organisation_id=org.id,
                    name=former_in.name,
                    from_year=former_in.from_year,
                    until_year=former_in.until_year,
                )
                await self._add("former names", former, new=True)
                await self.session.flush()
                assert former.id is not None
                self._cite(
                    _Citing(
                        "organisation_name_id",
                        former.id,
                        former_in.sources,
                        f"{where}: former_names[{i}]",
                    )
                )

    async def _write_companies(self) -> None:
        for where, company_in in self._records("companies"):
            company = self.companies.get(company_in.key)
            new = company is None
            company = company or models.Company(key=company_in.key, name=company_in.name)
            company.sqlmodel_update(
                {
                    "name": company_in.name,
                    "description": company_in.description,
                    "country_id": self._state_id(company_in.country),
                }
            )
            await self._add("companies", company, new=new)
            self.companies[company_in.key] = company
            await self.session.flush()
            assert company.id is not None
            self._cite(_Citing("company_id", company.id, company_in.sources, where))

    def _owned_documents(self) -> list[int]:
        """The documents the fixtures define (and the reference ones): a record's citations of
        these are the fixtures' to replace; its citations of others (the COW data set, which
        also backs some of the paper's seats) belong to the import that wrote them."""
        keys = {d.key for source in self.sources for d in source.content.documents}
        keys |= {ref.key for ref in reference_documents()}
        return [doc.id for key, doc in self.documents.items() if key in keys and doc.id]

    async def _write_memberships(self) -> None:
        records = list(self._records("memberships"))
        keys = [m.natural_key for _, m in records]
        existing = {
            m.key: m
            for m in await self.session.scalars(
                select(models.Membership).where(col(models.Membership.key).in_(keys))
            )
        }
        # Seats another source also backs keep the start it gave when the paper gives none.
        backed = set(
            await self.session.scalars(
                select(col(models.Citation.membership_id)).where(
                    col(models.Citation.membership_id).in_([m.id for m in existing.values()]),
                    col(models.Citation.document_id).not_in(self._owned_documents()),
                )
            )
        )
        for where, membership_in in records:
            row = existing.get(membership_in.natural_key)
            new = row is None
            organisation_id = self._organisation_id(membership_in.organisation)
            assert organisation_id is not None
            row = row or models.Membership(
                key=membership_in.natural_key,
                organisation_id=organisation_id,
                role=membership_in.role,
            )
            since_text = membership_in.since
            if since_text is None and not new and row.id in backed:
                since_text = row.since
            since = PartialDate.parse(since_text) if since_text else None
            until = PartialDate.parse(membership_in.until) if membership_in.until else None
            row.sqlmodel_update(
                {
                    "organisation_id": organisation_id,
                    "member_state_id": self._state_id(membership_in.member.state),
                    "member_organisation_id": self._organisation_id(
                        membership_in.member.organisation
                    ),
                    "role": membership_in.role,
                    "since": since_text,
                    "since_year": since.year if since else None,
                    "until": membership_in.until,
                    "until_year": until.year if until else None,
                    "attested_year": membership_in.attested,
                    "note": membership_in.note,
                }
            )
            await self._add("memberships", row, new=new)
            await self.session.flush()
            assert row.id is not None
            self.memberships[row.key] = row.id
            self._cite(_Citing("membership_id", row.id, membership_in.sources, where))

    async def _write_agreements(self) -> None:
        for where, agreement_in in self._records("agreements"):
            row = self.agreements.get(agreement_in.key)
            new = row is None
            row = row or models.Agreement(
                key=agreement_in.key, title=agreement_in.title, kind=agreement_in.kind
            )
            date = PartialDate.parse(agreement_in.date) if agreement_in.date else None
            row.sqlmodel_update(
                {
                    "title": agreement_in.title,
                    "kind": agreement_in.kind,
                    "date": agreement_in.date,
                    "date_precision": date.precision if date else None,
                    "year": date.year if date else None,
                    "place": agreement_in.place,
                    "summary": agreement_in.summary,
                    "status": agreement_in.status,
                }
            )
            await self._add("agreements", row, new=new)
            self.agreements[agreement_in.key] = row
            await self.session.flush()
            assert row.id is not None
            await self.session.execute(
                delete(models.AgreementParty).where(
                    col(models.AgreementParty.agreement_id) == row.id
                )
            )
            for position, party in enumerate(agreement_in.parties):
                self.session.add(
                    models.AgreementParty(
                        agreement_id=row.id,
                        state_id=self._state_id(party.state),
                        organisation_id=self._organisation_id(party.organisation),
                        company_id=self.companies[party.company].id if party.company else None,
                        role=party.role,
                        position=position,
                    )
                )
            self._cite(_Citing("agreement_id", row.id, agreement_in.sources, where))

    def _transfer_values(self, transfer_in: ArmsTransferIn) -> dict[str, Any]:
        financing = transfer_in.financing
        agreement = self.agreements[transfer_in.agreement] if transfer_in.agreement else None
        return {
            "supplier_id": self._state_id(transfer_in.supplier),
            "recipient_id": self._state_id(transfer_in.recipient),
            "weapon_designation": transfer_in.weapon_designation,
            "weapon_category": transfer_in.weapon_category,
            "weapon_description": transfer_in.weapon_description,
            "number_ordered": transfer_in.number_ordered,
            "number_delivered": transfer_in.number_delivered,
            "order_year": transfer_in.order_year,
            "delivery_years": list(transfer_in.delivery_years),
            "status": transfer_in.status,
            "financing_amount": financing.amount if financing else None,
            "financing_currency": financing.currency if financing else None,
            "agreement_id": agreement.id if agreement else None,
            "comments": transfer_in.comments,
        }

    async def _write_transfers(self) -> None:
        records = list(self._records("arms_transfers"))
        existing = {
            t.key: t
            for t in await self.session.scalars(
                select(models.ArmsTransfer).where(
                    col(models.ArmsTransfer.key).in_([t.key for _, t in records])
                )
            )
        }
        for where, transfer_in in records:
            row = existing.get(transfer_in.key)
            new = row is None
            row = row or models.ArmsTransfer(
                key=transfer_in.key,
                weapon_category=transfer_in.weapon_category,
                status=transfer_in.status,
            )
            row.sqlmodel_update(self._transfer_values(transfer_in))
            await self._add("arms transfers", row, new=new)
            await self.session.flush()
            assert row.id is not None
            self._cite(_Citing("arms_transfer_id", row.id, transfer_in.sources, where))

    async def _write_people(self) -> None:
        for where, person_in in self._records("people"):
            row = self.people.get(person_in.key)
            new = row is None
            row = row or models.Person(key=person_in.key, name=person_in.name)
            row.sqlmodel_update(
                {
                    "name": person_in.name,
                    "aliases": list(person_in.aliases),
                    "nationality_id": self._state_id(person_in.nationality),
                    "description": person_in.description,
                }
            )
            await self._add("people", row, new=new)
            self.people[person_in.key] = row
            await self.session.flush()
            assert row.id is not None
            self._cite(_Citing("person_id", row.id, person_in.sources, where))
            await self.session.execute(
                delete(models.OfficeHolding).where(col(models.OfficeHolding.person_id) == row.id)
            )
            for position, office_in in enumerate(person_in.offices):
                office = models.OfficeHolding(
                    person_id=row.id,
                    office=office_in.office,
                    state_id=self._state_id(office_in.state),
                    organisation_id=self._organisation_id(office_in.organisation),
                    since=office_in.since,
                    since_year=_year(office_in.since),
                    until=office_in.until,
                    until_year=_year(office_in.until),
                    attested_year=office_in.attested,
                    position=position,
                    note=office_in.note,
                )
                await self._add("office holdings", office, new=True)
                await self.session.flush()
                assert office.id is not None
                self._cite(
                    _Citing(
                        "office_holding_id",
                        office.id,
                        office_in.sources,
                        f"{where}: offices[{position}]",
                    )
                )

    def _person_id(self, key: str | None) -> int | None:
        return self.people[key].id if key else None

    def _participant_ids(self, ref: ParticipantRef) -> dict[str, int | None]:
        return {
            "state_id": self._state_id(ref.state),
            "organisation_id": self._organisation_id(ref.organisation),
            "person_id": self._person_id(ref.person),
        }

    async def _write_initiatives(self) -> None:
        for where, initiative_in in self._records("initiatives"):
            row = self.initiatives.get(initiative_in.key)
            new = row is None
            row = row or models.Initiative(
                key=initiative_in.key, title=initiative_in.title, kind=initiative_in.kind
            )
            row.sqlmodel_update(
                {
                    "title": initiative_in.title,
                    "kind": initiative_in.kind,
                    "status": initiative_in.status,
                    "summary": initiative_in.summary,
                    **_dated(initiative_in.date),
                }
            )
            await self._add("initiatives", row, new=new)
            self.initiatives[initiative_in.key] = row
            await self.session.flush()
            assert row.id is not None
            await self.session.execute(
                delete(models.InitiativeActor).where(
                    col(models.InitiativeActor.initiative_id) == row.id
                )
            )
            for position, actor in enumerate(initiative_in.actors):
                self.session.add(
                    models.InitiativeActor(
                        initiative_id=row.id,
                        role=actor.role,
                        position=position,
                        **self._participant_ids(actor),
                    )
                )
            self._cite(_Citing("initiative_id", row.id, initiative_in.sources, where))

    async def _write_corridors(self) -> None:
        records = list(self._records("corridors"))
        for _, corridor_in in records:
            row = self.corridors.get(corridor_in.key)
            new = row is None
            row = row or models.Corridor(
                key=corridor_in.key, name=corridor_in.name, kind=corridor_in.kind
            )
            row.sqlmodel_update(
                {
                    "name": corridor_in.name,
                    "aliases": list(corridor_in.aliases),
                    "kind": corridor_in.kind,
                    "modes": [mode.value for mode in corridor_in.modes],
                    "status": corridor_in.status,
                    "summary": corridor_in.summary,
                }
            )
            await self._add("corridors", row, new=new)
            self.corridors[corridor_in.key] = row
        await self.session.flush()
        for where, corridor_in in records:
            row = self.corridors[corridor_in.key]
            assert row.id is not None
            for link_model in (models.CorridorStop, models.CorridorActor, models.CorridorLink):
                await self.session.execute(
                    delete(link_model).where(col(link_model.corridor_id) == row.id)
                )
            for position, stop in enumerate(corridor_in.stops):
                kind = (
                    StopKind.STATE if stop.state else StopKind.SEA if stop.sea else StopKind.REGION
                )
                self.session.add(
                    models.CorridorStop(
                        corridor_id=row.id,
                        position=position,
                        kind=kind,
                        state_id=self._state_id(stop.state),
                        name=stop.sea or stop.region,
                    )
                )
            for position, actor in enumerate(corridor_in.actors):
                self.session.add(
                    models.CorridorActor(
                        corridor_id=row.id,
                        state_id=self._state_id(actor.state),
                        organisation_id=self._organisation_id(actor.organisation),
                        role=actor.role,
                        position=position,
                    )
                )
            for position, link in enumerate(corridor_in.links):
                other = self.corridors[link.corridor]
                assert other.id is not None
                self.session.add(
                    models.CorridorLink(
                        corridor_id=row.id,
                        other_id=other.id,
                        kind=link.kind,
                        status=link.status,
                        note=link.note,
                        position=position,
                    )
                )
            self._cite(_Citing("corridor_id", row.id, corridor_in.sources, where))

    async def _write_events(self) -> None:
        records = list(self._records("events"))
        for _, event_in in records:
            row = self.events.get(event_in.key)
            new = row is None
            row = row or models.Event(key=event_in.key, title=event_in.title, kind=event_in.kind)
            row.sqlmodel_update(
                {
                    "title": event_in.title,
                    "kind": event_in.kind,
                    "number": event_in.number,
                    "city": event_in.city,
                    "place_state_id": self._state_id(event_in.place_state),
                    "organisation_id": self._organisation_id(event_in.organisation),
                    "summary": event_in.summary,
                    **_dated(event_in.date),
                }
            )
            await self._add("events", row, new=new)
            self.events[event_in.key] = row
        await self.session.flush()
        for where, event_in in records:
            row = self.events[event_in.key]
            assert row.id is not None
            row.parent_id = self.events[event_in.parent].id if event_in.parent else None
            for link_model in (
                models.EventParticipant,
                models.EventOutcome,
                models.EventCorridor,
            ):
                await self.session.execute(
                    delete(link_model).where(col(link_model.event_id) == row.id)
                )
            for position, participant in enumerate(event_in.participants):
                self.session.add(
                    models.EventParticipant(
                        event_id=row.id,
                        role=participant.role,
                        note=participant.note,
                        position=position,
                        **self._participant_ids(participant),
                    )
                )
            for position, outcome in enumerate(event_in.outcomes):
                self.session.add(
                    models.EventOutcome(
                        event_id=row.id,
                        kind=outcome.kind,
                        agreement_id=(
                            self.agreements[outcome.agreement].id if outcome.agreement else None
                        ),
                        membership_id=(
                            self.memberships[outcome.membership] if outcome.membership else None
                        ),
                        organisation_id=self._organisation_id(outcome.organisation),
                        initiative_id=(
                            self.initiatives[outcome.initiative].id if outcome.initiative else None
                        ),
                        position=position,
                    )
                )
            for corridor_key in event_in.corridors:
                corridor_id = self.corridors[corridor_key].id
                assert corridor_id is not None
                self.session.add(models.EventCorridor(event_id=row.id, corridor_id=corridor_id))
            self._cite(_Citing("event_id", row.id, event_in.sources, where))

    async def _write_exercises(self) -> None:
        records = list(self._records("military_exercises"))
        existing = {
            e.key: e
            for e in await self.session.scalars(
                select(models.MilitaryExercise).where(
                    col(models.MilitaryExercise.key).in_([e.key for _, e in records])
                )
            )
        }
        for where, exercise_in in records:
            row = existing.get(exercise_in.key)
            new = row is None
            row = row or models.MilitaryExercise(key=exercise_in.key, name=exercise_in.name)
            organiser = exercise_in.organiser
            row.sqlmodel_update(
                {
                    "name": exercise_in.name,
                    "series": exercise_in.series,
                    "host_state_id": self._state_id(exercise_in.host_state),
                    "organiser_state_id": self._state_id(organiser.state if organiser else None),
                    "organiser_organisation_id": self._organisation_id(
                        organiser.organisation if organiser else None
                    ),
                    "format": exercise_in.format,
                    "focus": exercise_in.focus,
                    "summary": exercise_in.summary,
                    **_dated(exercise_in.date),
                }
            )
            await self._add("military exercises", row, new=new)
            await self.session.flush()
            assert row.id is not None
            await self.session.execute(
                delete(models.ExerciseParticipant).where(
                    col(models.ExerciseParticipant.exercise_id) == row.id
                )
            )
            for position, code in enumerate(exercise_in.participants):
                state_id = self._state_id(code)
                assert state_id is not None
                self.session.add(
                    models.ExerciseParticipant(
                        exercise_id=row.id, state_id=state_id, position=position
                    )
                )
            self._cite(_Citing("military_exercise_id", row.id, exercise_in.sources, where))

    async def _write_figures(self) -> None:
        records = list(self._records("economic_figures"))
        existing = {
            f.key: f
            for f in await self.session.scalars(
                select(models.EconomicFigure).where(
                    col(models.EconomicFigure.key).in_([f.key for _, f in records])
                )
            )
        }
        for where, figure_in in records:
            row = existing.get(figure_in.key)
            new = row is None
            row = row or models.EconomicFigure(
                key=figure_in.key,
                metric=figure_in.metric,
                value=figure_in.value,
                unit=figure_in.unit,
            )
            subject = self._participant_ids(figure_in.subject)
            row.sqlmodel_update(
                {
                    "metric": figure_in.metric,
                    "value": figure_in.value,
                    "unit": figure_in.unit,
                    "qualifier": figure_in.qualifier,
                    "year": figure_in.year,
                    "period": figure_in.period,
                    "subject_state_id": subject["state_id"],
                    "subject_organisation_id": subject["organisation_id"],
                    "subject_person_id": subject["person_id"],
                    "partner_state_id": self._state_id(figure_in.partner),
                    "note": figure_in.note,
                }
            )
            await self._add("economic figures", row, new=new)
            await self.session.flush()
            assert row.id is not None
            self._cite(_Citing("economic_figure_id", row.id, figure_in.sources, where))

    async def _write_citations(self) -> None:
        by_column: dict[str, list[int]] = {}
        for citing in self.citing.values():
            by_column.setdefault(citing.column, []).append(citing.subject_id)
        owned = self._owned_documents()
        for column, ids in by_column.items():
            await self.session.execute(
                delete(models.Citation).where(
                    getattr(models.Citation, column).in_(ids),
                    col(models.Citation.document_id).in_(owned),
                )
            )
        for citing in self.citing.values():
            for position, source in enumerate(citing.sources):
                text = self.texts.get(source.document)
                paragraph = text.locate(source.quote) if text and source.quote else None
                document = self.documents[source.document]
                assert document.id is not None  # flushed before any citation is written
                self.session.add(
                    models.Citation(
                        document_id=document.id,
                        quote=source.quote,
                        locator=paragraph.locator if paragraph else source.locator,
                        paragraph=paragraph.number if paragraph else None,
                        url=source.url,
                        position=position,
                        **{citing.column: citing.subject_id},
                    )
                )
                self.report.count("citations", new=True)

    def _cite(self, citing: _Citing) -> None:
        self.citing[(citing.column, citing.subject_id)] = citing

    def _state_id(self, code: str | None) -> int | None:
        return self.states[code].id if code else None

    def _organisation_id(self, acronym: str | None) -> int | None:
        return self.organisations[acronym.lower()].id if acronym else None

    def _stop_if_problems(self) -> None:
        if self.problems:
            raise FixtureError(self.problems)

    async def run(self) -> LoadReport:
        await self._existing()
        await self._reference_data()
        await self._documents()
        self._stop_if_problems()
        await self.session.flush()
        await self._write_paragraphs()
        self._check()
        self._stop_if_problems()
        await self._write_states()
        await self._write_organisations()
        await self._write_companies()
        await self._write_memberships()
        await self._write_agreements()
        await self._write_transfers()
        await self._write_people()
        await self._write_initiatives()
        await self._write_corridors()
        await self._write_events()
        await self._write_exercises()
        await self._write_figures()
        await self._write_citations()
        await self.session.flush()
        self.report.updated["search entries"] = await refresh_search_index(self.session)
        return self.report


async def load_fixtures(sessions: SessionFactory, paths: Iterable[Path]) -> LoadReport:
    """Validate `paths` (files or folders), then write them all in one transaction."""
    sources = read_fixtures(paths)
    async with import_transaction(sessions, "fixture load") as session:
        return await _Loader(session, sources).run()


async def is_empty(sessions: SessionFactory) -> bool:
    """True before anything has been loaded: the cue for `serve` to load the fixtures."""
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(models.Document))
    return count == 0
