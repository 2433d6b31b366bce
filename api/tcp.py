"""uvicorn's HTTP protocols with TCP_NODELAY on every connection.

With several workers, uvicorn binds the listening socket itself (protocol number 0), and
asyncio only switches Nagle's algorithm off for sockets whose protocol is IPPROTO_TCP. So on
a kept-alive connection the body of each response waited for the client's delayed ACK of
its headers: 40 ms per request on Linux, measured with 2 workers (docs/HARDENING.md).
"""

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def _no_delay(transport: asyncio.Transport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    """The parser `silkgraph serve` uses (httptools, C): the HTTP layer's own cost per
    request is a fraction of h11's, which showed once the compiled path made the rest cheap."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)
