"""Timelines: a state's or organisation's dated records of every kind, in order, by year range."""

import httpx

from tests.graphql import data_of

TIMELINE = """
query ($code: String!, $from: Int, $to: Int) {
  state(code: $code) {
    timeline(from: $from, to: $to) {
      date datePrecision year kind title
      item { __typename ... on Membership { role } ... on Agreement { key } ... on Event { key }
             ... on MilitaryExercise { key } ... on Initiative { key }
             ... on EconomicFigure { key } ... on OfficeHolding { office } }
    }
  }
}
"""
ORGANISATION_TIMELINE = """
query ($acronym: String!, $from: Int, $to: Int) {
  organisation(acronym: $acronym) {
    timeline(from: $from, to: $to) {
      date kind title item { __typename ... on Organisation { acronym } }
    }
  }
}
"""


async def test_uzbekistan_timeline_is_in_date_order_with_every_kind(
    client: httpx.AsyncClient,
) -> None:
    timeline = (await data_of(client, TIMELINE, {"code": "UZB"}))["state"]["timeline"]

    dates = [i["date"] for i in timeline]
    assert dates == sorted(dates)
    kinds = {i["kind"] for i in timeline}
    assert {
        "MEMBERSHIP_START",
        "MEMBERSHIP_END",
        "AGREEMENT",
        "EVENT",
        "MILITARY_EXERCISE",
        "INITIATIVE",
        "ECONOMIC_FIGURE",
        "OFFICE_HELD",
    } <= kinds
    csto = [i for i in timeline if i["date"] == "2012"]
    assert {(i["kind"], i["title"]) for i in csto} == {
        ("MEMBERSHIP_END", "Uzbekistan ceases to be member of CSTO"),
        ("MEMBERSHIP_START", "Uzbekistan becomes suspended member of CSTO"),
    }
    assert all(i["year"] == int(i["date"][:4]) for i in timeline)


async def test_timeline_year_range(client: httpx.AsyncClient) -> None:
    timeline = (await data_of(client, TIMELINE, {"code": "UZB", "from": 2017, "to": 2017}))[
        "state"
    ]["timeline"]

    assert [(i["kind"], i["title"], i["item"]["key"]) for i in timeline] == [
        ("ECONOMIC_FIGURE", "Enterprises with Turkish capital: 479", "tur-uzb-companies-2017"),
        (
            "ECONOMIC_FIGURE",
            "Joint ventures with Turkish capital: 199",
            "tur-uzb-joint-ventures-2017",
        ),
    ]


async def test_timeline_items_carry_date_precision(client: httpx.AsyncClient) -> None:
    timeline = (await data_of(client, TIMELINE, {"code": "TUR", "from": 2025}))["state"]["timeline"]

    defence = next(i for i in timeline if i["item"].get("key") == "ots-defence-industry-heads-2025")
    assert (defence["date"], defence["datePrecision"], defence["kind"]) == (
        "2025-07-23",
        "DAY",
        "EVENT",
    )
    assert all(i["year"] >= 2025 for i in timeline)


async def test_state_timeline_lists_offices_of_its_people(client: httpx.AsyncClient) -> None:
    timeline = (await data_of(client, TIMELINE, {"code": "TUR", "to": 2010}))["state"]["timeline"]

    offices = [(i["date"], i["title"]) for i in timeline if i["kind"] == "OFFICE_HELD"]
    assert offices == [("2010", "Hakan Fidan: Deputy Undersecretary of the Prime Minister")]


async def test_organisation_timeline_from_proposal_to_founding(
    client: httpx.AsyncClient,
) -> None:
    timeline = (await data_of(client, ORGANISATION_TIMELINE, {"acronym": "OTS"}))["organisation"][
        "timeline"
    ]

    assert (timeline[0]["date"], timeline[0]["title"]) == (
        "2006",
        "Proposal to create the Turkic Council",
    )
    assert timeline[1] == {
        "date": "2009",
        "kind": "FOUNDED",
        "title": "Founded",
        "item": {"__typename": "Organisation", "acronym": "OTS"},
    }
    titles = [i["title"] for i in timeline]
    assert "Hungary becomes observer of OTS" in titles
    assert "Eighth summit of the Turkic Council" in titles
    assert "Areas of cooperation: 30" not in titles  # undated figures stay out
    assert [i["date"] for i in timeline] == sorted(i["date"] for i in timeline)


async def test_an_undated_actor_has_an_empty_timeline(client: httpx.AsyncClient) -> None:
    timeline = (await data_of(client, TIMELINE, {"code": "ATA"}))["state"]["timeline"]

    assert timeline == []
