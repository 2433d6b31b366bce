"""Filters: typed inputs on every connection, AND-combined, checked, the same on nested ones."""

from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.conftest import statements_of
from tests.graphql import data_of, errors_of, nodes

TRANSFERS = """
query ($filter: ArmsTransferFilter) {
  armsTransfers(first: 100, filter: $filter) {
    totalCount
    edges { node { key weaponCategory status orderYear numberOrdered
      supplier { code } recipient { code } } }
  }
}
"""

STATES = """
query ($filter: StateFilter) {
  states(first: 100, filter: $filter) { totalCount edges { node { code } } }
}
"""

ORGANISATIONS = """
query ($filter: OrganisationFilter) {
  organisations(first: 100, filter: $filter) { totalCount edges { node { acronym } } }
}
"""

AGREEMENTS = """
query ($filter: AgreementFilter) {
  agreements(first: 100, filter: $filter) { totalCount edges { node { key } } }
}
"""

MEMBERSHIPS = """
query ($filter: MembershipFilter) {
  memberships(first: 100, filter: $filter) {
    totalCount
    edges { node { role since organisation { acronym }
      member { ... on State { code } ... on Organisation { acronym } } } }
  }
}
"""

COMPANIES = """
query ($filter: CompanyFilter) {
  companies(first: 100, filter: $filter) { totalCount edges { node { key } } }
}
"""


async def _transfers(client: httpx.AsyncClient, filter: dict[str, Any]) -> list[dict[str, Any]]:
    data = await data_of(client, TRANSFERS, {"filter": filter})
    found = nodes(data["armsTransfers"])
    assert data["armsTransfers"]["totalCount"] == len(found)
    return found


async def _keys(client: httpx.AsyncClient, query: str, filter: dict[str, Any]) -> list[str]:
    data = await data_of(client, query, {"filter": filter})
    connection = next(iter(data.values()))
    found = nodes(connection)
    assert connection["totalCount"] == len(found)
    return [next(iter(n.values())) for n in found]


async def test_transfer_filters_each_narrow_as_their_field_says(
    client: httpx.AsyncClient,
) -> None:
    everything = await _transfers(client, {})

    russian = await _transfers(client, {"suppliers": ["rus"]})
    assert {t["key"] for t in russian} == {
        t["key"] for t in everything if t["supplier"]["code"] == "RUS"
    }
    two = await _transfers(client, {"recipients": ["KGZ", "tjk", "KGZ"]})
    assert {t["recipient"]["code"] for t in two} == {"KGZ", "TJK"}
    ships = await _transfers(client, {"categories": ["SHIPS", "ARTILLERY"]})
    assert sorted(t["key"] for t in ships) == [
        "rus-tkm-multiple-rocket-launchers",
        "tur-tkm-patrol-vessels",
    ]
    talks = await _transfers(client, {"statuses": ["UNDER_DISCUSSION"]})
    assert {t["status"] for t in talks} == {"UNDER_DISCUSSION"}
    assert len(talks) == 5
    dated = await _transfers(client, {"orderYear": {"gte": 2020, "lte": 2023}})
    assert [t["key"] for t in dated] == ["tur-kaz-anka-co-production"]
    assert await _transfers(client, {"orderYear": {"lte": 2021}}) == []
    unknown = await _transfers(client, {"numberOrderedKnown": False})
    assert len(unknown) == len(everything)  # the paper reports no order quantity
    assert await _transfers(client, {"numberOrderedKnown": True}) == []
    memorandum = await _transfers(client, {"agreement": "anka-joint-production-memorandum-2022"})
    assert [t["key"] for t in memorandum] == ["tur-kaz-anka-co-production"]


async def test_transfer_filters_combine_with_and(client: httpx.AsyncClient) -> None:
    found = await _transfers(
        client,
        {"supplier": "TUR", "recipients": ["TKM", "KAZ"], "categories": ["AIRCRAFT"]},
    )

    assert sorted(t["key"] for t in found) == [
        "tur-kaz-anka-co-production",
        "tur-kaz-drones",
        "tur-tkm-drones",
    ]


async def test_text_contains_ignores_case_and_takes_wildcards_literally(
    client: httpx.AsyncClient,
) -> None:
    drones = await _transfers(client, {"textContains": "bayraktar"})
    akinci = await _transfers(client, {"textContains": "AKINCI"})
    wildcard = await _transfers(client, {"textContains": "%"})
    underscore = await _transfers(client, {"textContains": "tb_"})

    # The comments of all four Kyrgyz drone deals name the Bayraktar TB2.
    assert sorted(t["recipient"]["code"] for t in drones) == ["KGZ"] * 4
    assert akinci == []  # the designation is spelled Akıncı; no accent folding here (search does)
    assert wildcard == []
    assert underscore == []


