"""Fixtures: every quote verbatim, every record cited, loads are all-or-nothing and idempotent."""

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from api import models
from api.db import create_session_factory, engine_scope
from api.documents import DocumentText, normalise_whitespace
from api.fixture_schema import Cited, FixtureFile
from api.fixtures import FixtureError, load_fixtures, read_fixtures
from tests.conftest import FIXTURES, settings_for

COUNTED = [
    models.State,
    models.Organisation,
    models.Membership,
    models.Agreement,
    models.ArmsTransfer,
    models.Citation,
    models.Company,
    models.OrganisationName,
    models.Person,
    models.OfficeHolding,
    models.Event,
    models.EventParticipant,
    models.EventOutcome,
    models.EventCorridor,
    models.MilitaryExercise,
    models.ExerciseParticipant,
    models.Corridor,
    models.CorridorStop,
    models.CorridorActor,
    models.CorridorLink,
    models.Initiative,
    models.InitiativeActor,
    models.EconomicFigure,
    models.DocumentParagraph,
]


def cited_records(content: FixtureFile) -> list[tuple[str, Cited]]:
    records: list[tuple[str, Cited]] = []
    for section in (
        "states",
        "organisations",
        "companies",
        "memberships",
        "agreements",
        "arms_transfers",
        "people",
        "initiatives",
        "corridors",
        "events",
        "military_exercises",
        "economic_figures",
    ):
        for index, record in enumerate(getattr(content, section)):
            records.append((f"{section}[{index}]", record))
            for j, former in enumerate(getattr(record, "former_names", [])):
                records.append((f"{section}[{index}].former_names[{j}]", former))
            for j, office in enumerate(getattr(record, "offices", [])):
                records.append((f"{section}[{index}].offices[{j}]", office))
    return records


def test_every_quote_stands_verbatim_in_the_document_it_cites() -> None:
    sources = read_fixtures([FIXTURES])
    texts = {
        doc.key: DocumentText((FIXTURES / doc.text).read_text(encoding="utf-8"))
        for source in sources
        for doc in source.content.documents
        if doc.text
    }
    checked = 0
    for source in sources:
        for where, record in cited_records(source.content):
            for citation in record.sources:
                if citation.document in texts:
                    assert citation.quote, f"{source.path}: {where}: no quote"
                    text = texts[citation.document]
                    wanted = normalise_whitespace(citation.quote)
                    assert text.locate(citation.quote) is not None, (
                        f"{source.path}: {where}: not verbatim: {wanted!r}"
                    )
                    checked += 1
    assert checked > 340


def test_every_paper_record_carries_a_quote_from_the_paper() -> None:
    for source in read_fixtures([FIXTURES]):
        for where, record in cited_records(source.content):
            assert any(s.document == "paper" and s.quote for s in record.sources), (
                f"{source.path}: {where}"
            )


async def _counts(url: str) -> dict[str, int]:
    async with engine_scope(settings_for(url)) as engine:
        async with engine.connect() as connection:
            return {
                model.__name__: (
                    await connection.execute(select(func.count()).select_from(model))
                ).scalar_one()
                for model in COUNTED
            }


async def test_loading_the_fixtures_again_changes_nothing(database_url: str) -> None:
    before = await _counts(database_url)

    async with engine_scope(settings_for(database_url)) as engine:
        report = await load_fixtures(create_session_factory(engine), [FIXTURES])

    assert await _counts(database_url) == before
    replaced = {"citations", "former names", "office holdings"}  # rewritten with their record
    assert not {k: v for k, v in report.inserted.items() if k not in replaced}


def _write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return path


