"""COW's year-by-year statuses turned into membership periods: the rule, in one place.

For one state in one organisation, take the years in order and look only at the known ones:

- `1` full member, `2` associate member, `3` observer: the status is held that year. A held
  status starts a period when none is open, or when the open one has another status (which
  then ends in this year).
- `0` not a member: ends the open period in this year. A `0` between two runs of the same
  status is a gap, so the second run is a new period.
- `-9` (missing data), `-1` (not in the state system then) and an empty cell (nothing
  recorded) are unknown: they neither start nor end a period on their own. Unknown years
  between two years of one status belong to the period (1, -9, 1 is one period); a period is
  ended by the next `0` or other status after them, in that year.
- A period that meets no other known year ends the year after its last known one (West
  Germany's NATO seat, whose column turns to -1 in 1990), unless that year is the data set's
  last (2014): then it is still running, and `until` stays open.

`until` is exclusive, as everywhere in silkgraph: a role ended in 2012 was not held in 2012.
"""

from collections.abc import Iterable
from dataclasses import dataclass

HELD = (1, 2, 3)
NOT_A_MEMBER = 0


@dataclass(frozen=True)
class Period:
    """One run of one status: held from `since` to before `until` (None: still running)."""

    status: int
    since: int
    until: int | None
    last_seen: int  # the last year the data records the status


def periods(years: Iterable[tuple[int, int]], last_year: int) -> list[Period]:
    """The periods in `years` ((year, status) pairs in year order; unknown statuses may be
    left out or given as negative numbers); `last_year` is the data set's last year."""
    found: list[Period] = []
    status = since = seen = 0
    for year, value in years:
        if value < 0:
            continue
        if status and value != status:
            found.append(Period(status, since, year, seen))
            status = 0
        if value in HELD:
            if not status:
                status, since = value, year
            seen = year
        elif value != NOT_A_MEMBER:
            raise ValueError(f"{value} is not a COW status")
    if status:
        found.append(Period(status, since, None if seen >= last_year else seen + 1, seen))
    return found
