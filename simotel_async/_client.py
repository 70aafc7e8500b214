"""``AsyncSimotel``: configuration, lifecycle and the one request pipeline."""

from __future__ import annotations

import logging
import os
import time
import warnings
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import tzinfo
from types import TracebackType
from typing import Any, Literal
from zoneinfo import ZoneInfo

import httpx

from ._auth import SimotelAuth, split_userinfo
from ._endpoints import Endpoint, Method, get_endpoint
from ._envelope import parse_envelope
from ._errors import SimotelConnectionError, SimotelError, SimotelResponseError, SimotelTimeoutError
from ._transport import (
    ENDPOINT,
    IDEMPOTENT,
    PoolGate,
    RateLimit,
    RateLimitTransport,
    RetryPolicy,
    RetryTransport,
)
from ._version import __version__
from .resources import Autodialer, Call, Pbx, Reports, Setting, Voicemails

__all__ = ["DEFAULT_LIMITS", "DEFAULT_TIMEOUT", "AsyncSimotel"]

logger = logging.getLogger("simotel_async")

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
"""10 s to read, write or wait for a connection; 5 s to connect."""

DEFAULT_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=10, keepalive_expiry=30)
"""20 connections at most, 10 kept alive for 30 s."""

ApiVersion = Literal["v4", "v3"]


