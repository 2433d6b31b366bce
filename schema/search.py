"""Full-text search over the search index: matching, ranking and snippets, alike on both back ends.

Matching is each database's own full-text search: SQLite's FTS5 (`search_fts MATCH '"turk"*'`)
and PostgreSQL's `to_tsvector('simple', all_terms) @@ to_tsquery('simple', 'turk:*')`, over
terms folded in Python (`api.models.search.terms`), so both see the same tokens. Every query
word matches the words it begins (`turk` finds Turkic and Turkmenistan); all must match.

Ranking is a field-weighted term count computed by the same SQL on both back ends (`length`
and `replace` over the stored terms), so the ranked list, and the keyset cursors paging it,
are identical: for each query word, a word of the title counts 3, of the keywords (codes,
acronyms, aliases, former names) 2, of the body (descriptions, notes, quotes) 1, doubled when
the word is whole rather than a prefix. Ties go by kind (states first), then title, then id.
The snippet is cut from the stored text in Python, the matched words marked «like this».
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Integer, case, func, literal, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import col

from api.models.search import FTS_TABLE, SearchEntry, SearchKind, tokens
from schema.errors import bad_input
from schema.ordering import ID_KEY, binary_text
from schema.pagination import Columns, Direction, Ordering, SortKey

MAX_TEXT = 200
MAX_WORDS = 8
SNIPPET_WORDS = 24
WEIGHTS = (("title_terms", 3), ("keyword_terms", 2), ("body_terms", 1))
KIND_RANK = {kind: rank for rank, kind in enumerate(SearchKind)}
OPEN, CLOSE, ELLIPSIS = "«", "»", "…"


@dataclass(frozen=True)
class Query:
    """The words of a search, folded as the index folds them."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str, field: str = "text") -> "Query":
        if len(text) > MAX_TEXT:
            raise bad_input(f"`{field}` is longer than {MAX_TEXT} characters", field)
        words = tuple(dict.fromkeys(token for _, _, token in tokens(text)))
        if not words:
            raise bad_input(f"`{field}` must contain at least one letter or digit", field)
        if len(words) > MAX_WORDS:
            raise bad_input(f"`{field}` has more than {MAX_WORDS} words", field)
        return cls(words)

    @property
    def fts5(self) -> str:
        return " ".join(f'"{word}"*' for word in self.words)

    @property
    def tsquery(self) -> str:
        return " & ".join(f"{word}:*" for word in self.words)

    def matches(self) -> ColumnElement[bool]:
        """The database's full-text match of every word (as a prefix)."""
        return fts_match(
            col(SearchEntry.id),
            col(SearchEntry.all_terms),
            literal(self.fts5),
            literal(self.tsquery),
        )

    def score(self, c: Columns) -> ColumnElement[int]:
        """The rank as SQL: identical arithmetic on both back ends (integer division)."""
        total: ColumnElement[int] = literal_column("0", Integer)
        for name, weight in WEIGHTS:
            field = c[name]
            for word in self.words:
                for pattern in (f" {word}", f" {word} "):
                    removed = func.length(field) - func.length(func.replace(field, pattern, ""))
                    # Inline integers: `/` then divides integers alike on both back ends.
                    occurrences = removed.op("/", precedence=8, return_type=Integer)(
                        _int(len(pattern))
                    )
                    total = total + _int(weight) * occurrences
        return total

    def score_of(self, entry: SearchEntry) -> int:
        """The same rank, computed in Python for the result's `score`."""
        total = 0
        for name, weight in WEIGHTS:
            field: str = getattr(entry, name)
            for word in self.words:
                total += weight * (field.count(f" {word}") + field.count(f" {word} "))
        return total

    def ordering(self) -> Ordering:
        """Score first; a cursor from another search (other words) is refused."""
        digest = hashlib.sha1(" ".join(self.words).encode()).hexdigest()[:12]
        return Ordering(
            (
                SortKey(f"score~{digest}", self.score, Direction.DESC),
                SortKey("kind", _kind_rank),
                SortKey("title", _title),
                ID_KEY,
            )
        )

    def snippet(self, entry: SearchEntry) -> str:
        """The passage with most query words, from the body, else keywords, else title."""
        for text in (entry.body, entry.keywords, entry.title):
            found = self._passage(text)
            if found:
                return found
        return entry.title

    def _is_match(self, token: str) -> bool:
        return any(token.startswith(word) for word in self.words)

    def _passage(self, text: str) -> str | None:
        words = list(tokens(text))
        hits = [i for i, (_, _, token) in enumerate(words) if self._is_match(token)]
        if not hits:
            return None

        def window(anchor: int) -> tuple[int, int]:
            start = max(0, min(anchor - SNIPPET_WORDS // 3, len(words) - SNIPPET_WORDS))
            return start, min(len(words), start + SNIPPET_WORDS)

        def coverage(anchor: int) -> tuple[int, int, int]:
            start, end = window(anchor)
            inside = [words[i][2] for i in hits if start <= i < end]
            distinct = {w for w in self.words for token in inside if token.startswith(w)}
            return (len(distinct), len(inside), -anchor)

        start, end = window(max(hits, key=coverage))
        pieces = [ELLIPSIS] if start > 0 else []
        cursor = words[start][0]
        for begin, finish, token in words[start:end]:
            pieces.append(text[cursor:begin])
            word = text[begin:finish]
            pieces.append(f"{OPEN}{word}{CLOSE}" if self._is_match(token) else word)
            cursor = finish
        if end < len(words):
            pieces.append(ELLIPSIS)
        return "".join(pieces)


def _int(value: int) -> ColumnElement[int]:
    return literal_column(str(int(value)), Integer)


def _kind_rank(c: Columns) -> ColumnElement[Any]:
    return case({kind.value: rank for kind, rank in KIND_RANK.items()}, value=c.kind, else_=99)


def _title(c: Columns) -> ColumnElement[Any]:
    return binary_text(c.title)


class fts_match(FunctionElement[bool]):  # noqa: N801  (reads as a SQL function)
    """`id IN (FTS5 match)` on SQLite, `to_tsvector(…) @@ to_tsquery(…)` on PostgreSQL.

    Arguments: the entry id, its `all_terms`, the FTS5 query, the tsquery. The PostgreSQL
    form is the expression of the GIN index made by migration 0004, so the index serves it.
    """

    inherit_cache = True
    type = Boolean()


@compiles(fts_match, "sqlite")
def _fts_match_sqlite(element: fts_match, compiler: SQLCompiler, **kw: Any) -> str:
    entry_id, _terms, fts5, _tsquery = element.clauses
    rowid, query = (compiler.process(c, **kw) for c in (entry_id, fts5))
    return f"({rowid} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH {query}))"


@compiles(fts_match, "postgresql")
def _fts_match_postgresql(element: fts_match, compiler: SQLCompiler, **kw: Any) -> str:
    # Only the arguments used may be compiled: an unused parameter has no type for asyncpg.
    _id, all_terms, _fts5, tsquery = element.clauses
    terms, query = (compiler.process(c, **kw) for c in (all_terms, tsquery))
    return f"(to_tsvector('simple', {terms}) @@ to_tsquery('simple', {query}))"
