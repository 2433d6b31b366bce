"""Read a SIPRI export as users have it: as SIPRI wrote it, or re-saved by a spreadsheet.

SIPRI writes ISO-8859-1 text with a preamble (the selection on the first line, notes,
`Source:`, `Data generated:`) before the header; fields are never quoted. Two layouts occur:

- the trade register: one line per deal, each value column possibly followed by an unnamed
  column holding `?` when the value is an estimate; a line break inside Comments splits a deal
  over two physical lines, which are joined here;
- the deliveries list: one line per deal and delivery year, with SIPRI's deal id (`SIPRI AT
  Database ID`), no number ordered and no comments; its lines are summed into one deal.

Columns are found by name, so a reordered header reads the same; a header that lacks a column
or has one neither layout knows is refused naming them. A spreadsheet re-save loses the
preamble, may add trailing separators, switch to `;`, quote fields and write UTF-8 (with or
without BOM) or Windows-1252: all read the same, but the release date must then be given.
Empty is not zero: an empty `Number ordered` is "not yet available", an empty TIV is "no
data" (for delivered TIV: no deliveries identified), and both stay None.
"""

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from api.models.enums import TransferCondition, WeaponCategory
from api.sipri.selection import Selection, parse_selection

FLAG = "?"  # the unnamed estimate column that follows some register columns


class Layout(StrEnum):
    REGISTER = "register"
    DELIVERIES = "deliveries"


# Column names as SIPRI writes them; FLAG stands for the unnamed `?` column after the name
# before it. Matching ignores case and surrounding spaces.
REGISTER = (
    "Recipient",
    "Supplier",
    "Year of order",
    FLAG,
    "Number ordered",
    FLAG,
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    FLAG,
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
)
DELIVERIES = (
    "SIPRI AT Database ID",
    "Supplier",
    "Recipient",
    "Designation",
    "Description",
    "Armament category",
    "Order date",
    "Order date is estimate",
    "Numbers delivered",
    "Numbers delivered is estimate",
    "Delivery year",
    "Delivery year is estimate",
    "Status",
    "SIPRI estimate",
    "TIV deal unit",
    "TIV delivery values",
    "Local production",
)
HEADER = REGISTER  # the register's header as SIPRI writes it, unnamed columns blank
FIELDS = len(REGISTER)
# What the deliveries list does not carry: an import leaves these as they are.
ABSENT = {
    Layout.REGISTER: frozenset[str](),
    Layout.DELIVERIES: frozenset(
        {"number_ordered", "number_ordered_estimated", "comments", "tiv_total_order"}
    ),
}
CONDITIONS = {
    "new": TransferCondition.NEW,
    "second hand": TransferCondition.SECOND_HAND,
    "second hand but modernized": TransferCondition.SECOND_HAND_MODERNISED,
}
CATEGORIES = {
    "aircraft": WeaponCategory.AIRCRAFT,
    "air defence systems": WeaponCategory.AIR_DEFENCE_SYSTEMS,
    "anti-submarine warfare": WeaponCategory.ANTI_SUBMARINE_WARFARE,
    "armoured vehicles": WeaponCategory.ARMOURED_VEHICLES,
    "artillery": WeaponCategory.ARTILLERY,
    "engines": WeaponCategory.ENGINES,
    "missiles": WeaponCategory.MISSILES,
    "naval weapons": WeaponCategory.NAVAL_WEAPONS,
    "satellites": WeaponCategory.SATELLITES,
    "sensors": WeaponCategory.SENSORS,
    "ships": WeaponCategory.SHIPS,
    "other": WeaponCategory.OTHER,
}
_GENERATED = re.compile(r"^Data generated:\s*(.+?)\s*$")
_GENERATED_FORMATS = ("%d %b %Y %I:%M:%S %p", "%d %B %Y %I:%M:%S %p", "%d %b %Y %H:%M:%S")
_HEADER_SEARCH = 30  # lines: SIPRI's preamble is 11


