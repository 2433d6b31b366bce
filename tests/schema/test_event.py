"""Events: dates with precision, places, organisers, participants of every kind, outcomes."""

from typing import Any

import httpx
import pytest

from tests.graphql import data_of, errors_of, nodes

EVENT = """
query ($key: String!) {
  event(key: $key) {
    key title kind number date datePrecision year city
    placeState { code }
    organisation { acronym }
    parent { key }
    sideEvents { key }
    participants {
      role note
      participant { __typename ... on State { code } ... on Organisation { acronym }
                    ... on Person { key name } }
    }
    outcomes {
      kind
      record { __typename ... on Agreement { key } ... on Membership { role member { __typename } }
               ... on Organisation { acronym } ... on Initiative { key } }
    }
    corridors { key }
    sources { quote locator }
  }
}
"""

EVENTS = """
query ($filter: EventFilter, $first: Int) {
  events(first: $first, filter: $filter) { totalCount edges { node { key date } } }
}
"""


async def event(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    found: dict[str, Any] = (await data_of(client, EVENT, {"key": key}))["event"]
    return found


async def test_samarkand_summit_gave_northern_cyprus_observer_status(
    client: httpx.AsyncClient,
) -> None:
    summit = await event(client, "ots-summit-2022-samarkand")

    assert (summit["date"], summit["datePrecision"], summit["year"]) == ("2022-11", "MONTH", 2022)
    assert (summit["city"], summit["placeState"], summit["organisation"]) == (
        "Samarkand",
        {"code": "UZB"},
        {"acronym": "OTS"},
    )
    assert summit["outcomes"] == [
        {
            "kind": "ADMISSION",
            "record": {
                "__typename": "Membership",
                "role": "OBSERVER",
                "member": {"__typename": "State"},
            },
        }
    ]
    [tatar] = summit["participants"]
    assert tatar["role"] == "ABSENT"
    assert tatar["participant"] == {
        "__typename": "Person",
        "key": "ersin-tatar",
        "name": "Ersin Tatar",
    }
    assert all(s["quote"] and s["locator"].startswith("¶10 ") for s in summit["sources"])


async def test_seventh_consultative_meeting_outcomes(client: httpx.AsyncClient) -> None:
    meeting = await event(client, "central-asia-consultative-meeting-7")

    assert (meeting["number"], meeting["date"], meeting["datePrecision"]) == (
        7,
        "2025-11-16",
        "DAY",
    )
    outcomes = {(o["kind"], o["record"]["__typename"]) for o in meeting["outcomes"]}
    assert outcomes == {
        ("ADMISSION", "Membership"),
        ("PROPOSAL", "Initiative"),
        ("ADOPTION", "Agreement"),
    }
    assert {"key": "community-of-central-asia", "__typename": "Initiative"} in [
        o["record"] for o in meeting["outcomes"]
    ]
    states = {p["participant"].get("code") for p in meeting["participants"]}
    assert {"KAZ", "KGZ", "TJK", "TKM", "UZB", "AZE"} <= states


async def test_defence_industry_meeting_was_held_on_the_sidelines_of_the_fair(
    client: httpx.AsyncClient,
) -> None:
    meeting = await event(client, "ots-defence-industry-heads-2025")
    fair = await event(client, "idef-17-2025")

    assert meeting["parent"] == {"key": "idef-17-2025"}
    assert fair["sideEvents"] == [{"key": "ots-defence-industry-heads-2025"}]
    assert fair["number"] == 17
    roles = {(p["participant"]["code"], p["role"]) for p in meeting["participants"]}
    assert roles == {
        ("TUR", "HOST"),
        ("AZE", "ATTENDEE"),
        ("KAZ", "ATTENDEE"),
        ("KGZ", "ATTENDEE"),
        ("UZB", "ATTENDEE"),
    }


async def test_people_host_events(client: httpx.AsyncClient) -> None:
    shoigu = await event(client, "cis-security-council-secretaries-2025")
    conference = await event(client, "international-environmental-conference-2025")

    assert shoigu["participants"][0]["participant"]["key"] == "sergey-shoigu"
    assert shoigu["participants"][0]["role"] == "HOST"
    assert (shoigu["date"], shoigu["city"], shoigu["organisation"]) == (
        "2025-11-05",
        "Moscow",
        {"acronym": "CIS"},
    )
    host = conference["participants"][0]
    assert (host["role"], host["participant"]["key"]) == ("HOST", "mikhail-mishustin")
    assert len(conference["participants"]) == 8


async def test_luxembourg_meeting_had_the_middle_corridor_on_its_agenda(
    client: httpx.AsyncClient,
) -> None:
    meeting = await event(client, "eu-luxembourg-meeting-2025-10-20")

    assert meeting["corridors"] == [{"key": "middle-corridor"}]
    assert meeting["participants"][0] == {
        "role": "HOST",
        "note": None,
        "participant": {"__typename": "Organisation", "acronym": "EU"},
    }
    assert len(meeting["participants"]) == 11


async def test_october_2025_summit_founded_ots_plus_and_carried_two_proposals(
    client: httpx.AsyncClient,
) -> None:
    summit = await event(client, "ots-summit-2025-10")

    records = [o["record"] for o in summit["outcomes"]]
    assert {"__typename": "Organisation", "acronym": "OTS+"} in records
    assert {"__typename": "Initiative", "key": "ots-joint-military-exercises-proposal"} in records
    assert {"__typename": "Agreement", "key": "ots-declaration-2025-10"} in records


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        (
            {"state": "tkm"},
            {"aze-tkm-uzb-leaders-2025-08", "international-environmental-conference-2025"},
        ),
        ({"person": "ersin-tatar", "year": 2022}, {"ots-summit-2022-samarkand"}),
        ({"organisation": "cis"}, {"cis-security-council-secretaries-2025"}),
        ({"kind": "FAIR"}, {"idef-17-2025"}),
        ({"kind": "WAR", "year": 2022}, {"russia-war-in-ukraine"}),
    ],
)
async def test_events_filter(
    client: httpx.AsyncClient, filter_: dict[str, object], expected: set[str]
) -> None:
    data = await data_of(client, EVENTS, {"filter": filter_, "first": 100})

    keys = {n["key"] for n in nodes(data["events"])}
    assert expected <= keys
    assert data["events"]["totalCount"] == len(keys)
    if "year" in filter_ or "kind" in filter_ and filter_["kind"] == "FAIR":
        assert keys == expected


