"""The fake as a plain ASGI application (served by uvicorn, or tested via ASGITransport)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from ._faults import InjectedConnectionError
from ._http import Answer

if TYPE_CHECKING:
    from ._server import FakeSimotel

__all__ = ["FakeASGIApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class FakeASGIApp:
    """``await app(scope, receive, send)`` for HTTP (and lifespan) scopes.

    A connection fault raises :class:`InjectedConnectionError` before any response
    starts: uvicorn then drops or fails the request, ``httpx.ASGITransport`` re-raises.
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
            raise InjectedConnectionError(fault)
        await send(
            {
                "type": "http.response.start",
                "status": outcome.status,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in outcome.headers],
            }
        )
        if outcome.file is None:
            await send({"type": "http.response.body", "body": outcome.body})
            return
        async for chunk in outcome.file.chunks():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
