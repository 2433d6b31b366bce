"""Relay connections paged in SQL with keyset cursors, never by loading a list and slicing it.

A connection resolver returns a `PageQuery` (what to select and how to order it) instead of
rows; `Connection.resolve_connection` turns it into one LIMIT query, plus a COUNT only when the
client asks for `totalCount`. A nested connection goes through the page loader instead, which
serves every parent of one level with a single statement: each parent's window cut in its own
subquery, or, when the client asks for `totalCount`, every row counted and ranked in one
windowed query.

A cursor holds the sort-key values of its row and the ordering it was made under, so it stays
valid while rows are added or removed, and is refused under a different ordering.
"""

import base64
import binascii
import json
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Hashable,
    Sequence,
)
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar, cast

import strawberry
from sqlalchemy import ColumnElement, Select, and_, case, false, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.types import TypeDecorator
from strawberry import relay
from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from schema.errors import bad_input, unstorable

if TYPE_CHECKING:
    from schema.context import Context

NodeType = TypeVar("NodeType", bound=relay.Node)
CURSOR_PREFIX = "keyset"
STREAM_BATCH = 500
Columns = Any  # a table's or a subquery's `.c` collection


class Direction(StrEnum):
    ASC = "ASC"
    DESC = "DESC"


@dataclass(frozen=True)
class SortKey:
    """One ordering term, written against a column collection so it also works on subqueries.

    Terms must be non-null (wrap nullable columns in coalesce) for keyset comparison to hold.
    """

    name: str
    expression: Callable[[Columns], ColumnElement[Any]]
    direction: Direction = Direction.ASC

    def reversed(self) -> "SortKey":
        flipped = Direction.DESC if self.direction is Direction.ASC else Direction.ASC
        return SortKey(self.name, self.expression, flipped)

    def order_by(self, columns: Columns) -> ColumnElement[Any]:
        expression = self.expression(columns)
        return expression.asc() if self.direction is Direction.ASC else expression.desc()


def by_id(direction: Direction = Direction.ASC) -> SortKey:
    """The unique last term every ordering ends with, so no two rows ever tie."""
    return SortKey("id", lambda c: c.id, direction)


@dataclass(frozen=True)
class Ordering:
    keys: tuple[SortKey, ...]

    @property
    def signature(self) -> str:
        return ",".join(f"{k.name}:{k.direction.value}" for k in self.keys)

    def reversed(self) -> "Ordering":
        return Ordering(tuple(k.reversed() for k in self.keys))

    def after(self, columns: Columns, values: Sequence[Any]) -> ColumnElement[bool]:
        """Rows strictly after the row whose sort-key values are `values`."""
        clauses = []
        for i, key in enumerate(self.keys):
            expression = key.expression(columns)
            beyond = (
                expression > values[i]
                if key.direction is Direction.ASC
                else (expression < values[i])
            )
            ties = [self.keys[j].expression(columns) == values[j] for j in range(i)]
            clauses.append(and_(*ties, beyond))
        return or_(*clauses) if clauses else false()


# -- cursors ------------------------------------------------------------------------------


def encode_cursor(ordering: Ordering, values: Sequence[Any]) -> str:
    return cursor_of(ordering.signature, values)


def cursor_of(signature: str, values: Sequence[Any]) -> str:
    """A cursor for the sort-key values `values` under the ordering `signature`.

    Text goes in as UTF-8, unescaped, as a database writes JSON, so the compiled read path
    can write the very same cursor in SQL (`schema.compiled.dialect`).
    """
    payload = json.dumps(
        {"o": signature, "k": list(values)}, separators=(",", ":"), ensure_ascii=False
    )
    return base64.b64encode(f"{CURSOR_PREFIX}:{payload}".encode()).decode()


INT32 = range(-(2**31), 2**31)