async def test_events_are_in_date_order_undated_last(client: httpx.AsyncClient) -> None:
    data = await data_of(client, EVENTS, {"first": 100})

    dates = [n["date"] for n in nodes(data["events"])]
    dated = [d for d in dates if d]
    assert dated == sorted(dated)
    assert dates[len(dated) :] == [None] * (len(dates) - len(dated))
    assert data["events"]["totalCount"] == len(dates) == 21


async def test_events_filter_rejects_a_malformed_state_code(client: httpx.AsyncClient) -> None:
    [error] = await errors_of(client, EVENTS, {"filter": {"state": "Turkey"}})

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.state"}


async def test_agreement_and_membership_know_the_event_that_produced_them(
    client: httpx.AsyncClient,
) -> None:
    data = await data_of(
        client,
        """{ agreement(key: "ots-e-permit-mou-2024") { events { key } }
             organisation(acronym: "OTS") { members(role: OBSERVER) {
               member { ... on State { code } ... on Organisation { acronym } }
               events { key } } } }""",
    )

    assert data["agreement"]["events"] == [{"key": "ots-informal-summit-2024-azerbaijan"}]
    by_member = {
        m["member"].get("code") or m["member"]["acronym"]: m["events"]
        for m in data["organisation"]["members"]
    }
    assert by_member["XNC"] == [{"key": "ots-summit-2022-samarkand"}]
    assert by_member["HUN"] == []


async def test_state_and_organisation_events_connections(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{ state(code: "UZB") { events(first: 3) { totalCount edges { node { key } } } }
             organisation(acronym: "OTS") {
               events(first: 50) { totalCount edges { node { key } } } } }""",
    )

    assert data["state"]["events"]["totalCount"] >= 9
    assert len(data["state"]["events"]["edges"]) == 3
    ots = {n["key"] for n in nodes(data["organisation"]["events"])}
    assert {"ots-summit-2021-istanbul", "ots-informal-summit-2024-azerbaijan"} <= ots
    assert data["organisation"]["events"]["totalCount"] == len(ots)
