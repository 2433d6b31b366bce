"""The ASGI application: FastAPI serving the GraphQL schema, GraphiQL and a health check."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from strawberry.fastapi import GraphQLRouter

from api.db import create_engine, create_session_factory
from api.export import export_router
from api.settings import Settings, get_settings
from schema import schema
from schema.context import Context
from schema.loaders import Loaders


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application with its own engine; uvicorn calls this as a factory in each worker."""
    settings = settings or get_settings()
    engine = create_engine(settings)
    sessions = create_session_factory(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    async def context() -> Context:
        # Fresh loaders per request: their caches must not leak between requests or users.
        return Context(settings=settings, sessions=sessions, loaders=Loaders(sessions))

    app = FastAPI(
        title="silkgraph",
        summary="A source-cited GraphQL knowledge base of international relations.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.include_router(
        GraphQLRouter(schema, context_getter=context, graphql_ide="graphiql"), prefix="/graphql"
    )
    app.include_router(export_router(sessions))

    @app.get("/healthz", summary="200 once the database answers, 503 while it does not.")
    async def healthz() -> JSONResponse:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError):
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    return app
