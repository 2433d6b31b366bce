"""Responses leave at once: every connection has Nagle's algorithm off, also with workers."""

import asyncio
import socket
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from api.tcp import NoDelayH11Protocol, NoDelayHttpToolsProtocol


async def _app(scope: Any, receive: Any, send: Any) -> None:
    """Never called: the test only opens a connection."""


class Transport(asyncio.Transport):
    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self.sock = sock

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {
            "socket": self.sock,
            "sockname": self.sock.getsockname(),
            "peername": self.sock.getpeername(),
        }.get(name, default)


@pytest.mark.parametrize("protocol_class", [NoDelayH11Protocol, NoDelayHttpToolsProtocol])
async def test_each_connection_gets_tcp_nodelay(protocol_class: Any) -> None:
    # A listening socket made as uvicorn makes it for several workers: protocol number 0,
    # which asyncio does not recognise as TCP and so leaves Nagle's algorithm on.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    try:
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        config = Config(app=_app, http=protocol_class)
        config.load()
        protocol = protocol_class(config, ServerState(), app_state={})

        protocol.connection_made(Transport(accepted))

        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        for sock in (client, accepted, listener):
            sock.close()
