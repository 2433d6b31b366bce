"""The root `search` field."""

from functools import partial
from typing import Annotated

import strawberry
from sqlmodel import col
from strawberry import relay

from api.models.search import SearchEntry, SearchKind
from schema.context import Info
from schema.errors import bad_input
from schema.pagination import Connection, PageQuery
from schema.search import Query
from schema.types.search import SearchResult


@strawberry.type
class SearchQueries:
    @relay.connection(
        Connection[SearchResult],  # type: ignore[type-var]
        description="Records of every kind whose text holds every word of `text` (each as the "
        "start of a word, any case, accents ignored), best match first.",
    )
    async def search(
        self,
        info: Info,
        text: Annotated[
            str, strawberry.argument(description="Words to look for, e.g. `turk drone`.")
        ],
        kinds: Annotated[
            list[SearchKind] | None,
            strawberry.argument(description="Only these kinds of record; all when left out."),
        ] = None,
    ) -> PageQuery[SearchResult]:  # type: ignore[type-var]
        query = Query.parse(text)
        where = [query.matches()]
        if kinds is not None:
            if len(kinds) > len(SearchKind):
                raise bad_input(f"`kinds` takes at most {len(SearchKind)} items", "kinds")
            where.append(col(SearchEntry.kind).in_(kinds))
        return PageQuery(  # type: ignore[type-var]
            sessions=info.context.sessions,
            model=SearchEntry,
            ordering=query.ordering(),
            to_node=partial(SearchResult.from_entry, query),
            where=tuple(where),
        )
