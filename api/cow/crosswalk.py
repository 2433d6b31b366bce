"""The curated tables that say who COW's state columns and organisations are, as CSV files.

- `states.csv`: each COW state column -> a state (ISO 3166-1 code, or silkgraph's own) or a
  historic state (ISO 3166-3 code where one exists, else silkgraph's own), for all years or
  for a span of years (COW's `russia` is the Soviet Union from 1922 to 1991).
- `organisations.csv`: COW organisations that are bodies silkgraph already knows (by the
  acronym it knows them by). Any other COW organisation is created with its COW name and number.
"""

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import Field, field_validator

from api.crosswalk_csv import CrosswalkError, CrosswalkRow, read_table
from api.settings import PROJECT_ROOT

COW_DIR = PROJECT_ROOT / "fixtures" / "cow"
STATES_FILE = COW_DIR / "states.csv"
ORGANISATIONS_FILE = COW_DIR / "organisations.csv"


class StateKind(StrEnum):
    STATE = "state"
    HISTORIC_STATE = "historic_state"


class StateEntry(CrosswalkRow):
    """One COW state column, for the years `from_year` to `to_year` (both included)."""

    cow_column: str = Field(min_length=1)
    kind: StateKind
    code: str = Field(pattern=r"^[A-Z]{3}$")
    name: str = ""  # for a state the import may have to create
    from_year: int | None = None
    to_year: int | None = None
    note: str = ""

    @field_validator("from_year", "to_year", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None

    def covers(self, year: int) -> bool:
        return (self.from_year or year) <= year <= (self.to_year or year)


class OrganisationEntry(CrosswalkRow):
    """A COW organisation and the acronym silkgraph knows the same body by."""

    cow_number: int = Field(ge=1)
    cow_name: str = Field(min_length=1)
    acronym: str = Field(min_length=1)
    note: str = ""


@dataclass(frozen=True)
class Crosswalk:
    """Both tables, indexed the way the importer looks them up."""

    states: dict[str, tuple[StateEntry, ...]]  # by COW column: its spans, oldest first
    organisations: dict[int, OrganisationEntry]  # by COW number

    @classmethod
    def load(
        cls, states: Path = STATES_FILE, organisations: Path = ORGANISATIONS_FILE
    ) -> "Crosswalk":
        problems: list[str] = []
        by_column: dict[str, list[StateEntry]] = {}
        by_number: dict[int, OrganisationEntry] = {}
        try:
            for line, entry in read_table(states, StateEntry):
                spans = by_column.setdefault(entry.cow_column, [])
                if any(_overlap(entry, other) for other in spans):
                    problems.append(
                        f"{states}:{line}: {entry.cow_column!r}: years overlap another line's"
                    )
                spans.append(entry)
        except CrosswalkError as error:
            problems.extend(error.problems)
        try:
            for line, organisation in read_table(organisations, OrganisationEntry):
                if organisation.cow_number in by_number:
                    problems.append(
                        f"{organisations}:{line}: cow_number {organisation.cow_number} "
                        "is listed twice"
                    )
                by_number[organisation.cow_number] = organisation
        except CrosswalkError as error:
            problems.extend(error.problems)
        if problems:
            raise CrosswalkError(problems)
        ordered = {
            column: tuple(sorted(spans, key=lambda e: e.from_year or 0))
            for column, spans in by_column.items()
        }
        return cls(ordered, by_number)

    def code_of(self, column: str, year: int) -> str | None:
        """The state a column stands for in a year; None for a year no span covers."""
        for entry in self.states[column]:
            if entry.covers(year):
                return entry.code
        return None


def _overlap(a: StateEntry, b: StateEntry) -> bool:
    low = max(a.from_year or -10_000, b.from_year or -10_000)
    high = min(a.to_year or 10_000, b.to_year or 10_000)
    return low <= high
