"""Root fields, one module per entity; `schema/__init__.py` merges them into `Query`."""

from typing import TypeVar

from sqlalchemy import Select

from schema.context import Info

Row = TypeVar("Row")


async def first_row(info: Info, statement: Select[Row]) -> Row | None:
    """The first row of a one-row look-up, or None."""
    async with info.context.sessions() as session:
        return (await session.scalars(statement.limit(1))).first()