GOOD_MEMBERSHIP = {
    "organisation": "OTS",
    "member": {"state": "HUN"},
    "role": "OBSERVER",
    "since": "2018",
    "sources": [{"document": "paper", "quote": "The observers include Hungary (2018)"}],
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"role": "CHAIRMAN"}, "memberships[1] (OTS): role: Input should be"),
        ({"member": {"state": "ZZZZ"}}, "memberships[1] (OTS): member.state: String should match"),
        ({"member": {"state": "QQQ"}}, "member.state: unknown state code 'QQQ'"),
        ({"organisation": "NOPE"}, "organisation: unknown organisation 'NOPE'"),
        ({"since": "2018-13"}, "since: Value error, '2018-13' is not a calendar date"),
        ({"sources": []}, "sources: List should have at least 1 item"),
        (
            {"sources": [{"document": "paper", "quote": "Hungary joined in 1999"}]},
            "sources[0].quote: not found verbatim in 'paper'",
        ),
        ({"member": {"state": "HUN", "organisation": "ECO"}}, "name exactly one of"),
    ],
)
async def test_a_bad_record_names_file_record_and_field_and_loads_nothing(
    database_url: str, tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    good = {**GOOD_MEMBERSHIP, "since": "2019", "role": "MEMBER"}
    bad = {**GOOD_MEMBERSHIP, **change}
    path = _write(tmp_path, "memberships.yaml", {"memberships": [good, bad]})
    before = await _counts(database_url)

    async with engine_scope(settings_for(database_url)) as engine:
        with pytest.raises(FixtureError) as caught:
            await load_fixtures(create_session_factory(engine), [path])

    assert any(str(path) in p and expected in p for p in caught.value.problems), caught.value
    assert await _counts(database_url) == before


async def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "two.yaml",
        {"memberships": [{**GOOD_MEMBERSHIP, "role": "X"}, {**GOOD_MEMBERSHIP, "since": "x"}]},
    )

    with pytest.raises(FixtureError) as caught:
        read_fixtures([path])

    assert len(caught.value.problems) == 2


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("memberships: [\n", encoding="utf-8")

    with pytest.raises(FixtureError, match="broken.yaml: not valid YAML"):
        read_fixtures([path])


async def test_a_new_record_loads_with_its_located_quote(database_url: str, tmp_path: Path) -> None:
    record = {
        "key": "kgz-hun-test-record",
        "organisation": "OTS",
        "member": {"state": "KGZ"},
        "role": "OBSERVER",
        "since": "2030",
        "sources": [{"document": "paper", "quote": "Kyrgyzstan has ordered all four types"}],
    }
    path = _write(tmp_path, "extra.yaml", {"memberships": [record]})

    async with engine_scope(settings_for(database_url)) as engine:
        report = await load_fixtures(create_session_factory(engine), [path])
        async with engine.connect() as connection:
            locator = (
                await connection.execute(
                    select(col(models.Citation.locator))
                    .join(models.Membership)
                    .where(col(models.Membership.key) == "kgz-hun-test-record")
                )
            ).scalar_one()

    assert report.inserted["memberships"] == 1
    assert locator == "¶16 (Promotion of military-technical cooperation)"


GOOD_EVENT = {
    "key": "test-event",
    "title": "A test summit",
    "kind": "SUMMIT",
    "date": "2022-11",
    "place_state": "UZB",
    "organisation": "OTS",
    "participants": [{"person": "ersin-tatar", "role": "ABSENT"}],
    "outcomes": [{"kind": "ADMISSION", "membership": "OTS/XNC/OBSERVER/2022-11"}],
    "sources": [{"document": "paper", "quote": "received observer status at the OTS Summit"}],
}