class _ClientTransport(httpx.AsyncBaseTransport):
    """Sends through a user's ``httpx.AsyncClient``, which the SDK never closes."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._client.send(request, stream=True)


def _release_body(response: httpx.Response) -> None:
    """Drop a closed response's stream, which refers back to the response.

    httpx 0.28's ``BoundAsyncStream`` and its ``Response`` form a reference cycle
    (encode/httpx#3733), so every response of a long walk waits for a full garbage
    collection; breaking it frees each one at once and keeps bulk pulls flat in memory.
    """
    response.stream = _EMPTY


_EMPTY = httpx.ByteStream(b"")


class AsyncSimotel:
    """An asyncio client for one Simotel server's REST API.

    Use it as an async context manager (or call :meth:`aclose`); it owns one pooled
    ``httpx.AsyncClient``::

        async with AsyncSimotel("https://pbx.example.com", api_key="...") as simotel:
            await simotel.ping()

    Args:
        base_url: the server, e.g. ``"https://pbx.example.com"``; may carry
            ``user:pass@`` userinfo instead of ``username``/``password``.
        username: Basic auth user of the Simotel API account.
        password: Basic auth password.
        api_key: the account's token, sent as ``X-APIKEY``.
        api_version: ``"v4"`` (POST to action paths) or ``"v3"`` (REST verbs).
        timeout: seconds, or an ``httpx.Timeout``.
        retry: a ``RetryPolicy``; ``None`` disables retries.
        rate_limit: a ``RateLimit``; ``None`` (default) sends as fast as the pool allows.
        server_timezone: the zone the server writes its local times in.
        transport: an ``httpx.AsyncBaseTransport`` to send through (tests, proxies).
        http_client: an ``httpx.AsyncClient`` to send through; it is never closed here.
        limits: connection pool limits.
        methods: per-endpoint HTTP method overrides, e.g. ``{"setting.ping": "PUT"}``.

    Raises:
        ValueError: no credentials, half of Basic, or an unknown ``api_version``.
    """

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        api_version: ApiVersion = "v4",
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = RetryPolicy(),  # noqa: B008 -- frozen, shared safely
        rate_limit: RateLimit | None = None,
        server_timezone: str | tzinfo = "Asia/Tehran",
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        limits: httpx.Limits = DEFAULT_LIMITS,
        methods: Mapping[str, Method] | None = None,
    ) -> None:
        if api_version not in ("v4", "v3"):
            raise ValueError(f"api_version must be 'v4' or 'v3', not {api_version!r}")
        if transport is not None and http_client is not None:
            raise ValueError("pass transport= or http_client=, not both")
        url, url_user, url_password = split_userinfo(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an http(s) URL with a host, not {str(url)!r}")
        if username is None and password is None:
            username, password = url_user, url_password
        self.auth = SimotelAuth(username=username, password=password, api_key=api_key)
        self.base_url = url.copy_with(path=url.path.rstrip("/") + "/")
        self.api_version: ApiVersion = api_version
        self.server_timezone: tzinfo = (
            ZoneInfo(server_timezone) if isinstance(server_timezone, str) else server_timezone
        )
        self._methods = dict(methods or {})
        for endpoint_id in self._methods:
            get_endpoint(endpoint_id)

        inner: httpx.AsyncBaseTransport
        if http_client is not None:
            inner = _ClientTransport(http_client)
        elif transport is not None:
            inner = transport
        else:
            inner = httpx.AsyncHTTPTransport(limits=limits)
        owned = transport is None and http_client is None
        stack: httpx.AsyncBaseTransport = inner
        if limits.max_connections is not None:
            stack = self._gate = PoolGate(inner, limits.max_connections, close_inner=owned)
        if rate_limit is not None:
            stack = RateLimitTransport(stack, rate_limit)
        self._retry: RetryTransport | None = None
        if retry is not None:
            stack = self._retry = RetryTransport(stack, retry)
        self._http = httpx.AsyncClient(
            auth=self.auth,
            timeout=timeout,
            transport=stack,
            headers={
                "User-Agent": f"simotel-async/{__version__} httpx/{httpx.__version__}",
                "Accept": "application/json",
            },
            follow_redirects=False,
        )
        self._closed = False

        self.setting = Setting(self)
        """``setting.ping``."""
        self.call = Call(self)
        """``call.originate``."""
        self.pbx = Pbx(self)
        """Extensions, trunks, queues and agents, sounds, number lists, faxes."""
        self.voicemails = Voicemails(self)
        """Voicemail boxes and the messages in them."""
        self.reports = Reports(self)
        """Call records, queue/agent/poll reports and recordings."""
        self.autodialer = Autodialer(self)
        """Bulk-call campaigns, contacts, groups, sounds, trunks and results."""

    @classmethod
    def from_env(cls, **kwargs: Any) -> AsyncSimotel:
        """Build a client from ``SIMOTEL_URL``, ``SIMOTEL_USERNAME``, ``SIMOTEL_PASSWORD``,
        ``SIMOTEL_API_KEY`` and ``SIMOTEL_API_VERSION``; ``kwargs`` override them."""
        env = os.environ
        url = kwargs.pop("base_url", None) or env.get("SIMOTEL_URL")
        if not url:
            raise ValueError("SIMOTEL_URL is not set (e.g. SIMOTEL_URL=https://pbx.example.com)")
        for key, var in (
            ("username", "SIMOTEL_USERNAME"),
            ("password", "SIMOTEL_PASSWORD"),
            ("api_key", "SIMOTEL_API_KEY"),
            ("api_version", "SIMOTEL_API_VERSION"),
        ):
            if key not in kwargs and env.get(var):
                kwargs[key] = env[var]
        return cls(url, **kwargs)

    @property
    def retries(self) -> int:
        """How many requests this client has re-sent so far."""
        return self._retry.retries if self._retry is not None else 0

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` has run."""
        return self._closed

    async def __aenter__(self) -> AsyncSimotel:
        self._check_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool. Idempotent."""
        if not self._closed:
            self._closed = True
            await self._http.aclose()

    def __del__(self) -> None:
        if not getattr(self, "_closed", True):
            warnings.warn(
                f"{self!r} was never closed; use 'async with' or 'await simotel.aclose()'",
                ResourceWarning,
                stacklevel=2,
            )

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        return (
            f"<AsyncSimotel {str(self.base_url)!r} api_version={self.api_version!r} "
            f"auth={self.auth.scheme!r}{state}>"
        )

    async def ping(self) -> None:
        """Check that the server is reachable and accepts these credentials.

        Raises:
            AuthenticationError: the credentials are wrong.
            IPNotPermittedError: this client's IP is not allowed.
            SimotelConnectionError: the server cannot be reached.
        """
        await self.request("setting.ping", {})

    async def request(self, endpoint_id: str, body: Mapping[str, Any] | None = None) -> Any:
        """Call any endpoint by id with a raw JSON body; returns the envelope's ``data``.

        The escape hatch under every typed method: ``await simotel.request(
        "pbx.users.search", {"alike": True, "conditions": {}})``.
        """
        return await self._call(self.endpoint(endpoint_id), json=body)

    async def request_multipart(self, endpoint_id: str, files: Mapping[str, Any]) -> Any:
        """Send a multipart upload to an endpoint by id; returns the envelope's ``data``.

        ``files`` maps each form field to an httpx file part, e.g.
        ``{"file": ("greeting.wav", open("greeting.wav", "rb"), "audio/wav")}``;
        parts are streamed, never read whole.
        """
        return await self._call(self.endpoint(endpoint_id), files=files)

    def stream(
        self, endpoint_id: str, body: Mapping[str, Any] | None = None
    ) -> AbstractAsyncContextManager[httpx.Response]:
        """``async with simotel.stream(endpoint_id, body) as response``: a file, unread.

        The response is a 200 binary answer; iterate ``response.aiter_bytes()``. The
        connection is released when the block exits. A JSON envelope or any other
        status raises the error it means (``NotFoundError`` for a missing file).
        """
        return self._stream(self.endpoint(endpoint_id), body)

    def endpoint(self, endpoint_id: str) -> Endpoint:
        """The table entry for ``endpoint_id``, with this client's method overrides."""
        endpoint = get_endpoint(endpoint_id)
        method = self._methods.get(endpoint_id)
        if method is not None:
            endpoint = endpoint.with_method(method, api_version=self.api_version)
        return endpoint

    def _check_open(self) -> None:
        if self._closed:
            raise SimotelError("this AsyncSimotel is closed; create a new client to send requests")

    def _build(self, endpoint: Endpoint, *, json: Any = None, files: Any = None) -> httpx.Request:
        route = endpoint.route(self.api_version)
        url = self.base_url.join(f"api/{self.api_version}/{route.path}")
        extensions = {IDEMPOTENT: endpoint.idempotent, ENDPOINT: endpoint.id}
        if files is not None:
            return self._http.build_request(route.method, url, files=files, extensions=extensions)
        return self._http.build_request(
            route.method, url, json={} if json is None else json, extensions=extensions
        )

    async def _send(
        self, request: httpx.Request, endpoint: Endpoint, *, stream: bool = False
    ) -> httpx.Response:
        self._check_open()
        started = time.perf_counter()
        try:
            response = await self._http.send(request, stream=stream)
        except httpx.TimeoutException as exc:
            raise SimotelTimeoutError(
                f"timed out ({type(exc).__name__}); raise timeout= or check the server's load",
                endpoint=endpoint.id,
                request=request,
            ) from exc
        except httpx.TransportError as exc:
            raise SimotelConnectionError(
                f"could not reach the server: {exc or type(exc).__name__}",
                endpoint=endpoint.id,
                request=request,
            ) from exc
        except httpx.DecodingError as exc:
            raise SimotelResponseError(
                f"undecodable response body: {exc}", endpoint=endpoint.id
            ) from exc
        if not stream:
            _release_body(response)
        logger.debug(
            "%s %s -> %d in %.1f ms (attempt %s)",
            request.method,
            request.url.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
            response.extensions.get("simotel_attempts", 1),
        )
        return response

    async def _call(self, endpoint: Endpoint, *, json: Any = None, files: Any = None) -> Any:
        request = self._build(endpoint, json=json, files=files)
        response = await self._send(request, endpoint)
        return parse_envelope(response, endpoint.id)

    @asynccontextmanager
    async def _stream(self, endpoint: Endpoint, json: Any) -> AsyncIterator[httpx.Response]:
        """Send and yield a 200 binary response, unread; any other answer raises."""
        request = self._build(endpoint, json=json)
        response = await self._send(request, endpoint, stream=True)
        try:
            content_type = response.headers.get("content-type", "")
            if response.status_code != 200 or content_type.startswith("application/json"):
                await response.aread()
                parse_envelope(response, endpoint.id)
                raise SimotelResponseError(
                    "expected a file, got a JSON envelope", endpoint=endpoint.id, response=response
                )
            yield response
        finally:
            await response.aclose()
            _release_body(response)
