"""Exports: CSV and NDJSON of every entity, filtered and ordered as its GraphQL connection."""

import csv
import io
import json
from typing import Any

import httpx
import pytest

from api.export import EXPORTS
from api.settings import PROJECT_ROOT
from tests.asgi import get_streamed
from tests.graphql import data_of, nodes

CONNECTIONS = {
    "states": ("states", "StateFilter", "StateOrder"),
    "organisations": ("organisations", "OrganisationFilter", "OrganisationOrder"),
    "memberships": ("memberships", "MembershipFilter", "MembershipOrder"),
    "agreements": ("agreements", "AgreementFilter", "AgreementOrder"),
    "arms-transfers": ("armsTransfers", "ArmsTransferFilter", "ArmsTransferOrder"),
    "companies": ("companies", "CompanyFilter", "CompanyOrder"),
    "events": ("events", "EventFilter", "EventOrder"),
    "military-exercises": ("militaryExercises", "MilitaryExerciseFilter", "MilitaryExerciseOrder"),
    "corridors": ("corridors", "CorridorFilter", "CorridorOrder"),
    "people": ("people", "PersonFilter", "PersonOrder"),
    "initiatives": ("initiatives", "InitiativeFilter", "InitiativeOrder"),
    "economic-figures": ("economicFigures", "EconomicFigureFilter", "EconomicFigureOrder"),
    "non-state-actors": ("nonStateActors", "NonStateActorFilter", "NonStateActorOrder"),
}

# (entity, query string, the same as GraphQL filter, the same as GraphQL orderBy)
CASES = [
    ("states", "region=Central%20Asia", {"region": "Central Asia"}, None),
    (
        "states",
        "memberships.organisation=OTS&memberships.roles=OBSERVER&orderBy=name:desc",
        {"memberships": {"organisation": "OTS", "roles": ["OBSERVER"]}},
        [{"field": "NAME", "direction": "DESC"}],
    ),
    (
        "organisations",
        "kinds=REGIONAL_FORMAT&orderBy=founded",
        {"kinds": ["REGIONAL_FORMAT"]},
        [{"field": "FOUNDED"}],
    ),
    ("memberships", "organisation=csto&asOf=2025", {"organisation": "csto", "asOf": 2025}, None),
    (
        "agreements",
        "parties=TUR,TJK&orderBy=key:desc",
        {"parties": ["TUR", "TJK"]},
        [{"field": "KEY", "direction": "DESC"}],
    ),
    (
        "arms-transfers",
        "recipient=KGZ&categories=AIRCRAFT,MIXED&orderBy=supplier,designation:desc",
        {"recipient": "KGZ", "categories": ["AIRCRAFT", "MIXED"]},
        [{"field": "SUPPLIER"}, {"field": "DESIGNATION", "direction": "DESC"}],
    ),
    (
        "arms-transfers",
        "orderYear.gte=2020&orderYear.lte=2023",
        {"orderYear": {"gte": 2020, "lte": 2023}},
        None,
    ),
    ("companies", "countries=kaz", {"countries": ["kaz"]}, None),
    (
        "events",
        "states=UZB&years.gte=2025&orderBy=date:desc",
        {"states": ["UZB"], "years": {"gte": 2025}},
        [{"field": "DATE", "direction": "DESC"}],
    ),
    (
        "military-exercises",
        "series=unity&orderBy=key:desc",
        {"series": ["unity"]},
        [{"field": "KEY", "direction": "DESC"}],
    ),
    ("corridors", "modes=RAIL,SEA", {"modes": ["RAIL", "SEA"]}, None),
    (
        "people",
        "offices.asOf=2025&orderBy=nationality,name:desc",
        {"offices": {"asOf": 2025}},
        [{"field": "NATIONALITY"}, {"field": "NAME", "direction": "DESC"}],
    ),
    ("initiatives", "people=hakan-fidan", {"people": ["hakan-fidan"]}, None),
    (
        "economic-figures",
        "partners=UZB&value.gte=100&orderBy=value:desc",
        {"partners": ["UZB"], "value": {"gte": 100}},
        [{"field": "VALUE", "direction": "DESC"}],
    ),
]


