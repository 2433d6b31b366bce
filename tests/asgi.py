"""Talking to the app as a server does, message by message: for what httpx's test transport
hides (it gathers a streamed body into one piece before the test sees it)."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Scope


def http_scope(method: str, path: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> Scope:
    """The scope a server hands the app for one HTTP/1.1 request from a local client."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"silkgraph.test"), *headers],
        "client": ("127.0.0.1", 1234),
        "server": ("silkgraph.test", 80),
    }


def json_post_scope(path: str, body: bytes) -> Scope:
    """The scope of a POST of the JSON `body` to `path`."""
    return http_scope(
        "POST",
        path,
        [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    )


@dataclass
class Streamed:
    """A response as it left the app: its headers and each non-empty body message."""

    status: int = 0
    headers: dict[bytes, bytes] = field(default_factory=dict)
    pieces: list[bytes] = field(default_factory=list)


async def get_streamed(
    app: ASGIApp, path: str, headers: Sequence[tuple[bytes, bytes]] = ()
) -> Streamed:
    """GET `path` from `app` with a client that stays connected until the answer ends."""
    scope = http_scope("GET", path, headers)
    streamed = Streamed()
    requested = False
    never = asyncio.Event()

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await never.wait()  # the client stays connected
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            streamed.status = message["status"]
            streamed.headers.update(message["headers"])
        elif message["type"] == "http.response.body" and message.get("body"):
            streamed.pieces.append(message["body"])

    await app(scope, receive, send)
    return streamed
