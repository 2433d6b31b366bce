"""The search index: one row per searchable record, with its text folded into search terms.

Both back ends match with their own full-text search over `all_terms` (SQLite: an FTS5 table
kept in step by triggers; PostgreSQL: a GIN index on `to_tsvector('simple', all_terms)`, both
made by migration 0004). Accents and case are folded here, in Python, the same way for
indexing and for queries, so both back ends see the same plain tokens whatever extensions they
have, and rank the same way (see `schema/search.py`).
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

FTS_TABLE = "search_fts"
"""SQLite's FTS5 table over `search_entry`; it and its shadow tables are not modelled."""
FTS_INDEX = "ix_search_entry_fts"
"""PostgreSQL's GIN index over `to_tsvector('simple', all_terms)`; not modelled either."""


def is_modelled(name: str | None, type_: str, _parent: object = None) -> bool:
    """Alembic's `include_name`: leave each back end's own full-text index (FTS5 tables
    search_fts, search_fts_data …; the GIN index) out of comparisons with the models, as
    migration 0004 makes them by hand."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(FTS_TABLE)
    return not (type_ == "index" and name == FTS_INDEX)


_TOKEN = re.compile(r"[^\W_]+")
# Letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSABLE = str.maketrans(
    {"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th"}
)


class SearchKind(StrEnum):
    """What a search result is; also the order results of equal score come in: actors,
    then records about them, then documents."""

    STATE = "STATE"
    ORGANISATION = "ORGANISATION"
    PERSON = "PERSON"
    NON_STATE_ACTOR = "NON_STATE_ACTOR"
    COMPANY = "COMPANY"
    AGREEMENT = "AGREEMENT"
    EVENT = "EVENT"
    MILITARY_EXERCISE = "MILITARY_EXERCISE"
    CORRIDOR = "CORRIDOR"
    INITIATIVE = "INITIATIVE"
    ARMS_TRANSFER = "ARMS_TRANSFER"
    MEMBERSHIP = "MEMBERSHIP"
    ECONOMIC_FIGURE = "ECONOMIC_FIGURE"
    DOCUMENT = "DOCUMENT"


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """A token without case or accents: `Akıncı` → `akinci`, `Türkiye` → `turkiye`.
    Cached: indexing a SIPRI edition folds a million tokens, mostly the same few thousand."""
    decomposed = unicodedata.normalize("NFKD", token.casefold().translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded token) for every word of `text` (NFC), letters and digits only."""
    for match in _TOKEN.finditer(text):
        yield match.start(), match.end(), fold(match.group())


def terms(texts: Iterable[str | None]) -> str:
    """The stored form of a field: every folded token wrapped in spaces (` a  b `), which lets
    SQL count whole words (` a `) and prefixes (` a`) with `replace`, the same on both back
    ends."""
    folded = [fold(word) for text in texts if text for word in _TOKEN.findall(text)]
    return f" {'  '.join(folded)} " if folded else ""


class SearchEntry(SQLModel, table=True):
    """One searchable record: what it is called, what else names it, what is said of it."""

    __tablename__ = "search_entry"
    __table_args__ = (UniqueConstraint("kind", "record_id", name="uq_search_entry_record"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: SearchKind = Field(sa_type=String(20), index=True)
    record_id: int
    title: str = Field(sa_type=Text)
    keywords: str = Field(default="", sa_type=Text)  # codes, acronyms, aliases, former names
    body: str = Field(default="", sa_type=Text)  # descriptions, notes and cited quotes
    title_terms: str = Field(default="", sa_type=Text)
    keyword_terms: str = Field(default="", sa_type=Text)
    body_terms: str = Field(default="", sa_type=Text)
    all_terms: str = Field(default="", sa_type=Text)  # what full-text search indexes
