"""The schema's guards against hostile operations, configured from settings.

Strawberry's depth, alias and token limiters (passed as factories: one fresh extension per
operation), the cost budget of `schema.cost`, a guard against text no column can hold, the
error policy, introspection, and the cache of parsed and validated documents
(`schema.caching`). Their errors carry codes: QUERY_TOO_DEEP for depth,
QUERY_TOO_COMPLEX for aliases, tokens and cost, BAD_USER_INPUT for text.
"""

import logging
from collections.abc import Callable, Iterator
from functools import partial

import strawberry
from graphql import GraphQLError, Node, StringValueNode, ValidationRule
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api.settings import Settings
from schema.caching import CachedDocuments, DocumentCache
from schema.compiled.extension import CompiledPaths, CompiledReads
from schema.cost import CostModel, QueryCost
from schema.errors import ErrorCode, error_policy, unstorable, with_code

logger = logging.getLogger("silkgraph.errors")

ExtensionFactory = Callable[[], SchemaExtension]


class DepthLimit(QueryDepthLimiter):
    """Strawberry's depth limiter (introspection exempt), its errors coded QUERY_TOO_DEEP."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(max_depth=max_depth)
        self.validation_rules = [
            with_code(rule, ErrorCode.QUERY_TOO_DEEP) for rule in self.validation_rules
        ]


class AliasLimit(MaxAliasesLimiter):
    """Strawberry's alias limiter, its errors coded QUERY_TOO_COMPLEX."""

    def __init__(self, max_alias_count: int) -> None:
        super().__init__(max_alias_count=max_alias_count)
        self.validation_rules = [
            with_code(rule, ErrorCode.QUERY_TOO_COMPLEX) for rule in self.validation_rules
        ]


def strings_in(value: object) -> Iterator[str]:
    """Every string inside a decoded JSON value (iteratively: values may nest deeply)."""
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, dict):
            pending.extend(current.keys())
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)


class TextGuard(SchemaExtension):
    """Refuses text no database column can hold or match (NUL, unpaired surrogates) as
    BAD_USER_INPUT, in variables and in literals alike, before any SQL is built from it."""

    def on_operation(self) -> Iterator[None]:
        self.execution_context.validation_rules = (
            *self.execution_context.validation_rules,
            self._rule(),
        )
        yield

    def _rule(self) -> type[ValidationRule]:
        execution = self.execution_context

        def refusal(where: str, nodes: list[Node] | None = None) -> GraphQLError:
            return GraphQLError(
                f"{where} holds a NUL character or an unpaired surrogate, which no text "
                "can contain here.",
                nodes,
                extensions={"code": ErrorCode.BAD_USER_INPUT.value},
            )

        class TextRule(ValidationRule):
            per_request = True  # reads variable values: never served from schema.caching

            def enter_document(self, *_args: object) -> None:
                for name, value in (execution.variables or {}).items():
                    if any(unstorable(text) for text in strings_in(value)):
                        self.report_error(refusal(f"Variable `${name}`"))

            def enter_string_value(self, node: StringValueNode, *_args: object) -> None:
                if unstorable(node.value):
                    self.report_error(refusal("A string argument", [node]))

        return TextRule


def schema_extensions(settings: Settings) -> list[ExtensionFactory]:
    cost_model = CostModel(
        default_page_size=settings.default_page_size,
        max_page_size=settings.max_page_size,
        list_size=settings.cost_list_size,
    )
    documents = DocumentCache()  # shared by the operations of this schema
    extensions: list[ExtensionFactory] = [
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(CachedDocuments, documents),
        partial(DepthLimit, max_depth=settings.max_query_depth),
        partial(AliasLimit, max_alias_count=settings.max_aliases),
        partial(QueryCost, cost_model, settings.max_query_cost),
        TextGuard,
        # After every check above, so an operation they refuse never reaches the database.
        partial(CompiledReads, CompiledPaths()),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    # Last, so it sees (and codes) the errors of every extension before it.
    extensions.append(error_policy(settings.request_timeout))
    return extensions


ConfigKey = tuple[int, bool, int]


def config_key(settings: Settings) -> ConfigKey:
    """Every setting the schema's config reads: schemas with the same key can share a type
    system (see `build_schema`)."""
    return settings.max_page_size, settings.introspection, settings.max_batch_size


def schema_config(key: ConfigKey) -> StrawberryConfig:
    max_page_size, introspection, max_batch_size = key
    return StrawberryConfig(
        relay_max_results=max_page_size,
        # "Did you mean …?" would let a client map a schema it may not introspect.
        disable_field_suggestions=not introspection,
        batching_config={"max_operations": max_batch_size},
    )


class SilkgraphSchema(strawberry.Schema):
    """A schema that leaves error logging to the error policy, which logs what is ours to fix
    (with the request id) and keeps what the client got wrong out of the error log, so a
    hostile client cannot flood it."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            logger.debug("operation error: %s", error.message)
