"""The compiled read path, as a schema extension that answers before the executor would.

After parsing, validation and the limits (cost, depth, aliases, text) have passed, a query
whose plan exists is answered by one SQL statement whose JSON goes to the client unparsed
(`orjson.Fragment`). An operation whose other root fields only the resolvers answer (search,
stats, analyses …) is mixed: the statement answers the root fields it can and the executor
resolves the rest around them (`schema.compiled.mixed`). Anything else, and any request whose
arguments the resolver path would refuse, runs through the resolvers, which stay the reference
and word every error. Which path served ("compiled", "mixed" or "resolved") is in the
`Server-Timing` header and in `request.state.execution_path`.
"""

import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import DocumentNode, FragmentDefinitionNode, GraphQLError, OperationDefinitionNode
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.execution.collect_fields import FragmentDetails
from graphql.execution.values import get_variable_values
from graphql.utilities import get_operation_ast
from sqlalchemy import Select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from strawberry.extensions import SchemaExtension

from api.db import ReadFailed, is_sqlite
from schema.compiled.dialect import dialect_of
from schema.compiled.mixed import ANSWERED, MIXED, Answered
from schema.compiled.plan import PlanCache, Refusal
from schema.compiled.sql import Builder, Unsupported
from schema.compiled.template import ByPlan, Untemplatable
from schema.errors import statement_too_complex

logger = logging.getLogger("silkgraph.compiled")

COMPILED = "compiled"
RESOLVED = "resolved"


@dataclass(frozen=True)
class KnownOperation:
    """An operation the compiled path has answered: its text parsed and validated, and the
    parts of its document a plan reads, so the lean lane (`schema.compiled.lane`) can answer
    it again without parsing, validating or planning it."""

    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDetails]


class CompiledPaths:
    """What the operations of one schema share: the plan cache (made on first use, when the
    schema exists), the statement templates built from plans, and the operations known to
    be compiled.

    A statement depends on nothing but its plan and the shape of the request's values
    (settings are the application's), so a request of a known shape only binds its values:
    building a statement costs more than running it (bench/compiled_cpu.py, profiled).
    """

    def __init__(self, max_statements: int = 256, max_known: int = 256) -> None:
        self.plans: PlanCache | None = None
        self.templates: ByPlan[Select[Any]] = ByPlan(max_statements)
        # A request repeating a plan's variables repeats its binding: the arguments,
        # converted and handed to the root resolvers, depend on nothing else.
        self.bindings: ByPlan[tuple[Hashable, dict[str, Any]]] = ByPlan(max_statements)
        # Statements the database refused as too deep or too large (SQLite 3.40's parser
        # stack): the resolvers answer those shapes from then on, without trying again.
        self.refused: ByPlan[bool] = ByPlan(max_statements)
        self.max_known = max_known
        self.known: OrderedDict[tuple[str, str | None], KnownOperation] = OrderedDict()

    def cache(self, graphql_schema: Any) -> PlanCache:
        if self.plans is None or self.plans.planner.schema is not graphql_schema:
            self.plans = PlanCache(graphql_schema)
        return self.plans

    def known_operation(self, text: str, operation_name: str | None) -> KnownOperation | None:
        found = self.known.get((text, operation_name))
        if found is not None:
            self.known.move_to_end((text, operation_name))
        return found

    def keep_known(self, text: str, operation_name: str | None, known: KnownOperation) -> None:
        self.known[(text, operation_name)] = known
        while len(self.known) > self.max_known:
            self.known.popitem(last=False)

    async def answer(
        self,
        strawberry_schema: Any,
        context: Any,
        text: str,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        raw_variables: dict[str, Any],
        mixed: bool = True,
    ) -> str | bytes | Answered | None:
        """The `data` JSON of the operation; with `mixed`, for an operation only part of
        which the compiled path answers, that part; None when the resolvers must answer the
        whole (they also word every error)."""
        try:
            return await self._data(
                strawberry_schema, context, text, operation, fragments, raw_variables, mixed
            )
        except (GraphQLError, Unsupported, Untemplatable):
            # The resolvers refuse the same arguments with their own words.
            return None
        except (SQLAlchemyError, ReadFailed):
            # The database's own trouble (down, cut off, too slow) the resolvers meet and word
            # too; their pool checks a connection before using it.
            logger.warning("compiled statement failed; resolving instead", exc_info=True)
            return None
        except Exception:
            # A fault of the compiled path must not cost the client its answer.
            logger.exception("compiled path failed; resolving instead")
            return None

    async def _data(
        self,
        strawberry_schema: Any,
        context: Any,
        text: str,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        raw_variables: dict[str, Any],
        mixed: bool,
    ) -> str | bytes | Answered | None:
        settings = getattr(context, "settings", None)
        if settings is None or not settings.compiled_reads:
            return None
        graphql_schema = strawberry_schema._schema
        variables = get_variable_values(
            graphql_schema, operation.variable_definitions or (), raw_variables
        )
        if isinstance(variables, list):
            return None
        plan = self.cache(graphql_schema).get(text, operation, fragments, variables)
        if isinstance(plan, Refusal) or (plan.resolved and not mixed):
            return None
        key = _variables_key(raw_variables)
        bound = None if key is None else self.bindings.get(plan, key)
        statement = None if bound is None else self.templates.get(plan, bound[0])
        if bound is None or statement is None:
            dialect = dialect_of("sqlite" if is_sqlite(settings.database_url) else "postgresql")
            builder = Builder(dialect, settings, context, variables, strawberry_schema)
            binding = await builder.bind(plan)
            bound = (binding.shape, binding.values)
            if key is not None:
                self.bindings.keep(plan, key, bound)
            statement = self.templates.get(plan, binding.shape)
            if statement is None:
                statement = builder.statement(plan, binding)
                self.templates.keep(plan, binding.shape, statement)
        if self.refused.get(plan, bound[0]):
            return None
        try:
            if plan.resolved:
                # The resolvers read the rest: in the request's snapshot, as they do.
                async with context.sessions() as session:
                    row = (await session.execute(statement, bound[1])).one()
                return Answered.of(operation, plan.read_keys, row)
            single_read = getattr(context, "single_read", None)
            if single_read is not None:
                # One statement is its own snapshot: no transaction, one round trip.
                data = await single_read.scalar(statement, bound[1])
            else:
                async with context.sessions() as session:
                    data = (await session.execute(statement, bound[1])).scalar_one()
        except Exception as error:
            if not statement_too_complex(error):
                raise
            self.refused.keep(plan, bound[0], True)
            logger.warning(
                "compiled statement too complex for the database; resolving this operation "
                "shape from now on: %s",
                error.orig if isinstance(error, DBAPIError) else error,
            )
            return None
        return data if isinstance(data, str | bytes) else None


