"""People: offices with the dates the paper gives, the events they attended, their proposals."""

from typing import Any

import httpx
import pytest

from tests.graphql import data_of, nodes

PERSON = """
query ($key: String!) {
  person(key: $key) {
    name aliases description nationality { code }
    offices { office since sinceDate until untilDate attestedYear
              state { code } organisation { acronym } person { key } sources { quote } }
    events(first: 20) { totalCount edges { node { key } } }
    initiatives { key }
    economicFigures { key value qualifier }
    sources { quote locator }
  }
}
"""


async def person(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    found: dict[str, Any] = (await data_of(client, PERSON, {"key": key}))["person"]
    return found


async def test_hakan_fidan_offices_in_2010_and_2023(client: httpx.AsyncClient) -> None:
    fidan = await person(client, "hakan-fidan")

    offices = [(o["office"], o["attestedYear"], o["state"]["code"]) for o in fidan["offices"]]
    assert offices == [
        ("Deputy Undersecretary of the Prime Minister", 2010, "TUR"),
        ("Foreign Minister", 2023, "TUR"),
    ]
    assert all(o["sources"] and o["person"] == {"key": "hakan-fidan"} for o in fidan["offices"])
    assert {i["key"] for i in fidan["initiatives"]} == {
        "wave-four-zone-approach",
        "further-institutionalization-of-foreign-relations",
    }


async def test_mirziyoyev_attended_events_and_made_proposals(client: httpx.AsyncClient) -> None:
    mirziyoyev = await person(client, "shavkat-mirziyoyev")

    events = {n["key"] for n in nodes(mirziyoyev["events"])}
    assert events == {
        "mirziyoyev-unga-speech-2025",
        "ots-summit-2025-10",
        "central-asia-consultative-meeting-7",
    }
    assert {i["key"] for i in mirziyoyev["initiatives"]} >= {
        "permanent-council-turkic-states-economic-partnership",
        "community-of-central-asia",
    }


async def test_tatar_attended_some_ots_summits_and_not_others(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{ events(first: 50, filter: {person: "ersin-tatar"}) { edges { node {
              key participants { role participant { ... on Person { key } } } } } } }""",
    )

    roles = {
        n["key"]: next(p["role"] for p in n["participants"] if p["participant"])
        for n in nodes(data["events"])
    }
    assert roles["ots-summit-2021-istanbul"] == "ATTENDEE"
    assert roles["ots-summit-2022-samarkand"] == "ABSENT"
    assert roles["ots-summit-kazakhstan"] == "ABSENT"
    assert roles["ots-summit-kyrgyzstan"] == "ATTENDEE"


async def test_kozak_office_ended_in_2025_and_gaspirali_has_an_alias(
    client: httpx.AsyncClient,
) -> None:
    kozak = await person(client, "dmitry-kozak")
    gaspirali = await person(client, "ismail-gaspirali")

    [office] = kozak["offices"]
    assert (office["until"], office["untilDate"], office["since"]) == (2025, "2025", None)
    assert office["organisation"] == {"acronym": "Russian presidential administration"}
    assert gaspirali["aliases"] == ["Gasprinskiy"]
    assert (gaspirali["nationality"], gaspirali["offices"]) == (None, [])


async def test_putin_held_more_than_fifty_meetings_in_2022(client: httpx.AsyncClient) -> None:
    putin = await person(client, "vladimir-putin")

    assert putin["economicFigures"] == [
        {"key": "putin-central-asia-meetings-2022", "value": 50.0, "qualifier": "MORE_THAN"}
    ]


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        (
            {"state": "RUS"},
            {"Mikhail Mishustin", "Sergey Shoigu", "Vladimir Putin", "Dmitry Kozak"},
        ),
        ({"organisation": "Russian presidential administration"}, {"Dmitry Kozak"}),
        ({"state": "xnc"}, {"Ersin Tatar"}),
    ],
)
async def test_people_filter(
    client: httpx.AsyncClient, filter_: dict[str, object], expected: set[str]
) -> None:
    data = await data_of(
        client,
        """query ($filter: PersonFilter) {
             people(first: 50, filter: $filter) { totalCount edges { node { name } } } }""",
        {"filter": filter_},
    )

    assert {n["name"] for n in nodes(data["people"])} == expected


async def test_a_state_lists_its_people_and_office_holders(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{ state(code: "TUR") { people { key } officeHolders { office person { key } } }
             people(first: 1) { totalCount } }""",
    )

    assert data["state"]["people"] == [{"key": "hakan-fidan"}]
    assert [o["person"]["key"] for o in data["state"]["officeHolders"]] == ["hakan-fidan"] * 2
    assert data["people"]["totalCount"] == 12
