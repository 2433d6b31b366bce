"""Errors the API raises on purpose, each with a machine-readable `extensions.code`, and the
policy that gives every other error a code too while hiding internals from clients."""

import logging
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any

from graphql import ASTValidationRule, GraphQLError, GraphQLSyntaxError, ValidationContext
from sqlalchemy import exc as sa_exc
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
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TIMEOUT = "TIMEOUT"
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    # Refusals of the HTTP layer, before any GraphQL runs.
    BAD_REQUEST = "BAD_REQUEST"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    RATE_LIMITED = "RATE_LIMITED"
    # Apollo's automatic persisted queries, in the codes Apollo clients look for.
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"


# Messages of errors that are ours, not the client's: they say what happened, never how.
DATABASE_UNAVAILABLE_MESSAGE = "The database is unavailable; try again shortly."
TIMEOUT_MESSAGE = "The operation took longer than the server allows ({seconds:g} s)."


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


def unstorable(text: str) -> bool:
    """Whether `text` holds what no text column can store or match: NUL (PostgreSQL refuses
    it) or an unpaired surrogate (not UTF-8 at all). JSON can carry both."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _has_code(error: GraphQLError) -> bool:
    return bool(error.extensions and "code" in error.extensions)


# -- what a database failure means to the client ---------------------------------------------

# SQLSTATEs (PostgreSQL's, which asyncpg and SQLAlchemy pass on) of a server that is down,
# going down, starting up or full; class 08 is every connection exception.
_UNAVAILABLE_SQLSTATES = {"57P01", "57P02", "57P03", "53300"}
_CANCELLED_SQLSTATE = "57014"  # query_canceled: statement_timeout fired
# SQLite's primary result codes (sqlite3 errors carry them as `sqlite_errorcode`).
_SQLITE_INTERRUPT = 9  # our progress handler stopped a statement past its deadline
_SQLITE_UNAVAILABLE = {5, 6, 10, 14}  # BUSY, LOCKED (past busy_timeout), IOERR, CANTOPEN


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps (SQLAlchemy's `orig`, `__cause__`, `__context__`)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [getattr(current, "orig", None), current.__cause__, current.__context__]


def database_failure(error: BaseException) -> ErrorCode | None:
    """TIMEOUT or DATABASE_UNAVAILABLE when `error` comes from the database's state rather
    than from our SQL; None for anything else (which stays an internal error)."""
    for cause in _causes(error):
        sqlstate = getattr(cause, "sqlstate", None)
        if sqlstate == _CANCELLED_SQLSTATE:
            return ErrorCode.TIMEOUT
        if isinstance(sqlstate, str) and (
            sqlstate.startswith("08") or sqlstate in _UNAVAILABLE_SQLSTATES
        ):
            return ErrorCode.DATABASE_UNAVAILABLE
        sqlite_code = getattr(cause, "sqlite_errorcode", None)
        if isinstance(sqlite_code, int):
            if sqlite_code & 0xFF == _SQLITE_INTERRUPT:
                return ErrorCode.TIMEOUT
            if sqlite_code & 0xFF in _SQLITE_UNAVAILABLE:
                return ErrorCode.DATABASE_UNAVAILABLE
    for cause in _causes(error):
        if isinstance(cause, sa_exc.DBAPIError) and cause.connection_invalidated:
            return ErrorCode.DATABASE_UNAVAILABLE
        # Refused, reset, unreachable, or no answer within the connect timeout; or no free
        # connection in the pool within the request's deadline.
        if isinstance(cause, (OSError, sa_exc.TimeoutError)):
            return ErrorCode.DATABASE_UNAVAILABLE
    return None


# SQLSTATE class 54, program_limit_exceeded: a statement too deep or too wide for the server.
_PROGRAM_LIMIT_EXCEEDED = "54"
# SQLite words the limits of its parser and code generator only in the message (the code is
# the generic SQLITE_ERROR): its parser's fixed stack, and its expression depth.
_SQLITE_TOO_COMPLEX = ("parser stack overflow", "expression tree is too large")


def statement_too_complex(error: BaseException) -> bool:
    """Whether the database refused a statement for its size or depth: the same statement
    would be refused again, whatever the data or the load."""
    for cause in _causes(error):
        sqlstate = getattr(cause, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_PROGRAM_LIMIT_EXCEEDED):
            return True
        if getattr(cause, "sqlite_errorcode", None) is not None and any(
            message in str(cause).lower() for message in _SQLITE_TOO_COMPLEX
        ):
            return True
    return False


# -- validation rules whose errors carry a code --------------------------------------------


class _CodingContext:
    """A ValidationContext whose reported errors get `code`; everything else is delegated."""

    def __init__(self, context: ValidationContext, code: ErrorCode) -> None:
        self._context = context
        self._code = code

    def report_error(self, error: GraphQLError) -> None:
        error.extensions = {**(error.extensions or {}), "code": self._code.value}
        self._context.report_error(error)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def with_code(rule: type[ASTValidationRule], code: ErrorCode) -> type[ASTValidationRule]:
    """`rule` reporting its errors with `code`, for rules written without codes (Strawberry's
    depth and alias limiters) so clients can tell a refusal of shape from a typo."""

    class Coded(rule):  # type: ignore[valid-type,misc]
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(_CodingContext(context, code))
            self.context = context

    Coded.__name__ = f"Coded{rule.__name__}"
    return Coded


# graphql-core's own limits surface as syntax errors; these are their fixed wordings.
_PARSER_LIMITS = {
    "tokens. Parsing aborted.": ErrorCode.QUERY_TOO_COMPLEX,
    "nested too deeply. Parsing aborted.": ErrorCode.QUERY_TOO_DEEP,
}


def _syntax_error_code(error: GraphQLError) -> ErrorCode:
    for wording, code in _PARSER_LIMITS.items():
        if wording in error.message:
            return code
    return ErrorCode.GRAPHQL_PARSE_FAILED


class ErrorPolicy(MaskErrors):
    """Every error leaves with a code; unexpected ones leave as "Unexpected error." only.

    Errors raised on purpose carry their code already. GraphQL's own syntax and validation
    errors are the client's to read and keep their message. A malformed global ID or a
    variable of the wrong type is bad input. A database that is down or too slow is said so
    (DATABASE_UNAVAILABLE, TIMEOUT), without its driver's words. Anything else is a fault of
    ours: logged in full with the request id, masked for the client, who gets the same id.
    """

    def __init__(self, timeout: float | None = None) -> None:
        super().__init__(should_mask_error=lambda error: not _has_code(error))
        self.timeout = timeout

    @property
    def request_id(self) -> str | None:
        context = self.execution_context.context
        request_id = getattr(context, "request_id", None)
        return request_id if isinstance(request_id, str) else None

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, GlobalIDValueError | GraphQLError):
            # A malformed global ID, or a variable its type cannot accept (graphql-core wraps
            # the scalar's own GraphQLError): said on purpose, and the client's to fix.
            return self._with_code(error, error.message, ErrorCode.BAD_USER_INPUT)
        if original is None:
            code = (
                _syntax_error_code(error)
                if isinstance(error, GraphQLSyntaxError)
                else ErrorCode.GRAPHQL_VALIDATION_FAILED
            )
            return self._with_code(error, error.message, code)
        failure = database_failure(original)
        if failure is ErrorCode.TIMEOUT:
            logger.warning("request %s: statement timed out at %s", self.request_id, error.path)
            message = TIMEOUT_MESSAGE.format(seconds=self.timeout or 0)
            return self._with_code(error, message, failure, server_side=True)
        if failure is ErrorCode.DATABASE_UNAVAILABLE:
            logger.warning(
                "request %s: database unavailable at %s: %s", self.request_id, error.path, original
            )
            return self._with_code(error, DATABASE_UNAVAILABLE_MESSAGE, failure, server_side=True)
        logger.error(
            "request %s: unexpected error at %s", self.request_id, error.path, exc_info=original
        )
        return self._with_code(
            error, self.error_message, ErrorCode.INTERNAL_SERVER_ERROR, server_side=True
        )

    def _with_code(
        self, error: GraphQLError, message: str, code: ErrorCode, *, server_side: bool = False
    ) -> GraphQLError:
        extensions: dict[str, Any] = {**(error.extensions or {}), "code": code.value}
        if server_side and self.request_id:
            extensions["requestId"] = self.request_id
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )


def error_policy(timeout: float | None) -> Callable[[], ErrorPolicy]:
    """A factory Strawberry calls per operation (extension instances are deprecated)."""
    return lambda: ErrorPolicy(timeout)
