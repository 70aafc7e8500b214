"""The in-process httpx transport: requests go straight to the fake, no sockets, no ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import httpx

from ._files import StoredFile
from ._http import Answer

if TYPE_CHECKING:
    from ._server import FakeSimotel

__all__ = ["FakeTransport"]


class _FileStream(httpx.AsyncByteStream):
    """A download, chunk by chunk, so a 50 MB file never sits in memory whole."""

    def __init__(self, file: StoredFile) -> None:
        self._file = file

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._file.chunks():
            yield chunk


class FakeTransport(httpx.AsyncBaseTransport):
    """Hands every request to a :class:`FakeSimotel` and turns its answer into a response.

    Connection faults surface as the httpx exceptions a real network would raise.
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
        if not isinstance(outcome, Answer):
            if outcome.kind == "connect_error":
                raise httpx.ConnectError("injected fault: connection refused", request=request)
            if outcome.kind == "timeout":
                raise httpx.ReadTimeout("injected fault: read timed out", request=request)
            raise httpx.RemoteProtocolError(
                "injected fault: server disconnected without sending a response", request=request
            )
        stream: httpx.AsyncByteStream = (
            httpx.ByteStream(outcome.body) if outcome.file is None else _FileStream(outcome.file)
        )
        return httpx.Response(
            outcome.status, headers=list(outcome.headers), stream=stream, request=request
        )
