"""Reading SIPRI's export as it comes: preamble, `?` columns, empty vs zero, split lines."""

from datetime import date
from pathlib import Path

import pytest

from api.models.enums import TransferCondition, TransferStatus, WeaponCategory
from api.settings import PROJECT_ROOT
from api.sipri.crosswalk import ActorKind, Crosswalk
from api.sipri.identity import slug
from api.sipri.importer import transfer_status
from api.sipri.reader import Layout, SipriRow, read_register

DATA = PROJECT_ROOT / "tests" / "data" / "sipri"
REAL_EDITION = PROJECT_ROOT / "fixtures" / "sipri" / "trade-register-2024-10.csv"


def _row(register_rows: list[SipriRow], designation: str) -> SipriRow:
    [row] = [r for r in register_rows if r.designation == designation]
    return row


def test_the_edition_comes_from_the_data_generated_stamp() -> None:
    register = read_register(DATA / "small.csv")

    assert register.problems == []
    assert register.edition is not None
    assert register.edition.stamp == "13 Oct 2024 2:20:11 PM"
    assert register.edition.document_key == "sipri-trade-register-2024-10-13"


def test_uncertainty_columns_belong_to_the_value_before_them() -> None:
    rows = read_register(DATA / "small.csv").rows

    akinci = _row(rows, "Akinci")
    assert (akinci.order_year, akinci.order_year_estimated) == (2022, True)
    assert (akinci.number_ordered, akinci.number_ordered_estimated) == (2, True)
    assert (akinci.number_delivered, akinci.number_delivered_estimated) == (2, True)
    awacs = _row(rows, "E-3A AWACS")
    flags = (awacs.order_year_estimated, awacs.number_ordered_estimated)
    assert flags == (False, False)
    assert awacs.number_delivered_estimated is False
    assert awacs.delivery_years == (1982, 1983, 1984, 1985)


def test_empty_is_not_zero() -> None:
    rows = read_register(DATA / "small.csv").rows

    an2 = _row(rows, "An-2")  # Number ordered empty: not yet available
    assert an2.number_ordered is None
    assert an2.tiv_total_order is None
    strela = _row(rows, "Strela-2")  # delivered TIV 0: between 0 and 0.5 million
    assert strela.tiv_delivered == 0.0
    kornet = _row(rows, "Kornet")  # delivered TIV empty: no deliveries identified
    assert kornet.tiv_delivered is None
    assert kornet.number_delivered == 0
    assert kornet.delivery_years == ()
    licence = _row(rows, "5N62V")  # SIPRI's 0 ordered: an open-ended order
    assert licence.number_ordered == 0


def test_a_deal_split_by_a_line_break_in_comments_is_one_deal() -> None:
    register = read_register(DATA / "small.csv")

    btr = _row(register.rows, "BTR-3")
    assert (btr.line, btr.end_line, btr.locator) == (16, 17, "lines 16-17")
    assert btr.comments is not None
    assert btr.comments.endswith("redesign for other engines")
    assert (btr.tiv_per_unit, btr.tiv_total_order, btr.tiv_delivered) == (0.25, 3.5, 3.25)
    assert len(register.rows) == 12


def test_iso_8859_1_text_is_decoded() -> None:
    rows = read_register(DATA / "small.csv").rows

    assert _row(rows, "Bü-181 Bestmann").condition is TransferCondition.SECOND_HAND


def test_a_utf8_copy_reads_the_same(tmp_path: Path) -> None:
    copy = tmp_path / "small.csv"
    copy.write_bytes((DATA / "small.csv").read_bytes().decode("iso-8859-1").encode("utf-8"))

    assert read_register(copy).rows == read_register(DATA / "small.csv").rows


def test_bad_lines_are_named_by_number() -> None:
    register = read_register(DATA / "bad-lines.csv")

    path = DATA / "bad-lines.csv"
    assert register.problems == [
        f"{path}:14: Year of order: '20x1' is not a year",
        f"{path}:15: expected 16 fields separated by ',', found 10",
        f"{path}:17: status: 'Used' is not New, Second hand or Second hand but modernized",
    ]
    assert [r.line for r in register.rows] == [13, 16]


