"""Each GraphQL request's Context, built one way whichever door the request came in by.

The FastAPI route (`api.app`, a dependency) and the front door (`api.front_door`, before
FastAPI) both answer GraphQL; whatever a request's Context holds is added here once.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from asgi_correlation_id import correlation_id
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import SingleRead
from api.read_snapshot import ReadSnapshot
from api.settings import Settings
from schema.context import Context
from schema.loaders import Loaders


@asynccontextmanager
async def request_context(
    settings: Settings, engine: AsyncEngine, single_read: SingleRead | None = None
) -> AsyncIterator[Context]:
    """A request's Context, its snapshot closed (and its connection returned) on leaving;
    `single_read` (api/single_read.py, one per application) runs the compiled statement."""
    # Fresh loaders per request: their caches must not leak between requests or users.
    # One snapshot per request: its answer never mixes data from before and after a write.
    snapshot = ReadSnapshot(engine)
    try:
        yield Context(
            settings=settings,
            sessions=snapshot,
            loaders=Loaders(snapshot),
            request_id=correlation_id.get(),
            single_read=single_read,
        )
    finally:
        await snapshot.close()
