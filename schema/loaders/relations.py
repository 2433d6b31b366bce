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

from sqlalchemy import ColumnElement, Select, Subquery, select, union
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
        statement = select(self.model, col(self.parent).label("rel_parent"))
        if self.link is not None:
            statement = statement.join(self.link, self.on)
            if self.distinct:
                statement = statement.distinct()
        return statement.where(col(self.parent).in_(parent_ids), *self.conditions(scope))


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
            base = relation.select_rows(
                sorted({k.nested.parent_id for k in members}), first.nested.scope
            )
            statement = windowed_statement(first.model, base, first.ordering, first.window)
            rows: dict[int, list[tuple[Any, list[Any]]]] = defaultdict(list)
            totals: dict[int, int] = {}
            for row in (await session.execute(statement)).all():
                entity, parent_id, total, after, *sort_keys = row
                totals[parent_id] = total
                if after:
                    rows[parent_id].append((first.to_node(entity), sort_keys))
            for key in members:
                parent_id = key.nested.parent_id
                pages[key] = assemble(key.window, rows.get(parent_id, []), totals.get(parent_id, 0))
    return [pages[key] for key in keys]


async def load_by_id(sessions: SessionFactory, model: Any, ids: list[int]) -> list[Any]:
    """Rows of `model` for `ids`, None where a row does not exist, in one statement."""
    async with sessions() as session:
        rows = await session.scalars(select(model).where(col(model.id).in_(ids)))
        by_id = {row.id: row for row in rows}
    return [by_id.get(i) for i in ids]
