"""connections and network: the graph of actors and the records that tie them."""

import base64
from typing import Any

import httpx
import pytest

from tests.graphql import data_of, errors_of

ACTOR = """... on State { code } ... on Organisation { acronym } ... on Company { key }
  ... on Person { key } ... on NonStateActor { key }"""

CONNECTIONS = f"""
query ($from: String!, $to: String!, $maxHops: Int, $kinds: [TieKind!], $first: Int) {{
  connections(from: $from, to: $to, maxHops: $maxHops, kinds: $kinds, first: $first) {{
    from {{ {ACTOR} }} to {{ {ACTOR} }} hops truncated
    paths {{ hops {{
      from {{ {ACTOR} }} to {{ {ACTOR} }}
      ties {{ kind record {{ id ... on Membership {{ role }} ... on ArmsTransfer {{ key }}
        ... on Agreement {{ key }} ... on Event {{ key }} ... on MilitaryExercise {{ key }}
        ... on Initiative {{ key }} ... on Corridor {{ key }} ... on OfficeHolding {{ office }}
        ... on Person {{ key }} }} sources {{ quote }} }}
    }} }}
  }}
}}
"""

NETWORK = """
query ($center: String!, $depth: Int, $kinds: [TieKind!], $maxNodes: Int) {
  network(center: $center, depth: $depth, kinds: $kinds, maxNodes: $maxNodes) {
    truncated
    nodes { id kind label depth actor { __typename } }
    edges { source target kind record }
  }
}
"""


def _name(actor: dict[str, Any]) -> str:
    return str(next(iter(actor.values())))


def _chains(result: dict[str, Any]) -> list[list[str]]:
    return [
        [_name(path["hops"][0]["from"])] + [_name(h["to"]) for h in path["hops"]]
        for path in result["paths"]
    ]


async def _connections(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    data = await data_of(client, CONNECTIONS, variables)
    result: dict[str, Any] = data["connections"]
    return result


async def test_a_chain_through_an_organisation_and_a_home_state(
    client: httpx.AsyncClient,
) -> None:
    result = await _connections(client, **{"from": "HUN", "to": "kazakhstan-engineering"})

    assert result["hops"] == 3
    assert _chains(result) == [["HUN", "OTS", "KAZ", "kazakhstan-engineering"]]
    hops = result["paths"][0]["hops"]
    # Kazakhstan sits in the OTS, took part in its defence-industry meeting and lies on the
    # Middle Corridor the OTS backs: three records tie that step.
    assert [[t["kind"] for t in h["ties"]] for h in hops] == [
        ["MEMBERSHIP"],
        ["MEMBERSHIP", "EVENT", "CORRIDOR"],
        ["BASED_IN"],
    ]
    assert [t["record"].get("key") for t in hops[1]["ties"]] == [
        None,
        "ots-defence-industry-heads-2025",
        "middle-corridor",
    ]
    assert hops[0]["ties"][0]["record"]["role"] == "OBSERVER"
    assert "Hungary (2018)" in hops[0]["ties"][0]["sources"][0]["quote"]


async def test_a_direct_hop_lists_every_record_that_ties_it(client: httpx.AsyncClient) -> None:
    result = await _connections(client, **{"from": "kgz", "to": "TUR"})

    assert result["hops"] == 1
    [[hop]] = [path["hops"] for path in result["paths"]]
    assert sorted(t["record"]["key"] for t in hop["ties"]) == [
        # meetings both attended
        "eu-luxembourg-meeting-2025-10-20",
        "eurasian-transport-route-association-founding-2024",
        "ots-defence-industry-heads-2025",
        # the four drone deals
        "tur-kgz-akinci",
        "tur-kgz-aksungur",
        "tur-kgz-anka",
        "tur-kgz-bayraktar-tb2",
    ]
    assert [t["kind"] for t in hop["ties"]] == ["ARMS_TRANSFER"] * 4 + ["EVENT"] * 3
    assert all(t["sources"] for t in hop["ties"])


async def test_people_exercises_and_events_tie_actors(client: httpx.AsyncClient) -> None:
    tatar = await _connections(client, **{"from": "ersin-tatar", "to": "UZB"})
    drills = await _connections(
        client, **{"from": "KGZ", "to": "TJK", "kinds": ["MILITARY_EXERCISE"]}
    )
    fidan = await _connections(client, **{"from": "hakan-fidan", "to": "TUR"})

    # Tatar attended the OTS summits in Istanbul, Kyrgyzstan and Azerbaijan, but not the one
    # in Samarkand (the paper says he stayed away), so he is not tied to Uzbekistan directly.
    assert _chains(tatar) == [["ersin-tatar", "OTS", "UZB"]]
    first_step = tatar["paths"][0]["hops"][0]["ties"]
    assert [t["record"]["key"] for t in first_step] == [
        "ots-summit-2021-istanbul",
        "ots-summit-kyrgyzstan",
        "ots-informal-summit-2024-azerbaijan",
    ]
    # Kyrgyzstan and Tajikistan drilled together in Unity 2024 and 2025.
    [[step]] = [path["hops"] for path in drills["paths"]]
    assert [t["record"]["key"] for t in step["ties"]] == ["unity-2024", "unity-2025"]
    # A person is tied to a state by initiatives they share, offices held there, nationality.
    [[fidan_step]] = [path["hops"] for path in fidan["paths"]]
    kinds = [t["kind"] for t in fidan_step["ties"]]
    assert kinds == ["INITIATIVE", "INITIATIVE", "OFFICE", "OFFICE", "NATIONALITY"]
    assert {t["record"].get("office") for t in fidan_step["ties"][2:4]} == {
        "Foreign Minister",
        "Deputy Undersecretary of the Prime Minister",
    }


async def test_kinds_limit_the_ties_and_all_shortest_chains_come(
    client: httpx.AsyncClient,
) -> None:
    result = await _connections(client, **{"from": "KGZ", "to": "TUR", "kinds": ["MEMBERSHIP"]})

    assert result["hops"] == 2
    assert _chains(result) == [
        ["KGZ", "OTS", "TUR"],
        ["KGZ", "Eurasian Transport Route International Association", "TUR"],
    ]
    assert result["truncated"] is False


async def test_first_caps_the_chains(client: httpx.AsyncClient) -> None:
    result = await _connections(
        client, **{"from": "KGZ", "to": "TUR", "kinds": ["MEMBERSHIP"], "first": 1}
    )

    assert _chains(result) == [["KGZ", "OTS", "TUR"]]
    assert result["truncated"] is True


async def test_actors_by_global_id_and_out_of_reach(client: httpx.AsyncClient) -> None:
    japan = await data_of(client, '{ state(code: "JPN") { id } }')
    result = await _connections(
        client, **{"from": japan["state"]["id"], "to": "NATO", "maxHops": 1}
    )
    farther = await _connections(client, **{"from": "JPN", "to": "NATO", "maxHops": 4})

    assert result["from"] == {"code": "JPN"}
    assert result["hops"] is None
    assert result["paths"] == []
    # Japan meets Central Asia in C5+Japan; a Central Asian state meets Turkey (in the OTS,
    # in arms deals …); Turkey is NATO's one member in the record.
    assert farther["hops"] == 4
    chains = _chains(farther)
    assert chains[0] == ["JPN", "C5+Japan", "KAZ", "TUR", "NATO"]
    assert all(c[:2] == ["JPN", "C5+Japan"] and c[-2:] == ["TUR", "NATO"] for c in chains)


async def test_an_actor_is_zero_steps_from_itself(client: httpx.AsyncClient) -> None:
    result = await _connections(client, **{"from": "OTS", "to": "ots"})

    assert result["hops"] == 0
    assert result["paths"] == [{"hops": []}]


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"from": "Atlantis", "to": "TUR"}, "NOT_FOUND", "from"),
        ({"from": "TUR", "to": base64.b64encode(b"State:99999").decode()}, "NOT_FOUND", "to"),
        # Beyond any 32-bit id: PostgreSQL would refuse to compare it with the column.
        (
            {"from": base64.b64encode(b"State:99999999999").decode(), "to": "TUR"},
            "NOT_FOUND",
            "from",
        ),
        ({"from": "TUR", "to": "KGZ", "maxHops": 5}, "BAD_USER_INPUT", "maxHops"),
        ({"from": "TUR", "to": "KGZ", "first": 51}, "BAD_USER_INPUT", "first"),
    ],
)
async def test_bad_connection_arguments(
    client: httpx.AsyncClient, variables: dict[str, Any], code: str, field: str
) -> None:
    errors = await errors_of(client, CONNECTIONS, variables)

    assert errors[0]["extensions"] == {"code": code, "field": field}