def test_a_file_without_the_stamp_or_header_is_refused(tmp_path: Path) -> None:
    no_stamp = tmp_path / "no-stamp.csv"
    lines = (DATA / "small.csv").read_bytes().decode("iso-8859-1").splitlines()
    no_stamp.write_text("\n".join(line for line in lines if "Data generated" not in line))
    not_sipri = tmp_path / "other.csv"
    not_sipri.write_text("a,b,c\n1,2,3\n")

    assert read_register(no_stamp).problems == [
        f"{no_stamp}: no 'Data generated: …' line before the header: cannot tell the edition; "
        "pass --data-generated YYYY-MM-DD"
    ]
    [problem] = read_register(not_sipri).problems
    assert "not a SIPRI trade-register export" in problem


def test_the_real_edition_reads_cleanly() -> None:
    register = read_register(REAL_EDITION)

    assert register.problems == []
    assert register.lines == 27965
    # 27,949 one-line deals and two split over two lines each.
    assert len(register.rows) == 27951
    assert sum(1 for r in register.rows if r.end_line > r.line) == 2


def test_every_name_and_description_of_the_real_edition_is_mapped() -> None:
    register = read_register(REAL_EDITION)
    crosswalk = Crosswalk.load()

    names = {r.recipient for r in register.rows} | {r.supplier for r in register.rows}
    assert names - set(crosswalk.actors) == set()
    descriptions = {r.description.lower() for r in register.rows}
    assert descriptions - set(crosswalk.weapon_categories) == set()


def test_the_crosswalk_never_makes_a_country_of_an_organisation_or_group() -> None:
    actors = Crosswalk.load().actors

    for name, entry in actors.items():
        if name.endswith("**"):
            assert entry.kind is ActorKind.ORGANISATION, name
        elif name.endswith("*"):
            assert entry.kind is ActorKind.NON_STATE_ACTOR, name
    assert actors["Soviet Union"].code == "SUN"
    assert actors["PKK (Turkiye)*"].country == "TUR"
    assert actors["unknown supplier(s)"].kind is ActorKind.UNKNOWN


@pytest.mark.parametrize(
    ("designation", "status"),
    [
        ("Kornet", TransferStatus.ORDERED),
        ("Akinci", TransferStatus.DELIVERED),
        ("BTR-3", TransferStatus.PARTLY_DELIVERED),
        ("An-2", TransferStatus.PARTLY_DELIVERED),
    ],
)
def test_status_follows_the_numbers(designation: str, status: TransferStatus) -> None:
    rows = read_register(DATA / "small.csv").rows

    assert transfer_status(_row(rows, designation)) is status


def test_slugs_are_ascii() -> None:
    assert slug("Bü-181 Bestmann") == "bu-181-bestmann"
    assert slug("unknown supplier(s)") == "unknown-supplier-s"


def _resaved(tmp_path: Path, encoding: str, delimiter: str, pad: int) -> Path:
    """small.csv as a spreadsheet writes it back: no preamble, quoted where needed."""
    lines = (DATA / "small.csv").read_bytes().decode("iso-8859-1").splitlines()[11:]
    out = []
    for line in lines:
        fields = line.split(",")
        quoted = [f'"{f}"' if delimiter in f or '"' in f else f for f in fields]
        out.append(delimiter.join(quoted) + delimiter * pad)
    path = tmp_path / f"resaved-{encoding}.csv"
    path.write_bytes("\r\n".join(out).encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "delimiter", "pad"),
    [("utf-8-sig", ",", 0), ("cp1252", ";", 37), ("utf-8", ",", 41)],
)
def test_a_spreadsheet_re_save_reads_the_same_given_its_date(
    tmp_path: Path, encoding: str, delimiter: str, pad: int
) -> None:
    path = _resaved(tmp_path, encoding, delimiter, pad)
    original = read_register(DATA / "small.csv")

    refused = read_register(path)
    [problem] = refused.problems
    assert "the header is on line 1" in problem
    assert "--data-generated YYYY-MM-DD" in problem
    register = read_register(path, generated=date(2024, 10, 13))

    assert register.problems == []
    assert register.selection is None  # the first line is gone: the import removes nothing
    assert [r.designation for r in register.rows] == [r.designation for r in original.rows]
    assert [(r.comments, r.tiv_delivered) for r in register.rows] == [
        (r.comments, r.tiv_delivered) for r in original.rows
    ]


