"""The lean lane: an operation known to be compiled, answered without Strawberry's executor.

Once the compiled path has answered an operation text (`CompiledPaths.known`), everything
that depends only on the text has passed: parsing, the token, depth and alias limits, the
GraphQL validation rules, the introspection switch. A later request for it still needs what
depends on its values: the text guard over its variables, the cost budget (`first: $n`),
variable coercion, the plan's shape and the statement's values. The lane does exactly that
and nothing else: no extensions made and hooked per request, no validation visitor, no
execution context. Whatever the lane is not sure of (a refusal, an error, a value the
resolvers would word) it hands back, and the request goes the whole way, so every error
is worded where it always was. The HTTP layer around it (APQ, the deadline, status and
media type, the request log, the middlewares) is the same for both (`api.graphql_http`).
"""

import time
from functools import partial
from typing import Any

import orjson
import strawberry
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from schema.compiled.extension import COMPILED, CompiledPaths, CompiledReads, report
from schema.cost import CostModel, QueryCost, operation_cost
from schema.errors import unstorable
from schema.limits import strings_in


class Lane:
    """Answers known compiled operations of one schema, reading the same plan cache,
    templates and limits its extensions were made with."""

    def __init__(self, schema: strawberry.Schema, paths: CompiledPaths, cost: QueryCost) -> None:
        self.schema = schema
        self.paths = paths
        self.cost_model: CostModel = cost.model
        self.cost_limit = cost.limit

    @classmethod
    def of(cls, schema: strawberry.Schema) -> "Lane | None":
        """The lane of `schema`, when it has both the compiled path and the cost budget
        among its extensions (the lane must check the same budget)."""
        paths = cost = None
        for factory in schema.extensions:
            if isinstance(factory, partial) and factory.func is CompiledReads:
                paths = factory.args[0]
            elif isinstance(factory, partial) and factory.func is QueryCost:
                cost = factory()
        if paths is None or cost is None:
            return None
        return cls(schema, paths, cost)

    async def execute(self, context: Any, data: GraphQLRequestData) -> ExecutionResult | None:
        """The result of `data`, or None when it must go the whole way."""
        if not isinstance(data.query, str):
            return None
        known = self.paths.known_operation(data.query, data.operation_name)
        if known is None:
            return None
        started = time.perf_counter()
        variables = data.variables or {}
        if any(unstorable(text) for text in strings_in(variables)):
            return None
        requested = operation_cost(
            self.schema._schema, known.document, data.operation_name, variables, self.cost_model
        )
        if requested is None or requested > self.cost_limit:
            return None
        answer = await self.paths.answer(
            self.schema,
            context,
            data.query,
            known.operation,
            known.fragments,
            variables,
            mixed=False,  # the executor must resolve the rest: the whole way
        )
        if not isinstance(answer, str | bytes):
            return None
        report(context, COMPILED, time.perf_counter() - started)
        fragment: Any = orjson.Fragment(answer)
        # The cost is reported as QueryCost reports it on the whole way.
        extensions = {"cost": {"requested": requested, "limit": self.cost_limit}}
        return ExecutionResult(data=fragment, errors=None, extensions=extensions)