def _fits(value: Any, expected: type | None) -> bool:
    """Whether a cursor value can be compared with its sort key's column as it is typed, so
    a tampered cursor is refused here rather than by the database."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    if isinstance(value, str) and unstorable(value):
        return False
    if expected is int:
        return isinstance(value, int) and value in INT32
    if expected is str:
        return isinstance(value, str)
    return True


def _python_type(key: "SortKey", columns: Columns) -> type | None:
    type_ = key.expression(columns).type
    if isinstance(type_, TypeDecorator):  # SQLModel's AutoString and the like
        type_ = type_.impl_instance
    try:
        python_type: type = type_.python_type
    except NotImplementedError:
        return None
    return python_type


def decode_cursor(
    cursor: str, ordering: Ordering, argument: str, columns: Columns | None = None
) -> list[Any]:
    """The sort-key values a cursor carries; a foreign, stale or tampered cursor is the
    caller's error. With `columns`, each value must also fit its sort key's column type."""
    try:
        prefix, _, payload = base64.b64decode(cursor, validate=True).decode().partition(":")
        data = json.loads(payload)
        values = data["k"]
        valid = prefix == CURSOR_PREFIX and isinstance(values, list)
    except (binascii.Error, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
        valid = False
    if not valid:
        raise bad_input(f"`{argument}` is not a cursor this API issued", argument)
    if data.get("o") != ordering.signature or len(values) != len(ordering.keys):
        raise bad_input(
            f"`{argument}` was issued under a different ordering; start again without it", argument
        )
    expected = [_python_type(k, columns) if columns is not None else None for k in ordering.keys]
    if not all(_fits(v, t) for v, t in zip(values, expected, strict=True)):
        raise bad_input(f"`{argument}` is not a cursor this API issued", argument)
    return list(values)


# -- windows: which slice of an ordered set a request wants ---------------------------------


@dataclass(frozen=True)
class Window:
    """first/after or last/before, validated; hashable so loader keys can group by it."""

    limit: int
    backwards: bool
    cursor: tuple[Any, ...] | None

    @classmethod
    def from_arguments(
        cls,
        ordering: Ordering,
        *,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
        default_size: int,
        max_size: int,
        columns: Columns | None = None,
    ) -> Self:
        if first is not None and last is not None:
            raise bad_input("give `first` or `last`, not both", "first")
        if after is not None and before is not None:
            raise bad_input("give `after` or `before`, not both", "after")
        for name, size in (("first", first), ("last", last)):
            if size is not None and not 0 <= size <= max_size:
                raise bad_input(f"`{name}` must be between 0 and {max_size}, got {size}", name)
        backwards = last is not None or (before is not None and first is None)
        if backwards:
            cursor = decode_cursor(before, ordering, "before", columns) if before else None
            return cls(last if last is not None else default_size, True, _frozen(cursor))
        cursor = decode_cursor(after, ordering, "after", columns) if after else None
        return cls(first if first is not None else default_size, False, _frozen(cursor))


def _frozen(values: list[Any] | None) -> tuple[Any, ...] | None:
    return tuple(values) if values is not None else None


@dataclass(frozen=True)
class Page(Generic[NodeType]):
    """Rows of one window, in client order, with what the page info needs to know."""

    nodes: list[NodeType]
    keys: list[list[Any]]
    has_more: bool  # beyond the window in the direction of travel
    total: int | None = None


def assemble(
    window: Window, rows: Sequence[tuple[NodeType, list[Any]]], total: int | None = None
) -> Page[NodeType]:
    """Cut the overfetched row and restore client order for a backwards window."""
    has_more = len(rows) > window.limit
    kept = list(rows[: window.limit])
    if window.backwards:
        kept.reverse()
    return Page([n for n, _ in kept], [k for _, k in kept], has_more, total)


# -- what a connection resolver returns --------------------------------------------------


class Relation(Protocol):
    """How rows hang off a parent; see `schema.loaders.relations.Relation`."""

    def select_rows(self, parent_ids: Sequence[int], scope: Hashable) -> Select[Any]: ...


@dataclass(frozen=True)
class Nested:
    """Marks a query as one parent's share of a relation, to be batched with its siblings."""

    relation: Relation
    parent_id: int
    scope: Hashable = None


