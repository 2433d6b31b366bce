"""`silkgraph import sipri` as users run it, checked through GraphQL, on SQLite and Postgres."""

import re
from typing import Any

import httpx
import pytest

from api.settings import PROJECT_ROOT
from tests.api.test_cli import run
from tests.graphql import data_of, nodes

DATA = PROJECT_ROOT / "tests" / "data" / "sipri"
SMALL = str(DATA / "small.csv")
REAL_EDITION = str(PROJECT_ROOT / "fixtures" / "sipri" / "trade-register-2024-10.csv")

TRANSFER_FIELDS = """
  key weaponDesignation weaponCategory description numberOrdered numberDelivered orderYear
  deliveryYears status comments supplierName recipientName orderYearEstimated
  numberOrderedEstimated numberDeliveredEstimated condition tivPerUnit tivTotalOrder tivDelivered
  supplier { code } recipient { code }
  supplierActor { __typename ... on State { code codeAssignment name }
    ... on Organisation { acronym } ... on NonStateActor { key name } }
  recipientActor { __typename ... on State { code } ... on Organisation { acronym }
    ... on NonStateActor { key name country { code } } }
  sources { document locator quote documentDetails { key publisher published url } }
"""
TRANSFERS = (
    "query ($filter: ArmsTransferFilter) { armsTransfers(first: 100, filter: $filter) {"
    f" totalCount edges {{ node {{ {TRANSFER_FIELDS} }} }} }} }}"
)
SIDE_BY_SIDE = f"""
query {{ armsTransfers(first: 100,
    filter: {{ supplier: "TUR", recipient: "KGZ", records: EVERY_RECORD }}) {{
  edges {{ node {{ {TRANSFER_FIELDS} dealKey sameDeal {{ {TRANSFER_FIELDS} }} }} }} }} }}
"""
NATO_IMPORTS = f"""
{{ organisation(acronym: "NATO") {{
  armsImports {{ totalCount edges {{ node {{ {TRANSFER_FIELDS} }} }} }} }} }}
"""
PKK = """
{ nonStateActor(key: "pkk") { key name description country { code }
  sources { quote document locator }
  armsImports { totalCount edges { node { weaponDesignation tivDelivered
    supplierActor { ... on State { code codeAssignment name } } } } } } }
"""
COUNTS = """
{ armsTransfers { totalCount } nonStateActors { totalCount }
  documents { key title publisher published url }
  search(text: "sipri kornet anka hezbollah") { totalCount } }
"""
SEARCH = """query ($text: String!) { search(text: $text, first: 50) { edges { node {
  kind title item { ... on ArmsTransfer { key } ... on NonStateActor { key } } } } } }"""


async def found(client: httpx.AsyncClient, text: str) -> list[tuple[str, str]]:
    data = await data_of(client, SEARCH, {"text": text})
    return [(n["kind"], n["title"]) for n in nodes(data["search"])]


def by_designation(data: dict[str, Any], connection: str = "armsTransfers") -> dict[str, Any]:
    return {n["weaponDesignation"]: n for n in nodes(data[connection])}


async def sipri_transfers(client: httpx.AsyncClient, **filter_: str) -> dict[str, Any]:
    data = await data_of(client, TRANSFERS, {"filter": filter_})
    return {
        n["weaponDesignation"]: n
        for n in nodes(data["armsTransfers"])
        if n["key"].startswith("sipri:")
    }