@dataclass(frozen=True)
class Edition:
    """When an export was made: SIPRI stamps every export with its date and time."""

    generated: datetime
    stamp: str  # as SIPRI wrote it: "13 Oct 2024 2:20:11 PM"

    @property
    def day(self) -> date:
        return self.generated.date()

    @property
    def release(self) -> int:
        """SIPRI publishes one release a year, in March: an export made before March is of
        the previous year's release, so exports of one release compare as equals."""
        return self.day.year if self.day.month >= 3 else self.day.year - 1

    @property
    def document_key(self) -> str:
        return f"sipri-trade-register-{self.day.isoformat()}"


@dataclass(frozen=True)
class SipriRow:
    """One deal, every SIPRI field kept; `line`/`end_line` are 1-based physical lines."""

    line: int
    end_line: int
    recipient: str
    supplier: str
    order_year: int
    order_year_estimated: bool
    number_ordered: int | None
    number_ordered_estimated: bool
    designation: str
    description: str
    number_delivered: int | None
    number_delivered_estimated: bool
    delivery_years: tuple[int, ...]
    condition: TransferCondition
    comments: str | None
    tiv_per_unit: float | None
    tiv_total_order: float | None
    tiv_delivered: float | None
    sipri_id: str | None = None  # the deliveries list's deal id
    category: WeaponCategory | None = None  # where the export states it

    @property
    def locator(self) -> str:
        where = f"line {self.line}" if self.end_line == self.line else None
        where = where or f"lines {self.line}-{self.end_line}"
        return where if self.sipri_id is None else f"SIPRI AT Database ID {self.sipri_id}, {where}"