def test_a_stated_date_must_agree_with_the_stamp() -> None:
    [problem] = read_register(DATA / "small.csv", generated=date(2025, 1, 1)).problems

    assert "says 'Data generated: 13 Oct 2024 2:20:11 PM', not 2025-01-01" in problem


def test_reordered_columns_are_read_by_name(tmp_path: Path) -> None:
    lines = (DATA / "small.csv").read_bytes().decode("iso-8859-1").splitlines()
    order = [1, 0, *range(2, 16)]  # Supplier before Recipient
    moved = [
        ",".join(line.split(",")[i] for i in order) for line in lines[11:] if line.count(",") == 15
    ]
    path = tmp_path / "reordered.csv"
    path.write_text("\n".join([*lines[:11], *moved]), encoding="utf-8")

    register = read_register(path)

    assert register.problems == []
    akinci = _row(register.rows, "Akinci")
    assert (akinci.recipient, akinci.supplier) == ("Kyrgyzstan", "Turkiye")


def test_a_header_missing_or_adding_columns_is_refused_naming_them(tmp_path: Path) -> None:
    lines = (DATA / "small.csv").read_bytes().decode("iso-8859-1").splitlines()
    header = lines[11].replace("Comments", "Remarks")
    path = tmp_path / "renamed.csv"
    path.write_text("\n".join([*lines[:11], header, *lines[12:]]), encoding="utf-8")

    problems = read_register(path).problems

    assert problems[0] == f"{path}:line 12: the header lacks 'Comments'"
    assert problems[1] == f"{path}:line 12: the header has column(s) no SIPRI export has: 'Remarks'"


def test_an_export_without_deals_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\n".join((DATA / "small.csv").read_bytes().splitlines()[:12]))

    [problem] = read_register(path).problems

    assert "the export holds no deals" in problem


def test_the_deliveries_list_sums_a_deal_over_its_years() -> None:
    register = read_register(DATA / "deliveries-2024-04.csv")

    assert register.problems == []
    assert register.layout is Layout.DELIVERIES
    [tb2] = [r for r in register.rows if r.sipri_id == "64964"]
    assert tb2.designation == "Bayraktar TB-2"
    assert (tb2.number_delivered, tb2.delivery_years, tb2.tiv_delivered) == (3, (2021, 2022), 7.2)
    assert tb2.number_ordered is None  # the layout has no number ordered
    assert tb2.category is WeaponCategory.AIRCRAFT
    assert register.selection is not None
    assert (register.selection.start, register.selection.end) == (1990, 2023)


def test_every_name_and_description_of_the_shared_exports_is_mapped() -> None:
    crosswalk = Crosswalk.load()
    for name in (
        "trade-register-2024-04-orders-1950-1989.csv",
        "trade-register-2024-04-orders-1990-2023.csv",
        "trade-register-2025-10-deliveries-1950-2025.csv",
    ):
        register = read_register(DATA / name)

        assert register.problems == [], name
        names = {r.recipient for r in register.rows} | {r.supplier for r in register.rows}
        assert names - set(crosswalk.actors) == set(), name
        # Abbreviated and spelt-out descriptions alike ("APC", "armoured personnel carrier").
        unknown = {
            r.description for r in register.rows if crosswalk.category(r.description) is None
        }
        assert unknown == set(), name
    assert crosswalk.category("armoured personnel carrier") == crosswalk.category("APC")
    assert crosswalk.category("Infantry  fighting vehicle") == crosswalk.category("IFV")
