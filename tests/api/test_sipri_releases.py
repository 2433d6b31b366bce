"""SIPRI releases over time: every refusal that keeps data from being lost, through the CLI,
checked through GraphQL, on SQLite and PostgreSQL."""

from pathlib import Path
from typing import Any

import httpx

from api.settings import PROJECT_ROOT
from tests.api.test_cli import run
from tests.graphql import data_of, nodes

DATA = PROJECT_ROOT / "tests" / "data" / "sipri"
SMALL = str(DATA / "small.csv")
NEWER = str(DATA / "newer.csv")
STATE = """
{ armsTransfers(first: 100) { totalCount edges { node { key numberOrdered weaponCategory
    sources { locator documentDetails { key } } } } }
  documents { key } }
"""


async def state(client: httpx.AsyncClient) -> dict[str, Any]:
    return await data_of(client, STATE)


def sipri_keys(data: dict[str, Any]) -> dict[str, Any]:
    return {n["key"]: n for n in nodes(data["armsTransfers"]) if n["key"].startswith("sipri:")}


def lines_of(path: str) -> list[str]:
    return Path(path).read_bytes().decode("iso-8859-1").splitlines()


def write(path: Path, lines: list[str]) -> str:
    path.write_bytes("\n".join(lines).encode("iso-8859-1"))
    return str(path)


async def test_an_export_without_deals_is_refused(
    database_url: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)
    before = await state(client)
    empty = write(tmp_path / "empty.csv", lines_of(SMALL)[:12])

    code, output = await run("import", "sipri", empty, database_url=database_url)

    assert code == 1
    assert "the export holds no deals" in output
    assert await state(client) == before


async def test_an_older_release_is_refused_without_the_flag(
    database_url: str, client: httpx.AsyncClient
) -> None:
    await run("import", "sipri", NEWER, database_url=database_url)
    before = await state(client)

    code, output = await run("import", "sipri", SMALL, database_url=database_url)

    assert code == 1
    assert "release 2024 (data generated 13 Oct 2024 2:20:11 PM) is older than release 2025" in (
        output
    )
    assert "--allow-older" in output
    assert await state(client) == before

    code, output = await run("import", "sipri", "--allow-older", SMALL, database_url=database_url)

    assert code == 0, output
    # The newer values stay; the deal the newer release left out is not brought back.
    assert "older than release 2025: 11 deals kept the newer values, 1 left out" in output
    after = sipri_keys(await state(client))
    assert after["sipri:kgz/tur/2021/bayraktartb2"]["numberOrdered"] == 4
    assert "sipri:dza/rus/2020/kornet" not in after
    assert "sipri:kaz/tur/2023/anka" in after
    # It joins the history: the deal cites both exports.
    cited = {
        s["documentDetails"]["key"] for s in after["sipri:kgz/tur/2021/bayraktartb2"]["sources"]
    }
    assert cited == {"sipri-trade-register-2024-10-13", "sipri-trade-register-2025-03-10"}


async def test_many_removals_are_refused_without_the_flag(
    database_url: str, client: httpx.AsyncClient
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)
    before = await state(client)

    code, output = await run("import", "sipri", NEWER, database_url=database_url)

    assert code == 1
    assert "it would remove 1 of the 12 stored deals its selection covers (8%" in output
    assert "--allow-removals" in output
    assert await state(client) == before


async def test_a_partial_export_removes_nothing_outside_its_selection(
    database_url: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)
    lines = lines_of(SMALL)
    first = lines[0].replace("to All countries .", "to Kyrgyzstan .")
    # Kyrgyzstan's deals only, Akinci gone from SIPRI's register.
    kgz = [line for line in lines[12:] if line.startswith("Kyrgyzstan,") and "Akinci" not in line]
    partial = write(tmp_path / "kgz.csv", [first, *lines[1:12], *kgz])

    code, output = await run(
        "import", "sipri", "--allow-removals", partial, database_url=database_url
    )

    assert code == 0, output
    assert "selection: deliveries or orders 1950-2024, suppliers: all, recipients: Kyrgyzstan" in (
        output
    )
    assert "deals: 0 added, 0 changed, 1 removed, 2 unchanged" in output
    after = sipri_keys(await state(client))
    assert "sipri:kgz/tur/2022/akinci" not in after
    assert len(after) == 11  # every other country's deals stay


