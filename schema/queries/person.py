"""Root fields for people."""

from typing import Annotated

import strawberry
from sqlalchemy import Select, select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import PERSON_SORT, PersonFilter, PersonOrder, conditions_of
from schema.loaders.people import PERSON_ORDER
from schema.ordering import ordering_of
from schema.pagination import Connection, PageQuery
from schema.queries import first_row
from schema.types.arguments import Filter, OrderBy
from schema.types.person import Person

Key = Annotated[str, strawberry.argument(description="person2")]


def person_by_key(key: str) -> Select[models.Person]:
    """The look-up `person(key:)` makes, shared with the compiled read path."""
    return select(models.Person).where(col(models.Person.key) == key.strip().lower())


@strawberry.type
class PersonQueries:
    @strawberry.field(description="The person with this key; null if there is none.")
    async def person(self, info: Info, key: Key) -> Person | None:
        row = await first_row(info, person_by_key(key))
        return Person.from_row(row) if row else None

    @relay.connection(
        Connection[Person],
        description="All people the sources name, by name, unless `orderBy` says otherwise.",
    )
    async def people(
        self,
        info: Info,
        filter: Filter[PersonFilter] = None,
        order_by: OrderBy[PersonOrder] = None,
    ) -> PageQuery[Person]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.Person,
            ordering=ordering_of(PERSON_SORT, order_by, PERSON_ORDER),
            to_node=Person.from_row,
            where=conditions_of(filter),
        )
