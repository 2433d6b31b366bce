"""Curated crosswalk tables kept as CSV files: one row model base and one reader for them.

Every importer maps an outside data set's names through tables a curator reviews (ARCHITECTURE:
crosswalks are data files, not code). They are read the same way: a header line, one entry a
line, each validated whole, and every problem reported at once, naming file, line and field.
"""

import csv
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError


class CrosswalkError(Exception):
    """A crosswalk file that cannot be used; each problem names file, line and field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class CrosswalkRow(BaseModel):
    """A line of a crosswalk table: no column it does not declare, spaces trimmed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Entry = TypeVar("Entry", bound=CrosswalkRow)


def read_table(path: Path, model: type[Entry]) -> list[tuple[int, Entry]]:
    """Each line's number and entry; raises CrosswalkError listing every bad line."""
    entries: list[tuple[int, Entry]] = []
    problems: list[str] = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for line, raw in enumerate(csv.DictReader(handle), start=2):
                try:
                    entries.append((line, model.model_validate(raw)))
                except ValidationError as error:
                    for detail in error.errors():
                        where = ".".join(str(p) for p in detail["loc"]) or "(row)"
                        problems.append(f"{path}:{line}: {where}: {detail['msg']}")
    except OSError as error:
        problems.append(f"{path}: cannot read: {error.strerror}")
    if problems:
        raise CrosswalkError(problems)
    return entries
