"""`silkgraph import cow` as users run it, checked through GraphQL, on SQLite and Postgres.

Small IGO-year tables written per test hold exactly the cases the period rule, the crosswalk,
re-imports and refusals turn on; the real table is tested in tests/schema/test_cow.py.
"""

import csv
import gzip
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.cow.periods import Period, periods
from api.settings import PROJECT_ROOT
from tests.api.test_cli import run
from tests.graphql import data_of

HEADER = ["ioname", "orgname", "year", "ionum", "sdate", "longorgname"]
YEARS = (2000, 2001, 2002, 2003)
FIXTURES = PROJECT_ROOT / "fixtures"

MEMBERS = """query ($acronym: String!) { organisation(acronym: $acronym) {
  name founded cowNumber members { role since until
    member { ... on State { code codeAssignment name } ... on Organisation { acronym } }
    sources { document locator quote } } } }"""
COUNTS = """{ memberships { totalCount } organisations { totalCount } documents { key } }"""


def write_table(
    path: Path, organisations: dict[tuple[int, str], dict[str, list[str]]], years: Any = YEARS
) -> Path:
    """An IGO-year table: per (number, acronym), per state column, one status a year."""
    columns = sorted({c for states in organisations.values() for c in states})
    opener: Any = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*HEADER, *columns])
        for (number, acronym), states in organisations.items():
            for i, year in enumerate(years):
                statuses = [states[c][i] if c in states else "0" for c in columns]
                writer.writerow(
                    [acronym, f"{acronym} org", year, number, years[0], f"The {acronym}", *statuses]
                )
    return path


def members_of(data: dict[str, Any]) -> list[tuple[str, str, int | None, int | None]]:
    return [
        (m["member"].get("code") or m["member"]["acronym"], m["role"], m["since"], m["until"])
        for m in data["organisation"]["members"]
    ]


# -- the rule, without a database ------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([1, 1, 1, 1], [Period(1, 2000, None, 2003)]),
        ([1, 1, 0, 1], [Period(1, 2000, 2002, 2001), Period(1, 2003, None, 2003)]),
        ([3, 3, 1, 1], [Period(3, 2000, 2002, 2001), Period(1, 2002, None, 2003)]),
        ([1, -9, -9, 1], [Period(1, 2000, None, 2003)]),
        ([1, -1, -1, 1], [Period(1, 2000, None, 2003)]),
        ([-9, 2, 2, 2], [Period(2, 2001, None, 2003)]),
        ([-1, 1, -9, 0], [Period(1, 2001, 2003, 2001)]),
        ([1, 1, -1, -1], [Period(1, 2000, 2002, 2001)]),
        ([1, -9, 3, 3], [Period(1, 2000, 2002, 2000), Period(3, 2002, None, 2003)]),
        ([0, -9, -1, 0], []),
    ],
)
def test_the_period_rule(statuses: list[int], expected: list[Period]) -> None:
    assert periods(zip(YEARS, statuses, strict=True), last_year=2003) == expected


# -- through the command and GraphQL ---------------------------------------------------------


async def test_statuses_become_periods(
    client: httpx.AsyncClient, database_url: str, tmp_path: Path
) -> None:
    table = write_table(
        tmp_path / "igo.csv",
        {
            (9001, "TST"): {
                "kazakhstan": ["1", "1", "0", "1"],  # a gap: two periods
                "kyrgyzstan": ["1", "-9", "", "1"],  # missing and empty years: one period
                "armenia": ["3", "3", "1", "1"],  # observer, then member
                "belarus": ["2", "2", "2", "2"],  # associate, still at the data's end
                "tajikistan": ["-1", "1", "1", "-1"],  # then unknown to the end: ends 2003
                "uzbekistan": ["0", "-9", "-1", "0"],  # never a member
            }
        },
    )
    status, output = await run("import", "cow", str(table), database_url=database_url)
    assert status == 0, output
    assert "periods: 7 (1 associate, 5 member, 1 observer)" in output

    data = await data_of(client, MEMBERS, {"acronym": "TST"})
    assert sorted(members_of(data)) == [
        ("ARM", "MEMBER", 2002, None),
        ("ARM", "OBSERVER", 2000, 2002),
        ("BLR", "ASSOCIATE", 2000, None),
        ("KAZ", "MEMBER", 2000, 2002),
        ("KAZ", "MEMBER", 2003, None),
        ("KGZ", "MEMBER", 2000, None),
        ("TJK", "MEMBER", 2001, 2003),
    ]
    organisation = data["organisation"]
    assert (organisation["name"], organisation["founded"]) == ("The TST", 2000)
    by_member = {(m["member"]["code"], m["since"]): m for m in organisation["members"]}
    assert by_member[("KGZ", 2000)]["sources"] == [
        {
            "document": "Correlates of War Intergovernmental Organizations data, version 3.0 "
            "(IGO-year table)",
            "locator": "organisation 9001, kyrgyzstan, 2000–2003",
            "quote": "status 1 (full member)",
        }
    ]
    in_2001 = await data_of(
        client,
        """{ organisation(acronym: "TST") {
          members(asOf: 2001) { role member { ... on State { code } } } } }""",
    )
    assert sorted((m["member"]["code"], m["role"]) for m in in_2001["organisation"]["members"]) == [
        ("ARM", "OBSERVER"),
        ("BLR", "ASSOCIATE"),
        ("KAZ", "MEMBER"),
        ("KGZ", "MEMBER"),
        ("TJK", "MEMBER"),
    ]


