"""The front door: a compiled read the lean lane knows, answered before FastAPI.

Profiled (py-spy, query a in process, docs/BENCHMARKS.md "Compiled reads: the front door"),
a request the lean lane answers spent more of its Python time in what surrounds the lane
(FastAPI's routing and dependencies, Starlette's request and response objects, Strawberry's
view, five middlewares) than in the lane itself. This outermost ASGI layer recognises such a
request (POST /graphql, one JSON operation whose text the lane has answered before, within
the body limit, no streaming asked for) and answers it itself: the same Context, deadline,
persisted queries, rate limiter, status and media type, CORS marks, gzip, request id, log
line and metrics as the whole way, in one `http.response.start` and one body. Anything
else, any doubt, and anything the lane hands back goes to the application untouched, the
body already read replayed to it; the test (tests/api/test_front_door.py) holds both ways to
the same status, headers and bytes.
"""

import asyncio
import logging
import time
import zlib
from collections import deque
from collections.abc import Callable, Collection
from contextlib import AbstractAsyncContextManager
from typing import Any
from uuid import uuid4

import anyio.to_thread
import orjson
from asgi_correlation_id import correlation_id
from cross_web import HTTPException
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.http import GraphQLRequestData, process_result
from strawberry.types import ExecutionResult

from api.cors import cors_options
from api.graphql_http import (
    LANE_DECLINED,
    answer_status,
    json_depth,
    negotiate,
    timeout_result,
)
from api.limits import RATE_LIMIT_WAIT, RateLimiter, client_of
from api.metrics import Metrics
from api.observability import observe_request, record_operation
from api.persisted_queries import PersistedQueries, PersistedQueryMiss
from api.settings import Settings
from schema.compiled.lane import Lane
from schema.context import Context

logger = logging.getLogger("silkgraph.http")

GRAPHQL_PATH = "/graphql"
# The application's GZipMiddleware is configured from these too (`api.app`).
GZIP_MINIMUM_SIZE = 1024
GZIP_LEVEL = 6
# As Starlette's GZipMiddleware: a body this large is compressed off the event loop.
GZIP_THREAD_MINIMUM_SIZE = 128 * 1024

# The request headers the front door reads: one of them sent twice is a doubt (the layers
# behind it do not all read the same one of the two), and the request is handed on.
_READ = frozenset(
    {
        b"accept",
        b"accept-encoding",
        b"content-length",
        b"content-type",
        b"origin",
        b"transfer-encoding",
        b"x-api-key",
        b"x-request-id",
    }
)
# Accept values under which Strawberry streams (multipart subscriptions, server-sent events).
_STREAMING = ("multipart/", "text/event-stream")


class _HandOn(Exception):
    """The request is the application's to answer."""