async def test_a_re_saved_file_asks_for_its_date_and_removes_nothing(
    database_url: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)
    before = await state(client)
    # Excel's re-save: no preamble, `;`-padded lines, Kornet left out.
    body = [line + ";" * 37 for line in lines_of(NEWER)[11:] if "Kornet" not in line]
    resaved = write(tmp_path / "resaved.csv", body)

    code, output = await run("import", "sipri", resaved, database_url=database_url)

    assert code == 1
    assert "SIPRI's preamble (selection and 'Data generated' date) is gone" in output
    assert await state(client) == before

    code, output = await run(
        "import", "sipri", "--data-generated", "2025-03-10", resaved, database_url=database_url
    )

    assert code == 0, output
    assert "selection: unknown (no first line)" in output
    assert "deals: 1 added, 1 changed, 0 removed, 10 unchanged" in output
    assert "sipri:dza/rus/2020/kornet" in sipri_keys(await state(client))


EXPORTS = """
{ sipriExports(first: 10) { totalCount edges { node {
    release stamp fileName layout selection deliveriesOnly yearStart yearEnd suppliers
    recipients deals added changed removed unchanged uncertain document { key } } } } }
"""
CHANGES = """
query ($release: Int!, $after: String) {
  sipriChanges(release: $release, first: 3, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { deal kind field oldValue newValue uncertain export { release } } } } }
"""
TB2_HISTORY = """
{ armsTransfers(filter: { recipient: "KGZ", source: "sipri", textContains: "TB2" }) {
    edges { node { key sipriExports { release stamp }
      history { kind field oldValue newValue export { release } } } } } }
"""
KAZ = """
query ($source: String) { armsTransfers(filter: { recipient: "KAZ", source: $source }) {
  totalCount } }
"""


async def test_exports_history_and_changes_are_in_graphql(
    database_url: str, client: httpx.AsyncClient
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)
    code, output = await run(
        "import", "sipri", "--allow-removals", NEWER, database_url=database_url
    )
    assert code == 0, output

    exports = nodes((await data_of(client, EXPORTS))["sipriExports"])
    assert [(e["release"], e["added"], e["changed"], e["removed"]) for e in exports] == [
        (2024, 12, 0, 0),
        (2025, 1, 1, 1),
    ]
    newer = exports[1]
    assert (newer["deliveriesOnly"], newer["yearStart"], newer["yearEnd"]) == (False, 1950, 2024)
    assert (newer["suppliers"], newer["recipients"], newer["deals"]) == (None, None, 12)
    assert newer["document"] == {"key": "sipri-trade-register-2025-03-10"}
    # The CLI said the same.
    assert "deals: 1 added, 1 changed, 1 removed, 10 unchanged" in output

    pages, after = [], None
    while True:
        page = (await data_of(client, CHANGES, {"release": 2025, "after": after}))["sipriChanges"]
        pages.append(nodes(page))
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    changes = [change for page in pages for change in page]
    assert len(changes) == page["totalCount"] == 5 + 1 + 1  # TB2's five fields, Anka, Kornet
    assert {(c["kind"], c["deal"]) for c in changes if c["kind"] != "CHANGED"} == {
        ("ADDED", "sipri:kaz/tur/2023/anka"),
        ("REMOVED", "sipri:dza/rus/2020/kornet"),
    }
    removed = next(c for c in changes if c["kind"] == "REMOVED")
    assert '"weapon_designation": "Kornet"' in removed["oldValue"]

    [tb2] = nodes((await data_of(client, TB2_HISTORY))["armsTransfers"])
    assert [e["release"] for e in tb2["sipriExports"]] == [2024, 2025]
    assert tb2["history"][0] == {
        "kind": "ADDED",
        "field": None,
        "oldValue": None,
        "newValue": None,
        "export": {"release": 2024},
    }
    assert {(h["field"], h["oldValue"], h["newValue"]) for h in tb2["history"][1:]} >= {
        ("number_ordered", "3", "4"),
        ("delivery_years", "[2021, 2022]", "[2021, 2022, 2024]"),
    }


