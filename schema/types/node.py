"""Shared plumbing for types that implement the Relay `Node` interface."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from schema.context import Info
from schema.errors import ErrorCode, UserError

T = TypeVar("T")


async def resolve_by_ids(
    info: Info,
    model: Any,
    node_ids: Iterable[str],
    required: bool,
    from_row: Callable[[Any], T],
) -> list[T | None]:
    """Nodes for global-ID payloads through the by-id loader; unknown ids resolve to None."""
    ids = [int(node_id) if node_id.isdigit() else -1 for node_id in node_ids]
    rows = await info.context.loaders.by_id(model).load_many(ids)
    if required and any(row is None for row in rows):
        raise UserError(f"no {model.__name__} with that id", code=ErrorCode.NOT_FOUND, field="id")
    return [from_row(row) if row is not None else None for row in rows]