class FrontDoor:
    """Answers the requests the lean lane knows; hands every other one to `app`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        lane: Lane,
        settings: Settings,
        contexts: Callable[[], AbstractAsyncContextManager[Context]],
        persisted_queries: PersistedQueries | None,
        metrics: Metrics | None,
        limiter: RateLimiter | None,
        is_request_id: Callable[[str], bool],
    ) -> None:
        self.app = app
        self.lane = lane
        self.settings = settings
        self.contexts = contexts
        self.persisted_queries = persisted_queries
        self.metrics = metrics
        self.limiter = limiter
        self.api_keys: Collection[str] = frozenset(settings.api_keys)
        self.is_request_id = is_request_id
        # The application's own CORS middleware, configured alike: its code marks answers.
        self.cors = CORSMiddleware(app, **cors_options(settings))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] != GRAPHQL_PATH
            or scope.get("root_path")
        ):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = _read_headers(scope)
        if headers is None or not self._may_answer(headers):
            await self.app(scope, receive, send)
            return
        if self.limiter is not None:
            # Asked once: the application's RateLimit reads this answer if the request goes on.
            wait = self.limiter.acquire(client_of(scope, self.api_keys))
            scope[RATE_LIMIT_WAIT] = wait
            if wait > 0:
                await self.app(scope, receive, send)
                return
        read: list[Message] = []
        try:
            body = await self._body(receive, read)
            data, digest = self._operation(body)
        except _HandOn:
            await self.app(scope, _replaying(read, receive), send)
            return
        given = headers.get(b"x-request-id")
        request_id = uuid4().hex if given is None else given.decode("latin-1")
        token = correlation_id.set(request_id)
        try:
            answered = await self._answer(scope, headers, data, digest, started, send)
        finally:
            correlation_id.reset(token)
        if not answered:
            scope[LANE_DECLINED] = True
            if given is None:
                # Keep the id the lane's log lines (if any) were written under.
                scope["headers"] = [*scope["headers"], (b"x-request-id", request_id.encode())]
            await self.app(scope, _replaying(read, receive), send)

    def _may_answer(self, headers: dict[bytes, bytes]) -> bool:
        media_type = headers.get(b"content-type", b"").partition(b";")[0].strip()
        length = headers.get(b"content-length", b"")
        accept = headers.get(b"accept", b"").decode("latin-1").lower()
        given = headers.get(b"x-request-id")
        return (
            media_type == b"application/json"
            and length.isdigit()
            and int(length) <= self.settings.max_body_bytes
            and b"transfer-encoding" not in headers
            and not any(kind in accept for kind in _STREAMING)
            # An id the middleware would replace is logged there: let it do that.
            and (given is None or self.is_request_id(given.decode("latin-1")))
        )

    async def _body(self, receive: Receive, read: list[Message]) -> bytes:
        """The whole body, every message kept in `read` for a replay."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            read.append(message)
            if message["type"] != "http.request":
                raise _HandOn
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > self.settings.max_body_bytes:
                raise _HandOn
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _operation(self, body: bytes) -> tuple[GraphQLRequestData, str | None]:
        """The one operation in `body` the lane knows, with the persisted-query hash to keep
        its text under; _HandOn for anything else (the application words every refusal)."""
        try:
            decoded = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise _HandOn from error
        if not isinstance(decoded, dict) or json_depth(decoded) > self.settings.max_json_depth:
            raise _HandOn
        query, name = decoded.get("query"), decoded.get("operationName")
        variables, extensions = decoded.get("variables"), decoded.get("extensions")
        if not (
            isinstance(query, str | None)
            and isinstance(name, str | None)
            and isinstance(variables, dict | None)
            and isinstance(extensions, dict | None)
        ):
            raise _HandOn
        data = GraphQLRequestData(query, variables, name, extensions)
        digest = None
        if self.persisted_queries is not None:
            try:
                data, digest = self.persisted_queries.resolve(data)
            except (PersistedQueryMiss, HTTPException) as error:
                raise _HandOn from error
        if data.query is None or self.lane.paths.known_operation(data.query, name) is None:
            raise _HandOn
        return data, digest

    async def _answer(
        self,
        scope: Scope,
        headers: dict[bytes, bytes],
        data: GraphQLRequestData,
        digest: str | None,
        started: float,
        send: Send,
    ) -> bool:
        """Answer through the lane; False, having sent nothing, when the lane declines."""
        state: dict[str, Any] = scope.setdefault("state", {})
        request = Request(scope)
        async with self.contexts() as context:
            context.request = request
            context.response = _sub_response()
            result = await self._within_deadline(context, data)
            if result is None:
                return False
            if digest is not None and result.data is not None and data.query is not None:
                assert self.persisted_queries is not None  # a digest comes from them
                self.persisted_queries.keep(digest, data.query)
            record_operation(request, data, result)
            status = 500
            try:
                start, payload = await self._response(scope, headers, result, context.response)
                status = start["status"]
                await send(start)
                await send({"type": "http.response.body", "body": payload})
            finally:
                observe_request(self.metrics, scope, state, status, time.perf_counter() - started)
        return True

    async def _within_deadline(
        self, context: Context, data: GraphQLRequestData
    ) -> ExecutionResult | None:
        """The lane's result within the request deadline (TIMEOUT past it), or None."""
        timeout = self.settings.request_timeout
        deadline = asyncio.timeout(timeout)
        try:
            async with deadline:
                return await self.lane.execute(context, data)
        except TimeoutError:
            if not deadline.expired():
                raise
        except Exception:
            # The application answers instead, and words whatever went wrong.
            logger.exception("front door: the lane failed; handing the request on")
            return None
        return timeout_result(timeout)

    async def _response(
        self,
        scope: Scope,
        headers: dict[bytes, bytes],
        result: ExecutionResult,
        sub_response: Response,
    ) -> tuple[Message, bytes]:
        """The start message and body the whole way sends, built in the order its layers
        build them: Strawberry's response, the router's media type, CORS, gzip, request id."""
        media_type = negotiate(_text(headers.get(b"accept")))
        answer = process_result(result)
        status = answer_status(media_type, result, answer)
        payload = orjson.dumps(answer)
        raw = [
            (b"content-length", str(len(payload)).encode()),
            (b"content-type", f"{media_type}; charset=utf-8".encode()),
            *sub_response.headers.raw,
        ]
        start: Message = {"type": "http.response.start", "status": status, "headers": raw}
        await self.cors.send(start, send=_kept, request_headers=Headers(scope=scope))
        if len(payload) >= GZIP_MINIMUM_SIZE:
            marked = MutableHeaders(scope=start)
            marked.add_vary_header("Accept-Encoding")
            if "gzip" in _text(headers.get(b"accept-encoding")):
                compressed = await _gzip(payload)
                if compressed != payload:
                    marked["Content-Encoding"] = "gzip"
                    marked["Content-Length"] = str(len(compressed))
                    payload = compressed
        MutableHeaders(scope=start).append("X-Request-ID", correlation_id.get() or "")
        return start, payload


def _read_headers(scope: Scope) -> dict[bytes, bytes] | None:
    """The headers the front door reads, or None when one of them is sent twice."""
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in _READ:
            if name in found:
                return None
            found[name] = value
    return found


def _sub_response() -> Response:
    """Where the lane puts its response headers (`Server-Timing`): as FastAPI makes the
    `response` a route may set headers on, without a length of its own."""
    response = Response()
    del response.headers["content-length"]
    return response


def _text(value: bytes | None) -> str:
    return "" if value is None else value.decode("latin-1")


async def _kept(_message: Message) -> None:
    """Where CORSMiddleware's code sends the start message it marked: kept by the caller."""


async def _gzip(payload: bytes) -> bytes:
    """`payload` compressed as GZipMiddleware compresses a whole body."""

    def compress() -> bytes:
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        return compressor.compress(payload) + compressor.flush()

    if len(payload) >= GZIP_THREAD_MINIMUM_SIZE:
        return await anyio.to_thread.run_sync(compress)
    return compress()


def _replaying(read: list[Message], receive: Receive) -> Receive:
    """`receive` as if nothing had been read from it yet."""
    pending = deque(read)

    async def replay() -> Message:
        if pending:
            return pending.popleft()
        return await receive()

    return replay
