"""Shared plumbing for types that implement the Relay `Node` interface."""

from collections.abc import Callable, Hashable, Iterable
from typing import Any, ClassVar, Self, TypeVar

from strawberry import relay

from schema.context import Info
from schema.errors import ErrorCode, UserError
from schema.loaders.relations import Relation, RowsKey
from schema.pagination import INT32

T = TypeVar("T")


def row_id(node_id: str) -> int | None:
    """The row id a global ID's payload names, or None when no row can have it: not a
    number, or beyond the 32-bit ids of every table (PostgreSQL refuses to compare an
    integer column with a larger number, where SQLite just finds no row)."""
    if not (node_id.isascii() and node_id.isdigit()):
        return None
    number = int(node_id)
    return number if number in INT32 else None


async def resolve_by_ids(
    info: Info,
    model: Any,
    node_ids: Iterable[str],
    required: bool,
    from_row: Callable[[Any], T],
) -> list[T | None]:
    """Nodes for global-ID payloads through the by-id loader; unknown ids resolve to None."""
    ids = [found if (found := row_id(node_id)) is not None else -1 for node_id in node_ids]
    rows = await info.context.loaders.by_id(model).load_many(ids)
    if required and any(row is None for row in rows):
        raise UserError(f"no {model.__name__} with that id", code=ErrorCode.NOT_FOUND, field="id")
    return [from_row(row) if row is not None else None for row in rows]


class FromRow:
    """A GraphQL object built from one database row, and so loadable in batches of them."""

    @classmethod
    def from_row(cls, row: Any) -> Self:
        """The GraphQL object for one row; every concrete type maps its columns explicitly."""
        raise NotImplementedError(f"{cls.__name__} must define from_row")

    @classmethod
    async def related(
        cls, info: Info, relation: Relation, parent_id: int | str, scope: Hashable = None
    ) -> list[Self]:
        """The rows `relation` hangs off one parent, as objects of this type, through the
        request's rows loader: one statement for every parent of a level."""
        rows = await info.context.loaders.rows.load(RowsKey(relation, parent_id, scope))
        return [cls.from_row(row) for row in rows]


class RowNode(FromRow, relay.Node):
    """A Node backed by rows of `model`: `node(id:)` finds them through the by-id loader."""

    model: ClassVar[Any]

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await resolve_by_ids(info, cls.model, node_ids, required, cls.from_row)
