"""A deal the paper and SIPRI both describe counts once by default: in connections (root and
nested), statistics, diversification and the exports, on SQLite and PostgreSQL."""

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from api.db import create_session_factory, engine_scope
from api.settings import PROJECT_ROOT, Settings
from api.sipri.crosswalk import SAME_DEALS_FILE, Crosswalk
from api.sipri.importer import import_register
from tests.api.test_cli import run
from tests.conftest import settings_for
from tests.graphql import client_for, data_of, errors_of, nodes

SMALL = str(PROJECT_ROOT / "tests" / "data" / "sipri" / "small.csv")
REGISTER = PROJECT_ROOT / "fixtures" / "sipri" / "trade-register-2024-10.csv"
ACTORS = PROJECT_ROOT / "fixtures" / "sipri" / "actors.csv"
# The three Kyrgyz drone deals of small.csv that same_deals.csv joins to the paper's.
LINKED = {
    "tur-kgz-bayraktar-tb2": "sipri:kgz/tur/2021/bayraktartb2",
    "tur-kgz-aksungur": "sipri:kgz/tur/2022/aksungur",
    "tur-kgz-akinci": "sipri:kgz/tur/2022/akinci",
}

KGZ = """
query ($filter: ArmsTransferFilter) {
  armsTransfers(first: 100, filter: $filter) { totalCount edges { node { key } } }
  state(code: "KGZ") {
    armsImports(first: 100, filter: $filter) { totalCount edges { node { key } } }
    armsSupplierDiversification(filter: $filter) { deals suppliers { deals supplier { code } } }
  }
  armsTransferStats(groupBy: [SUPPLIER], filter: $filter) {
    buckets { count numberOrderedSum supplier { code } } }
  armsSupplierDiversification(recipients: ["KGZ"], filter: $filter) { deals }
}
"""


async def kyrgyzstan(client: httpx.AsyncClient, **filter_: Any) -> dict[str, Any]:
    """Every count of Kyrgyzstan's imports under one filter, and the keys listed."""
    data = await data_of(client, KGZ, {"filter": {"recipient": "KGZ", **filter_}})
    root, nested = data["armsTransfers"], data["state"]["armsImports"]
    keys = {n["key"] for n in nodes(root)}
    assert {n["key"] for n in nodes(nested)} == keys
    assert root["totalCount"] == nested["totalCount"] == len(keys)
    buckets = data["armsTransferStats"]["buckets"]
    diversification = data["state"]["armsSupplierDiversification"]
    assert data["armsSupplierDiversification"] == [{"deals": diversification["deals"]}]
    return {
        "keys": keys,
        "count": root["totalCount"],
        "stats": sum(b["count"] for b in buckets),
        "from_turkey": next(b for b in buckets if b["supplier"]["code"] == "TUR"),
        "deals": diversification["deals"],
    }


async def exported(client: httpx.AsyncClient, query: str) -> tuple[set[str], set[str]]:
    """The keys the CSV and the NDJSON export give for the same query string."""
    as_csv = (await client.get(f"/export/arms-transfers.csv?{query}")).text
    as_ndjson = (await client.get(f"/export/arms-transfers.ndjson?{query}")).text
    return (
        {row["key"] for row in csv.DictReader(io.StringIO(as_csv))},
        {json.loads(line)["key"] for line in as_ndjson.splitlines()},
    )


async def test_a_deal_both_sources_describe_counts_once(
    database_url: str, client: httpx.AsyncClient
) -> None:
    # given: the paper's Kyrgyz deals, and SIPRI's small export with three of them
    code, output = await run("import", "sipri", SMALL, database_url=database_url)
    assert code == 0, output

    # when: counted by default, by source and record by record
    default = await kyrgyzstan(client)
    sipri = await kyrgyzstan(client, source="sipri")
    paper = await kyrgyzstan(client, source="paper")
    every = await kyrgyzstan(client, records="EVERY_RECORD")

    # then: each linked deal counts once, its SIPRI record standing for it
    assert sipri["keys"] == set(LINKED.values())
    assert set(LINKED) <= paper["keys"]
    assert every["keys"] == paper["keys"] | sipri["keys"]
    assert default["keys"] == every["keys"] - set(LINKED)
    assert "tur-kgz-anka" in default["keys"]  # SIPRI has no Anka for Kyrgyzstan
    for counted in (default, sipri, paper, every):
        assert counted["count"] == counted["stats"] == counted["deals"] == len(counted["keys"])
    assert default["count"] == every["count"] - 3 == paper["count"] + sipri["count"] - 3
    # The numbers are SIPRI's: the paper reports none for these deals.
    assert default["from_turkey"]["numberOrderedSum"] == 3 + 2 + 2
    # And with `source`, every record of that source counts, whatever `records` says.
    assert (await kyrgyzstan(client, source="paper", records="EVERY_RECORD")) == paper


async def test_the_exports_count_as_the_connection(
    database_url: str, client: httpx.AsyncClient
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)

    default = (await kyrgyzstan(client))["keys"]
    every = (await kyrgyzstan(client, records="EVERY_RECORD"))["keys"]

    assert await exported(client, "recipient=KGZ") == (default, default)
    assert await exported(client, "recipient=KGZ&records=EVERY_RECORD") == (every, every)
    assert await exported(client, "recipient=KGZ&source=sipri") == (
        set(LINKED.values()),
        set(LINKED.values()),
    )
    # Without any parameter too: every deal once, the linked paper records left out.
    whole = {
        row["key"]
        for row in csv.DictReader(
            io.StringIO((await client.get("/export/arms-transfers.csv")).text)
        )
    }
    assert not whole & set(LINKED)
    assert set(LINKED.values()) <= whole


