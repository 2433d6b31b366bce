"""The schema over the real COW IGO data beside the paper: members by year, one seat per
member, and every analysis over the new data.

The data set is imported once per back end into a template (after the fixtures), and each test
gets its own copy, as with the fixtures and SIPRI templates.
"""

import csv
import io
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.cow.importer import import_table
from api.db import create_session_factory, engine_scope
from api.settings import PROJECT_ROOT
from tests.conftest import StatementCounter, Templates, _database, _pg_admin, settings_for
from tests.graphql import data_of, nodes

COW_TABLE = PROJECT_ROOT / "fixtures" / "cow" / "igo_year_formatv3.csv.gz"
COW = "Correlates of War Intergovernmental Organizations data, version 3.0 (IGO-year table)"
COLUMNS = {"RUS": "russia"}  # COW's state columns, where they are not our names
PAPER = "Turkey’s role in Central Asia (policy paper, 2025)"


async def _import(url: str) -> None:
    async with engine_scope(settings_for(url)) as engine:
        await import_table(create_session_factory(engine), COW_TABLE)


@pytest.fixture(scope="session")
async def cow_template(templates: Templates) -> Templates:
    path = templates.sqlite_path("cow")
    shutil.copyfile(templates.sqlite_path("loaded"), path)
    await _import(f"sqlite+aiosqlite:///{path}")
    if templates.pg is not None:
        admin = await _pg_admin(templates.pg)
        await admin.execute('CREATE DATABASE "template_cow" TEMPLATE "template_loaded"')
        await admin.close()
        await _import(templates.pg.url("template_cow"))
    return templates


@pytest.fixture
async def database_url(backend: str, cow_template: Templates, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database with the fixtures and the COW data, for this test alone."""
    async for url in _database(backend, "cow", cow_template, tmp_path):
        yield url


MEMBERS = """query ($acronym: String!, $year: Int, $role: MembershipRole) {
  organisation(acronym: $acronym) { members(asOf: $year, role: $role) {
    role since until member { ... on State { code name } }
    sources { document locator quote } } } }"""


async def members(
    client: httpx.AsyncClient, acronym: str, year: int | None, role: str | None = "MEMBER"
) -> list[dict[str, Any]]:
    data = await data_of(client, MEMBERS, {"acronym": acronym, "year": year, "role": role})
    found: list[dict[str, Any]] = data["organisation"]["members"]
    return found


async def test_the_csto_in_2013_cites_cow(client: httpx.AsyncClient) -> None:
    found = await members(client, "CSTO", 2013)
    assert sorted(m["member"]["name"] for m in found) == [
        "Armenia",
        "Belarus",
        "Kazakhstan",
        "Kyrgyzstan",
        "Russian Federation",
        "Tajikistan",
    ]
    for member in found:
        column = COLUMNS.get(member["member"]["code"], member["member"]["name"].lower())
        cow = [s for s in member["sources"] if s["document"] == COW]
        assert cow == [
            {
                "document": COW,
                "locator": f"organisation 1125, {column}, 2002–2014",
                "quote": "status 1 (full member)",
            }
        ]
    # The seats the paper records too are one seat each, citing both.
    both = {
        m["member"]["code"] for m in found if {s["document"] for s in m["sources"]} == {COW, PAPER}
    }
    assert both == {"KAZ", "KGZ", "RUS"}


async def test_nato_in_2014_and_1960(client: httpx.AsyncClient) -> None:
    assert len(await members(client, "NATO", 2014)) == 28
    in_1960 = await members(client, "NATO", 1960)
    assert len(in_1960) == 15
    assert "DEU" in {m["member"]["code"] for m in in_1960}  # West Germany, from 1955


async def test_the_papers_facts_still_answer(client: httpx.AsyncClient) -> None:
    ots = await members(client, "OTS", 2025)
    assert sorted(m["member"]["code"] for m in ots) == ["AZE", "KAZ", "KGZ", "TUR", "UZB"]
    assert all(s["document"] == PAPER for m in ots for s in m["sources"])
    data = await data_of(
        client,
        """{ state(code: "UZB") {
          suspended: memberships(asOf: 2012, role: SUSPENDED) { since organisation { acronym } }
          csto: memberships(filter: { organisation: "CSTO" }) { role since until
            sources { document } } } }""",
    )
    assert data["state"]["suspended"] == [{"since": 2012, "organisation": {"acronym": "CSTO"}}]
    # COW's Uzbekistan period (2002-2012) is the paper's membership that ended in 2012.
    assert sorted(
        (m["role"], m["since"], m["until"], sorted(s["document"] for s in m["sources"]))
        for m in data["state"]["csto"]
    ) == [("MEMBER", 2002, 2012, [COW, PAPER]), ("SUSPENDED", 2012, None, [PAPER])]


async def test_history_stats_and_graph_work_over_cow(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{
          organisation(acronym: "NATO") {
            membershipHistory(years: { gte: 1982, lte: 1982 }) {
              kind year member { ... on State { code } } } }
          membershipStats(years: { gte: 1960, lte: 1960 }, filter: { organisation: "NATO" }) {
            rows { role year count } }
          state(code: "KAZ") { sharedOrganisations(with: "KGZ") { organisation { acronym } } }
          connections(from: "ARM", to: "TJK", kinds: [MEMBERSHIP]) { hops }
        }""",
    )
    assert data["organisation"]["membershipHistory"] == [
        {"kind": "JOINED", "year": 1982, "member": {"code": "ESP"}}
    ]
    assert {"role": "MEMBER", "year": 1960, "count": 15} in data["membershipStats"]["rows"]
    shared = {s["organisation"]["acronym"] for s in data["state"]["sharedOrganisations"]}
    assert {"CSTO", "CIS", "SCO", "ECO", "OTS", "UN"} <= shared
    assert data["connections"]["hops"] == 2  # both in the CSTO (and the UN …)
    network = await data_of(
        client,
        """{ network(center: "CSTO", depth: 1, kinds: [MEMBERSHIP]) {
          nodes { label } edges { kind } } }""",
    )
    labels = {n["label"] for n in network["network"]["nodes"]}
    assert {"Armenia", "Belarus", "Tajikistan", "Uzbekistan"} <= labels


async def test_the_export_counts_each_seat_once(client: httpx.AsyncClient) -> None:
    response = await client.get("/export/memberships.csv?organisation=CSTO&asOf=2013&role=MEMBER")
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 6


async def test_members_as_of_stays_batched_on_the_full_data(
    client: httpx.AsyncClient, count_statements: StatementCounter
) -> None:
    query = """{ organisations(first: 20, filter: { kinds: [INTERGOVERNMENTAL_ORGANISATION] }) {
      edges { node { acronym members(asOf: 1990) { role member { ... on State { code } }
        sources { locator } } } } } }"""
    with count_statements:
        data = await data_of(client, query)
    assert len(nodes(data["organisations"])) == 20
    # organisations, members, member states, sources (and a cost or count check or two)
    assert count_statements.count <= 6, count_statements.statements
