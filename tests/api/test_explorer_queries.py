"""The explorer's own GraphQL operations, read from the script the browser runs: they are valid,
answer on the paper's data, and stay within one statement budget from the smallest actor to
the largest."""

import re
from typing import Any

import httpx

from api.pages import STATIC
from api.settings import Settings
from tests.conftest import StatementCounter
from tests.graphql import client_for, data_of

OPERATIONS = dict(
    re.findall(
        r"const (SEARCH|NETWORK|ACTOR|RECORD) = `(.*?)`;", (STATIC / "explore.js").read_text(), re.S
    )
)
# The actor panels: the state, its memberships, their organisations, its suppliers and their
# states, and the timeline's records (agreements, events, exercises, initiatives, figures,
# offices, and the people holding those): one statement each at most, however many rows.
ACTOR_BUDGET = 12
ACTOR_KINDS = ["STATE", "ORGANISATION", "PERSON", "COMPANY", "NON_STATE_ACTOR"]


async def _run(client: httpx.AsyncClient, name: str, **variables: Any) -> dict[str, Any]:
    return await data_of(client, OPERATIONS[name], variables)


async def _centre(client: httpx.AsyncClient, code: str) -> dict[str, Any]:
    network = (await _run(client, "NETWORK", center=code, depth=1))["network"]
    centre: dict[str, Any] = network["nodes"][0]
    assert centre["depth"] == 0
    return centre


async def test_search_finds_actors_only(client: httpx.AsyncClient) -> None:
    hits = (await _run(client, "SEARCH", text="kyrgyz", kinds=ACTOR_KINDS))["search"]["edges"]

    assert hits[0]["node"]["title"] == "Kyrgyzstan"
    assert {hit["node"]["kind"] for hit in hits} <= set(ACTOR_KINDS)
    assert all(hit["node"]["item"]["id"] for hit in hits)


async def test_actor_panels_cost_the_same_for_a_small_actor_as_for_the_largest(
    client: httpx.AsyncClient, count_statements: StatementCounter
) -> None:
    counts = {}
    answers = {}
    for code in ("HUN", "UZB"):
        centre = await _centre(client, code)
        with count_statements:
            answers[code] = (await _run(client, "ACTOR", id=centre["id"]))["node"]
        counts[code] = count_statements.count

    assert len(answers["UZB"]["timeline"]) > 3 * len(answers["HUN"]["timeline"])
    assert len(answers["UZB"]["memberships"]) > len(answers["HUN"]["memberships"])
    assert max(counts.values()) <= ACTOR_BUDGET


async def test_every_kind_of_record_a_panel_links_to_opens_with_its_quotes(
    settings: Settings,
) -> None:
    # Clicking through every record is more than the rate limit lets one client do at once.
    async with client_for(settings, rate_limit_enabled=False) as client:
        await _open_every_record(client)


async def _open_every_record(client: httpx.AsyncClient) -> None:
    centre = await _centre(client, "UZB")
    actor = (await _run(client, "ACTOR", id=centre["id"]))["node"]
    network = (await _run(client, "NETWORK", center="UZB", depth=1))["network"]
    linked = [item["item"]["id"] for item in actor["timeline"]]
    linked += [seat["id"] for seat in actor["memberships"]]
    linked += [edge["record"] for edge in network["edges"]]

    kinds = set()
    for record_id in dict.fromkeys(linked):
        record = (await _run(client, "RECORD", id=record_id))["node"]
        kinds.add(record["__typename"])
        assert record["sources"], record_id
        assert any(source["quote"] or source["document"] for source in record["sources"])

    assert {"Membership", "Agreement", "Event"} <= kinds
