"""What an export covers, as the first line SIPRI's web form writes says it.

`Transfers of major conventional arms from All countries to Kazakhstan, Kyrgyzstan . Deals
with deliveries or orders made for year range '1990' to '2023'` names the suppliers, the
recipients, whether orders count (`deliveries or orders`) or only deliveries, and the years.
An import may only remove a deal the export's selection covers: a deal missing from a cut of
the register has not left the register.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SELECTION = re.compile(
    r"^Transfers of major conventional arms from (?P<suppliers>.+?) to (?P<recipients>.+?)\s*\."
    r"\s*Deals with (?P<kind>deliveries or orders|deliveries) made for (?:the )?year range "
    r"'(?P<start>\d{4})' to '(?P<end>\d{4})'",
    re.IGNORECASE,
)
_ALL = "all countries"


@dataclass(frozen=True)
class Selection:
    """Suppliers and recipients as SIPRI spells them (None: all), the years, and whether a deal
    falls in by its order year too (`deliveries or orders`) or only by a delivery year."""

    text: str
    suppliers: tuple[str, ...] | None
    recipients: tuple[str, ...] | None
    orders: bool
    start: int
    end: int

    def covers_years(self, order_year: int | None, delivery_years: Iterable[int]) -> bool:
        if any(self.start <= year <= self.end for year in delivery_years):
            return True
        return self.orders and order_year is not None and self.start <= order_year <= self.end

    def covers_actors(self, supplier: str | None, recipient: str | None) -> bool:
        """By SIPRI name; the importer passes names through the crosswalk on both sides."""
        if self.suppliers is not None and supplier not in self.suppliers:
            return False
        return self.recipients is None or recipient in self.recipients

    def describe(self) -> str:
        def side(names: tuple[str, ...] | None) -> str:
            return "all" if names is None else ", ".join(names)

        what = "deliveries or orders" if self.orders else "deliveries only"
        return (
            f"{what} {self.start}-{self.end}, suppliers: {side(self.suppliers)}, "
            f"recipients: {side(self.recipients)}"
        )


def _names(text: str) -> tuple[str, ...] | None:
    text = text.strip()
    if text.lower() == _ALL:
        return None
    return tuple(sorted(name.strip() for name in text.split(",") if name.strip()))


def parse_selection(line: str) -> Selection | None:
    """The selection a first line states, or None when the line is not SIPRI's."""
    match = _SELECTION.match(line.strip())
    if match is None:
        return None
    return Selection(
        text=line.strip(),
        suppliers=_names(match["suppliers"]),
        recipients=_names(match["recipients"]),
        orders=match["kind"].lower() == "deliveries or orders",
        start=int(match["start"]),
        end=int(match["end"]),
    )