async def _graphql_ids(
    client: httpx.AsyncClient, entity: str, filter: dict[str, Any], order_by: Any
) -> list[str]:
    field, filter_type, order_type = CONNECTIONS[entity]
    query = f"""query ($filter: {filter_type}, $orderBy: [{order_type}!]) {{
      {field}(first: 100, filter: $filter, orderBy: $orderBy) {{ edges {{ node {{ id }} }} }} }}"""
    data = await data_of(client, query, {"filter": filter, "orderBy": order_by})
    return [n["id"] for n in nodes(data[field])]


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(("entity", "params", "filter", "order_by"), CASES)
async def test_exports_match_the_connection(
    client: httpx.AsyncClient, entity: str, params: str, filter: Any, order_by: Any
) -> None:
    as_csv = await client.get(f"/export/{entity}.csv?{params}")
    as_ndjson = await client.get(f"/export/{entity}.ndjson?{params}")

    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_ndjson.headers["content-type"] == "application/x-ndjson"
    rows = _csv(as_csv.text)
    records = [json.loads(line) for line in as_ndjson.text.splitlines()]
    expected = await _graphql_ids(client, entity, filter, order_by)
    assert expected, "each case selects something"
    assert [r["id"] for r in rows] == expected
    assert [r["id"] for r in records] == expected
    header = as_csv.text.splitlines()[0].split(",")
    assert header == [c.name for c in EXPORTS[entity].columns]
    assert all(list(r) == header for r in records)


async def test_values_keep_their_types_and_unknowns_stay_empty(
    client: httpx.AsyncClient,
) -> None:
    as_csv = _csv((await client.get("/export/arms-transfers.csv?supplier=TUR&recipient=KAZ")).text)
    records = [
        json.loads(line)
        for line in (
            await client.get("/export/arms-transfers.ndjson?recipient=KAZ")
        ).text.splitlines()
    ]

    anka = next(r for r in records if r["key"] == "tur-kaz-anka-co-production")
    assert anka["order_year"] == 2022
    assert anka["number_ordered"] is None  # not reported, not zero
    assert anka["delivery_years"] == []
    assert anka["agreement"] == "anka-joint-production-memorandum-2022"
    assert anka["supplier"] == "TUR"
    csv_anka = next(r for r in as_csv if r["key"] == "tur-kaz-anka-co-production")
    assert csv_anka["order_year"] == "2022"
    assert csv_anka["number_ordered"] == ""


async def test_list_columns(client: httpx.AsyncClient) -> None:
    ots = json.loads((await client.get("/export/organisations.ndjson?acronyms=OTS")).text)
    shusha = _csv((await client.get("/export/agreements.csv?keys=shusha-declaration-2021")).text)
    tur = _csv((await client.get("/export/states.csv?codes=TUR")).text)

    assert ots["former_names"] == [
        "Cooperation Council of Turkic Speaking States",
        "Turkic Council",
    ]
    assert shusha[0]["parties"] == "AZE; TUR"
    assert tur[0]["aliases"] == "Turkey"


