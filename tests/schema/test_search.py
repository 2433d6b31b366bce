"""Search: every kind of record, ranked and paged alike on SQLite and PostgreSQL, with snippets."""

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import delete, func, select

from api.app import create_app
from api.db import create_session_factory, engine_scope
from api.fixtures import load_fixtures
from api.models import SearchEntry
from api.search_index import ensure_search_index
from api.settings import Settings
from tests.conftest import FIXTURES, Templates, _database, settings_for
from tests.graphql import data_of, errors_of, nodes

SEARCH = """
query ($text: String!, $kinds: [SearchKind!], $first: Int, $after: String) {
  search(text: $text, kinds: $kinds, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      kind score title snippet
      item {
        __typename
        ... on State { code }
        ... on Organisation { acronym }
        ... on Company { key }
        ... on Agreement { key }
        ... on ArmsTransfer { key }
        ... on Membership { role organisation { acronym } }
        ... on Document { key }
        ... on Person { key }
        ... on NonStateActor { key }
        ... on Event { key }
        ... on MilitaryExercise { key }
        ... on Corridor { key }
        ... on Initiative { key }
        ... on EconomicFigure { key }
      }
    } }
  }
}
"""


async def _search(client: httpx.AsyncClient, text: str, **variables: Any) -> dict[str, Any]:
    data = await data_of(client, SEARCH, {"text": text, "first": 50, **variables})
    found: dict[str, Any] = data["search"]
    return found


def _items(found: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (n["kind"], next((v for k, v in n["item"].items() if k != "__typename"), ""))
        for n in nodes(found)
    ]


async def test_results_come_best_first_with_marked_snippets(client: httpx.AsyncClient) -> None:
    found = await _search(client, "Turkmenistan drones")

    results = nodes(found)
    assert found["totalCount"] == len(results) >= 3
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    best = results[0]
    assert best["kind"] == "ARMS_TRANSFER"
    assert best["item"] == {"__typename": "ArmsTransfer", "key": "tur-tkm-drones"}
    assert best["title"] == "UAV: Türkiye to Turkmenistan"
    assert "«drones»" in best["snippet"]
    assert "«Turkmenistan»" in best["snippet"]


async def test_every_word_must_match_as_a_word_start(client: httpx.AsyncClient) -> None:
    turk = _items(await _search(client, "turk", kinds=["ORGANISATION"]))
    nothing = await _search(client, "turk zzyzx")

    # Turkic and Turkish begin with "turk"; the OTS is found through its former names.
    assert ("ORGANISATION", "OTS") in turk
    assert ("ORGANISATION", "TURKPA") in turk
    assert ("ORGANISATION", "Turkic Academy") in turk
    assert nothing["totalCount"] == 0


@pytest.mark.parametrize("text", ["Akıncı", "akinci", "AKINCI"])
async def test_case_and_accents_do_not_matter(client: httpx.AsyncClient, text: str) -> None:
    found = _items(await _search(client, text, kinds=["ARMS_TRANSFER"]))

    assert found[0] == ("ARMS_TRANSFER", "tur-kgz-akinci")


async def test_state_names_codes_and_aliases_are_found(client: httpx.AsyncClient) -> None:
    by_name = _items(await _search(client, "türkiye", kinds=["STATE"]))
    by_alias = _items(await _search(client, "Turkey", kinds=["STATE"]))
    by_code = _items(await _search(client, "xnc"))

    assert by_name == [("STATE", "TUR")]
    assert by_alias == [("STATE", "TUR"), ("STATE", "XNC")]  # "recognised only by Turkey"
    assert by_code[0] == ("STATE", "XNC")


async def test_quotes_make_records_findable(client: httpx.AsyncClient) -> None:
    found = await _search(client, "Samarkand")

    items = _items(found)
    # Northern Cyprus became an OTS observer at the Samarkand summit; the EU–Central Asia
    # declaration was adopted there.
    assert ("STATE", "XNC") in items
    assert ("AGREEMENT", "eu-central-asia-joint-declaration-2025") in items
    assert all("«Samarkand»" in n["snippet"] for n in nodes(found))


async def test_every_kind_of_the_papers_records_is_found(client: httpx.AsyncClient) -> None:
    fidan = _items(await _search(client, "Hakan Fidan"))
    unity = _items(await _search(client, "Unity", kinds=["MILITARY_EXERCISE"]))
    caspian = _items(await _search(client, "Trans-Caspian"))
    anew = _items(await _search(client, "Asia Anew", kinds=["INITIATIVE"]))
    ventures = _items(await _search(client, "joint ventures", kinds=["ECONOMIC_FIGURE"]))
    tashkent = _items(await _search(client, "consultative meeting tashkent", kinds=["EVENT"]))

    assert fidan[0] == ("PERSON", "hakan-fidan")
    # Unity is held yearly: each holding is its own record, titled with its year.
    assert unity == [("MILITARY_EXERCISE", "unity-2024"), ("MILITARY_EXERCISE", "unity-2025")]
    assert caspian[0] == ("CORRIDOR", "middle-corridor")  # by its alias
    assert anew == [("INITIATIVE", "asia-anew")]
    # The figures named so come first; others whose quotes mention joint ventures follow.
    assert {key for _, key in ventures[:2]} == {
        "tur-uzb-joint-ventures",
        "tur-uzb-joint-ventures-2017",
    }
    assert tashkent[0] == ("EVENT", "central-asia-consultative-meeting-7")
    found = await _search(client, "Fidan foreign minister", kinds=["PERSON"])
    # A person's offices are part of what they are found by.
    assert "«Foreign» «Minister»" in nodes(found)[0]["snippet"]


