"""Global IDs: every type is a Node, and `node(id:)` resolves what `id` gave out."""

import base64

import httpx
import pytest

from tests.graphql import data_of

SAMPLES = """
{
  state(code: "TUR") { id }
  organisation(acronym: "OTS") { id members { id } }
  agreement(key: "shusha-declaration-2021") { id }
  armsTransfers(first: 1) { edges { node { id } } }
  companies(first: 1) { edges { node { id } } }
}
"""

NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename id
    ... on State { code }
    ... on Organisation { acronym }
    ... on Membership { role }
    ... on Agreement { key }
    ... on ArmsTransfer { key }
    ... on Company { key }
  }
}
"""


async def test_every_global_id_resolves_back_to_its_object(client: httpx.AsyncClient) -> None:
    sample = await data_of(client, SAMPLES)
    ids = {
        "State": sample["state"]["id"],
        "Organisation": sample["organisation"]["id"],
        "Membership": sample["organisation"]["members"][0]["id"],
        "Agreement": sample["agreement"]["id"],
        "ArmsTransfer": sample["armsTransfers"]["edges"][0]["node"]["id"],
        "Company": sample["companies"]["edges"][0]["node"]["id"],
    }

    for typename, global_id in ids.items():
        node = (await data_of(client, NODE, {"id": global_id}))["node"]
        assert (node["__typename"], node["id"]) == (typename, global_id)
    state = (await data_of(client, NODE, {"id": ids["State"]}))["node"]
    assert state["code"] == "TUR"


@pytest.mark.parametrize(
    "payload",
    # Beyond 32 bits, PostgreSQL refuses to compare the number with an id column: still null.
    ["State:999999", "State:abc", "Organisation:0", "State:99999999999", "Membership:-1"],
)
async def test_a_global_id_of_nothing_resolves_to_null(
    client: httpx.AsyncClient, payload: str
) -> None:
    global_id = base64.b64encode(payload.encode()).decode()

    assert (await data_of(client, NODE, {"id": global_id}))["node"] is None


PAPER_SAMPLES = """
{
  event(key: "ots-summit-2022-samarkand") { id }
  militaryExercise(key: "rubezh-2025") { id }
  corridor(key: "middle-corridor") { id }
  person(key: "hakan-fidan") { id offices { id } }
  initiative(key: "asia-anew") { id }
  economicFigures(first: 1) { edges { node { id } } }
}
"""

PAPER_NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Event { key }
    ... on MilitaryExercise { key }
    ... on Corridor { key }
    ... on Person { key }
    ... on OfficeHolding { office }
    ... on Initiative { key }
    ... on EconomicFigure { key }
  }
}
"""


async def test_global_ids_of_the_paper_entities_resolve_back(client: httpx.AsyncClient) -> None:
    sample = await data_of(client, PAPER_SAMPLES)
    ids = {
        "Event": (sample["event"]["id"], "ots-summit-2022-samarkand"),
        "MilitaryExercise": (sample["militaryExercise"]["id"], "rubezh-2025"),
        "Corridor": (sample["corridor"]["id"], "middle-corridor"),
        "Person": (sample["person"]["id"], "hakan-fidan"),
        "OfficeHolding": (sample["person"]["offices"][0]["id"], None),
        "Initiative": (sample["initiative"]["id"], "asia-anew"),
        "EconomicFigure": (sample["economicFigures"]["edges"][0]["node"]["id"], None),
    }

    for typename, (global_id, key) in ids.items():
        node = (await data_of(client, PAPER_NODE, {"id": global_id}))["node"]
        assert (node["__typename"], node["id"]) == (typename, global_id)
        if key is not None:
            assert node["key"] == key