class CompiledReads(SchemaExtension):
    def __init__(self, paths: CompiledPaths) -> None:
        self.paths = paths

    async def on_execute(self) -> AsyncIterator[None]:
        started = time.perf_counter()
        execution = self.execution_context
        path = RESOLVED
        document = execution.graphql_document
        text = execution.query
        name = execution.operation_name
        operation = None if document is None else get_operation_ast(document, name)
        data = None
        if document is not None and text and operation is not None:
            fragments = {
                d.name.value: FragmentDetails(d)
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            data = await self.paths.answer(
                execution.schema,
                execution.context,
                text,
                operation,
                fragments,
                execution.variables or {},
            )
            if isinstance(data, str | bytes):
                known = KnownOperation(document, operation, fragments)
                self.paths.keep_known(text, name, known)
                operations = [
                    d for d in document.definitions if isinstance(d, OperationDefinitionNode)
                ]
                if len(operations) == 1:
                    # The request may not have named it: Strawberry names it from the text.
                    self.paths.keep_known(text, None, known)
        if isinstance(data, Answered):
            # The executor resolves the rest around what the statement answered.
            ANSWERED.set(data)
            path = MIXED
        elif data is not None:
            # The JSON as the database wrote it, embedded unparsed when the answer is encoded.
            fragment: Any = orjson.Fragment(data)
            execution.result = GraphQLExecutionResult(data=fragment, errors=None)
            path = COMPILED
        try:
            yield
        finally:
            if path == MIXED:
                ANSWERED.set(None)
        report(execution.context, path, time.perf_counter() - started)


def _variables_key(variables: dict[str, Any]) -> bytes | None:
    """The request's variables as a cache key (None for values JSON cannot hold as keys)."""
    try:
        return orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an integer beyond 64 bits: not worth a key
        return None


def report(context: Any, path: str, seconds: float) -> None:
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