async def test_kinds_narrow_the_results(client: httpx.AsyncClient) -> None:
    everything = _items(await _search(client, "CSTO"))
    memberships = _items(await _search(client, "CSTO", kinds=["MEMBERSHIP"]))

    assert {kind for kind, _ in memberships} == {"MEMBERSHIP"}
    assert len(memberships) == 5
    assert {kind for kind, _ in everything} > {"MEMBERSHIP", "ORGANISATION"}


async def test_paging_through_results_keeps_the_ranked_order(client: httpx.AsyncClient) -> None:
    full = await _search(client, "Central Asia Turk", first=100)
    everything = _items(full)
    assert full["totalCount"] == len(everything)
    seen: list[tuple[str, str]] = []
    after = None
    while True:
        page = await _search(client, "Central Asia Turk", first=7, after=after)
        seen += _items(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert len(everything) > 20
    assert seen == everything


async def test_a_cursor_from_another_search_is_refused(client: httpx.AsyncClient) -> None:
    page = await _search(client, "Central Asia", first=2)

    errors = await errors_of(
        client, SEARCH, {"text": "Turkic", "after": page["pageInfo"]["endCursor"]}
    )

    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("  «»!? ", "at least one letter or digit"),
        ("a b c d e f g h i", "more than 8 words"),
        ("x" * 201, "longer than 200"),
    ],
)
async def test_unusable_search_text_is_the_callers_error(
    client: httpx.AsyncClient, text: str, message: str
) -> None:
    errors = await errors_of(client, SEARCH, {"text": text})

    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "text"}
    assert message in errors[0]["message"]


async def test_search_items_load_in_one_statement_per_kind(
    client: httpx.AsyncClient, count_statements: Any
) -> None:
    with count_statements:
        found = await _search(client, "Central Asia")

    kinds = {n["kind"] for n in nodes(found)}
    # The page, the count, one by-id look-up per kind found, and the memberships' organisations.
    assert count_statements.count <= 2 + len(kinds) + 1, count_statements.statements


EXTRA = {
    "companies": [
        {
            "key": "baykar",
            "name": "Baykar",
            "country": "TUR",
            "description": "Maker of the Bayraktar TB2 and Akıncı drones.",
            "sources": [
                {
                    "document": "paper",
                    "quote": "Kyrgyzstan has ordered all four types of Turkish drones "
                    "(Bayraktar TB2, Aksungur, Akıncı and ANKA)",
                }
            ],
        }
    ]
}


async def test_loading_records_refreshes_the_index(
    database_url: str, settings: Settings, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(yaml.safe_dump(EXTRA, allow_unicode=True), encoding="utf-8")
    async with engine_scope(settings_for(database_url)) as engine:
        sessions = create_session_factory(engine)
        first = await load_fixtures(sessions, [FIXTURES, extra])
        again = await load_fixtures(sessions, [FIXTURES, extra])

    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://silkgraph.test"
    ) as client:
        found = _items(await _search(client, "baykar"))
    await app.state.engine.dispose()

    assert first.updated["search entries"] == 1
    assert again.updated["search entries"] == 0
    assert found[0] == ("COMPANY", "baykar")


CROSS_CHECKS = [
    ("summit samarkand", None),
    ("fidan", None),
    ("unity", ["MILITARY_EXERCISE", "EVENT"]),
    ("corridor", None),
    ("turkish capital", ["ECONOMIC_FIGURE", "INITIATIVE"]),
    ("turk drone", None),
    ("central asia", None),
    ("Akıncı", None),
    ("organization", ["ORGANISATION", "AGREEMENT"]),
    ("security", None),
    ("2022", None),
    ("observer", ["MEMBERSHIP"]),
    ("russia", None),
]


@pytest.mark.postgres
async def test_both_back_ends_return_the_same_ranked_results(
    templates: Templates, tmp_path: Path
) -> None:
    answers: dict[str, list[str]] = {}
    for backend in ("sqlite", "postgres"):
        (tmp_path / backend).mkdir()
        async for url in _database(backend, "loaded", templates, tmp_path / backend):
            app = create_app(settings_for(url))
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
                # Everything but the cursors, which hold ids each back end assigns its own way.
                answers[backend] = [
                    json.dumps(nodes(await _search(client, text, kinds=kinds, first=100)))
                    for text, kinds in CROSS_CHECKS
                ]
            await app.state.engine.dispose()

    for (text, _), sqlite, postgres in zip(
        CROSS_CHECKS, answers["sqlite"], answers["postgres"], strict=True
    ):
        assert json.loads(sqlite), text
        assert sqlite == postgres, text


async def test_a_database_migrated_after_its_load_gets_its_index(database_url: str) -> None:
    async with engine_scope(settings_for(database_url)) as engine:
        sessions = create_session_factory(engine)
        async with sessions() as session, session.begin():
            await session.execute(delete(SearchEntry))
        built = await ensure_search_index(sessions)
        again = await ensure_search_index(sessions)
        async with sessions() as session:
            entries = await session.scalar(select(func.count()).select_from(SearchEntry))

    assert (built, again) == (True, False)
    # One per record: 250 states, 38 organisations, 12 people, 2 companies, 13 agreements,
    # 21 events, 13 exercises, 6 corridors, 18 initiatives, 22 arms transfers,
    # 89 memberships, 15 figures, 3 documents.
    assert entries == 502
