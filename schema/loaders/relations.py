"""Generic batch loading of rows that hang off parents, for lists and for connections.

Each relation (memberships of an organisation, arms imports of a state …) is declared once as
a `Relation`; the two loaders here answer any number of parents with one statement per
relation, scope and nesting level, which is what keeps a request's statement count tied to
its depth rather than to how many rows it returns.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Subquery,
    column,
    select,
    text,
    true,
    union,
)
from sqlalchemy.orm import aliased
from sqlmodel import col

from api.db import SessionFactory
from schema.pagination import Ordering, Page, PageKey, assemble, windowed_statement

Conditions = Callable[[Hashable], Sequence[ColumnElement[bool]]]


def no_conditions(_scope: Hashable) -> Sequence[ColumnElement[bool]]:
    return ()


@runtime_checkable
class Scope(Protocol):
    """A scope that knows its own conditions: a filter's checked criteria."""

    def conditions(self) -> Sequence[ColumnElement[bool]]: ...


def scope_conditions(scope: Hashable) -> Sequence[ColumnElement[bool]]:
    """The conditions of a relation asked with a filter (its `Criteria`), or none."""
    if scope is None:
        return ()
    assert isinstance(scope, Scope)
    return scope.conditions()


@dataclass(frozen=True, eq=False)
class Relation:
    """Rows of `model` belonging to a parent id held in `parent` (a column of `model`, or of
    `link` when the relation goes through a link table joined `on` the model).

    `conditions(scope)` narrows the rows (asOf, role, filters); `scope` is any hashable value,
    so parents asking with the same scope share a statement. Identity is the declaration.
    """

    name: str
    model: Any
    parent: Any
    ordering: Ordering
    conditions: Conditions = no_conditions
    link: Any = None
    on: Any = None
    # A link table may pair a row with a parent twice; a link that is already distinct (see
    # `union_link`) spares the DISTINCT, which Postgres cannot apply to rows with JSON columns.
    distinct: bool = True

    def select_rows(self, parent_ids: Sequence[int | str], scope: Hashable) -> Select[Any]:
        return self._select(col(self.parent).in_(parent_ids), scope)

    def select_parent_rows(self, parent: ColumnElement[Any], scope: Hashable) -> Select[Any]:
        """The rows of the one parent `parent` stands for: a column of an enclosing query
        (LATERAL on PostgreSQL, a correlated subquery on SQLite)."""
        return self._select(col(self.parent) == parent, scope)

    @property
    def cut_per_parent(self) -> bool:
        """Whether a window can be cut in each parent's own subquery: a DISTINCT one could
        not be ordered by terms outside its select list on PostgreSQL."""
        return self.link is None or not self.distinct

    def _select(self, belongs: ColumnElement[bool], scope: Hashable) -> Select[Any]:
        statement = select(self.model, col(self.parent).label("rel_parent"))
        if self.link is not None:
            statement = statement.join(self.link, self.on)
            if self.distinct:
                statement = statement.distinct()
        return statement.where(belongs, *self.conditions(scope))


def union_link(name: str, *pairs: tuple[Any, Any]) -> Subquery:
    """A link table of distinct (record id, parent id) pairs, for a relation whose parent can
    stand in several places: a state hosts an event or takes part in it."""
    selects: list[Select[Any, Any]] = [
        select(col(record).label("record_id"), col(parent).label("parent_id"))
        for record, parent in pairs
    ]
    # UNION drops duplicate pairs; a single select must be made distinct itself.
    linked = union(*selects) if len(selects) > 1 else selects[0].distinct()
    return linked.subquery(name)


def through(name: str, model: Any, link: Subquery, ordering: Ordering) -> Relation:
    """Rows of `model` whose id appears in `link` beside the parent id, narrowed by the
    filter they are asked with, if any."""
    return Relation(
        name=name,
        model=model,
        parent=link.c.parent_id,
        ordering=ordering,
        conditions=scope_conditions,
        link=link,
        on=link.c.record_id == col(model.id),
        distinct=False,
    )


@dataclass(frozen=True)
class RowsKey:
    relation: Relation
    parent_id: int | str  # an id, or another shared value (records of one deal share its key)
    scope: Hashable = None


