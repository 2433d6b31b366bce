"""HTTP-level limits, as ASGI middleware: request body size and a per-client rate limit.

Both refuse with a JSON GraphQL error carrying a code (PAYLOAD_TOO_LARGE with 413,
RATE_LIMITED with 429 and `Retry-After`), before the request reaches GraphQL.
"""

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.graphql_http import error_response
from schema.errors import ErrorCode

# Set on the scope by the front door (`api.front_door`) once it has asked the limiter about a
# request it then hands on: the seconds to wait (0: a token was taken). RateLimit reads it
# rather than asking again, so a request costs its client one token whichever way it goes.
RATE_LIMIT_WAIT = "silkgraph.rate_limit_wait"


class _BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuses bodies over `max_bytes` with 413: by Content-Length when the client declares
    it, and by counting as the body streams in when it does not (chunked uploads)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0:
                await error_response(400, "Content-Length is not a number.", ErrorCode.BAD_REQUEST)(
                    scope, receive, send
                )
                return
            if length > self.max_bytes:
                await self._refuse(scope, receive, send)
                return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"The request body is larger than this server accepts ({self.max_bytes} bytes)."
        await error_response(413, message, ErrorCode.PAYLOAD_TOO_LARGE)(scope, receive, send)


@dataclass
class TokenBucket:
    """Holds up to `capacity` tokens, refilled at `rate` a second; a request takes one."""

    capacity: float
    rate: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """0 if a token was taken, else the seconds until one will be there."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class RateLimiter:
    """One token bucket per client, the least recently seen dropped beyond `max_clients`
    (a dropped client starts again with a full bucket: memory stays bounded under a flood
    of addresses, at the price of a little leniency)."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.max_clients = max_clients
        self.clock = clock
        self.buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def acquire(self, client: str) -> float:
        now = self.clock()
        bucket = self.buckets.get(client)
        if bucket is None:
            bucket = TokenBucket(self.burst, self.rate, self.burst, now)
            self.buckets[client] = bucket
            if len(self.buckets) > self.max_clients:
                self.buckets.popitem(last=False)
        else:
            self.buckets.move_to_end(client)
        return bucket.take(now)


class RateLimit:
    """Answers 429 with `Retry-After` to a client past its budget. A client is its API key
    when it sends one of `api_keys` as `X-API-Key`, else its IP address (as uvicorn sees
    it: behind a proxy, run uvicorn with `--forwarded-allow-ips` so that is the caller's).
    An unknown key counts as no key, so inventing keys buys nothing. Buckets live in each
    worker process: with N workers a client may get up to N times the rate."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: RateLimiter,
        api_keys: Collection[str] = (),
        exempt: Collection[str] = ("/healthz",),
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.api_keys = frozenset(api_keys)
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        wait = scope.get(RATE_LIMIT_WAIT)
        if wait is None:
            wait = self.limiter.acquire(client_of(scope, self.api_keys))
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            message = f"Too many requests; try again in {retry_after} s."
            await error_response(
                429,
                message,
                ErrorCode.RATE_LIMITED,
                headers={"Retry-After": str(retry_after)},
                extensions={"retryAfter": retry_after},
            )(scope, receive, send)
            return
        await self.app(scope, receive, send)


def client_of(scope: Scope, api_keys: Collection[str]) -> str:
    """Whose bucket a request draws on: its API key when that is one of `api_keys`, else
    its IP address."""
    key = dict(scope["headers"]).get(b"x-api-key", b"").decode("latin-1")
    if key and key in api_keys:
        return f"key:{key}"
    client = scope.get("client")
    return f"ip:{client[0]}" if client else "ip:unknown"
