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