async def test_state_filters(client: httpx.AsyncClient) -> None:
    central_asia = await _keys(client, STATES, {"region": "central asia"})
    assert central_asia == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert await _keys(client, STATES, {"regions": ["Central Asia", "Western Asia"]}) >= [
        "ARE",
        "ARM",
    ]
    assert await _keys(client, STATES, {"textContains": "turkey"}) == ["TUR"]
    assert await _keys(client, STATES, {"codeAssignments": ["USER_ASSIGNED"]}) == ["XNC"]
    ots_2025 = await _keys(
        client, STATES, {"memberships": {"organisation": "OTS", "role": "MEMBER", "asOf": 2025}}
    )
    assert ots_2025 == ["AZE", "KAZ", "KGZ", "TUR", "UZB"]
    observers_in_asia = await _keys(
        client,
        STATES,
        {"continent": "asia", "memberships": {"organisation": "OTS", "roles": ["OBSERVER"]}},
    )
    assert observers_in_asia == ["TKM", "XNC"]


async def test_organisation_filters(client: httpx.AsyncClient) -> None:
    turkey_sits_in = await _keys(
        client, ORGANISATIONS, {"members": {"member": "TUR", "asOf": 2025}}
    )
    assert turkey_sits_in == [
        "Azerbaijan–Turkey–Uzbekistan trilateral",
        "EU",
        "Eurasian Transport Route International Association",
        "NATO",
        "OTS",
    ]
    assert await _keys(client, ORGANISATIONS, {"parent": "un"}) == ["UNGA", "UNSC"]
    alliances = await _keys(client, ORGANISATIONS, {"kinds": ["MILITARY_ALLIANCE"]})
    assert alliances == ["CSTO", "NATO"]
    assert await _keys(client, ORGANISATIONS, {"founded": {"gte": 2024}}) == [
        "Eurasian Transport Route International Association",
        "OTS Alliance of Logistics Centres and Cargo Carriers",
        "OTS+",
        "Russian directorate for strategic partnership",
    ]
    assert await _keys(client, ORGANISATIONS, {"headquartersState": "kaz"}) == ["Turkic Academy"]
    assert "TURKPA" in await _keys(client, ORGANISATIONS, {"textContains": "parliamentary"})


async def test_agreement_filters(client: httpx.AsyncClient) -> None:
    between = await _keys(client, AGREEMENTS, {"parties": ["TUR", "aze"]})
    assert between == ["shusha-declaration-2021"]
    concepts = await _keys(client, AGREEMENTS, {"kinds": ["CONCEPT"], "year": {"gte": 2025}})
    assert concepts == ["ca-regional-security-concept-2025"]
    assert await _keys(client, AGREEMENTS, {"textContains": "tashkent"}) == [
        "ca-regional-security-concept-2025",
        "ca-security-risks-catalogue-2026-2028",
    ]
    assert await _keys(client, AGREEMENTS, {"statuses": ["TERMINATED"]}) == []


async def test_membership_filters(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        MEMBERSHIPS,
        {"filter": {"organisations": ["ots", "CSTO"], "since": {"gte": 2012, "lte": 2021}}},
    )
    found = [
        (n["organisation"]["acronym"], n["member"]["code"], n["role"])
        for n in nodes(data["memberships"])
    ]
    assert found == [
        ("CSTO", "UZB", "SUSPENDED"),
        ("OTS", "HUN", "OBSERVER"),
        ("OTS", "TKM", "OBSERVER"),
    ]

    partners = await data_of(
        client, MEMBERSHIPS, {"filter": {"roles": ["PARTNER"], "memberRegion": "Eastern Asia"}}
    )
    assert sorted(n["member"]["code"] for n in nodes(partners["memberships"])) == [
        "CHN",
        "JPN",
        "KOR",
    ]
    alliances = await data_of(
        client, MEMBERSHIPS, {"filter": {"organisationKinds": ["MILITARY_ALLIANCE"], "asOf": 2025}}
    )
    assert sorted(n["member"]["code"] for n in nodes(alliances["memberships"])) == [
        "KAZ",
        "KGZ",
        "RUS",
        "TUR",
        "UZB",
    ]
    by_member = await data_of(client, MEMBERSHIPS, {"filter": {"members": ["eco", "XNC"]}})
    assert sorted(
        n["member"].get("code") or n["member"]["acronym"] for n in nodes(by_member["memberships"])
    ) == ["ECO", "XNC"]


