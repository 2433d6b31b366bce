"""Agreements: parties of every kind, dates with their precision, filtering by party."""

import httpx
import pytest

from tests.graphql import data_of, errors_of, nodes

AGREEMENTS = """
query ($party: String) {
  agreements(first: 100, filter: {party: $party}) {
    totalCount
    edges { node {
      key title kind date datePrecision year place status
      parties { __typename ... on State { code } ... on Organisation { acronym }
                ... on Company { name country { code } } }
      partyRoles { role party { __typename } }
      sources { quote locator }
    } }
  }
}
"""


def titles(data: dict[str, dict[str, object]]) -> set[str]:
    return {n["title"] for n in nodes(data["agreements"])}


async def test_shusha_declaration_binds_turkey_and_azerbaijan(client: httpx.AsyncClient) -> None:
    data = await data_of(client, AGREEMENTS, {"party": "aze"})
    shusha = next(n for n in nodes(data["agreements"]) if n["title"] == "Shusha Declaration")

    assert shusha["kind"] == "DECLARATION"
    assert (shusha["date"], shusha["datePrecision"], shusha["year"]) == ("2021", "YEAR", 2021)
    assert {p["code"] for p in shusha["parties"]} == {"TUR", "AZE"}
    assert any("Shusha Declaration" in s["quote"] for s in shusha["sources"])


@pytest.mark.parametrize("party", ["Turkish Aerospace", "turkish aerospace", "turkish-aerospace"])
async def test_companies_are_parties_to_the_anka_memorandum(
    client: httpx.AsyncClient, party: str
) -> None:
    data = await data_of(client, AGREEMENTS, {"party": party})

    [anka] = nodes(data["agreements"])
    assert (anka["date"], anka["datePrecision"]) == ("2022-05", "MONTH")
    assert {(p["__typename"], p["name"], p["country"]["code"]) for p in anka["parties"]} == {
        ("Company", "Kazakhstan Engineering", "KAZ"),
        ("Company", "Turkish Aerospace", "TUR"),
    }
    assert {r["party"]["__typename"] for r in anka["partyRoles"]} == {"Company"}


async def test_party_filter_takes_an_organisation_acronym(client: httpx.AsyncClient) -> None:
    data = await data_of(client, AGREEMENTS, {"party": "OTS"})

    kinds = {n["kind"] for n in nodes(data["agreements"])}
    assert "MEMORANDUM" in kinds  # the e-Permit memorandum of July 2024
    assert all(
        any(p.get("acronym") == "OTS" for p in n["parties"]) for n in nodes(data["agreements"])
    )


async def test_agreements_are_ordered_by_date(client: httpx.AsyncClient) -> None:
    data = await data_of(client, AGREEMENTS, {"party": None})

    dates = [n["date"] for n in nodes(data["agreements"]) if n["date"]]
    assert dates == sorted(dates)
    assert data["agreements"]["totalCount"] == len(nodes(data["agreements"]))


async def test_unknown_party_matches_nothing(client: httpx.AsyncClient) -> None:
    data = await data_of(client, AGREEMENTS, {"party": "Atlantis"})

    assert data["agreements"] == {"totalCount": 0, "edges": []}


async def test_agreement_by_key_lists_its_arms_transfers(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{ agreement(key: "tur-tjk-financial-aid-protocol-2023") {
              kind armsTransfers { status financing { amount currency } recipient { code } } } }""",
    )

    assert data["agreement"]["kind"] == "PROTOCOL"
    assert data["agreement"]["armsTransfers"] == [
        {
            "status": "FUNDED",
            "financing": {"amount": 1500000.0, "currency": "USD"},
            "recipient": {"code": "TJK"},
        }
    ]


async def test_unknown_agreement_is_null(client: httpx.AsyncClient) -> None:
    assert (await data_of(client, '{ agreement(key: "nope") { title } }'))["agreement"] is None


async def test_party_filter_must_be_a_string(client: httpx.AsyncClient) -> None:
    errors = await errors_of(client, "{ agreements(filter: {party: 42}) { totalCount } }")

    assert "non string value: 42" in errors[0]["message"]
    assert errors[0]["locations"] == [{"line": 1, "column": 30}]