async def test_every_sipri_field_survives(database_url: str, client: httpx.AsyncClient) -> None:
    code, output = await run("import", "sipri", SMALL, database_url=database_url)

    assert code == 0, output
    assert "deals: 12 added, 0 changed, 0 removed, 0 unchanged" in output
    kgz = await sipri_transfers(client, supplier="TUR", recipient="KGZ")
    akinci = kgz["Akinci"]
    assert akinci["key"] == "sipri:kgz/tur/2022/akinci"
    assert (akinci["orderYear"], akinci["orderYearEstimated"]) == (2022, True)
    assert (akinci["numberOrdered"], akinci["numberOrderedEstimated"]) == (2, True)
    assert akinci["weaponCategory"] == "AIRCRAFT"
    assert (akinci["condition"], akinci["status"]) == ("NEW", "DELIVERED")
    assert (akinci["tivPerUnit"], akinci["tivTotalOrder"], akinci["tivDelivered"]) == (4.5, 9, 9)
    assert (akinci["supplierName"], akinci["recipientName"]) == ("Turkiye", "Kyrgyzstan")
    [source] = akinci["sources"]
    assert source["locator"] == "line 14"
    assert source["documentDetails"] == {
        "key": "sipri-trade-register-2024-10-13",
        "publisher": "Stockholm International Peace Research Institute (SIPRI)",
        "published": "2024-10-13",
        "url": "https://www.sipri.org/databases/armstransfers",
    }

    afghanistan = await sipri_transfers(client, recipient="AFG")
    an2 = afghanistan["An-2"]
    assert an2["numberOrdered"] is None  # empty: not yet available, never 0
    assert an2["tivTotalOrder"] is None
    assert an2["condition"] == "SECOND_HAND_MODERNISED"
    assert an2["supplierActor"] is None
    assert an2["supplierName"] == "unknown supplier(s)"
    kornet = (await sipri_transfers(client, recipient="DZA"))["Kornet"]
    assert (kornet["numberDelivered"], kornet["tivDelivered"]) == (0, None)
    assert (kornet["status"], kornet["deliveryYears"]) == ("ORDERED", [])
    radar = (await sipri_transfers(client, recipient="LBY"))["5N62V"]
    assert (radar["numberOrdered"], radar["tivTotalOrder"]) == (0, 0)
    assert radar["supplierActor"] == {
        "__typename": "State",
        "code": "SUN",
        "codeAssignment": "ISO_3166_3",
        "name": "Soviet Union",
    }
    btr = (await sipri_transfers(client, recipient="THA"))["BTR-3"]
    assert btr["sources"][0]["locator"] == "lines 16-17"
    assert btr["comments"].endswith("redesign for other engines")
    assert "Bü-181 Bestmann" in await sipri_transfers(client, recipient="AUT")
    mirages = await data_of(client, TRANSFERS, {"filter": {"recipient": "IND"}})
    assert sorted(n["key"] for n in nodes(mirages["armsTransfers"])) == [
        "sipri:ind/fra/1980/mirage2000",
        "sipri:ind/fra/1980/mirage2000/2",
    ]


async def test_organisations_and_non_state_actors_are_what_they_are(
    database_url: str, client: httpx.AsyncClient
) -> None:
    code, output = await run("import", "sipri", SMALL, database_url=database_url)

    assert code == 0, output
    awacs = by_designation((await data_of(client, NATO_IMPORTS))["organisation"], "armsImports")
    assert awacs["E-3A AWACS"]["recipient"] is None  # NATO is no state
    assert awacs["E-3A AWACS"]["recipientActor"] == {
        "__typename": "Organisation",
        "acronym": "NATO",
    }
    assert awacs["E-3A AWACS"]["recipientName"] == "NATO**"
    pkk = (await data_of(client, PKK))["nonStateActor"]
    assert (pkk["name"], pkk["country"]) == ("PKK", {"code": "TUR"})
    assert pkk["sources"][0]["quote"] == "PKK (Turkiye)*"
    [strela] = nodes(pkk["armsImports"])
    assert strela["tivDelivered"] == 0  # between 0 and 0.5 million: not empty
    assert strela["supplierActor"]["code"] == "SUN"


