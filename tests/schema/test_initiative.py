"""Initiatives: who proposed or adopted them, when, how far they got, the formats they realise."""

from typing import Any

import httpx
import pytest

from tests.graphql import data_of, nodes

INITIATIVE = """
query ($key: String!) {
  initiative(key: $key) {
    title kind status date datePrecision year
    actors { role actor { __typename ... on State { code } ... on Organisation { acronym }
                          ... on Person { key } } }
    events { key }
    sources { quote }
  }
}
"""


async def initiative(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    found: dict[str, Any] = (await data_of(client, INITIATIVE, {"key": key}))["initiative"]
    return found


def actors(record: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (a["role"], a["actor"].get("code") or a["actor"].get("acronym") or a["actor"]["key"])
        for a in record["actors"]
    }


async def test_permanent_council_was_proposed_by_mirziyoyev_at_the_october_summit(
    client: httpx.AsyncClient,
) -> None:
    council = await initiative(client, "permanent-council-turkic-states-economic-partnership")

    assert (council["kind"], council["status"], council["date"]) == (
        "PROPOSAL",
        "PROPOSED",
        "2025-10",
    )
    assert ("PROPOSER", "shavkat-mirziyoyev") in actors(council)
    assert ("SUBJECT", "OTS") in actors(council)
    assert council["events"] == [{"key": "ots-summit-2025-10"}]


async def test_master_plan_2053_was_published_by_the_ministry_in_2022(
    client: httpx.AsyncClient,
) -> None:
    plan = await initiative(client, "transport-logistics-master-plan-2053")

    assert (plan["status"], plan["year"], plan["datePrecision"]) == ("PUBLISHED", 2022, "YEAR")
    assert actors(plan) == {("PUBLISHER", "Turkish Ministry of Transport and Infrastructure")}


async def test_c5_plus_one_formats_point_at_the_existing_format_organisations(
    client: httpx.AsyncClient,
) -> None:
    formats = await initiative(client, "c5-plus-one-formats")

    realised = {name for role, name in actors(formats) if role == "REALISED_BY"}
    assert len(realised) == 9
    assert {"C5+Japan", "C5+South Korea", "C5+EU"} <= realised
    data = await data_of(
        client,
        """{ organisation(acronym: "C5+Japan") { founded initiatives { key } } }""",
    )
    assert data["organisation"] == {
        "founded": 2004,
        "initiatives": [{"key": "c5-plus-one-formats"}],
    }


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"person": "ilham-aliyev"}, {"ots-joint-military-exercises-proposal"}),
        ({"state": "RUS"}, {"altai-homeland-of-the-turks", "greater-altai-project"}),
        ({"organisation": "EU"}, {"eu-black-sea-strategic-approach"}),
        (
            {"kind": "PROPOSAL", "year": 2025},
            {
                "permanent-council-turkic-states-economic-partnership",
                "ots-joint-military-exercises-proposal",
                "community-of-central-asia",
            },
        ),
        ({"status": "LAUNCHED", "state": "TUR"}, {"asia-anew"}),
    ],
)
async def test_initiatives_filter(
    client: httpx.AsyncClient, filter_: dict[str, object], expected: set[str]
) -> None:
    data = await data_of(
        client,
        """query ($filter: InitiativeFilter) {
             initiatives(first: 50, filter: $filter) { totalCount edges { node { key } } } }""",
        {"filter": filter_},
    )

    assert {n["key"] for n in nodes(data["initiatives"])} == expected
    assert data["initiatives"]["totalCount"] == len(expected)