async def test_the_source_filter_counts_what_one_source_says(
    database_url: str, client: httpx.AsyncClient
) -> None:
    paper = (await data_of(client, KAZ, {"source": "paper"}))["armsTransfers"]["totalCount"]
    await run("import", "sipri", SMALL, database_url=database_url)
    await run("import", "sipri", "--allow-removals", NEWER, database_url=database_url)
    kazakhstan = sum(1 for line in lines_of(NEWER) if line.startswith("Kazakhstan,"))

    async def count(source: str | None) -> int:
        data = await data_of(client, KAZ, {"source": source})
        return int(data["armsTransfers"]["totalCount"])

    assert await count("sipri") == kazakhstan == 1  # the release last imported
    assert await count("paper") == paper > 0
    assert await count(None) == paper + kazakhstan
    assert await count("sipri-trade-register-2025-03-10") == kazakhstan
    assert await count("sipri-trade-register-2024-10-13") == 0  # Anka is new in 2025


IDS = """
{ armsTransfers(first: 100, filter: { recipient: "KGZ", source: "sipri" }) { edges { node {
    id key weaponDesignation description weaponCategory numberOrdered } } } }
"""


def later_release(lines: list[str], replace: dict[str, str]) -> list[str]:
    """small.csv as a release of March 2025 whose lines say `replace`'s new words."""
    stamp = "Data generated: 10 Mar 2025 9:05:00 AM"
    out = [stamp if line.startswith("Data generated:") else line for line in lines]
    for old, new in replace.items():
        out = [line.replace(old, new) for line in out]
    return out


async def test_respelt_designations_and_reworded_descriptions_keep_the_deal(
    database_url: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)
    before = {
        n["weaponDesignation"]: n for n in nodes((await data_of(client, IDS))["armsTransfers"])
    }
    respelt = later_release(
        lines_of(SMALL),
        {
            "Bayraktar TB2,armed UAV,": "Bayraktar TB-2,(armed) UAV,",
            ",Akinci,": ",Akinci-A,",
            ",3,?,Bayraktar": ",4,?,Bayraktar",
        },
    )
    path = write(tmp_path / "respelt.csv", respelt)

    code, output = await run("import", "sipri", path, database_url=database_url)

    assert code == 0, output
    assert "deals: 0 added, 2 changed, 0 removed, 10 unchanged" in output
    assert "uncertain matches, 1 (review them" in output
    assert "Akinci -> Akinci-A (Kyrgyzstan from Turkiye, 2022)" in output
    after = {n["key"]: n for n in nodes((await data_of(client, IDS))["armsTransfers"])}
    tb2 = after["sipri:kgz/tur/2021/bayraktartb2"]  # the key ignores the hyphen
    assert tb2["id"] == before["Bayraktar TB2"]["id"]
    assert (tb2["weaponDesignation"], tb2["numberOrdered"]) == ("Bayraktar TB-2", 4)
    assert tb2["description"] == "(armed) UAV"
    assert tb2["weaponCategory"] == "AIRCRAFT"  # the spelt-out description is in the table
    akinci = after["sipri:kgz/tur/2022/akincia"]  # the key follows the designation
    assert akinci["id"] == before["Akinci"]["id"]  # the row and global id stay
    uncertain = await data_of(
        client,
        "{ sipriChanges(release: 2025, uncertain: true) { edges { node { deal field oldValue"
        " newValue } } } }",
    )
    assert nodes(uncertain["sipriChanges"]) == [
        {
            "deal": "sipri:kgz/tur/2022/akincia",
            "field": "weapon_designation",
            "oldValue": "Akinci",
            "newValue": "Akinci-A",
        }
    ]


async def test_an_unknown_description_is_named_and_a_matched_deal_keeps_its_category(
    database_url: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)
    lines = lines_of(SMALL)
    reworded = later_release(lines, {"Bayraktar TB2,armed UAV,": "Bayraktar TB2,sky lance,"})
    new_deal = "Kyrgyzstan,Turkiye,2024,,2,,Kuzgun,sky lance,,,,New,,1,2,"
    path = write(tmp_path / "reworded.csv", [*reworded, new_deal])
    before = await state(client)

    code, output = await run("import", "sipri", path, database_url=database_url)

    assert code == 1
    assert "unmapped weapon description 'sky lance' (1 new deals, lines 26)" in output
    assert await state(client) == before

    path = write(tmp_path / "matched-only.csv", reworded)
    code, output = await run("import", "sipri", path, database_url=database_url)

    assert code == 0, output
    assert (
        "unknown descriptions, 1 deals: 'sky lance' (1); 1 matched deals kept their category"
        in output
    )
    tb2 = sipri_keys(await state(client))["sipri:kgz/tur/2021/bayraktartb2"]
    assert tb2["weaponCategory"] == "AIRCRAFT"