async def test_the_paper_and_sipri_accounts_stand_side_by_side(
    database_url: str, client: httpx.AsyncClient
) -> None:
    code, output = await run("import", "sipri", SMALL, database_url=database_url)

    assert code == 0, output
    assert "same deal as the paper's: tur-kgz-bayraktar-tb2 = " in output
    data = await data_of(client, SIDE_BY_SIDE)
    records = nodes(data["armsTransfers"])
    paper = {n["key"]: n for n in records if not n["key"].startswith("sipri:")}
    tb2 = paper["tur-kgz-bayraktar-tb2"]
    assert tb2["numberOrdered"] is None  # the paper: not reported
    [sipri_tb2] = tb2["sameDeal"]
    assert sipri_tb2["key"] == "sipri:kgz/tur/2021/bayraktartb2"
    assert (sipri_tb2["numberOrdered"], sipri_tb2["numberOrderedEstimated"]) == (3, True)
    assert sipri_tb2["sources"][0]["document"].startswith("SIPRI Arms Transfers Database")
    # Both accounts keep their own sources, and each lists the other.
    assert {s["quote"] for s in tb2["sources"]} >= {
        "the order quantity, however, has not been reported."
    }
    [from_sipri] = next(n for n in records if n["key"] == sipri_tb2["key"])["sameDeal"]
    assert from_sipri["key"] == "tur-kgz-bayraktar-tb2"
    # SIPRI reports no ANKA for Kyrgyzstan: the paper's record stands alone.
    assert paper["tur-kgz-anka"]["sameDeal"] == []
    assert len(records) == 7


async def test_a_second_import_changes_nothing(
    database_url: str, client: httpx.AsyncClient
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)
    before = await data_of(client, TRANSFERS, {"filter": None})

    code, output = await run("import", "sipri", SMALL, database_url=database_url)

    assert code == 0, output
    assert "deals: 0 added, 0 changed, 0 removed, 12 unchanged" in output
    assert "created" not in output
    assert "search index: 0 entries written or removed" in output
    assert await data_of(client, TRANSFERS, {"filter": None}) == before


async def test_a_dry_run_reports_and_writes_nothing(
    database_url: str, client: httpx.AsyncClient
) -> None:
    before = await data_of(client, COUNTS)

    code, output = await run("import", "sipri", "--dry-run", SMALL, database_url=database_url)

    assert code == 0, output
    assert "deals: 12 added, 0 changed, 0 removed, 0 unchanged" in output
    assert "Dry run: nothing was written." in output
    assert await data_of(client, COUNTS) == before


async def test_a_newer_edition_adds_changes_and_removes(
    database_url: str, client: httpx.AsyncClient
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)

    code, output = await run(
        "import", "sipri", "--allow-removals", str(DATA / "newer.csv"), database_url=database_url
    )

    assert code == 0, output
    assert "deals: 1 added, 1 changed, 1 removed, 10 unchanged" in output
    kgz = await sipri_transfers(client, supplier="TUR", recipient="KGZ")
    tb2 = kgz["Bayraktar TB2"]
    assert (tb2["numberOrdered"], tb2["deliveryYears"]) == (4, [2021, 2022, 2024])
    # The deal cites both exports it appeared in, each at its own line.
    cited = {s["documentDetails"]["key"]: s["locator"] for s in tb2["sources"]}
    assert cited == {
        "sipri-trade-register-2024-10-13": "line 13",
        "sipri-trade-register-2025-03-10": "line 14",
    }
    assert "Kornet" not in await sipri_transfers(client, recipient="DZA")
    assert "Anka" in await sipri_transfers(client, recipient="KAZ")
    # The search index followed, in the import's transaction: the removed deal is gone from
    # it, the added one is found.
    assert await found(client, "kornet algeria") == []
    assert ("ARMS_TRANSFER", "Anka: Türkiye to Kazakhstan") in await found(client, "anka kazakh")
    # Unchanged deals now cite the newer edition too, at their new lines.
    akinci = {s["documentDetails"]["key"]: s["locator"] for s in kgz["Akinci"]["sources"]}
    assert akinci["sipri-trade-register-2025-03-10"] == "line 15"
    # The link to the paper's record survives the re-import.
    side = await data_of(client, SIDE_BY_SIDE)
    paper_tb2 = next(n for n in nodes(side["armsTransfers"]) if n["key"] == "tur-kgz-bayraktar-tb2")
    assert [n["numberOrdered"] for n in paper_tb2["sameDeal"]] == [4]


