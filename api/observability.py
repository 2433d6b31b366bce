"""What each request did, told once: a JSON line in the log and samples in the metrics.

The ASGI middleware here wraps every HTTP request. The GraphQL router notes each operation it
ran on `request.state.graphql_operations` (`record_operation`); the compiled read path notes
which path answered on `request.state.execution_path` ("resolved" when nothing does). When the
answer's last byte is sent (a streamed export included), the middleware writes one log line
(request id, method, URL path, status, operation names, outcome, error codes, duration) and
the same facts to `api.metrics`.
"""

import copy
import logging
import time
from collections.abc import Sequence
from typing import Any

import orjson
from asgi_correlation_id import correlation_id
from graphql import GraphQLError, Lexer, Source, TokenKind
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult
from uvicorn.config import LOGGING_CONFIG

from api.metrics import Metrics, Operation

logger = logging.getLogger("silkgraph.access")

RESOLVED = "resolved"
_OPERATION_TYPES = {"query", "mutation", "subscription"}
_ENDPOINTS = {"graphql": "graphql", "export": "export", "healthz": "healthz", "metrics": "metrics"}


def document_operation_name(text: str) -> str | None:
    """The name of the first operation in `text`, None when it is anonymous or unreadable.

    Read with GraphQL's lexer, token by token up to that operation, rather than by parsing
    the document again (the parse is cached in the schema, out of reach here): fragments before
    it are skipped by their braces, so a fragment called `query` is not taken for one."""
    lexer = Lexer(Source(text))
    braces = parens = 0
    in_fragment = False
    try:
        token = lexer.advance()
        while token.kind != TokenKind.EOF:
            kind = token.kind
            if kind == TokenKind.PAREN_L:
                parens += 1
            elif kind == TokenKind.PAREN_R:
                parens -= 1
            elif kind == TokenKind.BRACE_L and parens == 0:
                if braces == 0 and not in_fragment:
                    return None  # the `{ … }` shorthand: an anonymous query
                braces += 1
            elif kind == TokenKind.BRACE_R and parens == 0:
                braces -= 1
                in_fragment = in_fragment and braces > 0
            elif kind == TokenKind.NAME and braces == 0 and parens == 0 and not in_fragment:
                if token.value in _OPERATION_TYPES:
                    following = lexer.advance()
                    return following.value if following.kind == TokenKind.NAME else None
                in_fragment = token.value == "fragment"
            token = lexer.advance()
    except GraphQLError:
        return None
    return None


def record_operation(request: Request, data: GraphQLRequestData, result: ExecutionResult) -> None:
    """Note on the request how one of its GraphQL operations went."""
    name = data.operation_name if isinstance(data.operation_name, str) else None
    if name is None and isinstance(data.query, str):
        name = document_operation_name(data.query)
    errors = result.errors or []
    codes = [(e.extensions or {}).get("code") for e in errors]
    outcome = "ok" if not errors else "partial" if result.data is not None else "error"
    operation = Operation(name, outcome, str(codes[0] or "") if codes else "")
    operations: list[Operation] = getattr(request.state, "graphql_operations", [])
    request.state.graphql_operations = [*operations, operation]


def _endpoint(path: str) -> str:
    return _ENDPOINTS.get(path.strip("/").split("/", 1)[0], "other")


def _outcome(status: int, operations: Sequence[Operation]) -> str:
    if status >= 400 or any(o.outcome == "error" for o in operations):
        return "error"
    return "partial" if any(o.outcome == "partial" for o in operations) else "ok"


class RequestObserver:
    """Times each HTTP request to its last byte, then logs it and counts it."""

    def __init__(self, app: ASGIApp, metrics: Metrics | None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        status = 500  # what the client gets if the application fails before answering

        async def observing_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observing_send)
        finally:
            observe_request(self.metrics, scope, state, status, time.perf_counter() - started)


def observe_request(
    metrics: Metrics | None, scope: Scope, state: dict[str, Any], status: int, seconds: float
) -> None:
    """Log the request's line and count it (`state` is the request's, as the application
    left it); the front door (`api.front_door`) tells its answers here too."""
    operations: list[Operation] = state.get("graphql_operations", [])
    endpoint = _endpoint(scope["path"])
    path = str(state.get("execution_path", RESOLVED)) if endpoint == "graphql" else ""
    if metrics is not None:
        metrics.observe(endpoint, status, seconds, path, operations)
    names = [o.name for o in operations]
    line = {
        "request_id": correlation_id.get(),
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "operation": names[0] if len(names) == 1 else names or None,
        "outcome": _outcome(status, operations),
        "codes": [o.code for o in operations if o.code],
        "execution_path": path or None,
        "duration_ms": round(seconds * 1000, 3),
    }
    logger.info(orjson.dumps(line).decode(), extra={"request": line})


def log_config() -> dict[str, Any]:
    """uvicorn's logging, plus the request lines of `silkgraph.access` as bare JSON on stdout
    (uvicorn's own access lines, which say less, are turned off by `serve`)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["json_line"] = {"format": "%(message)s"}
    config["handlers"]["json_lines"] = {
        "formatter": "json_line",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["silkgraph.access"] = {
        "handlers": ["json_lines"],
        "level": "INFO",
        "propagate": False,
    }
    return config
