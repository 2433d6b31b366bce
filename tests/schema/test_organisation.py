"""Organisations: look-up, history, members in time, seats they hold, their agreements."""

import httpx
import pytest

from tests.graphql import data_of, nodes

ORGANISATION = """
query ($acronym: String!, $asOf: Int, $role: MembershipRole) {
  organisation(acronym: $acronym) {
    acronym name kind founded headquarters
    headquartersState { code }
    parent { acronym }
    formerNames { name from until sources { quote } }
    members(asOf: $asOf, role: $role) {
      role since sinceDate until
      member { __typename ... on State { code } ... on Organisation { acronym } }
    }
    sources { quote locator }
  }
}
"""


def members(data: dict[str, object]) -> set[tuple[str, str]]:
    organisation = data["organisation"]
    assert isinstance(organisation, dict)
    return {
        (m["role"], m["member"].get("code") or m["member"]["acronym"])
        for m in organisation["members"]
    }


@pytest.mark.parametrize("acronym", ["OTS", "ots", "Ots"])
async def test_organisation_acronym_is_case_insensitive(
    client: httpx.AsyncClient, acronym: str
) -> None:
    data = await data_of(client, ORGANISATION, {"acronym": acronym})

    assert data["organisation"]["name"] == "Organization of Turkic States"


async def test_unknown_organisation_is_null(client: httpx.AsyncClient) -> None:
    assert (await data_of(client, ORGANISATION, {"acronym": "NOPE"}))["organisation"] is None


async def test_ots_history_names_the_turkic_council(client: httpx.AsyncClient) -> None:
    ots = (await data_of(client, ORGANISATION, {"acronym": "OTS"}))["organisation"]

    assert ots["founded"] == 2009
    former = {(f["name"], f["from"], f["until"]) for f in ots["formerNames"]}
    assert ("Cooperation Council of Turkic Speaking States", 2009, 2021) in former
    assert ("Turkic Council", 2009, 2021) in former
    assert all(f["sources"] for f in ots["formerNames"])


async def test_ots_members_and_observers_today(client: httpx.AsyncClient) -> None:
    data = await data_of(client, ORGANISATION, {"acronym": "OTS", "asOf": 2025})

    assert members(data) == {
        ("MEMBER", "AZE"),
        ("MEMBER", "KAZ"),
        ("MEMBER", "KGZ"),
        ("MEMBER", "TUR"),
        ("MEMBER", "UZB"),
        ("OBSERVER", "HUN"),
        ("OBSERVER", "TKM"),
        ("OBSERVER", "XNC"),
        ("OBSERVER", "ECO"),
    }


@pytest.mark.parametrize(
    ("as_of", "observers"),
    [
        (2017, set()),
        (2018, {"HUN"}),
        (2021, {"HUN", "TKM"}),
        (2022, {"HUN", "TKM", "XNC"}),
        (2023, {"HUN", "TKM", "XNC", "ECO"}),
    ],
)
async def test_ots_observers_as_of_a_year(
    client: httpx.AsyncClient, as_of: int, observers: set[str]
) -> None:
    data = await data_of(
        client, ORGANISATION, {"acronym": "OTS", "asOf": as_of, "role": "OBSERVER"}
    )

    assert {code for _, code in members(data)} == observers


async def test_economic_cooperation_organization_is_an_ots_observer(
    client: httpx.AsyncClient,
) -> None:
    data = await data_of(
        client,
        """{ organisation(acronym: "ECO") {
              memberships { role since organisation { acronym } member { __typename } } } }""",
    )

    assert data["organisation"]["memberships"] == [
        {
            "role": "OBSERVER",
            "since": 2023,
            "organisation": {"acronym": "OTS"},
            "member": {"__typename": "Organisation"},
        }
    ]


async def test_azerbaijan_went_from_guest_to_member_of_the_consultative_meetings(
    client: httpx.AsyncClient,
) -> None:
    acronym = "Central Asia Consultative Meetings"

    async def azerbaijan(as_of: int) -> set[str]:
        data = await data_of(client, ORGANISATION, {"acronym": acronym, "asOf": as_of})
        return {role for role, code in members(data) if code == "AZE"}

    assert await azerbaijan(2022) == set()
    assert await azerbaijan(2024) == {"GUEST"}
    assert await azerbaijan(2025) == {"MEMBER"}


async def test_turkpa_seat_is_in_baku(client: httpx.AsyncClient) -> None:
    turkpa = (await data_of(client, ORGANISATION, {"acronym": "TURKPA"}))["organisation"]

    assert (turkpa["founded"], turkpa["headquarters"]) == (2008, "Baku")
    assert turkpa["headquartersState"] == {"code": "AZE"}
    assert turkpa["kind"] == "PARLIAMENTARY_ASSEMBLY"


async def test_un_security_council_belongs_to_the_un(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{ organisation(acronym: "UN") { subsidiaries { acronym parent { acronym } } } }""",
    )

    assert {"acronym": "UNSC", "parent": {"acronym": "UN"}} in data["organisation"]["subsidiaries"]


async def test_organisations_connection_filters_by_kind(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{ organisations(first: 50, filter: {kind: MILITARY_ALLIANCE}) {
              totalCount edges { node { acronym kind } } } }""",
    )

    assert {n["acronym"] for n in nodes(data["organisations"])} == {"NATO", "CSTO"}
    assert data["organisations"]["totalCount"] == 2


async def test_organisation_agreements(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{ organisation(acronym: "unsc") {
              agreements { totalCount edges { node { title } } } } }""",
    )

    titles = [n["title"] for n in nodes(data["organisation"]["agreements"])]
    assert len(titles) == data["organisation"]["agreements"]["totalCount"] == 2
    assert all("541" in t or "550" in t for t in titles)