async def test_the_papers_records_export_their_ties_as_lists(client: httpx.AsyncClient) -> None:
    middle = json.loads((await client.get("/export/corridors.ndjson?keys=middle-corridor")).text)
    fidan = _csv((await client.get("/export/people.csv?keys=hakan-fidan")).text)
    unity = _csv((await client.get("/export/military-exercises.csv?keys=unity-2024")).text)
    meeting = json.loads(
        (await client.get("/export/events.ndjson?keys=central-asia-consultative-meeting-7")).text
    )
    putin = json.loads(
        (await client.get("/export/economic-figures.ndjson?people=vladimir-putin")).text
    )

    # Stops in route order (not sorted), actors with their roles.
    assert middle["stops"] == [
        "Kazakhstan",
        "Caspian Sea",
        "Azerbaijan",
        "Georgia",
        "Türkiye",
        "Black Sea",
        "Europe",
    ]
    assert "OTS (COORDINATOR)" in middle["actors"]
    assert middle["modes"] == ["SEA", "RAIL", "ROAD"]
    assert fidan[0]["offices"] == (
        "Foreign Minister (TUR, 2023); Deputy Undersecretary of the Prime Minister (TUR, 2010)"
    )
    assert unity[0]["participants"] == "AZE; KAZ; KGZ; TJK; UZB"
    assert (unity[0]["host_state"], unity[0]["format"]) == ("KAZ", "MULTINATIONAL")
    assert meeting["place_state"] == "UZB"
    assert "shavkat-mirziyoyev (SPEAKER)" in meeting["participants"]
    assert (putin["subject"], putin["subject_kind"], putin["qualifier"]) == (
        "vladimir-putin",
        "PERSON",
        "MORE_THAN",
    )
    assert putin["value"] == 50.0


async def test_limit_and_a_whole_table(client: httpx.AsyncClient) -> None:
    everything = _csv((await client.get("/export/states.csv")).text)
    three = _csv((await client.get("/export/states.csv?limit=3&orderBy=code:desc")).text)

    assert len(everything) == 250
    assert [r["code"] for r in three] == ["ZWE", "ZMB", "ZAF"]


@pytest.mark.parametrize(
    ("url", "status", "field", "message"),
    [
        ("/export/states.csv?population=3", 400, "population", "unknown parameter"),
        (
            "/export/arms-transfers.csv?orderYear.gte=2025&orderYear.lte=2020",
            400,
            "orderYear",
            "greater",
        ),
        ("/export/arms-transfers.csv?categories=LASERS", 400, "categories", "must be one of"),
        ("/export/arms-transfers.csv?supplier=Turkey", 400, "supplier", "three-letter"),
        ("/export/arms-transfers.csv?supplier=TUR&supplier=RUS", 400, "supplier", "2 times"),
        ("/export/arms-transfers.csv?orderYear.gte=soon", 400, "orderYear.gte", "integer"),
        (
            "/export/arms-transfers.csv?numberOrderedKnown=maybe",
            400,
            "numberOrderedKnown",
            "true or false",
        ),
        ("/export/arms-transfers.csv?orderBy=weight", 400, "orderBy", "cannot sort"),
        ("/export/arms-transfers.csv?orderBy=key:sideways", 400, "orderBy", "asc or desc"),
        ("/export/states.csv?limit=0", 400, "limit", "at least 1"),
        ("/export/economic-figures.csv?value.gte=lots", 400, "value.gte", "must be a number"),
        ("/export/economic-figures.csv?value.lte=inf", 400, "value.lte", "finite"),
        ("/export/people.csv?offices.asOf=soon", 400, "offices.asOf", "integer"),
        ("/export/events.csv?kinds=PICNIC", 400, "kinds", "must be one of"),
        ("/export/treaties.csv", 404, None, "no export"),
        ("/export/states.xlsx", 404, None, "no export"),
    ],
)
async def test_bad_requests_say_what_was_wrong(
    client: httpx.AsyncClient, url: str, status: int, field: str | None, message: str
) -> None:
    response = await client.get(url)

    assert response.status_code == status
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == ("NOT_FOUND" if status == 404 else "BAD_USER_INPUT")
    assert error["extensions"].get("field") == field
    assert message in error["message"]


def test_the_readme_documents_every_export_column() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")

    for entity, export in EXPORTS.items():
        for column in export.columns:
            assert f"| `{entity}` | `{column.name}` |" in readme, (entity, column.name)


async def test_rows_stream_in_chunks(client: httpx.AsyncClient) -> None:
    app = client.app  # type: ignore[attr-defined]
    bodies = (await get_streamed(app, "/export/states.ndjson")).pieces

    assert len(bodies) >= 2  # 250 rows leave in pieces of 200, not as one body
    assert sum(body.count(b"\n") for body in bodies) == 250
