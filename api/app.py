"""The ASGI application: FastAPI serving the GraphQL schema, GraphiQL and a health check."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from asgi_correlation_id import CorrelationIdMiddleware, correlation_id
from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.cors import add_cors
from api.db import create_engine, create_session_factory
from api.export import export_router
from api.front_door import GZIP_LEVEL, GZIP_MINIMUM_SIZE, FrontDoor
from api.graphql_http import SilkgraphRouter, error_response
from api.limits import BodySizeLimit, RateLimit, RateLimiter
from api.metrics import Metrics
from api.observability import RequestObserver
from api.pages import install_pages
from api.persisted_queries import PersistedQueries
from api.request_context import request_context
from api.settings import Settings, get_settings
from api.single_read import create_single_read
from schema import build_schema
from schema.compiled.dialect import SQLITE_FUNCTIONS
from schema.compiled.dialect import install as install_compiled_functions
from schema.compiled.lane import Lane
from schema.context import Context
from schema.errors import ErrorCode

logger = logging.getLogger("silkgraph.http")
FULL_COLLECTION_THRESHOLD = 100  # middle-generation collections per full one (Python: 10)

_CODE_OF_STATUS = {
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application with its own engine; uvicorn calls this as a factory in each worker."""
    settings = settings or get_settings()
    engine = create_engine(settings, statement_timeout=settings.request_timeout)
    install_compiled_functions(engine)
    sessions = create_session_factory(engine)
    # Closed with the engine (its dispose, in the lifespan below or by whoever made the app).
    single_read = create_single_read(
        engine,
        settings,
        statement_timeout=settings.request_timeout,
        functions=SQLITE_FUNCTIONS,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Everything built so far (modules, the schema, SQLAlchemy's mappers) lives as long
        # as the worker: leave it out of garbage collection, whose full passes over it cost
        # a sixth of a simple request's time (bench/run.py, profiled).
        gc.freeze()
        # And make full passes rarer: with 16 large answers (query c) being built at once, a
        # full pass came after every 10 collections of the middle generation and walked all
        # of them; c served 1.3 requests a second so, 2.7 with full passes ten times rarer,
        # 4.7 with no collection at all. The young generations, where most garbage dies, are
        # collected as often as before.
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)
        yield
        await engine.dispose()

    def open_context() -> AbstractAsyncContextManager[Context]:
        # The one way a request's Context is made: the route below and the front door.
        return request_context(settings, engine, single_read)

    async def context() -> AsyncIterator[Context]:
        async with open_context() as request_scoped:
            yield request_scoped

    app = FastAPI(
        title="silkgraph",
        summary="A source-cited GraphQL knowledge base of international relations.",
        lifespan=lifespan,
        docs_url=None,  # api.pages serves /docs and /redoc from the package, not a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.single_read = single_read
    schema = build_schema(settings)
    lane = Lane.of(schema)
    persisted_queries = PersistedQueries(settings.persisted_query_cache_chars)
    app.include_router(
        SilkgraphRouter(
            schema,
            context_getter=context,
            graphql_ide="graphiql" if settings.introspection else None,
            timeout=settings.request_timeout,
            max_batch_size=settings.max_batch_size,
            max_json_depth=settings.max_json_depth,
            persisted_queries=persisted_queries,
            lane=lane,
        ),
        prefix="/graphql",
    )
    app.include_router(export_router(sessions))
    metrics = Metrics() if settings.metrics_enabled else None
    if metrics is not None:
        app.include_router(metrics.router())
    install_pages(app, settings, schema.as_str() + "\n")

    @app.get("/healthz", summary="200 once the database answers, 503 while it does not.")
    async def healthz() -> JSONResponse:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError):
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _CODE_OF_STATUS.get(error.status_code, ErrorCode.BAD_REQUEST)
        return error_response(error.status_code, str(error.detail), code, headers=error.headers)

    @app.exception_handler(Exception)
    async def unexpected_error(_request: Request, error: Exception) -> JSONResponse:
        logger.error("request %s: unhandled error", correlation_id.get(), exc_info=error)
        return error_response(500, "Unexpected error.", ErrorCode.INTERNAL_SERVER_ERROR)

    # The last added runs first: the request id is set before anything can refuse.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    limiter = None
    if settings.rate_limit_enabled:
        limiter = RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst)
        app.add_middleware(RateLimit, limiter=limiter, api_keys=settings.api_keys)
    app.state.rate_limiter = limiter  # shared by RateLimit and the front door
    add_cors(app, settings)
    # Streamed answers (exports) stay streamed: each chunk is compressed as it passes.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_SIZE, compresslevel=GZIP_LEVEL)
    app.add_middleware(RequestObserver, metrics=metrics)
    app.add_middleware(
        CorrelationIdMiddleware, header_name="X-Request-ID", validator=_is_request_id
    )
    if settings.front_door and lane is not None:
        # Outermost: a known compiled read is answered before all of the above, as they would.
        app.add_middleware(
            FrontDoor,
            lane=lane,
            settings=settings,
            contexts=open_context,
            persisted_queries=persisted_queries,
            metrics=metrics,
            limiter=limiter,
            is_request_id=_is_request_id,
        )
    return app


def _is_request_id(value: str) -> bool:
    """A caller's own request id is kept when it is short and plain (it ends up in logs)."""
    return 0 < len(value) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_.") for c in value)