async def load_rows(sessions: SessionFactory, keys: list[RowsKey]) -> list[list[Any]]:
    """Every parent's rows, one statement per (relation, scope), in the relation's order."""
    groups: dict[tuple[Relation, Hashable], set[int | str]] = defaultdict(set)
    for key in keys:
        groups[(key.relation, key.scope)].add(key.parent_id)
    found: dict[RowsKey, list[Any]] = defaultdict(list)
    async with sessions() as session:
        for (relation, scope), parent_ids in groups.items():
            # Ordered outside a subquery, as Postgres won't order a DISTINCT by other terms.
            rows = relation.select_rows(sorted(parent_ids, key=str), scope).subquery("rows")
            statement = select(aliased(relation.model, rows), rows.c.rel_parent).order_by(
                *(k.order_by(rows.c) for k in relation.ordering.keys)
            )
            for row, parent_id in (await session.execute(statement)).all():
                found[RowsKey(relation, parent_id, scope)].append(row)
    return [found.get(key, []) for key in keys]


async def load_pages(sessions: SessionFactory, keys: list[PageKey]) -> list[Page[Any]]:
    """One window of every parent's rows, one windowed statement per batch of equal requests."""
    groups: dict[tuple[Any, ...], list[PageKey]] = defaultdict(list)
    for key in keys:
        groups[key.batch].append(key)
    pages: dict[PageKey, Page[Any]] = {}
    async with sessions() as session:
        for members in groups.values():
            first = members[0]
            relation = first.nested.relation
            parent_ids = sorted({k.nested.parent_id for k in members})
            rows: dict[int, list[tuple[Any, list[Any]]]] = defaultdict(list)
            totals: dict[int, int] | None = None
            if first.counted or not isinstance(relation, Relation) or not relation.cut_per_parent:
                # The total needs every row of every parent anyway: count and rank them all.
                base = relation.select_rows(parent_ids, first.nested.scope)
                distinct = isinstance(relation, Relation) and not relation.cut_per_parent
                statement = windowed_statement(
                    first.model, base, first.ordering, first.window, distinct
                )
                totals = {}
                for row in (await session.execute(statement)).all():
                    entity, parent_id, total, after, *sort_keys = row
                    totals[parent_id] = total
                    if after:
                        rows[parent_id].append((first.to_node(entity), sort_keys))
            else:
                statement = per_parent_statement(
                    relation, parent_ids, first, session.get_bind().dialect.name
                )
                for entity, parent_id, *sort_keys in (await session.execute(statement)).all():
                    rows[parent_id].append((first.to_node(entity), sort_keys))
            for key in members:
                parent_id = key.nested.parent_id
                total = None if totals is None else totals.get(parent_id, 0)
                pages[key] = assemble(key.window, rows.get(parent_id, []), total)
    return [pages[key] for key in keys]


def per_parent_statement(
    relation: Relation, parent_ids: Sequence[int], key: PageKey, dialect: str
) -> Select[Any]:
    """One statement answering a window for every parent, each cut in its own subquery.

    Each parent's rows are read in order from the index and stop at the window (plus one, to
    tell if more follow), so the cost is parents × window, whatever each parent holds; ranking
    every row of every parent, as `windowed_statement` must to count them, read the whole of
    a million-row table for 200 states' first ten imports each (bench/run.py, query c).
    PostgreSQL takes the subquery as a LATERAL join; SQLite, which has none, as the ids a
    correlated subquery returns.
    """
    window, model = key.window, key.model
    ordering = key.ordering.reversed() if window.backwards else key.ordering
    # Our own integer ids, inlined: a VALUES list names its column `column1` on both back ends.
    listed = ", ".join(f"({int(i)})" for i in parent_ids)
    parents = text(f"VALUES {listed}").columns(column("column1", Integer)).subquery("parents")
    parent = parents.c.column1
    table = model.__table__
    inner = relation.select_parent_rows(parent, key.nested.scope)
    if window.cursor is not None:
        inner = inner.where(ordering.after(table.c, window.cursor))
    inner = inner.order_by(*(k.order_by(table.c) for k in ordering.keys)).limit(window.limit + 1)
    if dialect == "postgresql":
        page: Any = inner.lateral("page_rows")
        joined = parents.join(page, true())
        owner = page.c.rel_parent
    else:
        page = table.alias("page_rows")
        ids = inner.with_only_columns(col(model.id))
        joined = parents.join(page, page.c.id.in_(ids))
        owner = parent
    keys = [k.expression(page.c).label(f"rel_k{i}") for i, k in enumerate(ordering.keys)]
    return (
        select(aliased(model, page), owner, *keys)
        .select_from(joined)
        .order_by(owner, *(k.order_by(page.c) for k in ordering.keys))
    )


async def load_by_id(sessions: SessionFactory, model: Any, ids: list[int]) -> list[Any]:
    """Rows of `model` for `ids`, None where a row does not exist, in one statement."""
    async with sessions() as session:
        rows = await session.scalars(select(model).where(col(model.id).in_(ids)))
        by_id = {row.id: row for row in rows}
    return [by_id.get(i) for i in ids]
