"""Which stored deal an export's deal is: SIPRI publishes no deal id, so silkgraph matches.

The rule, in two steps, within the deals an import may touch:

1. Same deal: the same recipient and supplier (as silkgraph's actors, so SIPRI's renamings do
   not count), the same order year and the same designation once case, spaces and punctuation
   are dropped ("Bayraktar TB2" = "Bayraktar TB-2"). The weapon description, the numbers,
   the years of delivery, the TIVs and the comments are what a release revises, so they do not
   take part. Several deals alike in all four (two batches of one order) pair up in the order
   of their remaining values.
2. Respelt designation (uncertain): of the deals step 1 leaves on both sides, one new and one
   stored deal of the same recipient, supplier and order year whose designations, compacted,
   start the same way ("Anka" / "Anka-S"), where neither has another such candidate. The
   import reports these for a curator to review.

Everything else is a new deal or, when the export covers it, a removed one.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

Identity = tuple[str, str, int, str]  # recipient, supplier, order year, compact designation

KEY_PREFIX = "sipri:"  # every SIPRI record's key starts so
KEY_END = "sipri;"  # the next string after every "sipri:…" key: a range the key index serves


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "-"


@lru_cache(maxsize=65536)
def compact(designation: str) -> str:
    """A designation with case, accents, spaces and punctuation dropped."""
    return slug(designation).replace("-", "")


def identity(recipient: str, supplier: str, order_year: int, designation: str) -> Identity:
    return (recipient, supplier, order_year, compact(designation))


def identity_key(prefix: str, ident: Identity, n: int) -> str:
    """`sipri:<recipient>/<supplier>/<order year>/<designation>[/<n>]`."""
    recipient, supplier, year, designation = ident
    base = f"{prefix}{recipient}/{supplier}/{year}/{designation or '-'}"
    return base if n == 1 else f"{base}/{n}"


New = TypeVar("New", bound=Hashable)
Old = TypeVar("Old", bound=Hashable)


@dataclass
class Matching(Generic[New, Old]):
    """Pairs of (new, stored) deals, the uncertain ones among them, and the leftovers."""

    pairs: list[tuple[New, Old]] = field(default_factory=list)
    uncertain: set[New] = field(default_factory=set)
    new: list[New] = field(default_factory=list)
    old: list[Old] = field(default_factory=list)


def _starts_alike(a: str, b: str) -> bool:
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 3 and longer.startswith(shorter)


def match(
    new: Sequence[tuple[Identity, New]], old: Sequence[tuple[Identity, Old]]
) -> Matching[New, Old]:
    """Apply the rule; each side comes in the order its alike deals should pair up."""
    result: Matching[New, Old] = Matching()
    old_by: dict[Identity, list[Old]] = defaultdict(list)
    for ident, stored in old:
        old_by[ident].append(stored)
    left_new: list[tuple[Identity, New]] = []
    for ident, item in new:
        candidates = old_by.get(ident)
        if candidates:
            result.pairs.append((item, candidates.pop(0)))
        else:
            left_new.append((ident, item))
    left_old = [(ident, kept) for ident, kept_ones in old_by.items() for kept in kept_ones]
    # Step 2, within one recipient, supplier and order year.
    old_in: dict[tuple[str, str, int], list[tuple[str, Old]]] = defaultdict(list)
    for (recipient, supplier, year, designation), kept in left_old:
        old_in[(recipient, supplier, year)].append((designation, kept))
    new_in: dict[tuple[str, str, int], list[tuple[str, New]]] = defaultdict(list)
    for (recipient, supplier, year, designation), item in left_new:
        new_in[(recipient, supplier, year)].append((designation, item))
    taken: set[Old] = set()
    for group, news in new_in.items():
        olds = old_in.get(group, [])
        for designation, item in news:
            options = [(d, o) for d, o in olds if _starts_alike(designation, d)]
            if len(options) == 1:
                spelling, candidate = options[0]
                rivals = [n for d, n in news if _starts_alike(d, spelling)]
                if rivals == [item] and candidate not in taken:
                    taken.add(candidate)
                    result.pairs.append((item, candidate))
                    result.uncertain.add(item)
                    continue
            result.new.append(item)
    result.old = [kept for _ident, kept in left_old if kept not in taken]
    return result