async def test_company_filters(client: httpx.AsyncClient) -> None:
    assert await _keys(client, COMPANIES, {"countries": ["TUR"]}) == ["turkish-aerospace"]
    assert await _keys(client, COMPANIES, {"textContains": "ANKA"}) == [
        "kazakhstan-engineering",
        "turkish-aerospace",
    ]


NESTED = """
query ($filter: ArmsTransferFilter, $agreements: AgreementFilter, $seats: MembershipFilter) {
  states(first: 10, filter: {codes: ["KAZ", "KGZ", "TKM", "TUR"]}) { edges { node {
    code
    armsImports(first: 50, filter: $filter) { totalCount edges { node { key } } }
    agreements(first: 50, filter: $agreements) { totalCount }
    memberships(filter: $seats) { organisation { acronym } }
  } } }
}
"""


async def test_nested_connections_take_the_same_filters(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        NESTED,
        {
            "filter": {"supplier": "RUS", "categories": ["ARMOURED_VEHICLES", "MIXED"]},
            "agreements": {"kinds": ["DECLARATION"]},
            "seats": {"organisationKinds": ["MILITARY_ALLIANCE"]},
        },
    )

    by_code = {n["code"]: n for n in nodes(data["states"])}
    assert {c: n["armsImports"]["totalCount"] for c, n in by_code.items()} == {
        "KAZ": 1,
        "KGZ": 1,
        "TKM": 2,
        "TUR": 0,
    }
    assert sorted(e["node"]["key"] for e in by_code["TKM"]["armsImports"]["edges"]) == [
        "rus-tkm-infantry-fighting-vehicles",
        "rus-tkm-tanks",
    ]
    assert by_code["KAZ"]["agreements"]["totalCount"] == 1  # the EU–Central Asia declaration
    assert by_code["TUR"]["agreements"]["totalCount"] == 1  # the Shusha Declaration
    assert {
        c: [m["organisation"]["acronym"] for m in n["memberships"]] for c, n in by_code.items()
    } == {
        "KAZ": ["CSTO"],
        "KGZ": ["CSTO"],
        "TKM": [],
        "TUR": ["NATO"],
    }


@pytest.mark.parametrize(("compiled_reads", "statements"), [(False, 5), (True, 1)])
async def test_nested_filters_cost_one_statement_per_level(
    settings: Settings, compiled_reads: bool, statements: int
) -> None:
    """The resolvers (the reference) read once per level: states, armsImports, agreements,
    memberships, organisation. The compiled path reads it all at once."""
    variables = {"filter": {"suppliers": ["RUS", "TUR"]}, "agreements": None, "seats": None}
    sent = await statements_of(settings, NESTED, variables, compiled_reads=compiled_reads)

    assert len(sent) == statements, sent


@pytest.mark.parametrize(
    ("query", "filter", "field", "message"),
    [
        (TRANSFERS, {"orderYear": {"gte": 2024, "lte": 2020}}, "filter.orderYear", "greater"),
        (TRANSFERS, {"suppliers": ["TUR", "Turkey"]}, "filter.suppliers[1]", "Turkey"),
        (TRANSFERS, {"suppliers": ["TUR"] * 101}, "filter.suppliers", "at most 100"),
        (TRANSFERS, {"textContains": "  "}, "filter.textContains", "empty"),
        (TRANSFERS, {"textContains": "x" * 201}, "filter.textContains", "200"),
        (STATES, {"memberships": {"member": "x" * 300}}, "filter.memberships.member", "200"),
        (AGREEMENTS, {"year": {"gte": 2000, "lte": 1999}}, "filter.year", "greater"),
    ],
)
async def test_bad_filter_values_name_the_field(
    client: httpx.AsyncClient, query: str, filter: dict[str, Any], field: str, message: str
) -> None:
    errors = await errors_of(client, query, {"filter": filter})

    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert message in errors[0]["message"]


async def test_an_unknown_enum_value_in_a_variable_is_bad_input(
    client: httpx.AsyncClient,
) -> None:
    errors = await errors_of(client, TRANSFERS, {"filter": {"categories": ["LASERS"]}})

    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "'LASERS' does not exist in 'WeaponCategory'" in errors[0]["message"]


async def test_an_unknown_enum_value_in_the_query_fails_validation(
    client: httpx.AsyncClient,
) -> None:
    errors = await errors_of(
        client, "{ armsTransfers(filter: {categories: [LASERS]}) { totalCount } }"
    )

    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "LASERS" in errors[0]["message"]
