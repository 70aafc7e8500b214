"""``AsyncSimotel``: configuration, lifecycle and the one request pipeline."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import math
import os
import re
import ssl
import time
import warnings
from collections.abc import AsyncIterator, Coroutine, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta, tzinfo
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import anyio
import attrs
import httpx

from ._auth import SimotelAuth, split_userinfo
from ._endpoints import Endpoint, Method, get_endpoint
from ._envelope import DEFAULT_MAX_RESPONSE_BYTES, parse_envelope, read_reply
from ._errors import (
    ClientClosedError,
    SimotelResponseError,
    SimotelSecurityWarning,
    SimotelTimeoutError,
    from_httpx,
)
from ._transport import (
    DEADLINE,
    ENDPOINT,
    IDEMPOTENT,
    READER,
    TRACE,
    PoolGate,
    Progress,
    RateLimit,
    RateLimitTransport,
    RetryPolicy,
    RetryTransport,
    WireMark,
)
from ._version import __version__
from .resources import Autodialer, Call, Pbx, Reports, Setting, Voicemails

__all__ = [
    "BACKENDS",
    "DEFAULT_DEADLINE",
    "DEFAULT_LIMITS",
    "DEFAULT_TIMEOUT",
    "AsyncSimotel",
    "PoolStatus",
]

logger = logging.getLogger("simotel_async")

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
"""10 s to read, write or wait for a connection; 5 s to connect."""

DEFAULT_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=10, keepalive_expiry=3)
"""20 connections at most, 10 kept alive for 3 s: Apache (in front of Simotel) and uvicorn
close idle connections after 5 s, and a request must never go out on one they just closed."""

DEFAULT_DEADLINE = 120.0
"""The most one call may take, in seconds: every attempt, backoff and the body included."""

ApiVersion = Literal["v4", "v3"]
Backend = Literal["httpx", "aiohttp"]

BACKENDS: tuple[Backend, ...] = ("httpx", "aiohttp")
"""The connection pools ``AsyncSimotel(backend=...)`` can run on."""

SPEED_HINT = "pip install 'simotel-async[speed]'"
_httpx_log = logging.getLogger("httpx")

_API_SUFFIX = re.compile(r"/api/v[34]$")
_TEST_DOMAINS = (".test", ".localhost", ".invalid")
_LOCAL_TRANSPORTS = (httpx.MockTransport, httpx.ASGITransport)


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


@attrs.frozen
class PoolStatus:
    """What a client holds right now (``simotel.pool``): for diagnostics and tests.

    Attributes:
        calls_in_flight: calls started and not yet finished (open streams included).
        permits: the pool's ``max_connections`` (``None``: no cap).
        permits_in_use: requests holding a pool permit (sent, body not yet closed).
        slots_in_use: requests holding a ``RateLimit.max_concurrency`` slot.
        connections: open connections of the client's own pool (``None`` when it
            sends through your ``transport=`` or ``http_client=``).
        connections_in_use: of those, the ones carrying a request.
    """

    calls_in_flight: int
    permits: int | None
    permits_in_use: int
    slots_in_use: int
    connections: int | None
    connections_in_use: int | None


def _zone(value: str | tzinfo) -> tzinfo:
    if isinstance(value, tzinfo):
        return value
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(
            f"server_timezone {value!r} is not a known time zone; pass an IANA name such as "
            "'Asia/Tehran' or a tzinfo"
        ) from None


def _tls(verify: bool | str | os.PathLike[str] | ssl.SSLContext) -> bool | ssl.SSLContext:
    if isinstance(verify, bool | ssl.SSLContext):
        return verify
    path = Path(verify)
    if path.is_dir():
        return ssl.create_default_context(capath=str(path))
    if path.is_file():
        return ssl.create_default_context(cafile=str(path))
    raise ValueError(f"verify={str(path)!r}: no such CA bundle file or directory")


def _seconds(value: float | timedelta | None) -> float | None:
    if value is None:
        return None
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    if not seconds > 0:
        raise ValueError(f"deadline must be a positive number of seconds or None, not {value!r}")
    return seconds


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(_TEST_DOMAINS):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class AsyncSimotel:
    """An asyncio client for one Simotel server's REST API.

    Use it as an async context manager (or call :meth:`aclose`); it owns one pooled
    ``httpx.AsyncClient``::

        async with AsyncSimotel("https://pbx.example.com", api_key="...") as simotel:
            await simotel.ping()

    Every call ends within ``deadline`` seconds; a call that fails after an unsafe
    request (add, update, remove, originate, upload) may have reached the server says
    so with ``exc.outcome_unknown``. See ``__init__`` for every option.
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
        deadline: float | timedelta | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        verify: bool | str | os.PathLike[str] | ssl.SSLContext = True,
        backend: Backend = "httpx",
    ) -> None:
        """Configure a client; nothing is sent until the first call.

        Args:
            base_url: the server, e.g. ``"https://pbx.example.com"``; may carry
                ``user:pass@`` userinfo instead of ``username``/``password``. A trailing
                ``/api/v4`` or ``/api/v3`` is removed (with a warning): the SDK adds it.
            username: Basic auth user of the Simotel API account.
            password: Basic auth password.
            api_key: the account's token, sent as ``X-APIKEY``.
            api_version: ``"v4"`` (POST to action paths) or ``"v3"`` (REST verbs).
            timeout: seconds, or an ``httpx.Timeout``: per connect, read, write and pool
                wait. For downloads the read timeout is the idle limit between chunks.
            retry: a ``RetryPolicy``; ``None`` disables retries.
            rate_limit: a ``RateLimit``; ``None`` (default) sends as fast as the pool allows.
            server_timezone: the zone the server writes its local times in (an IANA
                name or a ``tzinfo``).
            transport: an ``httpx.AsyncBaseTransport`` to send through (tests, proxies).
            http_client: an ``httpx.AsyncClient`` to send through; it is never closed here.
            limits: connection pool limits (default: 20 connections, idle ones closed
                after 3 s).
            methods: per-endpoint HTTP method overrides for either API version, e.g.
                ``{"setting.ping": "PUT"}``.
            deadline: the most one call may take, in seconds (or a ``timedelta``):
                every attempt, backoff sleep and the body included; no retry sleeps
                past it. ``None`` disables it. Downloads count it until the file
                starts, then only ``timeout`` between chunks.
            max_response_bytes: the largest reply body read, counted after
                decompression, as it arrives (default 64 MiB); ``None`` for no cap.
                Downloads are never capped.
            verify: TLS verification for the client's own pool: ``True``, the path of
                a CA bundle (file or directory), an ``ssl.SSLContext``, or ``False``
                (warns: credentials could then be read on the way).
            backend: the client's own connection pool: ``"httpx"`` (default, httpcore)
                or ``"aiohttp"`` (``httpx_aiohttp.AiohttpTransport``, from
                ``pip install 'simotel-async[speed]'``): about half the client CPU per
                request, for bulk pulls and high concurrency. Both sit under the same
                retry, rate limit, pool gate, deadline and size caps and raise the same
                exceptions; on aiohttp there is no write timeout and a failure after the
                connection is made always counts as maybe sent (see the README).

        Raises:
            ValueError: no credentials, half of Basic, an unknown ``api_version``,
                ``backend`` or ``server_timezone``, a bad ``deadline``, ``verify`` or
                URL, or ``backend="aiohttp"`` with ``transport=``/``http_client=``.
            ImportError: ``backend="aiohttp"`` without httpx-aiohttp installed.

        Warns:
            SimotelSecurityWarning: credentials would go over plain ``http://`` to a
                host that is not this machine, or ``verify=False``.
        """
        if api_version not in ("v4", "v3"):
            raise ValueError(f"api_version must be 'v4' or 'v3', not {api_version!r}")
        if transport is not None and http_client is not None:
            raise ValueError("pass transport= or http_client=, not both")
        if verify is not True and (transport is not None or http_client is not None):
            raise ValueError("verify= configures the client's own pool; set it on your transport")
        if backend not in BACKENDS:
            raise ValueError(f"backend must be 'httpx' or 'aiohttp', not {backend!r}")
        if backend != "httpx" and (transport is not None or http_client is not None):
            raise ValueError(
                f"backend={backend!r} chooses the client's own pool; with transport= or "
                "http_client= you send through yours"
            )
        if max_response_bytes is not None and max_response_bytes < 1:
            raise ValueError(
                f"max_response_bytes must be positive or None, not {max_response_bytes}"
            )
        url, url_user, url_password = split_userinfo(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an http(s) URL with a host, not {str(url)!r}")
        if username is None and password is None:
            username, password = url_user, url_password
        self.auth = SimotelAuth(username=username, password=password, api_key=api_key)
        path = url.path.rstrip("/")
        if (suffix := _API_SUFFIX.search(path)) is not None:
            path = path[: suffix.start()]
            warnings.warn(
                f"base_url ends in {suffix.group()}; the SDK adds /api/{api_version}/ itself, "
                f"so it uses {str(url.copy_with(path=path + '/'))!r}",
                UserWarning,
                stacklevel=2,
            )
        self.base_url = url.copy_with(path=path + "/")
        self.api_version: ApiVersion = api_version
        self.server_timezone: tzinfo = _zone(server_timezone)
        """The zone the server writes local times in; resources read it."""
        self.deadline = _seconds(deadline)
        """The most one call may take, in seconds (``None``: no deadline)."""
        self.max_response_bytes = max_response_bytes
        """The largest reply body read (decompressed), in bytes (``None``: no cap)."""
        self._methods = dict(methods or {})
        for endpoint_id in self._methods:
            get_endpoint(endpoint_id)
        if (
            url.scheme == "http"
            and not _is_local(url.host)
            and not isinstance(transport, _LOCAL_TRANSPORTS)
        ):
            warnings.warn(
                f"credentials ({self.auth.scheme}) go to {url.host} over plain http://, "
                "readable by anyone on the way; use https://",
                SimotelSecurityWarning,
                stacklevel=2,
            )
        if verify is False:
            warnings.warn(
                "verify=False: the server's certificate is not checked, so anyone on the way "
                "can pose as the server and read the credentials",
                SimotelSecurityWarning,
                stacklevel=2,
            )

        self.backend: Backend = backend
        """The client's own connection pool: ``"httpx"`` or ``"aiohttp"``."""
        inner: httpx.AsyncBaseTransport
        self._pool: httpx.AsyncBaseTransport | None = None
        agent = f"httpx/{httpx.__version__}"
        if http_client is not None:
            inner = _ClientTransport(http_client)
        elif transport is not None:
            inner = transport
        elif backend == "aiohttp":
            inner = self._pool = _aiohttp_pool(limits, _tls(verify))
            agent = f"aiohttp/{_aiohttp_version()}"
        else:
            inner = self._pool = httpx.AsyncHTTPTransport(limits=limits, verify=_tls(verify))
        owned = transport is None and http_client is None
        stack: httpx.AsyncBaseTransport
        self._gate: PoolGate | None = None
        if limits.max_connections is not None:
            stack = self._gate = PoolGate(inner, limits.max_connections, close_inner=owned)
        else:
            stack = WireMark(inner, close_inner=owned)
        self._limiter: RateLimitTransport | None = None
        if rate_limit is not None:
            stack = self._limiter = RateLimitTransport(
                stack,
                rate_limit,
                retry_after_max=(retry or RetryPolicy()).retry_after_max,
            )
        stack = self._retry = RetryTransport(stack, retry or RetryPolicy(attempts=1))
        self._stack = stack
        self._http = httpx.AsyncClient(
            auth=self.auth,
            timeout=timeout,
            transport=stack,
            headers={
                "User-Agent": f"simotel-async/{__version__} {agent}",
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",
            },
            follow_redirects=False,
        )
        # Prepared once, copied into each request: the static headers with the
        # credentials' (what auth_flow would add), the timeouts, and per endpoint id its
        # method and joined URL (base_url.join costs more than the rest of building).
        self._headers = httpx.Headers(self._http.headers)
        probe = httpx.Request("GET", self.base_url)
        next(self.auth.auth_flow(probe))
        for name in ("Authorization", "X-APIKEY"):
            if name in probe.headers:
                self._headers[name] = probe.headers[name]
        self._timeouts = self._http.timeout.as_dict()
        self._targets: dict[str, tuple[Endpoint, str, httpx.URL]] = {}
        self._closed = False
        self._calls: dict[anyio.CancelScope, asyncio.Task[Any] | None] = {}
        self._streams: set[httpx.Response] = set()
        self._drained: anyio.Event | None = None

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
        return self._retry.retries

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` has run."""
        return self._closed

    @property
    def timeout(self) -> httpx.Timeout:
        """The per-operation timeouts (connect, read, write, pool)."""
        return self._http.timeout

    @property
    def pool(self) -> PoolStatus:
        """A snapshot of the calls, permits and connections this client holds now."""
        connections = in_use = None
        pool = getattr(self._pool, "_pool", None)
        if pool is not None:
            live = [c for c in pool.connections if not c.is_closed()]
            connections = len(live)
            in_use = sum(1 for c in live if not c.is_idle())
        elif self._pool is not None and hasattr(self._pool, "connections"):
            connections, in_use = self._pool.connections()
        return PoolStatus(
            calls_in_flight=len(self._calls) + len(self._streams),
            permits=self._gate.permits if self._gate is not None else None,
            permits_in_use=self._gate.in_use if self._gate is not None else 0,
            slots_in_use=self._limiter.slots_in_use if self._limiter is not None else 0,
            connections=connections,
            connections_in_use=in_use,
        )

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
        """Close the client: fail every call in flight, then close the pool. Idempotent.

        Calls still running raise :class:`ClientClosedError`; nothing is retried after
        this starts, and no connection stays open when it returns.
        """
        if self._closed:
            return
        self._closed = True
        me = asyncio.current_task()
        for scope in tuple(self._calls):
            scope.cancel()
        for response in tuple(self._streams):
            await response.aclose()
        while any(task is not me for task in self._calls.values()):
            self._drained = anyio.Event()
            await self._drained.wait()
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
        return await self._call(endpoint_id, json=body)

    async def request_multipart(self, endpoint_id: str, files: Mapping[str, Any]) -> Any:
        """Send a multipart upload to an endpoint by id; returns the envelope's ``data``.

        ``files`` maps each form field to an httpx file part, e.g.
        ``{"file": ("greeting.wav", open("greeting.wav", "rb"), "audio/wav")}``;
        parts are streamed, never read whole.
        """
        return await self._call(endpoint_id, files=files)

    def stream(
        self, endpoint_id: str, body: Mapping[str, Any] | None = None
    ) -> AbstractAsyncContextManager[httpx.Response]:
        """``async with simotel.stream(endpoint_id, body) as response``: a file, unread.

        The response is a 200 binary answer; iterate ``response.aiter_bytes()``. The
        connection is released when the block exits. A JSON envelope or any other
        status raises the error it means (``NotFoundError`` for a missing file). The
        deadline covers getting the answer's head; the body is only bounded by the
        read timeout between chunks.
        """
        return self._stream(endpoint_id, body)

    def endpoint(self, endpoint_id: str) -> Endpoint:
        """The table entry for ``endpoint_id``, with this client's method override."""
        endpoint = get_endpoint(endpoint_id)
        method = self._methods.get(endpoint_id)
        if method is not None:
            # Without a route for this version, _route builds one from the v4 path.
            with contextlib.suppress(ValueError):
                endpoint = endpoint.with_method(method, api_version=self.api_version)
        return endpoint

    def _route(self, endpoint: Endpoint) -> tuple[str, str]:
        method = self._methods.get(endpoint.id)
        try:
            route = endpoint.route(self.api_version)
        except ValueError:
            if method is None:
                raise
            route = endpoint.route("v4")
        return method or route.method, route.path

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError(
                "this AsyncSimotel is closed; create a new client to send requests"
            )

    def _target(self, endpoint_id: str) -> tuple[Endpoint, str, httpx.URL]:
        """The endpoint, its HTTP method and full URL: worked out once per endpoint id."""
        target = self._targets.get(endpoint_id)
        if target is None:
            endpoint = self.endpoint(endpoint_id)
            method, path = self._route(endpoint)
            url = httpx.URL(f"{self.base_url}api/{self.api_version}/{path}")
            target = self._targets[endpoint_id] = (endpoint, method, url)
        return target

    def _build(
        self, endpoint_id: str, *, json: Any = None, files: Any = None, stream: bool = False
    ) -> tuple[httpx.Request, Endpoint]:
        endpoint, method, url = self._target(endpoint_id)
        extensions = {
            "timeout": self._timeouts,
            IDEMPOTENT: endpoint.idempotent,
            ENDPOINT: endpoint.id,
            TRACE: Progress(self._retry),
            READER: self._read_unless_file if stream else self._read,
        }
        if files is not None:
            request = httpx.Request(
                method, url, headers=self._headers, files=files, extensions=extensions
            )
        else:
            request = httpx.Request(
                method,
                url,
                headers=self._headers,
                json={} if json is None else json,
                extensions=extensions,
            )
        cookies = self._http.cookies
        if cookies:
            cookies.set_cookie_header(request)
        return request, endpoint

    async def _read(self, response: httpx.Response, request: httpx.Request) -> httpx.Response:
        return await read_reply(response, max_bytes=self.max_response_bytes, request=request)

    async def _read_unless_file(
        self, response: httpx.Response, request: httpx.Request
    ) -> httpx.Response:
        if _is_file(response):
            return response
        return await self._read(response, request)

    async def _send(self, request: httpx.Request, endpoint: Endpoint) -> httpx.Response:
        """Send inside the call's deadline and the client's close scope."""
        self._check_open()
        progress = request.extensions[TRACE]
        limit = math.inf
        if self.deadline is not None:
            limit = request.extensions[DEADLINE] = anyio.current_time() + self.deadline
        scope = anyio.CancelScope(deadline=limit)
        started = time.perf_counter()
        response = await _guarded(scope, self._attempts(scope, request, endpoint, progress))
        if response is None:
            raise self._interrupted(endpoint, request, progress)
        response.request = request
        if response.is_closed:
            _release_body(response)
        if "set-cookie" in response.headers:
            self._http.cookies.extract_cookies(response)
        if _httpx_log.isEnabledFor(logging.INFO):
            _httpx_log.info(
                'HTTP Request: %s %s "%s %d %s"',
                request.method,
                request.url,
                response.http_version,
                response.status_code,
                response.reason_phrase,
            )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %d in %.1f ms (attempt %s)",
                request.method,
                request.url.path,
                response.status_code,
                (time.perf_counter() - started) * 1000,
                response.extensions.get("simotel_attempts", 1),
            )
        return response

    async def _attempts(
        self,
        scope: anyio.CancelScope,
        request: httpx.Request,
        endpoint: Endpoint,
        progress: Progress,
    ) -> httpx.Response | None:
        """Every attempt of one call inside ``scope``; None when the scope was cancelled."""
        self._calls[scope] = asyncio.current_task()
        try:
            with scope:
                try:
                    return await self._stack.handle_async_request(request)
                except httpx.HTTPError as exc:
                    raise from_httpx(
                        exc,
                        endpoint=endpoint.id,
                        request=request,
                        idempotent=endpoint.idempotent,
                        reached=not progress.unsent,
                    ) from exc
            return None
        finally:
            self._forget(scope)

    def _forget(self, scope: anyio.CancelScope) -> None:
        del self._calls[scope]
        if self._drained is not None and not self._calls:
            self._drained.set()

    def _interrupted(
        self, endpoint: Endpoint, request: httpx.Request, progress: Progress
    ) -> ClientClosedError | SimotelTimeoutError:
        unknown = not endpoint.idempotent and not progress.unsent
        if self._closed:
            return ClientClosedError(
                "the client was closed while this call was in flight",
                endpoint=endpoint.id,
                request=request,
                outcome_unknown=unknown,
            )
        return SimotelTimeoutError(
            f"no complete answer within the deadline of {self.deadline:g} s (every attempt, "
            "backoff and the body included); raise deadline= or check the server's load",
            endpoint=endpoint.id,
            request=request,
            outcome_unknown=unknown,
        )

    async def _call(self, endpoint_id: str, *, json: Any = None, files: Any = None) -> Any:
        request, endpoint = self._build(endpoint_id, json=json, files=files)
        response = await self._send(request, endpoint)
        return parse_envelope(response, endpoint.id, idempotent=endpoint.idempotent)

    @asynccontextmanager
    async def _stream(self, endpoint_id: str, json: Any) -> AsyncIterator[httpx.Response]:
        """Send and yield a 200 binary response, unread; any other answer raises."""
        request, endpoint = self._build(endpoint_id, json=json, stream=True)
        response = await self._send(request, endpoint)
        self._streams.add(response)
        try:
            if not _is_file(response):
                parse_envelope(response, endpoint.id)
                raise SimotelResponseError(
                    "expected a file, got a JSON envelope", endpoint=endpoint.id, response=response
                )
            yield response
        finally:
            self._streams.discard(response)
            await response.aclose()
            _release_body(response)


_T = TypeVar("_T")

_UNWINDING: set[asyncio.Future[Any]] = set()
"""Calls cancelled by their caller, still unwinding through httpcore's cleanup."""


async def _guarded(scope: anyio.CancelScope, work: Coroutine[Any, Any, _T]) -> _T:
    """Await ``work`` in its own task; cancelling the caller cancels ``scope`` instead.

    httpcore cleans up after a cancellation of an anyio scope inside shielded scopes, but
    a plain ``task.cancel()`` (``asyncio.wait_for``, a FastAPI request that goes away,
    ``TaskGroup``) can land inside that cleanup and leave a pooled connection marked busy
    for good: after 20 such cancellations the client is unusable. Here the caller's
    cancellation becomes a scope cancellation, and the caller waits (briefly) for the
    call to unwind before the ``CancelledError`` goes on.
    """
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        scope.cancel()
        _UNWINDING.add(task)
        task.add_done_callback(_UNWINDING.discard)
        await asyncio.wait((task,), timeout=_UNWIND_TIMEOUT)
        if task.done() and not task.cancelled():
            task.exception()  # the caller was cancelled: this outcome has no reader
        raise


_UNWIND_TIMEOUT = 5.0
"""Seconds a cancelled caller waits for its call's cleanup (closing a socket)."""


def _aiohttp_pool(limits: httpx.Limits, verify: bool | ssl.SSLContext) -> httpx.AsyncBaseTransport:
    try:
        from ._aiohttp import AiohttpPool
    except ImportError as exc:
        raise ImportError(f"backend='aiohttp' needs httpx-aiohttp ({exc}): {SPEED_HINT}") from exc
    return AiohttpPool(limits=limits, verify=verify)


def _aiohttp_version() -> str:
    import aiohttp

    return aiohttp.__version__


def _is_file(response: httpx.Response) -> bool:
    content_type = response.headers.get("content-type", "")
    return response.status_code == 200 and not content_type.startswith("application/json")
