"""The fake as a plain ASGI application (served by uvicorn, or tested via ASGITransport)."""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from ._faults import InjectedConnectionError
from ._http import Answer, body_chunks

if TYPE_CHECKING:
    from ._faults import Fault
    from ._server import FakeSimotel

__all__ = ["FakeASGIApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_RESETS = frozenset({"connect_error", "reset_before", "reset_after"})
_HANGS = frozenset({"hang_before", "hang_after", "timeout"})


def _connection_of(receive: Receive) -> asyncio.Transport | None:
    """uvicorn's socket transport behind ``receive`` (its request cycle holds it), if any."""
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    return transport if isinstance(transport, asyncio.Transport) else None


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _reset(connection: asyncio.Transport) -> None:
    """Abort with a TCP RST (``SO_LINGER`` 0) rather than an orderly FIN."""
    sock = connection.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.abort()


class FakeASGIApp:
    """``await app(scope, receive, send)`` for HTTP (and lifespan) scopes.

    Under uvicorn, connection faults act on the real connection: resets send a TCP
    RST, closes a FIN, hangs hold the request until the client goes away, and a
    truncated answer closes the connection after half of its body. Other ASGI servers
    give an app no socket: there such faults raise :class:`InjectedConnectionError`
    (``httpx.ASGITransport`` re-raises it), a hang waits for the client to go away.
    """

    def __init__(self, fake: FakeSimotel) -> None:
        self.fake = fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw_path = scope.get("raw_path") or scope["path"].encode()
        path = raw_path.decode("latin-1")
        if scope.get("query_string"):
            path += "?" + scope["query_string"].decode("latin-1")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", [])]
        client = scope.get("client") or ("127.0.0.1", 0)
        outcome, fault = await self.fake._handle(
            scope["method"], path, headers, b"".join(chunks), str(client[0])
        )
        if not isinstance(outcome, Answer):
            assert fault is not None
            await self._drop(outcome.kind, fault, receive)
            return
        await send(
            {
                "type": "http.response.start",
                "status": outcome.status,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in outcome.headers],
            }
        )
        connection = _connection_of(receive)
        async for chunk in body_chunks(outcome, self.fake._sleep):
            if connection is not None and connection.is_closing():
                return  # the client went away in the middle of a drip
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if outcome.cut_at is not None:
            assert fault is not None
            await self._drop("close_after", fault, receive)
            return
        await send({"type": "http.response.body", "body": b""})

    async def _drop(self, kind: str, fault: Fault, receive: Receive) -> None:
        connection = _connection_of(receive)
        if kind in _HANGS:
            await _until_disconnect(receive)
            return
        if connection is None:
            raise InjectedConnectionError(fault)
        if kind in _RESETS:
            _reset(connection)
        else:
            connection.close()
        await _until_disconnect(receive)
