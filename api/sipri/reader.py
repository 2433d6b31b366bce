"""Read a SIPRI trade-register CSV export exactly as SIPRI writes it.

The export is ISO-8859-1 text with a preamble (selection, notes, `Source:`, `Data generated:`)
before the header; fields are never quoted, so SIPRI keeps commas out of them. Each value
column may be followed by an unnamed column holding `?` when the value is an estimate. A
line break inside Comments splits a deal over two physical lines, which are joined here.
Empty is not zero: an empty `Number ordered` is "not yet available", an empty TIV is "no
data" (for delivered TIV: no deliveries identified), and both stay None.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from api.models.enums import TransferCondition

HEADER = (
    "Recipient",
    "Supplier",
    "Year of order",
    "",
    "Number ordered",
    "",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    "",
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
)
FIELDS = len(HEADER)
CONDITIONS = {
    "new": TransferCondition.NEW,
    "second hand": TransferCondition.SECOND_HAND,
    "second hand but modernized": TransferCondition.SECOND_HAND_MODERNISED,
}
_GENERATED = re.compile(r"^Data generated:\s*(.+?)\s*$")
_GENERATED_FORMATS = ("%d %b %Y %I:%M:%S %p", "%d %B %Y %I:%M:%S %p", "%d %b %Y %H:%M:%S")


@dataclass(frozen=True)
class Edition:
    """Which release of the database a file is: SIPRI stamps every export with its date."""

    generated: datetime
    stamp: str  # as SIPRI wrote it: "13 Oct 2024 2:20:11 PM"

    @property
    def day(self) -> date:
        return self.generated.date()

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

    @property
    def locator(self) -> str:
        if self.end_line == self.line:
            return f"line {self.line}"
        return f"lines {self.line}-{self.end_line}"


@dataclass
class Register:
    """A whole export: its edition, its deals and whatever was wrong with it, by line."""

    path: Path
    edition: Edition | None
    rows: list[SipriRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lines: int = 0


def decode(data: bytes) -> str:
    """SIPRI writes ISO-8859-1; a file re-saved as UTF-8 (it then decodes strictly) is too."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")


class _BadField(ValueError):
    pass


def _flag(value: str, name: str) -> bool:
    if value not in ("", "?"):
        raise _BadField(f"{name}: uncertainty flag must be empty or '?', got {value!r}")
    return value == "?"


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


def parse_row(fields: list[str], line: int, end_line: int) -> SipriRow:
    """One deal from its 16 fields; raises ValueError naming the first bad field."""
    f = [value.strip() for value in fields]
    condition = CONDITIONS.get(f[11].lower())
    if condition is None:
        raise _BadField(f"status: {f[11]!r} is not New, Second hand or Second hand but modernized")
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
        condition=condition,
        comments=f[12] or None,
        tiv_per_unit=_tiv(f[13], "SIPRI TIV per unit"),
        tiv_total_order=_tiv(f[14], "SIPRI TIV for total order"),
        tiv_delivered=_tiv(f[15], "SIPRI TIV of delivered weapons"),
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


def _is_header(text: str) -> bool:
    return tuple(part.strip() for part in text.split(",")) == HEADER


def _records(lines: list[str], first: int) -> Iterator[tuple[int, int, list[str] | None]]:
    """(first line, last line, fields) per deal from line index `first` on; fields is None for a
    line that cannot be a deal even joined with the next (a split inside Comments)."""
    i = first
    while i < len(lines):
        text = lines[i]
        if not text.strip():
            i += 1
            continue
        parts = text.split(",")
        end = i
        # A line break in Comments: the fragments add up to one line of 16 fields.
        while len(parts) < FIELDS and end + 1 < len(lines) and lines[end + 1].strip():
            joined = parts[:-1] + [f"{parts[-1]} {lines[end + 1].split(',', 1)[0]}".strip()]
            rest = lines[end + 1].split(",")[1:]
            if len(joined) + len(rest) > FIELDS:
                break
            parts = joined + rest
            end += 1
        yield i + 1, end + 1, parts if len(parts) == FIELDS else None
        i = end + 1


def read_register(path: Path, progress: Callable[[int, int], None] | None = None) -> Register:
    """Parse a whole export; every bad line is listed in `problems` with its line number."""
    text = decode(path.read_bytes())
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header = next((i for i, line in enumerate(lines) if _is_header(line)), None)
    register = Register(path, _edition(lines[: header if header is not None else 20]))
    register.lines = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
    if header is None:
        register.problems.append(
            f"{path}: no header line {','.join(HEADER)!r}: not a SIPRI trade-register export"
        )
        return register
    if register.edition is None:
        register.problems.append(
            f"{path}: no 'Data generated: …' line before the header: cannot tell the edition"
        )
    for line, end_line, fields in _records(lines, header + 1):
        if progress is not None and line % 1000 == 0:
            progress(line, register.lines)
        if fields is None:
            count = len(lines[line - 1].split(","))
            register.problems.append(
                f"{path}:{line}: expected {FIELDS} comma-separated fields, found {count}"
            )
            continue
        try:
            register.rows.append(parse_row(fields, line, end_line))
        except _BadField as error:
            register.problems.append(f"{path}:{line}: {error}")
    if progress is not None:
        progress(register.lines, register.lines)
    return register
