"""Transport middleware: retries, rate limiting and the pool gate, as httpx transports.

``AsyncSimotel`` stacks them as ``RetryTransport(RateLimitTransport(PoolGate(HTTP)))``,
so every attempt passes the limiter and no request ever queues inside httpcore's pool.
Endpoint code knows none of this: the client marks each request's idempotency in
``request.extensions["simotel_idempotent"]`` and the transports act on it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

import anyio
import attrs
import httpx

from ._errors import ClientClosedError, retry_after_seconds, tls_failure

__all__ = [
    "PoolGate",
    "RateLimit",
    "RateLimitTransport",
    "RetryPolicy",
    "RetryTransport",
    "Progress",
    "WireMark",
    "retry_after_seconds",
]

logger = logging.getLogger("simotel_async")

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

IDEMPOTENT = "simotel_idempotent"
ENDPOINT = "simotel_endpoint"
ATTEMPTS = "simotel_attempts"
DEADLINE = "simotel_deadline"
"""``request.extensions`` key: the ``anyio.current_time()`` after which nothing is retried."""
READER = "simotel_reader"
"""``request.extensions`` key: ``async (response, request) -> response`` reading the body
within the attempt, so a cut-off or broken reply counts as that attempt's failure."""
TRACE = "trace"

Reader = Callable[[httpx.Response, httpx.Request], Awaitable[httpx.Response]]