@dataclass(frozen=True)
class PageQuery(AsyncIterable[NodeType]):
    """A filtered, ordered selection of `model` rows, converted to nodes by `to_node`.

    Top-level connections page it with one LIMIT query; nested ones (`nested` set) go through
    the page loader, which answers every parent of the same level with one statement.
    Iterating it streams every row in order, which exports use.
    """

    sessions: Any
    model: Any
    ordering: Ordering
    to_node: Callable[[Any], NodeType]
    where: tuple[ColumnElement[bool], ...] = ()
    nested: Nested | None = None

    def statement(self) -> Select[Any]:
        if self.nested is not None:
            return self.nested.relation.select_rows([self.nested.parent_id], self.nested.scope)
        return select(self.model).where(*self.where)

    async def __aiter__(self) -> AsyncIterator[NodeType]:
        async for row in self.rows():
            yield self.to_node(row[0])

    async def rows(self, *columns: ColumnElement[Any]) -> AsyncGenerator[Any, None]:
        """Every row in order, streamed: the model's row, then `columns` (exports add theirs)."""
        table = self.model.__table__.c
        statement = self.statement().add_columns(*columns)
        statement = statement.order_by(*(k.order_by(table) for k in self.ordering.keys))
        # yield_per: the ORM then builds rows batch by batch instead of all at once.
        statement = statement.execution_options(yield_per=STREAM_BATCH)
        async with self.sessions() as session:
            # Whole batches per hop to the database driver: row by row costs a greenlet
            # switch each.
            async for batch in (await session.stream(statement)).partitions(STREAM_BATCH):
                for row in batch:
                    yield row


async def run_page(query: PageQuery[NodeType], window: Window) -> Page[NodeType]:
    ordering = query.ordering.reversed() if window.backwards else query.ordering
    table = query.model.__table__.c
    statement = query.statement()
    if window.cursor is not None:
        statement = statement.where(ordering.after(table, window.cursor))
    key_columns = [k.expression(table).label(f"rel_k{i}") for i, k in enumerate(ordering.keys)]
    statement = (
        statement.add_columns(*key_columns)
        .order_by(*(k.order_by(table) for k in ordering.keys))
        .limit(window.limit + 1)
    )
    async with query.sessions() as session:
        result = await session.execute(statement)
        rows = [(query.to_node(row[0]), list(row[-len(key_columns) :])) for row in result.all()]
    return assemble(window, rows)


async def run_count(query: PageQuery[Any]) -> int:
    statement = select(func.count()).select_from(query.statement().subquery())
    async with query.sessions() as session:
        return int((await session.execute(statement)).scalar_one())


def windowed_statement(
    model: Any,
    base: Select[Any],
    ordering: Ordering,
    window: Window,
    distinct: bool = False,
) -> Select[Any]:
    """One statement answering a window for every parent at once.

    `base` selects the model plus `rel_parent`. Each parent's total is counted before the cursor
    applies; rows past the cursor are numbered and cut at the window (plus one, to tell if more
    follow). A parent whose rows all lie before the cursor still yields one row, flagged
    `_after = 0`, that carries its total and is not a node of the page. With `distinct`, `base`
    is a DISTINCT (a link table pairing a row with a parent twice) and is counted after it drops
    the duplicates: a window function beside the DISTINCT would count them.
    """
    if distinct:
        rows = base.subquery("distinct_rows")
        counted = select(
            rows, func.count().over(partition_by=rows.c.rel_parent).label("rel_total")
        ).subquery("counted")
    else:
        counted = base.add_columns(
            func.count().over(partition_by=base.selected_columns.rel_parent).label("rel_total")
        ).subquery("counted")
    if window.backwards:
        ordering = ordering.reversed()
    after = (
        case((ordering.after(counted.c, window.cursor), 1), else_=0)
        if window.cursor is not None
        else literal(1)
    )
    ranked = select(
        counted,
        after.label("rel_after"),
        func.row_number()
        .over(
            partition_by=[counted.c.rel_parent, after],
            order_by=[k.order_by(counted.c) for k in ordering.keys],
        )
        .label("rel_rank"),
        *(k.expression(counted.c).label(f"rel_k{i}") for i, k in enumerate(ordering.keys)),
    ).subquery("ranked")
    entity = aliased(model, ranked)
    key_columns = [ranked.c[f"rel_k{i}"] for i in range(len(ordering.keys))]
    wanted = or_(
        and_(ranked.c.rel_after == 1, ranked.c.rel_rank <= window.limit + 1),
        and_(ranked.c.rel_after == 0, ranked.c.rel_rank == 1),
    )
    return (
        select(entity, ranked.c.rel_parent, ranked.c.rel_total, ranked.c.rel_after, *key_columns)
        .where(wanted)
        .order_by(ranked.c.rel_parent, ranked.c.rel_after, ranked.c.rel_rank)
    )


