"""The ``backend="aiohttp"`` connection pool: ``httpx_aiohttp.AiohttpTransport``, with aiohttp's
failures translated to the httpx exceptions the SDK's retry and error mapping act on.

httpx-aiohttp maps every ``aiohttp.ClientConnectionError`` (a reset, a server that hung up
mid-answer) to ``httpx.ConnectTimeout``, which would mean "nothing was sent" and retry an
``originate`` that may have run; and lets protocol errors escape as aiohttp's own. Here each
failure becomes what it is: connect failures (nothing sent) ``ConnectError``/``ConnectTimeout``
(TLS ones carrying the ``ssl.SSLError``), a server that hung up ``RemoteProtocolError``, a
reset or a cut-off body ``ReadError``, a slow answer ``ReadTimeout``, garbage
``RemoteProtocolError``. aiohttp reports no "request written" event the SDK can read, so
everything after the connection is acquired counts as maybe sent (the safe default).

Importing this module needs the ``[speed]`` extra (httpx-aiohttp, which brings aiohttp).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from typing import NoReturn

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from ._errors import reason

__all__ = ["AiohttpPool", "translate"]

_CHUNK = 64 * 1024


def translate(exc: BaseException) -> tuple[httpx.TransportError, BaseException | None] | None:
    """The httpx exception an aiohttp (or socket) failure means, and the cause to chain.

    ``None`` for anything that is not a network failure. aiohttp's response errors carry
    the request's headers (credentials included) in ``args``: they are never chained.
    """
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        error = exc.certificate_error
        return httpx.ConnectError(reason(error)), error
    if isinstance(exc, aiohttp.ClientConnectorSSLError):
        return httpx.ConnectError(reason(exc.os_error)), exc.os_error
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(reason(exc)), None
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(reason(exc)), exc.os_error
    if isinstance(exc, aiohttp.ServerTimeoutError | asyncio.TimeoutError):
        return httpx.ReadTimeout(reason(exc)), None
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError(reason(exc)), None
    if isinstance(exc, aiohttp.ClientPayloadError):
        return httpx.ReadError(reason(exc)), None
    if isinstance(exc, aiohttp.ClientResponseError):
        return httpx.RemoteProtocolError(
            f"malformed HTTP answer: {exc.status}, {exc.message}"
        ), None
    if isinstance(exc, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        return httpx.UnsupportedProtocol(reason(exc)), None
    if isinstance(exc, aiohttp.ClientConnectionError | OSError):
        return httpx.ReadError(reason(exc)), None
    if isinstance(exc, aiohttp.ClientError):
        return httpx.RemoteProtocolError(reason(exc)), None
    return None


def _raise_translated(exc: Exception) -> NoReturn:
    """Re-raise ``exc`` (or the aiohttp error httpx-aiohttp wrapped) as its httpx meaning."""
    original: BaseException = exc
    if isinstance(exc, httpx.TransportError) and exc.__cause__ is not None:
        original = exc.__cause__
    found = translate(original)
    if found is None:
        raise exc
    error, cause = found
    raise error from cause


class _Body(httpx.AsyncByteStream):
    """The body of an aiohttp response, chunks as they arrive; closing releases it."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        content = self._response.content
        try:
            while chunk := await content.readany():
                yield chunk
        except Exception as exc:
            _raise_translated(exc)

    async def aclose(self) -> None:
        # release(): back to the pool when read to the end, otherwise the socket is closed.
        self._response.release()


class _Translated(httpx.AsyncByteStream):
    """Any other stream (a future httpx-aiohttp): errors translated while iterating."""

    def __init__(self, inner: httpx.AsyncByteStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except Exception as exc:
            _raise_translated(exc)

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        except Exception as exc:
            _raise_translated(exc)


class AiohttpPool(httpx.AsyncBaseTransport):
    """``httpx_aiohttp.AiohttpTransport`` over one ``aiohttp.ClientSession`` made for the SDK.

    The session is created on the first request (aiohttp wants a running loop): a
    ``TCPConnector`` with ``limit=max_connections`` and ``keepalive_timeout=
    keepalive_expiry``, the SDK's TLS context, no cookie jar (httpx keeps cookies), no
    proxies from the environment (as with the httpx pool behind ``transport=``), and
    aiohttp's own silent re-send of PUT/DELETE on a reused connection turned off (the
    SDK's ``RetryPolicy`` decides, by endpoint: a v3 ``originate`` is a PUT).
    """

    def __init__(self, *, limits: httpx.Limits, verify: bool | ssl.SSLContext) -> None:
        self._limits = limits
        self._session: aiohttp.ClientSession | None = None
        self._transport = AiohttpTransport(verify=verify, limits=limits, client=self._open)
        self._ssl = self._transport.ssl_context

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._limits.max_connections or 0,
            keepalive_timeout=self._limits.keepalive_expiry,
            ssl=self._ssl,
        )
        session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            trust_env=False,
        )
        if hasattr(session, "_retry_connection"):
            session._retry_connection = False
        self._session = session
        return session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send through aiohttp; failures come out as the httpx exceptions they mean."""
        try:
            response = await self._transport.handle_async_request(request)
        except Exception as exc:
            _raise_translated(exc)
        # As httpcore's pool does, answer without the request: the client attaches it
        # (redacted where an error carries it); errors raised while reading would
        # otherwise carry the credentials in their ``request``.
        response._request = None
        stream = response.stream
        inner = getattr(stream, "_aiohttp_response", None)
        if isinstance(inner, aiohttp.ClientResponse):
            response.stream = _Body(inner)
        elif isinstance(stream, httpx.AsyncByteStream):  # pragma: no cover - other versions
            response.stream = _Translated(stream)
        return response

    def connections(self) -> tuple[int, int]:
        """(open connections, of those carrying a request) in aiohttp's pool."""
        session = self._session
        connector = session.connector if session is not None else None
        if connector is None or connector.closed:
            return 0, 0
        conns = getattr(connector, "_conns", {})
        acquired = getattr(connector, "_acquired", ())
        idle = sum(1 for queue in conns.values() for proto, _ in queue if proto.is_connected())
        in_use = sum(1 for proto in acquired if proto.is_connected())
        return idle + in_use, in_use

    async def aclose(self) -> None:
        """Close the session and every connection it holds."""
        await self._transport.aclose()
        if self._session is not None:
            await asyncio.sleep(0)  # let the closed transports release their sockets
