"""The compiled read path, as a schema extension that answers before the executor would.

After parsing, validation and the limits (cost, depth, aliases, text) have passed, a query
whose plan exists is answered by one SQL statement whose JSON goes to the client unparsed
(`orjson.Fragment`); anything else, and any request whose arguments the resolver path would
refuse, runs through the resolvers, which stay the reference and word every error. Which
path served is in the `Server-Timing` header and in `request.state.execution_path`.
"""

import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import orjson
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import FragmentDefinitionNode, GraphQLError
from graphql.execution.collect_fields import FragmentDetails
from graphql.execution.values import get_variable_values
from graphql.utilities import get_operation_ast
from sqlalchemy.exc import SQLAlchemyError
from strawberry.extensions import SchemaExtension

from api.db import is_sqlite
from schema.compiled.dialect import dialect_of
from schema.compiled.plan import PlanCache, Refusal
from schema.compiled.sql import Builder, Unsupported
from schema.compiled.template import Templates, Untemplatable

logger = logging.getLogger("silkgraph.compiled")

COMPILED = "compiled"
RESOLVED = "resolved"


class CompiledPaths:
    """What the operations of one schema share: the plan cache (made on first use, when the
    schema exists), and the statement templates built from plans.

    A statement depends on nothing but its plan and the shape of the request's values
    (settings are the application's), so a request of a known shape only binds its values:
    building a statement costs more than running it (bench/compiled_cpu.py, profiled).
    """

    def __init__(self, max_statements: int = 256) -> None:
        self.plans: PlanCache | None = None
        self.templates = Templates(max_statements)

    def cache(self, graphql_schema: Any) -> PlanCache:
        if self.plans is None or self.plans.planner.schema is not graphql_schema:
            self.plans = PlanCache(graphql_schema)
        return self.plans


class CompiledReads(SchemaExtension):
    def __init__(self, paths: CompiledPaths) -> None:
        self.paths = paths

    async def on_execute(self) -> AsyncIterator[None]:
        started = time.perf_counter()
        execution = self.execution_context
        path = RESOLVED
        try:
            data = await self.answer()
        except (GraphQLError, Unsupported, Untemplatable):
            # The resolvers refuse the same arguments with their own words.
            data = None
        except SQLAlchemyError:
            # The database's own trouble (down, too slow) the resolvers meet and word too.
            logger.warning("compiled statement failed; resolving instead", exc_info=True)
            data = None
        except Exception:
            # A fault of the compiled path must not cost the client its answer.
            logger.exception("compiled path failed; resolving instead")
            data = None
        if data is not None:
            # The JSON as the database wrote it, embedded unparsed when the answer is encoded.
            fragment: Any = orjson.Fragment(data)
            execution.result = GraphQLExecutionResult(data=fragment, errors=None)
            path = COMPILED
        yield
        _report(execution.context, path, time.perf_counter() - started)

    async def answer(self) -> str | bytes | None:
        """The `data` JSON of the operation, or None when the resolvers must answer."""
        execution = self.execution_context
        context = execution.context
        document = execution.graphql_document
        settings = getattr(context, "settings", None)
        if document is None or settings is None or not settings.compiled_reads:
            return None
        graphql_schema = execution.schema._schema
        operation = get_operation_ast(document, execution.operation_name)
        if operation is None:
            return None
        variables = get_variable_values(
            graphql_schema, operation.variable_definitions or (), execution.variables or {}
        )
        if isinstance(variables, list):
            return None
        fragments = {
            d.name.value: FragmentDetails(d)
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        plan = self.paths.cache(graphql_schema).get(
            execution.query or "", operation, fragments, variables
        )
        if isinstance(plan, Refusal):
            return None
        dialect = dialect_of("sqlite" if is_sqlite(settings.database_url) else "postgresql")
        builder = Builder(dialect, settings, context, variables, execution.schema)
        binding = await builder.bind(plan)
        statement = self.paths.templates.get(plan, binding.shape)
        if statement is None:
            statement = builder.statement(plan, binding)
            self.paths.templates.keep(plan, binding.shape, statement)
        async with context.sessions() as session:
            text = (await session.execute(statement, binding.values)).scalar_one()
        return text if isinstance(text, str | bytes) else None


def _report(context: Any, path: str, seconds: float) -> None:
    """Which path served: on the request (`api.observability` counts it in the metrics) and
    in the `Server-Timing` header."""
    request = getattr(context, "request", None)
    if request is not None and hasattr(request, "state"):
        request.state.execution_path = path
    response = getattr(context, "response", None)
    if response is not None:
        timing = f"{path};dur={seconds * 1000:.2f}"
        earlier = response.headers.get("server-timing")
        response.headers["server-timing"] = f"{earlier}, {timing}" if earlier else timing