async def test_a_network_around_northern_cyprus(client: httpx.AsyncClient) -> None:
    data = await data_of(client, NETWORK, {"center": "XNC", "depth": 2})

    network = data["network"]
    by_id = {n["id"]: n for n in network["nodes"]}
    assert network["truncated"] is False
    assert [(n["label"], n["depth"]) for n in network["nodes"][:2]] == [
        ("Northern Cyprus", 0),
        ("OTS", 1),
    ]
    assert {n["label"] for n in network["nodes"] if n["depth"] == 2} >= {
        "Türkiye",
        "Hungary",
        "ECO",
        "OTS+",
    }
    assert all(e["source"] in by_id and e["target"] in by_id for e in network["edges"])
    labels = {(by_id[e["source"]]["label"], by_id[e["target"]]["label"]) for e in network["edges"]}
    # Ties among the outer ring are there too: Turkey and Azerbaijan signed at Shusha.
    assert {("Türkiye", "Azerbaijan"), ("Azerbaijan", "Türkiye")} & labels
    assert ("Northern Cyprus", "OTS") in labels
    assert len(
        {(e["kind"], e["record"], e["source"], e["target"]) for e in network["edges"]}
    ) == len(network["edges"])


async def test_a_network_is_capped(client: httpx.AsyncClient) -> None:
    data = await data_of(client, NETWORK, {"center": "TUR", "depth": 2, "maxNodes": 5})

    network = data["network"]
    assert network["truncated"] is True
    assert len(network["nodes"]) == 5
    ids = {n["id"] for n in network["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in network["edges"])


async def test_walks_cost_statements_by_depth_not_by_width(
    client: httpx.AsyncClient, count_statements: Any
) -> None:
    with count_statements:
        await data_of(client, NETWORK, {"center": "KAZ", "depth": 3, "maxNodes": 1000})
    # centre look-up (≤ 5), 3 levels and the closing one × 11 tie kinds, actors (≤ 5 kinds)
    assert count_statements.count <= 5 + 4 * 11 + 5, count_statements.statements

    with count_statements:
        await _connections(client, **{"from": "JPN", "to": "NATO", "maxHops": 4})
    # two look-ups (≤ 5 each), ≤ 4 levels × 11 kinds, actors (≤ 5 kinds), records and their
    # sources (≤ 11 kinds each)
    assert count_statements.count <= 10 + 4 * 11 + 5 + 11 + 11, count_statements.statements