class Progress:
    """How far one attempt got, from httpcore's trace events (``request.extensions["trace"]``).

    ``WireMark`` sets ``on_wire`` when the attempt reaches the connection pool; httpcore
    reports connecting and writing. An attempt whose first write failed, or that never
    started writing, provably sent nothing: asyncio writes a buffer whole or not at all.
    """

    def __init__(self, owner: object = None) -> None:
        self.owner = owner
        """The transport that starts attempts (``None``: any ``RetryTransport``)."""
        self.on_wire = False
        self.traced = False
        self.writing = False

    def reset(self) -> None:
        """Forget the previous attempt."""
        self.on_wire = self.traced = self.writing = False

    async def __call__(self, event: str, info: Mapping[str, Any]) -> None:
        self.traced = True
        if event.endswith(".send_request_headers.started"):
            self.writing = True
        elif event.endswith(".send_request_headers.failed"):
            self.writing = False

    @property
    def unsent(self) -> bool:
        """Provably no byte of the request reached the network."""
        return not self.on_wire or (self.traced and not self.writing)


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How failed requests are retried.

    Nothing was sent on a connect error, a pool timeout or a first write that failed,
    and a 429 was refused by the server, so those are retried for every endpoint.
    502/503/504, read errors and replies cut off or broken mid-body are retried only for
    idempotent endpoints (searches, cursors, info, downloads, ping): an ``add`` or an
    ``originate`` may already have happened. TLS handshake and certificate failures are
    never retried: they fail the same way every time. A ``Retry-After`` longer than
    ``retry_after_max`` is not waited for: the answer is returned at once (a 429 raises
    ``RateLimitedError``). No retry sleeps past the call's deadline.

    >>> RetryPolicy(attempts=5, backoff_max=30)  # doctest: +ELLIPSIS
    RetryPolicy(attempts=5, ...)

    Args:
        attempts: total tries including the first (1 disables retrying).
        backoff_initial: seconds before the first retry's jitter window.
        backoff_max: cap on one backoff delay, in seconds.
        retry_after_max: the longest ``Retry-After`` waited for, in seconds; also the
            longest a 429 pauses a shared ``RateLimit``.
        statuses: statuses retried for idempotent endpoints.
    """

    attempts: int = attrs.field(default=4, validator=attrs.validators.ge(1))
    backoff_initial: float = attrs.field(default=0.5, converter=_seconds)
    backoff_max: float = attrs.field(default=8.0, converter=_seconds)
    retry_after_max: float = attrs.field(default=60.0, converter=_seconds)
    statuses: frozenset[int] = attrs.field(default=frozenset({502, 503, 504}), converter=frozenset)

    def backoff(self, retry: int, rand: float) -> float:
        """Full-jitter delay before retry number ``retry`` (1-based), ``rand`` in [0, 1)."""
        return float(rand * min(self.backoff_max, self.backoff_initial * 2 ** (retry - 1)))


@attrs.frozen(kw_only=True)
class RateLimit:
    """A token bucket plus a concurrency cap, shared by every request of one client.

    >>> RateLimit(requests_per_second=20, max_concurrency=10)
    RateLimit(requests_per_second=20, burst=None, max_concurrency=10)

    Args:
        requests_per_second: sustained rate; ``None`` for no rate limit.
        burst: how many requests may start at once after idling
            (default: one second's worth, at least 1).
        max_concurrency: requests in flight at once; ``None`` for no cap.
    """

    requests_per_second: float | None = attrs.field(default=None)
    burst: int | None = None
    max_concurrency: int | None = None

    @requests_per_second.validator
    def _check_rate(self, _: object, value: float | None) -> None:
        if value is not None and value <= 0:
            raise ValueError("requests_per_second must be positive (or None for no limit)")


class _ReleasingStream(httpx.AsyncByteStream):
    """A response body that releases a permit when closed, not when headers arrive."""

    def __init__(self, inner: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._inner = inner
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            release, self._release = self._release, None
            if release is not None:
                release()


def _hold_until_closed(response: httpx.Response, release: Callable[[], None]) -> httpx.Response:
    if response.is_closed:
        # Already read in full (in-memory transports): nothing is left to hold.
        release()
        return response
    stream = response.stream
    assert isinstance(stream, httpx.AsyncByteStream)
    response.stream = _ReleasingStream(stream, release)
    return response


class _Wrapper(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, *, close_inner: bool = True) -> None:
        self._inner = inner
        self._close_inner = close_inner

    async def aclose(self) -> None:
        if self._close_inner:
            await self._inner.aclose()


class PoolGate(_Wrapper):
    """At most ``permits`` requests (bodies included) reach the inner transport at once.

    Set ``permits`` to the pool's ``max_connections``: requests then wait here, where
    cancellation is clean, instead of in httpcore's pool, where cancelling a waiter can
    leave the pool permanently "full" (encode/httpcore #830, #1093, #1099).
    """

    def __init__(
        self, inner: httpx.AsyncBaseTransport, permits: int, *, close_inner: bool = True
    ) -> None:
        super().__init__(inner, close_inner=close_inner)
        self.permits = permits
        self._semaphore = asyncio.Semaphore(permits)

    @property
    def in_use(self) -> int:
        """Requests currently holding a permit (sent and not yet closed)."""
        return self.permits - self._semaphore._value

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for a permit, send, and hold the permit until the body is closed."""
        await self._semaphore.acquire()
        progress = request.extensions.get(TRACE)
        if isinstance(progress, Progress):
            progress.on_wire = True
        try:
            response = await self._inner.handle_async_request(request)
        except BaseException:
            self._semaphore.release()
            raise
        return _hold_until_closed(response, self._semaphore.release)


class RateLimitTransport(_Wrapper):
    """Token bucket (rate, burst) and concurrency cap in front of ``inner``.

    A 429 pauses the whole bucket for its ``Retry-After``, at most ``retry_after_max``
    seconds: every task waits once, instead of each one hammering the server on its own
    schedule, and no single answer can freeze the client for longer than the cap.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        limit: RateLimit,
        *,
        retry_after_max: float = 60.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        super().__init__(inner)
        self.limit = limit
        self.retry_after_max = _seconds(retry_after_max)
        self._clock = clock
        self._sleep = sleep
        rate = limit.requests_per_second
        self._capacity = float(limit.burst or max(1, math.ceil(rate or 1)))
        self._tokens = self._capacity
        self._stamp = clock()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self._slots = asyncio.Semaphore(limit.max_concurrency) if limit.max_concurrency else None

    @property
    def slots_in_use(self) -> int:
        """Requests holding a ``max_concurrency`` slot (0 without a cap)."""
        if self._slots is None or self.limit.max_concurrency is None:
            return 0
        return self.limit.max_concurrency - self._slots._value

    def pause(self, seconds: float) -> None:
        """Hold every request of this client for ``seconds`` from now (capped)."""
        seconds = min(seconds, self.retry_after_max)
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def _take_token(self) -> None:
        rate = self.limit.requests_per_second
        async with self._lock:
            while True:
                now = self._clock()
                if now < self._paused_until:
                    await self._sleep(self._paused_until - now)
                    continue
                if rate is None:
                    return
                self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await self._sleep((1 - self._tokens) / rate)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for a slot and a token, send, and learn from a 429."""
        if self._slots is not None:
            await self._slots.acquire()
        try:
            await self._take_token()
            response = await self._inner.handle_async_request(request)
        except BaseException:
            if self._slots is not None:
                self._slots.release()
            raise
        if response.status_code == 429:
            delay = retry_after_seconds(response.headers)
            self.pause(delay if delay is not None else 1.0)
        if self._slots is not None:
            return _hold_until_closed(response, self._slots.release)
        return response


class WireMark(_Wrapper):
    """Marks an attempt's :class:`Progress` as sent on (``PoolGate`` does it too)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Mark the attempt, then hand the request to the connection pool."""
        progress = request.extensions.get(TRACE)
        if isinstance(progress, Progress):
            progress.on_wire = True
        return await self._inner.handle_async_request(request)


_IDEMPOTENT_ONLY = (
    httpx.ReadTimeout,
    httpx.ReadError,
    httpx.RemoteProtocolError,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.DecodingError,
)


class RetryTransport(_Wrapper):
    """Re-sends failed requests per a ``RetryPolicy``; see that class for what is retried.

    With a reader in ``request.extensions["simotel_reader"]`` each attempt also reads
    the body, so a reply cut off mid-body counts as a failed attempt. With a deadline
    in ``request.extensions["simotel_deadline"]`` (``anyio.current_time()`` based) no
    retry starts or sleeps past it. After :meth:`aclose` nothing is retried.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        policy: RetryPolicy | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        close_inner: bool = True,
    ) -> None:
        super().__init__(inner, close_inner=close_inner)
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._rand = rand
        self._closed = False
        self.retries = 0
        """How many times this transport has re-sent a request."""

    async def aclose(self) -> None:
        """Stop retrying, then close the inner transport."""
        self._closed = True
        await super().aclose()

    def _should_retry(self, request: httpx.Request, outcome: httpx.Response | Exception) -> bool:
        idempotent = bool(request.extensions.get(IDEMPOTENT))
        if isinstance(outcome, httpx.Response):
            if outcome.status_code == 429:
                return True
            return idempotent and outcome.status_code in self.policy.statuses
        if tls_failure(outcome) is not None:
            return False
        if isinstance(outcome, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
            return True
        progress = request.extensions.get(TRACE)
        if isinstance(progress, Progress) and progress.unsent:
            return True
        return idempotent and isinstance(outcome, _IDEMPOTENT_ONLY)

    def _delay(
        self, request: httpx.Request, attempt: int, outcome: httpx.Response | Exception
    ) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` to stop here."""
        if self._closed or attempt >= self.policy.attempts:
            return None
        if not self._should_retry(request, outcome):
            return None
        delay = self.policy.backoff(attempt, self._rand())
        if isinstance(outcome, httpx.Response):
            advised = retry_after_seconds(outcome.headers)
            if advised is not None:
                if advised > self.policy.retry_after_max:
                    return None
                delay = advised
        deadline = request.extensions.get(DEADLINE)
        if deadline is not None and anyio.current_time() + delay >= deadline:
            return None
        return delay

    async def _attempt(self, request: httpx.Request) -> httpx.Response | Exception:
        progress = request.extensions.get(TRACE)
        if isinstance(progress, Progress) and progress.owner in (None, self):
            progress.reset()
        try:
            return await self._inner.handle_async_request(request)
        except httpx.TransportError as exc:
            return exc

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, retrying per the policy; the last outcome is returned or raised."""
        reader: Reader | None = request.extensions.get(READER)
        attempt = 1
        while True:
            outcome = await self._attempt(request)
            delay = self._delay(request, attempt, outcome)
            if delay is None and reader is not None and isinstance(outcome, httpx.Response):
                try:
                    outcome = await reader(outcome, request)
                except (httpx.TransportError, httpx.DecodingError) as exc:
                    outcome = exc
                    delay = self._delay(request, attempt, outcome)
            if delay is None:
                if isinstance(outcome, Exception):
                    raise outcome
                outcome.extensions[ATTEMPTS] = attempt
                return outcome
            response = outcome if isinstance(outcome, httpx.Response) else None
            if response is not None:
                await response.aclose()
            logger.warning(
                "retrying %s %s in %.2fs (attempt %d of %d failed: %s)",
                request.method,
                request.url.path,
                delay,
                attempt,
                self.policy.attempts,
                f"HTTP {response.status_code}" if response is not None else type(outcome).__name__,
            )
            await self._sleep(delay)
            if self._closed:
                raise ClientClosedError(
                    "the client was closed; the request was not retried",
                    endpoint=request.extensions.get(ENDPOINT),
                    request=request,
                )
            attempt += 1
            self.retries += 1
