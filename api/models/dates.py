"""Dates known to a year, a month or a day, as sources give them ("2021", "2022-05")."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Self

from pydantic import AfterValidator

from api.models.enums import DatePrecision

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """An ISO 8601 date truncated to the precision its source supports."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> Self:
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        try:
            date(year, month or 1, day or 1)  # rejects impossible months and days (2025-02-30)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a calendar date: {exc}") from exc
        return cls(year, month, day)

    @property
    def precision(self) -> DatePrecision:
        if self.day is not None:
            return DatePrecision.DAY
        return DatePrecision.YEAR if self.month is None else DatePrecision.MONTH

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        parts += [f"{p:02d}" for p in (self.month, self.day) if p is not None]
        return "-".join(parts)


def _normalise(text: str) -> str:
    return str(PartialDate.parse(text))


PartialDateText = Annotated[str, AfterValidator(_normalise)]
"""A validated partial date kept in its canonical text form, which also sorts correctly."""
