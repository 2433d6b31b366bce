"""Errors the API raises on purpose, each with a machine-readable `extensions.code`, and the
policy that gives every other error a code too while hiding internals from clients."""

import logging
from enum import StrEnum

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import MaskErrors
from strawberry.relay import GlobalIDValueError

logger = logging.getLogger("silkgraph.errors")


class ErrorCode(StrEnum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class UserError(GraphQLError):
    """An error the caller can fix; never masked, always naming what was wrong."""

    def __init__(
        self, message: str, *, code: ErrorCode = ErrorCode.BAD_USER_INPUT, field: str | None = None
    ) -> None:
        extensions: dict[str, object] = {"code": code.value}
        if field is not None:
            extensions["field"] = field
        super().__init__(message, extensions=extensions)


def bad_input(message: str, field: str) -> UserError:
    return UserError(message, field=field)


def _has_code(error: GraphQLError) -> bool:
    return bool(error.extensions and "code" in error.extensions)


class ErrorPolicy(MaskErrors):
    """Every error leaves with a code; unexpected ones leave as "Unexpected error." only.

    Errors raised on purpose carry their code already. GraphQL's own syntax and validation
    errors are the client's to read and keep their message. A malformed global ID, and a
    variable GraphQL cannot coerce (an enum value that does not exist, "abc" for an Int), are
    bad input. Anything else is a fault of ours: logged in full, masked for the client.
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda error: not _has_code(error))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, (GlobalIDValueError, GraphQLError)):
            return self._with_code(error, error.message, ErrorCode.BAD_USER_INPUT)
        if original is None:
            code = (
                ErrorCode.GRAPHQL_PARSE_FAILED
                if isinstance(error, GraphQLSyntaxError)
                else ErrorCode.GRAPHQL_VALIDATION_FAILED
            )
            return self._with_code(error, error.message, code)
        logger.error("unexpected error at %s", error.path, exc_info=original)
        return self._with_code(error, self.error_message, ErrorCode.INTERNAL_SERVER_ERROR)

    @staticmethod
    def _with_code(error: GraphQLError, message: str, code: ErrorCode) -> GraphQLError:
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={**(error.extensions or {}), "code": code.value},
        )
