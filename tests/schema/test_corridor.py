"""Corridors: aliases, ordered stops, modes, status, actors, links both ways, filters."""

from typing import Any

import httpx
import pytest

from tests.graphql import data_of, nodes

CORRIDOR = """
query ($key: String!) {
  corridor(key: $key) {
    name aliases kind modes status
    stops { position kind name state { code } }
    actors { role actor { __typename ... on State { code } ... on Organisation { acronym } } }
    links { kind status note corridor { key } }
    events(first: 10) { totalCount edges { node { key } } }
    sources { quote locator }
  }
}
"""


async def corridor(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    found: dict[str, Any] = (await data_of(client, CORRIDOR, {"key": key}))["corridor"]
    return found


async def test_middle_corridor_runs_from_kazakhstan_to_europe(client: httpx.AsyncClient) -> None:
    middle = await corridor(client, "middle-corridor")

    assert middle["aliases"] == ["Trans-Caspian International Transport Route"]
    assert middle["modes"] == ["SEA", "RAIL", "ROAD"]
    assert [s["name"] for s in middle["stops"]] == [
        "Kazakhstan",
        "Caspian Sea",
        "Azerbaijan",
        "Georgia",
        "Türkiye",
        "Black Sea",
        "Europe",
    ]
    assert [s["kind"] for s in middle["stops"]][:2] == ["STATE", "SEA"]
    assert middle["stops"][1]["state"] is None


async def test_middle_corridor_coordinators_stakeholders_and_links(
    client: httpx.AsyncClient,
) -> None:
    middle = await corridor(client, "middle-corridor")

    actors = {
        (a["role"], a["actor"].get("code") or a["actor"]["acronym"]) for a in middle["actors"]
    }
    assert {("STAKEHOLDER", "KAZ"), ("STAKEHOLDER", "AZE"), ("STAKEHOLDER", "GEO")} <= actors
    assert ("COORDINATOR", "Eurasian Transport Route International Association") in actors
    assert ("SUPPORTER", "EU") in actors
    links = {(link["corridor"]["key"], link["kind"], link["status"]) for link in middle["links"]}
    assert ("china-kyrgyzstan-uzbekistan-railway", "CONNECTION", "PLANNED") in links
    assert ("trans-afghan-corridor", "CONNECTION", "PLANNED") in links
    assert ("northern-route-via-russia", "ALTERNATIVE", None) in links
    events = {n["key"] for n in nodes(middle["events"])}
    assert {"eu-luxembourg-meeting-2025-10-20", "aze-tur-uzb-trilateral-2025-01"} <= events


async def test_north_south_corridor_was_initiated_by_russia_iran_and_india(
    client: httpx.AsyncClient,
) -> None:
    nstc = await corridor(client, "international-north-south-transport-corridor")

    assert [(a["role"], a["actor"]["code"]) for a in nstc["actors"]] == [
        ("INITIATOR", "RUS"),
        ("INITIATOR", "IRN"),
        ("INITIATOR", "IND"),
    ]


async def test_railway_is_under_construction_and_links_back(client: httpx.AsyncClient) -> None:
    railway = await corridor(client, "china-kyrgyzstan-uzbekistan-railway")

    assert (railway["kind"], railway["status"]) == ("RAILWAY", "UNDER_CONSTRUCTION")
    assert [s["state"]["code"] for s in railway["stops"]] == ["CHN", "KGZ", "UZB"]
    assert railway["links"][0]["corridor"] == {"key": "middle-corridor"}


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"state": "GEO"}, {"middle-corridor"}),
        ({"state": "uzb"}, {"china-kyrgyzstan-uzbekistan-railway"}),
        ({"organisation": "ots"}, {"middle-corridor"}),
        ({"status": "PLANNED"}, {"trans-afghan-corridor"}),
        ({"kind": "ROUTE"}, {"northern-route-via-russia", "maritime-route"}),
    ],
)
async def test_corridors_filter(
    client: httpx.AsyncClient, filter_: dict[str, object], expected: set[str]
) -> None:
    data = await data_of(
        client,
        """query ($filter: CorridorFilter) {
             corridors(filter: $filter) { totalCount edges { node { key } } } }""",
        {"filter": filter_},
    )

    assert {n["key"] for n in nodes(data["corridors"])} == expected
    assert data["corridors"]["totalCount"] == len(expected)


async def test_a_state_lists_the_corridors_through_it(client: httpx.AsyncClient) -> None:
    data = await data_of(client, '{ state(code: "TUR") { corridors { key } } }')

    assert data["state"]["corridors"] == [{"key": "middle-corridor"}]