async def test_bad_lines_are_named_and_nothing_is_imported(
    database_url: str, client: httpx.AsyncClient
) -> None:
    before = await data_of(client, COUNTS)
    path = DATA / "bad-lines.csv"

    code, output = await run("import", "sipri", str(path), database_url=database_url)

    assert code == 1
    assert "Nothing was imported: 3 problem(s)" in output
    assert f"{path}:14: Year of order: '20x1' is not a year" in output
    assert f"{path}:15: expected 16 fields separated by ',', found 10" in output
    assert f"{path}:17: status: 'Used'" in output
    assert await data_of(client, COUNTS) == before


async def test_unmapped_names_stop_the_import_with_a_list(
    database_url: str, client: httpx.AsyncClient
) -> None:
    before = await data_of(client, COUNTS)

    code, output = await run(
        "import", "sipri", str(DATA / "unmapped.csv"), database_url=database_url
    )

    assert code == 1
    assert "unmapped SIPRI actor 'Atlantis' (lines 14)" in output
    # Descriptions are checked once every actor is mapped: they may belong to matched deals.
    assert "--allow-unmapped" in output
    assert await data_of(client, COUNTS) == before


async def test_allow_unmapped_records_them_as_spelled(
    database_url: str, client: httpx.AsyncClient
) -> None:
    code, output = await run(
        "import",
        "sipri",
        "--allow-unmapped",
        str(DATA / "unmapped.csv"),
        database_url=database_url,
    )

    assert code == 0, output
    assert "unmapped names kept as spelled: Atlantis" in output
    nautilus = (await sipri_transfers(client, supplier="USA"))["Nautilus"]
    assert (nautilus["recipientName"], nautilus["recipient"]) == ("Atlantis", None)
    assert nautilus["recipientActor"] is None
    assert nautilus["weaponCategory"] == "OTHER"
    assert nautilus["key"] == "sipri:atlantis/usa/1999/nautilus"


async def test_without_the_iso_states_nothing_is_imported(
    empty_database_url: str,
) -> None:
    code, output = await run("import", "sipri", SMALL, database_url=empty_database_url)

    assert code == 1
    assert "load the fixtures first" in output
    code, output = await run("import", "sipri", "--dry-run", SMALL, database_url=empty_database_url)
    assert code == 1  # and the first attempt left nothing behind to change that


@pytest.mark.slow
async def test_the_real_edition_imports_cleanly_and_a_second_import_changes_nothing(
    database_url: str, client: httpx.AsyncClient
) -> None:
    code, output = await run("import", "sipri", REAL_EDITION, database_url=database_url)

    assert code == 0, output
    assert "read: 27,965 lines, 27,951 deals (2 split over two lines)" in output
    assert (
        "SIPRI names: 192 states, 10 historic states, 6 organisations, "
        "54 non-state actors, 2 unknown" in output
    )
    assert "deals: 27,951 added, 0 changed, 0 removed, 0 unchanged" in output
    rate = re.search(r"\(([\d,]+) deals/s\)", output)
    assert rate is not None, output
    counts = await data_of(client, COUNTS)
    # And the paper's, less the three Kyrgyz drone deals SIPRI describes too (counted once).
    assert counts["armsTransfers"]["totalCount"] == 27951 + 22 - 3
    assert counts["nonStateActors"]["totalCount"] == 54

    code, output = await run("import", "sipri", REAL_EDITION, database_url=database_url)

    assert code == 0, output
    assert "deals: 0 added, 0 changed, 0 removed, 27,951 unchanged" in output
    assert await data_of(client, COUNTS) == counts