@dataclass
class Register:
    """A whole export: when it was made, what it selected, its deals, and what was wrong."""

    path: Path
    edition: Edition | None
    rows: list[SipriRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lines: int = 0
    layout: Layout = Layout.REGISTER
    selection: Selection | None = None  # None: the first line is gone (a re-saved file)
    encoding: str = "iso-8859-1"
    preamble: bool = True

    @property
    def absent(self) -> frozenset[str]:
        return ABSENT[self.layout]


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (a BOM dropped) when it decodes strictly, else
    Windows-1252 (a superset of SIPRI's ISO-8859-1 for text), else ISO-8859-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("iso-8859-1"), "iso-8859-1"


class _BadField(ValueError):
    pass


def _flag(value: str, name: str) -> bool:
    if value not in ("", "?"):
        raise _BadField(f"{name}: uncertainty flag must be empty or '?', got {value!r}")
    return value == "?"


def _yes_no(value: str, name: str) -> bool:
    if value.lower() not in ("yes", "no"):
        raise _BadField(f"{name}: {value!r} is not Yes or No")
    return value.lower() == "yes"


def _is_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()  # faster than a regex, and as strict


def _year(value: str, name: str) -> int:
    if len(value) != 4 or not _is_digits(value):
        raise _BadField(f"{name}: {value!r} is not a year")
    return int(value)


def _count(value: str, name: str) -> int | None:
    if value == "":
        return None
    if not _is_digits(value):
        raise _BadField(f"{name}: {value!r} is not a whole number")
    return int(value)


def _tiv(value: str, name: str) -> float | None:
    if value == "":
        return None
    whole, _, fraction = value.partition(".")
    if not (_is_digits(whole) and (not fraction or _is_digits(fraction))):
        raise _BadField(f"{name}: {value!r} is not a number")
    return float(value)


def _years(value: str, name: str) -> tuple[int, ...]:
    if value == "":
        return ()
    return tuple(_year(part.strip(), name) for part in value.split(";"))


def _required(value: str, name: str) -> str:
    if not value:
        raise _BadField(f"{name}: empty")
    return value


def _condition(value: str, name: str) -> TransferCondition:
    condition = CONDITIONS.get(value.lower())
    if condition is None:
        raise _BadField(f"{name}: {value!r} is not New, Second hand or Second hand but modernized")
    return condition


def parse_row(fields: list[str], line: int, end_line: int) -> SipriRow:
    """One register deal from its 16 fields in SIPRI's order; raises ValueError naming the
    first bad field."""
    f = [value.strip() for value in fields]
    return SipriRow(
        line=line,
        end_line=end_line,
        recipient=_required(f[0], "Recipient"),
        supplier=_required(f[1], "Supplier"),
        order_year=_year(f[2], "Year of order"),
        order_year_estimated=_flag(f[3], "Year of order"),
        number_ordered=_count(f[4], "Number ordered"),
        number_ordered_estimated=_flag(f[5], "Number ordered"),
        designation=_required(f[6], "Weapon designation"),
        description=_required(f[7], "Weapon description"),
        number_delivered=_count(f[8], "Number delivered"),
        number_delivered_estimated=_flag(f[9], "Number delivered"),
        delivery_years=_years(f[10], "Year(s) of delivery"),
        condition=_condition(f[11], "status"),
        comments=f[12] or None,
        tiv_per_unit=_tiv(f[13], "SIPRI TIV per unit"),
        tiv_total_order=_tiv(f[14], "SIPRI TIV for total order"),
        tiv_delivered=_tiv(f[15], "SIPRI TIV of delivered weapons"),
    )


@dataclass(frozen=True)
class _Delivery:
    """One line of the deliveries list: a deal's deliveries in one year."""

    line: int
    deal: tuple[str, ...]  # every field that is the deal's, not the year's
    number: int | None
    estimated: bool
    year: int
    tiv: float | None


def _delivery(f: list[str], line: int) -> _Delivery:
    category = CATEGORIES.get(f[5].lower())
    if category is None:
        raise _BadField(f"Armament category: {f[5]!r} is not one of SIPRI's categories")
    _year(f[6], "Order date")
    _yes_no(f[7], "Order date is estimate")
    _condition(f[12], "Status")
    _tiv(f[14], "TIV deal unit")
    deal = (
        _required(f[0], "SIPRI AT Database ID"),
        _required(f[1], "Supplier"),
        _required(f[2], "Recipient"),
        _required(f[3], "Designation"),
        _required(f[4], "Description"),
        category.value,
        f[6],
        f[7],
        f[12],
        f[14],
    )
    return _Delivery(
        line=line,
        deal=deal,
        number=_count(f[8], "Numbers delivered"),
        estimated=_yes_no(f[9], "Numbers delivered is estimate"),
        year=_year(f[10], "Delivery year"),
        tiv=_tiv(f[15], "TIV delivery values"),
    )


def _deal_of(deliveries: list[_Delivery]) -> SipriRow:
    sipri_id, supplier, recipient, designation, description, category, order, order_estimated = (
        deliveries[0].deal[:8]
    )
    condition, unit = deliveries[0].deal[8:]
    numbers = [d.number for d in deliveries if d.number is not None]
    tivs = [d.tiv for d in deliveries if d.tiv is not None]
    lines = [d.line for d in deliveries]
    return SipriRow(
        line=min(lines),
        end_line=max(lines),
        recipient=recipient,
        supplier=supplier,
        order_year=int(order),
        order_year_estimated=order_estimated.lower() == "yes",
        number_ordered=None,
        number_ordered_estimated=False,
        designation=designation,
        description=description,
        number_delivered=sum(numbers) if numbers else None,
        number_delivered_estimated=any(d.estimated for d in deliveries),
        delivery_years=tuple(sorted({d.year for d in deliveries})),
        condition=_condition(condition, "Status"),
        comments=None,
        tiv_per_unit=_tiv(unit, "TIV deal unit"),
        tiv_total_order=None,
        tiv_delivered=round(sum(tivs), 4) if tivs else None,
        sipri_id=sipri_id,
        category=WeaponCategory(category),
    )


def _edition(preamble: list[str]) -> Edition | None:
    for text in preamble:
        match = _GENERATED.match(text.strip())
        if not match:
            continue
        stamp = match.group(1)
        for fmt in _GENERATED_FORMATS:
            try:
                return Edition(datetime.strptime(stamp, fmt), stamp)  # noqa: DTZ007 (SIPRI gives no zone)
            except ValueError:
                continue
    return None


def _split(text: str, delimiter: str) -> list[str]:
    if delimiter == ",":
        text = text.rstrip(";\t ")  # a `;` re-save of a comma file pads every line with `;`
    if '"' not in text:  # SIPRI never quotes: a plain split is the same, and faster
        return text.split(delimiter)
    return next(csv.reader([text], delimiter=delimiter), [])


def _trim(fields: list[str], width: int) -> list[str]:
    """Drop trailing empty fields beyond the header's width (a spreadsheet's padding)."""
    while len(fields) > width and not fields[-1].strip():
        fields.pop()
    return fields


@dataclass(frozen=True)
class _Header:
    line: int  # 0-based index
    delimiter: str
    layout: Layout
    columns: tuple[int, ...]  # file column of each layout column, in the layout's order
    width: int


def _find_header(lines: list[str]) -> tuple[_Header | None, list[str]]:
    """The header line, its delimiter and where each column stands; or the problems with the
    line that looks like a header (it names Recipient and Supplier)."""
    for i, text in enumerate(lines[:_HEADER_SEARCH]):
        for delimiter in (",", ";", "\t"):
            names = [name.strip() for name in _trim(_split(text, delimiter), 0)]
            lowered = [name.lower() for name in names]
            if "recipient" not in lowered or "supplier" not in lowered:
                continue
            layout = Layout.DELIVERIES if DELIVERIES[0].lower() in lowered else Layout.REGISTER
            columns, problems = _columns(names, layout)
            if problems or columns is None:
                return None, [f"line {i + 1}: {problem}" for problem in problems]
            return _Header(i, delimiter, layout, columns, len(names)), []
    return None, []


def _columns(names: list[str], layout: Layout) -> tuple[tuple[int, ...] | None, list[str]]:
    expected = REGISTER if layout is Layout.REGISTER else DELIVERIES
    where = {name.lower(): i for i, name in enumerate(names) if name}
    columns: list[int] = []
    missing: list[str] = []
    for n, name in enumerate(expected):
        if name == FLAG:
            before = expected[n - 1]
            index = where.get(before.lower())
            if index is not None and (index + 1 >= len(names) or names[index + 1]):
                missing.append(f"the unnamed '?' column after {before!r}")
            columns.append(-1 if index is None else index + 1)
        elif name.lower() in where:
            columns.append(where[name.lower()])
        else:
            missing.append(repr(name))
    known = {name.lower() for name in expected if name != FLAG}
    unknown = [repr(name) for name in names if name and name.lower() not in known]
    problems = []
    if missing:
        problems.append(f"the header lacks {', '.join(missing)}")
    if unknown:
        problems.append(f"the header has column(s) no SIPRI export has: {', '.join(unknown)}")
    if problems:
        return None, [*problems, f"expected the columns {', '.join(map(repr, expected))}"]
    return tuple(columns), []


def _records(lines: list[str], header: _Header) -> Iterator[tuple[int, int, list[str] | None, int]]:
    """(first line, last line, fields in the layout's order, fields found) per record from
    the header on; fields is None for a line that cannot be a record even joined with the
    next (a register deal split inside Comments)."""
    width = header.width
    i = header.line + 1
    while i < len(lines):
        text = lines[i]
        if not text.strip(" \t,;"):
            i += 1
            continue
        raw = _split(text, header.delimiter)
        parts = _trim(list(raw), 0)  # a spreadsheet pads lines, split ones too
        end = i
        # A line break in Comments: the fragments add up to one line of the header's width.
        while len(parts) < width and end + 1 < len(lines) and lines[end + 1].strip(" \t,;"):
            following = _trim(_split(lines[end + 1], header.delimiter), 0)
            joined = parts[:-1] + [f"{parts[-1]} {following[0] if following else ''}".strip()]
            if len(following) >= width or len(joined) + len(following) - 1 > width:
                break
            parts = joined + following[1:]
            end += 1
        if len(parts) < width and end == i and len(raw) >= width:
            parts += [""] * (width - len(parts))  # its last fields were empty
        found = len(parts) if end > i or len(raw) >= width else len(raw)
        fields = [parts[c] for c in header.columns] if found == width else None
        yield i + 1, end + 1, fields, found
        i = end + 1


def read_register(
    path: Path,
    progress: Callable[[int, int], None] | None = None,
    *,
    generated: date | None = None,
) -> Register:
    """Parse a whole export; every bad line is listed in `problems` with its line number.
    `generated` is the date the export was made, for a file whose stamp a re-save lost."""
    text, encoding = decode(path.read_bytes())
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header, header_problems = _find_header(lines)
    end = header.line if header is not None else _HEADER_SEARCH
    register = Register(path, _edition(lines[:end]), encoding=encoding)
    register.lines = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
    register.preamble = header is not None and header.line > 0
    if register.preamble:
        register.selection = parse_selection(lines[0])
    if header is None:
        register.problems.extend(f"{path}:{problem}" for problem in header_problems)
        if not header_problems:
            register.problems.append(
                f"{path}: no header line naming the columns {', '.join(HEADER[:3])} … in its "
                f"first {_HEADER_SEARCH} lines: not a SIPRI trade-register export"
            )
        return register
    register.layout = header.layout
    _check_edition(register, generated)
    groups: dict[str, list[_Delivery]] = defaultdict(list)
    for line, end_line, fields, found in _records(lines, header):
        if progress is not None and line % 1000 == 0:
            progress(line, register.lines)
        if fields is None:
            register.problems.append(
                f"{path}:{line}: expected {header.width} fields separated by "
                f"{header.delimiter!r}, found {found}"
            )
            continue
        try:
            if header.layout is Layout.REGISTER:
                register.rows.append(parse_row(fields, line, end_line))
            else:
                delivery = _delivery([value.strip() for value in fields], line)
                groups[delivery.deal[0]].append(delivery)
        except _BadField as error:
            register.problems.append(f"{path}:{line}: {error}")
    for sipri_id, deliveries in groups.items():
        if len({d.deal for d in deliveries}) > 1:
            lines_of = ", ".join(str(d.line) for d in deliveries[:5])
            register.problems.append(
                f"{path}: SIPRI AT Database ID {sipri_id}: lines {lines_of} disagree about "
                "the deal (supplier, recipient, weapon, order date, status or unit TIV)"
            )
            continue
        register.rows.append(_deal_of(deliveries))
    if not register.rows and not register.problems:
        register.problems.append(
            f"{path}: the export holds no deals (a header and no lines after it): importing "
            "it would say every deal was removed"
        )
    if progress is not None:
        progress(register.lines, register.lines)
    return register


def _check_edition(register: Register, generated: date | None) -> None:
    path, edition = register.path, register.edition
    if generated is not None:
        if edition is not None and edition.day != generated:
            register.problems.append(
                f"{path}: the file says 'Data generated: {edition.stamp}', not {generated}: "
                "leave out --data-generated or correct it"
            )
        elif edition is None:
            register.edition = Edition(
                datetime(generated.year, generated.month, generated.day),  # noqa: DTZ001
                generated.isoformat(),
            )
        return
    if edition is not None:
        return
    if register.preamble:
        register.problems.append(
            f"{path}: no 'Data generated: …' line before the header: cannot tell the edition; "
            "pass --data-generated YYYY-MM-DD"
        )
    else:
        register.problems.append(
            f"{path}: the header is on line 1: SIPRI's preamble (selection and 'Data "
            "generated' date) is gone, as when a spreadsheet re-saves the file; pass "
            "--data-generated YYYY-MM-DD with the date the export was made"
        )
