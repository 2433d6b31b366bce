"""Mixed operations: root fields the compiled statement answered, the rest resolved around them.

An operation may ask for a page of transfers and a search at once. The compiled path answers
the root fields it can in one statement, one column each (`Builder.statement`); graphql-core's
executor then runs the operation as it always does, except that a root field whose response
key the statement answered is not resolved: its value is that field's JSON, embedded
unparsed (`orjson.Fragment`) when the answer is encoded. Everything else (the order of the
keys, the other fields' errors and paths, a failing non-null field nulling `data`) is the
executor's own, so the answer is the one the resolvers would give for the whole operation.
"""

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import GraphQLObjectType, OperationDefinitionNode
from graphql.pyutils import Path

from schema.execution import ClosingExecutionContext

MIXED = "mixed"


@dataclass(frozen=True)
class Answered:
    """The root fields of `operation` the statement answered, by response key: each one's
    JSON, or None for null."""

    operation: OperationDefinitionNode
    values: dict[str, Any]

    @classmethod
    def of(cls, operation: OperationDefinitionNode, keys: list[str], row: Any) -> "Answered":
        return cls(
            operation,
            {
                key: None if value is None else orjson.Fragment(value)
                for key, value in zip(keys, row, strict=True)
            },
        )


# What the compiled path answered for the operation being executed: set by `CompiledReads`
# just before the executor runs (in the same task), read at the root by `CompiledRoots`.
ANSWERED: ContextVar[Answered | None] = ContextVar("compiled_roots_answered", default=None)


class CompiledRoots(ClosingExecutionContext):
    """graphql-core's executor, taking the root fields the compiled statement answered as
    they are; every other field it resolves and completes itself."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        if path.prev is None:
            answered = ANSWERED.get()
            if (
                answered is not None
                and answered.operation is self.operation
                and path.key in answered.values
            ):
                return answered.values[path.key]
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