@pytest.mark.parametrize(
    ("section", "record", "expected"),
    [
        ("events", {"kind": "PARTY"}, "events[0] (test-event): kind: Input should be"),
        ("events", {"date": "2022-02-30"}, "date: Value error, '2022-02-30' is not a calendar"),
        (
            "events",
            {"participants": [{"person": "nobody"}]},
            "events[0] (test-event): participants[0].person: unknown person 'nobody'",
        ),
        (
            "events",
            {"participants": [{"state": "UZB", "person": "ersin-tatar"}]},
            "name exactly one of state, organisation, person (got state, person)",
        ),
        (
            "events",
            {"outcomes": [{"kind": "ADMISSION", "membership": "OTS/XNC/MEMBER/-"}]},
            "outcomes[0].membership: unknown membership 'OTS/XNC/MEMBER/-'",
        ),
        ("events", {"corridors": ["silk-road"]}, "corridors[0]: unknown corridor 'silk-road'"),
        ("events", {"parent": "test-event"}, "parent: an event cannot be its own parent"),
        (
            "military_exercises",
            {"key": "test-event", "name": "X", "participants": ["QQQ"]},
            "military_exercises[0] (test-event): participants[0]: unknown state code 'QQQ'",
        ),
        (
            "corridors",
            {
                "key": "test-event",
                "name": "X",
                "kind": "CORRIDOR",
                "stops": [{"sea": "A", "state": "AZE"}],
            },
            "name exactly one of state, sea, region (got state, sea)",
        ),
        (
            "corridors",
            {
                "key": "test-event",
                "name": "X",
                "kind": "CORRIDOR",
                "links": [{"corridor": "test-event", "kind": "CONNECTION"}],
            },
            "links: test-event cannot link to itself",
        ),
        (
            "initiatives",
            {
                "key": "test-event",
                "title": "X",
                "kind": "PLAN",
                "actors": [{"organisation": "NOPE", "role": "PROPOSER"}],
            },
            "actors[0].organisation: unknown organisation 'NOPE'",
        ),
        (
            "economic_figures",
            {
                "key": "test-event",
                "metric": "m",
                "value": -1,
                "unit": "USD",
                "subject": {"state": "TUR"},
            },
            "economic_figures[0] (test-event): value: Input should be greater than or equal to 0",
        ),
        (
            "people",
            {
                "key": "test-event",
                "name": "X",
                "offices": [{"office": "P", "since": "2020", "until": "2010"}],
            },
            "offices.0: Value error, until (2010) is before since (2020)",
        ),
        (
            "people",
            {
                "key": "test-event",
                "name": "X",
                "offices": [
                    {"office": "P", "sources": [{"document": "paper", "quote": "invented"}]}
                ],
            },
            "people[0] (test-event): offices[0]: sources[0].quote: not found verbatim in 'paper'",
        ),
    ],
)
async def test_a_bad_paper_record_names_file_record_and_field_and_loads_nothing(
    database_url: str, tmp_path: Path, section: str, record: dict[str, object], expected: str
) -> None:
    base = GOOD_EVENT if section == "events" else {"sources": GOOD_EVENT["sources"]}
    bad = {**base, **record}
    if section == "people":
        for office in bad.get("offices", []):  # type: ignore[attr-defined]
            office.setdefault("sources", GOOD_EVENT["sources"])
    path = _write(tmp_path, f"{section}.yaml", {section: [bad]})
    before = await _counts(database_url)

    async with engine_scope(settings_for(database_url)) as engine:
        with pytest.raises(FixtureError) as caught:
            await load_fixtures(create_session_factory(engine), [path])

    assert any(str(path) in p and expected in p for p in caught.value.problems), caught.value
    assert await _counts(database_url) == before


async def test_a_new_event_loads_with_its_participants_and_outcomes(
    database_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, "events.yaml", {"events": [GOOD_EVENT]})

    async with engine_scope(settings_for(database_url)) as engine:
        report = await load_fixtures(create_session_factory(engine), [path])
        async with engine.connect() as connection:
            event_id = (
                await connection.execute(
                    select(col(models.Event.id)).where(col(models.Event.key) == "test-event")
                )
            ).scalar_one()
            links = [
                (
                    await connection.execute(
                        select(func.count()).where(col(model.event_id) == event_id)
                    )
                ).scalar_one()
                for model in (models.EventParticipant, models.EventOutcome)
            ]

    assert report.inserted["events"] == 1
    assert links == [1, 1]


async def test_the_citation_check_allows_exactly_one_subject(database_url: str) -> None:
    async with engine_scope(settings_for(database_url)) as engine:
        async with engine.connect() as connection:
            event_id, person_id, document_id = [
                (await connection.execute(select(col(model.id)).limit(1))).scalar_one()
                for model in (models.Event, models.Person, models.Document)
            ]
            with pytest.raises(IntegrityError):
                await connection.execute(
                    insert(models.Citation).values(
                        document_id=document_id, event_id=event_id, person_id=person_id, position=0
                    )
                )
