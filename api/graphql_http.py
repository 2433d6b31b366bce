"""GraphQL over HTTP as the spec asks, on top of Strawberry's FastAPI router.

What this adds to the router: content negotiation (`application/graphql-response+json`
when the client prefers it, with 4xx/5xx for responses without data); HTTP-level refusals
(bad JSON, wrong content type, batch too large …) as JSON GraphQL errors with a code rather
than plain text; validation of the request's shape before it reaches the executor; and the
per-operation deadline that ends a slow operation with TIMEOUT.
"""

import asyncio
import json
import logging
from collections.abc import Mapping
from typing import Any

import orjson
from asgi_correlation_id import correlation_id
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from api.observability import record_operation
from api.pages import graphiql_html, html_response
from api.persisted_queries import PersistedQueries, PersistedQueryMiss
from schema.compiled.lane import Lane
from schema.errors import TIMEOUT_MESSAGE, ErrorCode

logger = logging.getLogger("silkgraph.http")

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"

# Set on the scope of a request whose operation the lane has already declined, in the front
# door (`api.front_door`): the router then goes straight to the executor.
LANE_DECLINED = "silkgraph.lane_declined"

# Status of a response without data, under application/graphql-response+json.
_STATUS_OF_CODE = {
    ErrorCode.TIMEOUT.value: 504,
    ErrorCode.DATABASE_UNAVAILABLE.value: 503,
    ErrorCode.INTERNAL_SERVER_ERROR.value: 500,
}

# Errors answered 200 whatever the media type, as Apollo Server does: Apollo clients read the
# answer's errors to retry with the query's text, and a 4xx would make some treat it as fatal.
_ALWAYS_200 = {
    ErrorCode.PERSISTED_QUERY_NOT_FOUND.value,
    ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED.value,
}

# Strawberry's refusals, by status and reason, reworded where the reason alone is unclear.
_REFUSALS: dict[tuple[int, str], tuple[int, ErrorCode, str | None]] = {
    (400, "Unsupported content type"): (
        415,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "Send the operation as application/json (POST) or in the query string (GET).",
    ),
}


def error_response(
    status: int,
    message: str,
    code: ErrorCode,
    *,
    headers: Mapping[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    """A refusal shaped as a GraphQL response, so clients read every error the same way."""
    request_id = correlation_id.get()
    error_extensions: dict[str, Any] = {"code": code.value, **(extensions or {})}
    if request_id:
        error_extensions["requestId"] = request_id
    return JSONResponse(
        {"errors": [{"message": message, "extensions": error_extensions}]},
        status_code=status,
        headers=headers,
    )


def _accepted(accept: str) -> dict[str, float]:
    """Media ranges of an Accept header with their quality."""
    ranges: dict[str, float] = {}
    for part in accept.split(","):
        media, *parameters = (p.strip() for p in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges[media.lower()] = max(quality, ranges.get(media.lower(), 0.0))
    return ranges


def negotiate(accept: str | None) -> str:
    """The media type to answer with: graphql-response+json when the client names it and
    prefers it at least as much as JSON; plain JSON otherwise (also for `*/*` or nothing)."""
    ranges = _accepted(accept or "")
    graphql = ranges.get(GRAPHQL_RESPONSE_JSON, 0.0)
    json_ = max(ranges.get(JSON, 0.0), ranges.get("application/*", 0.0), ranges.get("*/*", 0.0))
    return GRAPHQL_RESPONSE_JSON if graphql > 0 and graphql >= json_ else JSON


def answer_status(media_type: str, result: ExecutionResult, body: GraphQLHTTPResponse) -> int:
    """The HTTP status of one operation's answer in `media_type`; without data under
    graphql-response+json, `body` loses its data entry."""
    if media_type != GRAPHQL_RESPONSE_JSON or result.data is not None or not result.errors:
        return 200
    # No data means the operation did not run (or did not get far): say so in the status,
    # as the spec asks, and leave the data entry out.
    body.pop("data", None)
    codes = [(e.extensions or {}).get("code") for e in result.errors]
    if set(codes) <= _ALWAYS_200:
        return 200
    return next((_STATUS_OF_CODE[c] for c in codes if c in _STATUS_OF_CODE), 400)


def timeout_result(seconds: float) -> ExecutionResult:
    """The answer to an operation that ran past its deadline of `seconds` (logged)."""
    request_id = correlation_id.get()
    logger.warning("request %s: operation exceeded %g s", request_id, seconds)
    extensions: dict[str, Any] = {"code": ErrorCode.TIMEOUT.value}
    if request_id:
        extensions["requestId"] = request_id
    message = TIMEOUT_MESSAGE.format(seconds=seconds)
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions=extensions)])


def _check_shape(item: GraphQLRequestData) -> None:
    if not isinstance(item.query, str | None):
        raise HTTPException(400, "The operation's `query` must be a string.")
    if not isinstance(item.operation_name, str | None):
        raise HTTPException(400, "The operation's `operationName` must be a string or null.")
    if not isinstance(item.variables, dict | None):
        raise HTTPException(400, "The operation's `variables` must be an object or null.")
    if not isinstance(item.extensions, dict | None):
        raise HTTPException(400, "The operation's `extensions` must be an object or null.")


