"""Read the COW IGO-year table as COW distributes it: CSV, or CSV compressed with gzip.

One row per organisation and year; every column that is not one of COW's organisation columns
(`ioname`, `year`, `ionum`, `sdate` …) is a state, holding that state's status that year:
1 full member, 2 associate, 3 observer, 0 not a member, -9 missing, -1 not a state then,
empty where nothing is recorded (kept as -1: unknown, like -1).
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

# COW's organisation columns; every other column is a state.
ORGANISATION_COLUMNS = (
    "ioname",
    "orgname",
    "year",
    "sdate",
    "deaddate",
    "dead",
    "integrated",
    "replaced",
    "longorgname",
    "ionum",
    "igocode",
    "version",
    "accuracyofpre1965membershipdates",
    "sourcesandnotes",
    "imputed",
    "political",
    "social",
    "economic",
)
REQUIRED = ("ioname", "orgname", "year", "ionum")
STATUS = {"1": 1, "2": 2, "3": 3, "0": 0, "-9": -9, "-1": -1, "": -1}
MAX_PROBLEMS = 50


@dataclass
class CowOrganisation:
    """One organisation's rows: its names and, per year, every state column's status."""

    number: int
    short_name: str
    name: str
    long_name: str
    founded: int | None
    line: int  # its first line in the file
    years: dict[int, array[int]] = field(default_factory=dict)
    lines: dict[int, int] = field(default_factory=dict)  # year -> line


@dataclass
class IgoTable:
    """A whole file: its state columns, organisations and whatever was wrong, by line."""

    path: Path
    columns: list[str] = field(default_factory=list)
    organisations: dict[int, CowOrganisation] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def last_year(self) -> int:
        return max((max(o.years) for o in self.organisations.values() if o.years), default=0)

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append(f"{self.path}: more problems not listed")


class _BadField(ValueError):
    pass


def _int(value: str, name: str) -> int:
    text = value.strip()
    if not (text.lstrip("-").isascii() and text.lstrip("-").isdigit()):
        raise _BadField(f"column {name}: {value!r} is not a whole number")
    return int(text)


def _text(raw: BinaryIO, path: Path) -> io.TextIOWrapper:
    """The file as text, through gzip for a `.gz` name."""
    stream = gzip.GzipFile(fileobj=raw, mode="rb") if path.name.endswith(".gz") else raw
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def _rows(handle: io.TextIOWrapper) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(handle)
    for fields in reader:
        yield reader.line_num, fields


def read_table(path: Path, progress: Callable[[int, int], None] | None = None) -> IgoTable:
    """Parse a whole file; every bad line is listed in `problems` with its line and column."""
    table = IgoTable(path)
    total = 0
    try:
        with path.open("rb") as raw, _text(raw, path) as handle:
            rows = _rows(handle)
            first = next(rows, None)
            if first is None:
                table.problem(f"{path}: empty file: not a COW IGO-year table")
                return table
            header = [name.strip() for name in first[1]]
            missing = [name for name in REQUIRED if name not in header]
            if missing:
                table.problem(f"{path}:1: no column {', '.join(missing)}: not a COW IGO-year table")
                return table
            index = {name: i for i, name in enumerate(header)}
            states = [i for i, name in enumerate(header) if name not in ORGANISATION_COLUMNS]
            table.columns = [header[i] for i in states]
            total = path.stat().st_size
            for line, fields in rows:
                if not fields:
                    continue
                table.rows += 1
                if progress is not None and table.rows % 1000 == 0:
                    progress(raw.tell(), total)
                if len(fields) != len(header):
                    table.problem(
                        f"{path}:{line}: expected {len(header)} comma-separated fields, "
                        f"found {len(fields)}"
                    )
                    continue
                _row(table, index, states, header, line, fields)
    except (OSError, EOFError, zlib.error) as error:
        table.problem(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}")
    except UnicodeDecodeError as error:
        table.problem(f"{path}: not UTF-8 text ({error.reason} at byte {error.start} of a block)")
    except csv.Error as error:
        table.problem(f"{path}: not CSV: {error}")
    if progress is not None:
        progress(total, total)
    return table


def _row(
    table: IgoTable,
    index: dict[str, int],
    states: list[int],
    header: list[str],
    line: int,
    fields: list[str],
) -> None:
    path = table.path
    try:
        number = _int(fields[index["ionum"]], "ionum")
        year = _int(fields[index["year"]], "year")
        sdate = fields[index["sdate"]].strip() if "sdate" in index else ""
        founded = _int(sdate, "sdate") if sdate else None
    except _BadField as error:
        table.problem(f"{path}:{line}: {error}")
        return
    try:
        statuses = array("b", [STATUS[fields[i].strip()] for i in states])
    except KeyError:
        for i in states:
            if fields[i].strip() not in STATUS:
                table.problem(
                    f"{path}:{line}: column {header[i]}: {fields[i]!r} is not a COW status "
                    "(1, 2, 3, 0, -9, -1 or empty)"
                )
        return
    organisation = table.organisations.get(number)
    if organisation is None:
        short = fields[index["ioname"]].strip()
        long_name = fields[index["longorgname"]].strip() if "longorgname" in index else ""
        organisation = CowOrganisation(
            number=number,
            short_name=short,
            name=fields[index["orgname"]].strip(),
            long_name=long_name,
            founded=founded,
            line=line,
        )
        table.organisations[number] = organisation
        if not short:
            table.problem(f"{path}:{line}: column ioname: empty")
    if year in organisation.years:
        table.problem(
            f"{path}:{line}: organisation {number} has year {year} already "
            f"(line {organisation.lines[year]})"
        )
        return
    organisation.years[year] = statuses
    organisation.lines[year] = line