async def test_a_paper_record_counts_where_its_sipri_partner_does_not_match(
    database_url: str, client: httpx.AsyncClient
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)

    # The paper reports no number for the drones; SIPRI estimates them.
    unreported = await kyrgyzstan(client, numberOrderedKnown=False)
    reported = await kyrgyzstan(client, numberOrderedKnown=True)

    assert set(LINKED) <= unreported["keys"]
    assert set(LINKED.values()) <= reported["keys"]
    assert not unreported["keys"] & reported["keys"]
    everything = await kyrgyzstan(client)
    assert unreported["count"] + reported["count"] == everything["count"] + 3


async def test_a_link_taken_out_of_the_crosswalk_counts_twice_again(
    database_url: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)
    before = await kyrgyzstan(client)
    lines = SAME_DEALS_FILE.read_text().splitlines()
    without_tb2 = tmp_path / "same_deals.csv"
    without_tb2.write_text("\n".join(x for x in lines if "tb2" not in x) + "\n")

    async with engine_scope(settings_for(database_url)) as engine:
        report = await import_register(
            create_session_factory(engine),
            Path(SMALL),
            crosswalk=Crosswalk.load(same_deals=without_tb2),
        )

    assert not any("bayraktar" in link for link in report.linked)
    after = await kyrgyzstan(client)
    assert after["keys"] == before["keys"] | {"tur-kgz-bayraktar-tb2"}
    assert after["count"] == after["stats"] == after["deals"] == before["count"] + 1


ROOT = """query ($filter: ArmsTransferFilter) {
  armsTransfers(first: 100, filter: $filter) { totalCount edges { node { key } } } }"""


async def test_the_compiled_read_path_counts_as_the_resolvers(
    database_url: str, client: httpx.AsyncClient, settings: Settings
) -> None:
    await run("import", "sipri", SMALL, database_url=database_url)
    filters: list[dict[str, Any]] = [
        {"recipient": "KGZ"},
        {"recipient": "KGZ", "records": "EVERY_RECORD"},
        {"recipient": "KGZ", "numberOrderedKnown": False},
        {"supplier": "TUR", "source": "paper"},
    ]

    async with client_for(settings, compiled_reads=False) as resolved:
        for filter_ in filters:
            body = {"query": ROOT, "variables": {"filter": filter_}}
            compiled_answer = await client.post("/graphql", json=body)
            resolved_answer = await resolved.post("/graphql", json=body)

            assert compiled_answer.headers["server-timing"].startswith("compiled")
            assert resolved_answer.headers["server-timing"].startswith("resolved")
            assert compiled_answer.content == resolved_answer.content

    answer = await data_of(client, ROOT, {"filter": filters[0]})
    keys = {n["key"] for n in nodes(answer["armsTransfers"])}
    assert set(LINKED.values()) <= keys
    assert not keys & set(LINKED)


async def test_records_takes_only_its_values(client: httpx.AsyncClient) -> None:
    errors = await errors_of(client, KGZ, {"filter": {"recipient": "KGZ", "records": "EVERY_DEAL"}})

    assert "EVERY_DEAL" in errors[0]["message"]
    answer = await client.get("/export/arms-transfers.csv?records=EVERY_DEAL")
    assert answer.status_code == 400
    assert "records" in answer.text


TKM = """
query ($filter: ArmsTransferFilter) {
  armsTransferStats(groupBy: [SUPPLIER], filter: $filter) { buckets { count supplier { code } } } }
"""


async def test_turkmenistan_suppliers_rank_as_in_sipri_with_source_sipri(
    database_url: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # given: the bundled register's Turkmenistan lines, as an export of that recipient
    lines = REGISTER.read_bytes().decode("iso-8859-1").splitlines()
    header = next(n for n, line in enumerate(lines) if line.startswith("Recipient,"))
    turkmenistan = [line for line in lines if line.startswith("Turkmenistan,")]
    export = tmp_path / "turkmenistan.csv"
    export.write_bytes("\n".join(lines[: header + 1] + turkmenistan).encode("iso-8859-1"))
    code, output = await run("import", "sipri", str(export), database_url=database_url)
    assert code == 0, output
    codes = {
        row["sipri_name"]: row["code"] for row in csv.DictReader(ACTORS.read_text().splitlines())
    }
    sipri_counts = Counter(codes[line.split(",")[1]] for line in turkmenistan)

    # when: ranked by what SIPRI says, and by default
    async def ranking(**filter_: str) -> list[tuple[str, int]]:
        data = await data_of(client, TKM, {"filter": {"recipient": "TKM", **filter_}})
        return [(b["supplier"]["code"], b["count"]) for b in data["armsTransferStats"]["buckets"]]

    from_sipri = await ranking(source="sipri")
    by_default = await ranking()

    # then: SIPRI's own ranking; Turkey fifth, after Ukraine
    assert from_sipri == sorted(sipri_counts.items(), key=lambda item: (-item[1], item[0]))
    assert [code for code, _ in from_sipri].index("TUR") == 4
    # The paper's Turkmenistan records name no deal SIPRI lists (no link), so they add up.
    paper = dict(await ranking(source="paper"))
    assert dict(by_default) == dict(Counter(sipri_counts) + Counter(paper))
    assert [code for code, _ in by_default].index("TUR") == 3