def json_depth(value: object) -> int:
    """How deeply arrays and objects nest in a decoded JSON value (a scalar is 0)."""
    deepest = 0
    pending: list[tuple[object, int]] = [(value, 0)]
    while pending:
        current, depth = pending.pop()
        if isinstance(current, dict):
            current = list(current.values())
        if isinstance(current, list):
            deepest = max(deepest, depth + 1)
            pending.extend((item, depth + 1) for item in current)
    return deepest


class SilkgraphRouter(GraphQLRouter[Any, None]):
    def __init__(
        self,
        *args: Any,
        timeout: float,
        max_batch_size: int,
        max_json_depth: int,
        persisted_queries: PersistedQueries | None = None,
        lane: Lane | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lane = lane
        self.timeout = timeout
        self.max_batch_size = max_batch_size
        self.max_json_depth = max_json_depth
        self.persisted_queries = persisted_queries

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET with `extensions` is an Apollo persisted query (sent with Accept: */*), not a
        # browser asking for GraphiQL.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # Strawberry's page loads GraphiQL from unpkg; ours from the package (api.pages).
        return html_response(graphiql_html())

    # -- reading the request, writing the answer ------------------------------------------

    def encode_json(self, data: object) -> bytes:
        # orjson writes a large answer several times faster than the json module: a page of
        # transfers with its nested states is tens of kilobytes (bench/run.py, profiled).
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        too_deep = f"The request's JSON is nested deeper than {self.max_json_depth} levels."
        try:
            decoded = json.loads(data)
        except RecursionError as error:
            raise HTTPException(400, too_deep) from error
        except ValueError as error:  # JSONDecodeError, and bytes that are not UTF-8
            raise HTTPException(400, f"The request body is not valid JSON: {error}") from error
        if json_depth(decoded) > self.max_json_depth:
            # No operation needs it, and deep values cost every recursive walk after this one.
            raise HTTPException(400, too_deep)
        return decoded

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        try:
            data = await super().parse_http_body(request)
        except AttributeError as error:  # a JSON body that is not an object: 5, "x", [1] …
            raise HTTPException(
                400, "The request body must be a JSON object (or a list of them, for a batch)."
            ) from error
        for item in data if isinstance(data, list) else [data]:
            _check_shape(item)
        return data

    # -- running it ------------------------------------------------------------------------

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        request, data, digest = kwargs["request"], kwargs["request_data"], None
        if self.persisted_queries is not None:
            try:
                data, digest = self.persisted_queries.resolve(data)
            except PersistedQueryMiss as miss:
                # As Apollo Server: the same GET succeeds once the client has sent the text.
                kwargs["sub_response"].headers["cache-control"] = (
                    "private, no-cache, must-revalidate"
                )
                record_operation(request, data, miss.result)
                return miss.result
        result = await self._execute_within_deadline(*args, **{**kwargs, "request_data": data})
        if digest is not None and result.data is not None and self.persisted_queries is not None:
            self.persisted_queries.keep(digest, data.query)
        record_operation(request, data, result)
        return result

    async def _execute_within_deadline(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        deadline = asyncio.timeout(self.timeout)
        try:
            async with deadline:
                result = await self._lean(kwargs)
                if result is not None:
                    return result
                return await super().execute_single(*args, **kwargs)
        except TimeoutError:
            if not deadline.expired():
                raise
        return timeout_result(self.timeout)

    async def _lean(self, kwargs: dict[str, Any]) -> ExecutionResult | None:
        """The lean lane's answer (`schema.compiled.lane`), within the same deadline, or
        None to go the whole way through Strawberry."""
        if self.lane is None or kwargs["request"].scope.get(LANE_DECLINED):
            return None
        if kwargs["request_adapter"].method == "GET" and not self.allow_queries_via_get:
            return None
        return await self.lane.execute(kwargs["context"], kwargs["request_data"])

    # -- answering -------------------------------------------------------------------------

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        body = await super().process_result(request, result)
        statuses: list[int] = getattr(request.state, "graphql_statuses", [])
        status = answer_status(negotiate(request.headers.get("accept")), result, body)
        request.state.graphql_statuses = [*statuses, status]
        return body

    async def run(  # type: ignore[override]
        self,
        request: Request | WebSocket,
        context: Any = UNSET,
        root_value: Any = UNSET,
    ) -> Response | WebSocket:
        try:
            response = await super().run(request, context=context, root_value=root_value)
        except HTTPException as error:
            return self._refusal(error)
        if isinstance(request, Request) and isinstance(response, Response):
            statuses = getattr(request.state, "graphql_statuses", None)
            if statuses is not None:
                media_type = negotiate(request.headers.get("accept"))
                response.headers["content-type"] = f"{media_type}; charset=utf-8"
                # A batch answers 200: its operations may have fared differently.
                if len(statuses) == 1 and response.status_code == 200:
                    response.status_code = statuses[0]
        return response

    def _refusal(self, error: HTTPException) -> Response:
        status, code, message = _REFUSALS.get(
            (error.status_code, error.reason), (error.status_code, ErrorCode.BAD_REQUEST, None)
        )
        if error.reason == "Too many operations":
            message = f"A batch may hold at most {self.max_batch_size} operations."
        if status == 405:
            code = ErrorCode.METHOD_NOT_ALLOWED
        elif status == 404:
            code = ErrorCode.NOT_FOUND
        return error_response(status, message or error.reason, code)
