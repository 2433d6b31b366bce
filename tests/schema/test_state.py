"""State look-up, its memberships in time, its arms trade and its evidence."""

import httpx
import pytest

from tests.graphql import data_of, errors_of, nodes

STATE = """
query ($code: String!) {
  state(code: $code) {
    code name aliases region recognitionNote
    sources { document quote locator url }
  }
}
"""

MEMBERSHIPS = """
query ($code: String!, $asOf: Int, $role: MembershipRole) {
  state(code: $code) {
    memberships(asOf: $asOf, role: $role) {
      role since sinceDate until untilDate
      organisation { acronym }
    }
  }
}
"""

ARMS = """
query ($code: String!) {
  state(code: $code) {
    armsImports(first: 20) { totalCount edges { node { weaponDesignation supplier { code } } } }
    armsExports(first: 50) { totalCount edges { node { recipient { code } } } }
  }
}
"""


@pytest.mark.parametrize("code", ["TUR", "tur", " Tur "])
async def test_state_code_is_case_insensitive(client: httpx.AsyncClient, code: str) -> None:
    data = await data_of(client, STATE, {"code": code})

    assert data["state"]["code"] == "TUR"
    assert "Turkey" in data["state"]["aliases"]


async def test_unknown_state_is_null(client: httpx.AsyncClient) -> None:
    data = await data_of(client, STATE, {"code": "QQQ"})

    assert data["state"] is None


async def test_every_state_of_iso_3166_is_there_with_its_region(client: httpx.AsyncClient) -> None:
    data = await data_of(client, "{ states(first: 1) { totalCount } }")
    kaz = (await data_of(client, STATE, {"code": "KAZ"}))["state"]

    # 249 ISO 3166-1 countries plus Northern Cyprus.
    assert data["states"]["totalCount"] == 250
    assert kaz["region"] == "Central Asia"
    assert [s["locator"] for s in kaz["sources"]][:2] == ["KAZ", "KAZ"]


async def test_northern_cyprus_has_a_user_assigned_code_and_a_recognition_note(
    client: httpx.AsyncClient,
) -> None:
    state = (await data_of(client, STATE, {"code": "XNC"}))["state"]

    assert state["name"] == "Northern Cyprus"
    assert "Turkey" in state["recognitionNote"]
    assert any("recognised only by Turkey" in (s["quote"] or "") for s in state["sources"])


async def test_uzbekistan_csto_membership_changes_to_suspended_in_2012(
    client: httpx.AsyncClient,
) -> None:
    async def csto_roles(as_of: int) -> list[str]:
        data = await data_of(client, MEMBERSHIPS, {"code": "UZB", "asOf": as_of})
        return [
            m["role"]
            for m in data["state"]["memberships"]
            if m["organisation"]["acronym"] == "CSTO"
        ]

    assert await csto_roles(2012) == ["SUSPENDED"]
    assert await csto_roles(2025) == ["SUSPENDED"]


async def test_memberships_filter_by_role(client: httpx.AsyncClient) -> None:
    data = await data_of(client, MEMBERSHIPS, {"code": "HUN", "role": "OBSERVER"})

    assert [(m["organisation"]["acronym"], m["since"]) for m in data["state"]["memberships"]] == [
        ("OTS", 2018)
    ]


async def test_kyrgyzstan_imports_every_turkish_drone_type(client: httpx.AsyncClient) -> None:
    data = await data_of(client, ARMS, {"code": "KGZ"})

    from_turkey = {
        n["weaponDesignation"]
        for n in nodes(data["state"]["armsImports"])
        if n["supplier"]["code"] == "TUR"
    }
    assert {"Bayraktar TB2", "Aksungur", "Akıncı", "ANKA"} <= from_turkey


async def test_turkey_exports_reach_central_asia(client: httpx.AsyncClient) -> None:
    data = await data_of(client, ARMS, {"code": "TUR"})

    recipients = {n["recipient"]["code"] for n in nodes(data["state"]["armsExports"])}
    assert {"KGZ", "KAZ", "TJK", "TKM", "UZB"} <= recipients
    assert data["state"]["armsExports"]["totalCount"] == len(nodes(data["state"]["armsExports"]))


async def test_membership_role_must_be_a_known_role(client: httpx.AsyncClient) -> None:
    errors = await errors_of(
        client, '{ state(code: "TUR") { memberships(role: CHAIR) { since } } }'
    )

    assert "CHAIR" in errors[0]["message"]