@dataclass(frozen=True)
class PageKey:
    """A nested page request; requests equal but for the parent share one statement."""

    nested: Nested
    ordering: Ordering
    window: Window
    model: Any = field(compare=False)
    to_node: Callable[[Any], Any] = field(compare=False)
    counted: bool = True  # the client asks for totalCount, so every row must be counted

    @property
    def batch(self) -> tuple[Any, ...]:
        return (self.nested.relation, self.nested.scope, self.ordering, self.window, self.counted)


# -- the connection type ------------------------------------------------------------------


def selects_field(info: Info[Any, Any], name: str) -> bool:
    """Whether the current field's selection asks for `name`, looking through fragments."""

    def walk(selections: Sequence[Any]) -> bool:
        for selection in selections:
            if isinstance(selection, SelectedField) and selection.name == name:
                return True
            if (
                isinstance(selection, (FragmentSpread, InlineFragment, SelectedField))
                and (not isinstance(selection, SelectedField))
                and walk(selection.selections)
            ):
                return True
        return False

    return any(walk(field.selections) for field in info.selected_fields)


class LazyEdge(Generic[NodeType]):
    """An edge (served as the schema's `…Edge` type, which reads `cursor` and `node` off it)
    whose cursor is encoded only when asked for: clients mostly read `node`, and encoding the
    cursor of every edge of every nested page was a twentieth of query c (bench/run.py)."""

    __slots__ = ("keys", "node", "ordering")

    def __init__(self, node: NodeType, keys: list[Any], ordering: Ordering) -> None:
        self.node = node
        self.keys = keys
        self.ordering = ordering

    @property
    def cursor(self) -> str:
        return encode_cursor(self.ordering, self.keys)


@strawberry.type(name="Connection", description="A page of items, with how to fetch the next.")
class Connection(relay.Connection[NodeType]):
    total_count: int | None = strawberry.field(
        description="How many items the connection holds across all its pages."
    )

    @classmethod
    def resolve_connection(  # type: ignore[override]
        cls,
        nodes: PageQuery[NodeType],
        *,
        info: Info["Context", Any],
        before: str | None = None,
        after: str | None = None,
        first: int | None = None,
        last: int | None = None,
        max_results: int | None = None,
        **kwargs: Any,
    ) -> Any:
        context = info.context
        window = Window.from_arguments(
            nodes.ordering,
            first=first,
            after=after,
            last=last,
            before=before,
            default_size=context.settings.default_page_size,
            max_size=max_results or context.settings.max_page_size,
            columns=nodes.model.__table__.c,
        )

        async def resolve() -> "Connection[NodeType]":
            if nodes.nested is not None:
                key = PageKey(
                    nodes.nested,
                    nodes.ordering,
                    window,
                    nodes.model,
                    nodes.to_node,
                    counted=selects_field(info, "totalCount"),
                )
                page: Page[NodeType] = await context.loaders.pages.load(key)
            else:
                page = await run_page(nodes, window)
                if selects_field(info, "totalCount"):
                    page = Page(page.nodes, page.keys, page.has_more, await run_count(nodes))
            return cls.from_page(page, window, nodes.ordering)

        return resolve()

    @classmethod
    def from_page(
        cls, page: Page[NodeType], window: Window, ordering: Ordering
    ) -> "Connection[NodeType]":
        edges = [
            LazyEdge(node, keys, ordering) for node, keys in zip(page.nodes, page.keys, strict=True)
        ]
        came_from_cursor = window.cursor is not None
        return cls(
            edges=cast(list[relay.Edge[NodeType]], edges),
            page_info=relay.PageInfo(
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
                has_next_page=came_from_cursor if window.backwards else page.has_more,
                has_previous_page=page.has_more if window.backwards else came_from_cursor,
            ),
            total_count=page.total,
        )