async def test_the_crosswalk_names_states_and_finds_our_organisations(
    client: httpx.AsyncClient, database_url: str, tmp_path: Path
) -> None:
    table = write_table(
        tmp_path / "igo.csv.gz",
        {
            # The paper's CSTO: its Kazakhstan seat (attested 2025) is the same seat.
            (1125, "CSTO"): {"kazakhstan": ["1", "1", "1", "1"], "armenia": ["1"] * 4},
            # West Germany then Germany: one state; Russia's column is the USSR until 1991.
            (9002, "OLD"): {
                "wgermany": ["1", "1", "-1", "-1"],
                "germany": ["-1", "1", "1", "1"],
                "russia": ["1", "1", "1", "1"],
            },
        },
        years=(1989, 1990, 1991, 1992),
    )
    status, output = await run("import", "cow", str(table), database_url=database_url)
    assert status == 0, output
    assert "the paper's seats, citing COW too: CSTO KAZ" in output

    old = await data_of(client, MEMBERS, {"acronym": "OLD"})
    assert sorted(members_of(old)) == [
        ("DEU", "MEMBER", 1989, None),
        ("RUS", "MEMBER", 1992, None),
        ("SUN", "MEMBER", 1989, 1992),
    ]
    assert old["organisation"]["cowNumber"] == 9002
    soviet = next(m for m in old["organisation"]["members"] if m["member"]["code"] == "SUN")
    assert soviet["member"]["codeAssignment"] == "ISO_3166_3"
    germany = next(m for m in old["organisation"]["members"] if m["member"]["code"] == "DEU")
    assert germany["sources"][0]["locator"] == "organisation 9002, germany/wgermany, 1989–1992"

    csto = await data_of(client, MEMBERS, {"acronym": "CSTO"})
    assert csto["organisation"]["cowNumber"] == 1125  # the paper's CSTO, now known to COW
    kazakhstan = [m for m in csto["organisation"]["members"] if m["member"].get("code") == "KAZ"]
    assert len(kazakhstan) == 1  # one seat, two sources
    assert kazakhstan[0]["since"] == 1989
    assert [s["document"][:12] for s in kazakhstan[0]["sources"]] == [
        "Turkey’s rol",
        "Correlates o",
    ]
    # Loading the paper again keeps what COW adds to its seats.
    status, output = await run("load", str(FIXTURES), database_url=database_url)
    assert status == 0, output
    again = await data_of(client, MEMBERS, {"acronym": "CSTO"})
    assert [m for m in again["organisation"]["members"] if m["member"].get("code") == "KAZ"] == (
        kazakhstan
    )
    # The paper's Uzbekistan facts are not COW's to change.
    uzbekistan = [m for m in csto["organisation"]["members"] if m["member"].get("code") == "UZB"]
    assert sorted((m["role"], m["since"], m["until"]) for m in uzbekistan) == [
        ("MEMBER", None, 2012),
        ("SUSPENDED", 2012, None),
    ]


