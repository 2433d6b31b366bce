"""`orderBy` arguments: per-entity sortable fields declared once, turned into keyset `Ordering`s.

Each entity declares its sortable fields as a mapping from its `…OrderField` enum to a
`SortField` (module-level constants). A request's `orderBy` list becomes an `Ordering` made of
those fields' `SortKey`s plus the unique `id` key; since the key expressions are the very same
objects for every request, equal `orderBy` lists give equal orderings, which the page loader
relies on to answer every parent of a nested connection with one statement.

Nullable fields sort NULLS LAST in both directions: an `IS NULL` flag (always ascending) comes
before the coalesced value, so keyset comparisons never meet a NULL.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol, TypeVar

import strawberry
from sqlalchemy import ColumnElement, case, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

from schema.errors import bad_input
from schema.pagination import Columns, Direction, Ordering, SortKey

strawberry.enum(Direction, description="Sort direction.")

MAX_ORDER_TERMS = 5

E = TypeVar("E", bound=Enum)

ID_KEY = SortKey("id", lambda c: c.id)
"""The last key of every ordering: ids are unique, so no two rows ever tie."""


class binary_text(FunctionElement[str]):  # noqa: N801  (reads as a SQL function)
    """Text compared by code point on both back ends, so orderings and cursors agree.

    SQLite compares text bytewise already; PostgreSQL uses the database collation, which may
    be a locale's (`en_US`), so there the expression gets `COLLATE "C"`.
    """

    inherit_cache = True
    type = String()


@compiles(binary_text)
def _binary_text_default(element: binary_text, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(binary_text, "postgresql")
def _binary_text_postgresql(element: binary_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)} COLLATE "C")'


@dataclass(frozen=True, eq=False)
class SortField:
    """One sortable field: its name in cursors and its expression over a column collection.

    `nullable` fields get the IS NULL flag key; `empty` is the non-null stand-in the coalesced
    key uses (any value of the column's type: ties among NULL rows fall to `id`).
    """

    name: str
    expression: Callable[[Columns], ColumnElement[Any]]
    nullable: bool = False
    empty: Any = 0
    _keys: dict[Direction, tuple[SortKey, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Built once, so every request sorting by this field shares the very same keys.
        object.__setattr__(self, "_keys", {d: self._build(d) for d in Direction})

    def _build(self, direction: Direction) -> tuple[SortKey, ...]:
        if not self.nullable:
            return (SortKey(self.name, self.expression, direction),)
        expression = self.expression

        def is_null(c: Columns) -> ColumnElement[Any]:
            return case((expression(c).is_(None), 1), else_=0)

        def value(c: Columns) -> ColumnElement[Any]:
            return func.coalesce(expression(c), literal(self.empty))

        return (SortKey(f"{self.name}.null", is_null), SortKey(self.name, value, direction))

    def keys(self, direction: Direction) -> tuple[SortKey, ...]:
        return self._keys[direction]


def text_field(name: str, column: Callable[[Columns], ColumnElement[Any]], **kw: Any) -> SortField:
    """A text field sorted by code point on both back ends."""
    return SortField(name, lambda c: binary_text(column(c)), empty="", **kw)


class OrderInput(Protocol):
    """What every `…Order` input holds."""

    field: Any
    direction: Direction


def ordering_of(
    fields: Mapping[E, SortField],
    order_by: Sequence[OrderInput] | None,
    default: Ordering,
    argument: str = "orderBy",
) -> Ordering:
    """The ordering `order_by` asks for (or `default`), always ending with the id key."""
    if order_by is None:
        return default
    if not 1 <= len(order_by) <= MAX_ORDER_TERMS:
        raise bad_input(f"`{argument}` takes 1 to {MAX_ORDER_TERMS} terms", argument)
    seen: set[Any] = set()
    keys: list[SortKey] = []
    for term in order_by:
        if term.field in seen:
            raise bad_input(f"`{argument}` names {term.field.name} twice", argument)
        seen.add(term.field)
        keys.extend(fields[term.field].keys(term.direction))
    return Ordering((*keys, ID_KEY))


def sorted_by(fields: Mapping[E, SortField], *terms: E | tuple[E, Direction]) -> Ordering:
    """A default ordering written like an `orderBy`: equal to the same explicit request."""
    keys: list[SortKey] = []
    for term in terms:
        field, direction = term if isinstance(term, tuple) else (term, Direction.ASC)
        keys.extend(fields[field].keys(direction))
    return Ordering((*keys, ID_KEY))
