"""The paper's analyses: supplier diversification (HHI) and organisations two states share."""

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from api.app import create_app
from api.db import create_session_factory, engine_scope
from api.fixtures import load_fixtures
from api.settings import Settings
from tests.conftest import FIXTURES, settings_for
from tests.graphql import data_of, errors_of

DIVERSIFICATION = """
fragment D on ArmsSupplierDiversification {
  recipient { code } deals hhiByDeals hhiByUnits topSupplierTied
  dealsWithUnknownUnits dealsWithUnknownSupplier
  topSupplier { supplier { code } }
  suppliers { supplier { code } deals dealShare units unitShare dealsWithUnknownUnits }
}
query ($recipients: [String!], $orderYear: IntRange, $filter: ArmsTransferFilter) {
  armsSupplierDiversification(recipients: $recipients, orderYear: $orderYear, filter: $filter) {
    ...D
  }
}
"""

NESTED = """
query ($codes: [String!], $orderYear: IntRange, $filter: ArmsTransferFilter) {
  states(filter: {codes: $codes}) { edges { node { code
    armsSupplierDiversification(orderYear: $orderYear, filter: $filter) {
      deals hhiByDeals topSupplier { supplier { code } }
    }
  } } }
}
"""

SHARED = """
query ($code: String!, $with: String!, $asOf: Int) {
  state(code: $code) {
    sharedOrganisations(with: $with, asOf: $asOf) {
      organisation { acronym } roles otherRoles
      memberships { role since } otherMemberships { role since sources { quote } }
    }
  }
}
"""

BEYOND_TALK = ["ORDERED", "SUPPLIED", "DELIVERED", "CO_PRODUCTION_PLANNED", "FUNDED"]


def _by_code(result: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["recipient"]["code"]: d for d in result}


async def test_kyrgyzstan_is_four_fifths_turkish(client: httpx.AsyncClient) -> None:
    data = await data_of(client, DIVERSIFICATION, {"recipients": ["kgz"]})

    [kgz] = data["armsSupplierDiversification"]
    assert kgz["deals"] == 5
    assert kgz["topSupplier"] == {"supplier": {"code": "TUR"}}
    assert kgz["topSupplierTied"] is False
    assert [(s["supplier"]["code"], s["deals"], s["dealShare"]) for s in kgz["suppliers"]] == [
        ("TUR", 4, 0.8),
        ("RUS", 1, 0.2),
    ]
    assert kgz["hhiByDeals"] == 6800.0  # 80² + 20²
    # The paper reports no quantities: no unit shares rather than zero ones.
    assert kgz["hhiByUnits"] is None
    assert kgz["dealsWithUnknownUnits"] == 5
    assert all(s["units"] is None and s["unitShare"] is None for s in kgz["suppliers"])


async def test_every_recipient_with_a_filter(client: httpx.AsyncClient) -> None:
    data = await data_of(client, DIVERSIFICATION, {"filter": {"statuses": BEYOND_TALK}})

    found = _by_code(data["armsSupplierDiversification"])
    assert list(found) == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert {c: d["hhiByDeals"] for c, d in found.items()} == {
        "KAZ": 5000.0,
        "KGZ": 6800.0,
        "TJK": 5000.0,
        "TKM": 5102.04,  # Russia 4, Turkey 3: Turkey is not the top seller by deals here
        "UZB": 10000.0,
    }
    assert found["KAZ"]["topSupplierTied"] is True
    assert found["TKM"]["topSupplier"] == {"supplier": {"code": "RUS"}}


async def test_an_order_year_range_narrows_the_deals(client: httpx.AsyncClient) -> None:
    data = await data_of(client, DIVERSIFICATION, {"orderYear": {"gte": 2022, "lte": 2022}})

    [kaz] = data["armsSupplierDiversification"]
    assert kaz["recipient"] == {"code": "KAZ"}
    assert kaz["deals"] == 1
    assert kaz["hhiByDeals"] == 10000.0


async def test_the_nested_field_agrees_and_batches(
    client: httpx.AsyncClient, count_statements: Any
) -> None:
    variables = {"codes": ["KAZ", "KGZ", "TJK", "TKM", "UZB", "TUR"], "filter": None}
    with count_statements:
        data = await data_of(client, NESTED, variables)

    # states, the grouped counts for all of them, the top suppliers
    assert count_statements.count == 3, count_statements.statements
    nested = {
        e["node"]["code"]: e["node"]["armsSupplierDiversification"] for e in data["states"]["edges"]
    }
    root = _by_code((await data_of(client, DIVERSIFICATION, {}))["armsSupplierDiversification"])
    assert nested["TUR"] == {"deals": 0, "hhiByDeals": None, "topSupplier": None}
    for code, found in root.items():
        assert nested[code]["hhiByDeals"] == found["hhiByDeals"]
        assert nested[code]["deals"] == found["deals"]