async def test_reimport_changes_only_what_changed_within_the_files_scope(
    client: httpx.AsyncClient, database_url: str, tmp_path: Path
) -> None:
    first = write_table(
        tmp_path / "first.csv",
        {
            (9001, "TST"): {"kazakhstan": ["1"] * 4, "armenia": ["1"] * 4},
            (9002, "OTHER"): {"belarus": ["1"] * 4},
        },
    )
    status, output = await run("import", "cow", str(first), database_url=database_url)
    assert status == 0, output
    assert "3 added, 0 changed, 0 removed, 0 unchanged" in output
    before = await data_of(client, COUNTS)

    status, output = await run("import", "cow", str(first), database_url=database_url)
    assert status == 0, output
    assert "0 added, 0 changed, 0 removed, 3 unchanged" in output
    assert "created" not in output
    assert await data_of(client, COUNTS) == before

    # A new release of TST alone: Armenia left in 2003, Kazakhstan is gone, Belarus joined.
    second = write_table(
        tmp_path / "second.csv",
        {(9001, "TST"): {"armenia": ["1", "1", "1", "0"], "belarus": ["0", "0", "1", "1"]}},
    )
    status, output = await run("import", "cow", str(second), "--dry-run", database_url=database_url)
    assert status == 0, output
    assert "1 added, 1 changed, 1 removed, 0 unchanged" in output
    assert "Dry run: nothing was written." in output
    assert await data_of(client, COUNTS) == before

    status, output = await run("import", "cow", str(second), database_url=database_url)
    assert status == 0, output
    assert "1 added, 1 changed, 1 removed, 0 unchanged" in output
    assert sorted(members_of(await data_of(client, MEMBERS, {"acronym": "TST"}))) == [
        ("ARM", "MEMBER", 2000, 2003),
        ("BLR", "MEMBER", 2002, None),
    ]
    # OTHER is not in the second file: its seat stays.
    assert members_of(await data_of(client, MEMBERS, {"acronym": "OTHER"})) == [
        ("BLR", "MEMBER", 2000, None)
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "unmapped.csv",
            "ioname,orgname,year,ionum,kazakhstan,atlantis,lemuria\nTST,T,2000,9001,1,1,0\n",
            ":1: unmapped state column(s) atlantis, lemuria: add them to fixtures/cow/states.csv",
        ),
        (
            "status.csv",
            "ioname,orgname,year,ionum,kazakhstan,armenia\nTST,T,2000,9001,1,1\n"
            "TST,T,2001,9001,1,yes\n",
            ":3: column armenia: 'yes' is not a COW status (1, 2, 3, 0, -9, -1 or empty)",
        ),
        (
            "short.csv",
            "ioname,orgname,year,ionum,kazakhstan,armenia\nTST,T,2000,9001,1\n",
            ":2: expected 6 comma-separated fields, found 5",
        ),
        (
            "year.csv",
            "ioname,orgname,year,ionum,kazakhstan\nTST,T,2000,9001,1\nTST,T,20x1,9001,1\n",
            ":3: column year: '20x1' is not a whole number",
        ),
        (
            "twice.csv",
            "ioname,orgname,year,ionum,kazakhstan\nTST,T,2000,9001,1\nTST,T,2000,9001,0\n",
            ":3: organisation 9001 has year 2000 already (line 2)",
        ),
        (
            "header.csv",
            "name,year\nTST,2000\n",
            ":1: no column ioname, orgname, ionum: not a COW IGO-year table",
        ),
        (
            "clash.csv",
            "ioname,orgname,year,ionum,kazakhstan\nOTS,Other Turkic Society,2000,9003,1\n",
            ":2: COW organisation 9003 (OTS, Other Turkic Society) has the acronym of "
            "'Organization of Turkic States'",
        ),
        ("damaged.csv.gz", "not gzip at all", "cannot read: Not a gzipped file"),
    ],
)
async def test_a_bad_file_is_refused_whole_and_says_where(
    client: httpx.AsyncClient,
    database_url: str,
    tmp_path: Path,
    name: str,
    content: str,
    expected: str,
) -> None:
    before = await data_of(client, COUNTS)
    # Every problem comes after a good row: nothing of those is written either.
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    status, output = await run("import", "cow", str(path), database_url=database_url)
    assert status == 1, output
    assert "Nothing was imported" in output
    assert expected in output
    assert await data_of(client, COUNTS) == before
