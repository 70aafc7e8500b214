"""The in-process httpx transport: requests go straight to the fake, no sockets, no ASGI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING

import httpx

from ._http import Answer, body_chunks

if TYPE_CHECKING:
    from ._server import FakeSimotel

__all__ = ["FakeTransport"]

_DROPPED: dict[str, tuple[type[httpx.TransportError], str]] = {
    "connect_error": (httpx.ConnectError, "[Errno 111] Connection refused"),
    "reset_before": (httpx.ReadError, "[Errno 104] Connection reset by peer"),
    "reset_after": (httpx.ReadError, "[Errno 104] Connection reset by peer"),
    "close_before": (httpx.RemoteProtocolError, "Server disconnected without sending a response."),
    "close_after": (httpx.RemoteProtocolError, "Server disconnected without sending a response."),
    "disconnect": (httpx.RemoteProtocolError, "Server disconnected without sending a response."),
    "timeout": (httpx.ReadTimeout, "The read operation timed out"),
}


class _AnswerStream(httpx.AsyncByteStream):
    """The body as the network would deliver it, so a 50 MB file never sits in memory whole.

    A truncated answer ends with the error httpcore raises for a short body.
    """

    def __init__(
        self, answer: Answer, sleep: Callable[[float], Awaitable[object]], request: httpx.Request
    ) -> None:
        self._answer = answer
        self._sleep = sleep
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        received = 0
        async for chunk in body_chunks(self._answer, self._sleep):
            received += len(chunk)
            yield chunk
        if self._answer.cut_at is not None:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body: "
                f"received {received} bytes, expected {self._answer.size}",
                request=self._request,
            )


class FakeTransport(httpx.AsyncBaseTransport):
    """Hands every request to a :class:`FakeSimotel` and turns its answer into a response.

    Connection faults surface as the httpx exceptions a real network would raise. A
    hang, or a drip slower than the request's read timeout, waits out that timeout
    (through the fake's ``sleep``) and raises ``httpx.ReadTimeout``; without a read
    timeout a hang lasts until the call is cancelled.
    """

    def __init__(self, fake: FakeSimotel, *, client_ip: str = "127.0.0.1") -> None:
        self._fake = fake
        self._client_ip = client_ip

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        outcome, _ = await self._fake._handle(
            request.method,
            request.url.raw_path.decode("ascii"),
            request.headers.multi_items(),
            body,
            self._client_ip,
        )
        read_timeout = request.extensions.get("timeout", {}).get("read")

        async def sleep(seconds: float) -> None:
            if read_timeout is not None and seconds >= read_timeout:
                await self._fake._sleep(read_timeout)
                raise httpx.ReadTimeout("The read operation timed out", request=request)
            await self._fake._sleep(seconds)

        if not isinstance(outcome, Answer):
            if outcome.kind in ("hang_before", "hang_after"):
                if read_timeout is None:
                    await asyncio.Event().wait()
                await sleep(float("inf"))
            error, message = _DROPPED[outcome.kind]
            raise error(message, request=request)
        return httpx.Response(
            outcome.status,
            headers=list(outcome.headers),
            stream=_AnswerStream(outcome, sleep, request),
            request=request,
        )
