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


@pytest.mark.parametrize("payload", ["State:999999", "State:abc", "Organisation:0"])
async def test_a_global_id_of_nothing_resolves_to_null(
    client: httpx.AsyncClient, payload: str
) -> None:
    global_id = base64.b64encode(payload.encode()).decode()

    assert (await data_of(client, NODE, {"id": global_id}))["node"] is None