EXTRA = {
    "arms_transfers": [
        {
            "key": f"test-{supplier.lower()}-kaz-{i}",
            "supplier": supplier,
            "recipient": "KAZ",
            "weapon_category": "ARMOURED_VEHICLES",
            "status": "DELIVERED",
            "order_year": 2024,
            "number_ordered": number,
            "sources": [{"document": "paper", "quote": "armoured vehicles"}],
        }
        for i, (supplier, number) in enumerate(
            [("TUR", 30), ("TUR", 10), ("CHN", 10), ("RUS", None)]
        )
    ]
}


async def test_unit_shares_where_numbers_are_reported(
    database_url: str, settings: Settings, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(yaml.safe_dump(EXTRA), encoding="utf-8")
    async with engine_scope(settings_for(database_url)) as engine:
        await load_fixtures(create_session_factory(engine), [FIXTURES, extra])
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
        data = await data_of(
            client, DIVERSIFICATION, {"recipients": ["KAZ"], "orderYear": {"gte": 2024}}
        )
    await app.state.engine.dispose()

    [kaz] = data["armsSupplierDiversification"]
    shares = {s["supplier"]["code"]: s for s in kaz["suppliers"]}
    assert kaz["deals"] == 4
    assert (shares["TUR"]["units"], shares["TUR"]["unitShare"]) == (40, 0.8)
    assert (shares["CHN"]["units"], shares["CHN"]["unitShare"]) == (10, 0.2)
    assert (shares["RUS"]["units"], shares["RUS"]["unitShare"]) == (None, 0.0)
    assert shares["RUS"]["dealsWithUnknownUnits"] == 1
    assert kaz["dealsWithUnknownUnits"] == 1
    assert kaz["hhiByUnits"] == 6800.0  # 80² + 20², over the 50 reported units
    assert kaz["hhiByDeals"] == 3750.0  # 50² + 25² + 25²


async def test_shared_organisations_with_roles_on_each_side(client: httpx.AsyncClient) -> None:
    data = await data_of(client, SHARED, {"code": "HUN", "with": "tur"})

    [ots] = data["state"]["sharedOrganisations"]
    assert ots["organisation"] == {"acronym": "OTS"}
    assert ots["roles"] == ["OBSERVER"]
    assert ots["otherRoles"] == ["MEMBER"]
    assert ots["memberships"] == [{"role": "OBSERVER", "since": 2018}]
    assert ots["otherMemberships"][0]["sources"][0]["quote"]


async def test_shared_organisations_as_of_a_year(client: httpx.AsyncClient) -> None:
    ever = await data_of(client, SHARED, {"code": "UZB", "with": "KAZ"})
    in_2011 = await data_of(client, SHARED, {"code": "UZB", "with": "KAZ", "asOf": 2011})

    shared = {
        s["organisation"]["acronym"]: (s["roles"], s["otherRoles"])
        for s in ever["state"]["sharedOrganisations"]
    }
    assert shared["CSTO"] == (["MEMBER", "SUSPENDED"], ["MEMBER"])
    assert shared["C5+Japan"] == (["MEMBER"], ["MEMBER"])
    assert len(shared) == 12
    # In 2011 only the formats with reported start dates count: C5+Japan (2004), +Korea (2007).
    assert [s["organisation"]["acronym"] for s in in_2011["state"]["sharedOrganisations"]] == [
        "C5+Japan",
        "C5+South Korea",
    ]


async def test_shared_organisations_of_many_states_batch(
    client: httpx.AsyncClient, count_statements: Any
) -> None:
    query = """{ states(first: 100, filter: {region: "Central Asia"}) { edges { node {
      sharedOrganisations(with: "TUR", asOf: 2025) { organisation { acronym } memberships { role } }
    } } } }"""

    with count_statements:
        data = await data_of(client, query)

    assert count_statements.count == 3, count_statements.statements
    assert sum(len(e["node"]["sharedOrganisations"]) for e in data["states"]["edges"]) > 5


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        (SHARED, {"code": "UZB", "with": "Turkey"}, "with"),
        (DIVERSIFICATION, {"recipients": ["KGZ", "Kyrgyzstan"]}, "recipients[1]"),
        (DIVERSIFICATION, {"orderYear": {"gte": 2025, "lte": 2020}}, "orderYear"),
    ],
)
async def test_bad_analysis_arguments(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], field: str
) -> None:
    errors = await errors_of(client, query, variables)

    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
