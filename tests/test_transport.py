"""Retry, rate-limit and pool-gate transports, with the clock and sleep injected."""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import logging
import ssl
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from simotel_async import (
    AsyncSimotel,
    ClientClosedError,
    RateLimit,
    RateLimitedError,
    RateLimitTransport,
    RetryPolicy,
    RetryTransport,
    ServerError,
    SimotelConnectionError,
    SimotelTimeoutError,
)
from simotel_async._transport import retry_after_seconds
from tests.helpers import envelope
from tests.reliability.conftest import BACKENDS

KEY = "KEY-abcdef-123456"


class Script:
    """Answers requests from a list of outcomes (a status, a response, or an exception)."""

    def __init__(self, *outcomes: int | httpx.Response | type[Exception]) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, int):
            return (
                envelope({"ok": 1})
                if outcome == 200
                else httpx.Response(outcome, json={"success": 0, "message": "x"})
            )
        if isinstance(outcome, httpx.Response):
            return outcome
        raise outcome("boom", request=request)


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def client(script: Script, sleeps: Sleeps, policy: RetryPolicy | None = None) -> AsyncSimotel:
    transport = RetryTransport(
        httpx.MockTransport(script), policy or RetryPolicy(), sleep=sleeps, rand=lambda: 0.5
    )
    return AsyncSimotel("https://pbx", api_key=KEY, transport=transport, retry=None)


async def test_add_answered_503_is_sent_once() -> None:
    script, sleeps = Script(503, 200), Sleeps()
    async with client(script, sleeps) as simotel:
        with pytest.raises(ServerError):
            await simotel.request("pbx.users.add", {})
    assert script.calls == 1
    assert sleeps.delays == []


async def test_search_answered_503_503_200_is_sent_three_times() -> None:
    script, sleeps = Script(503, 503, 200), Sleeps()
    async with client(script, sleeps) as simotel:
        assert await simotel.request("reports.cdr.search", {}) == {"ok": 1}
    assert script.calls == 3
    assert sleeps.delays == [0.25, 0.5]  # full jitter: rand 0.5 x 0.5 s, then x 1 s


async def test_connect_error_on_add_is_retried() -> None:
    script, sleeps = Script(httpx.ConnectError, 200), Sleeps()
    async with client(script, sleeps) as simotel:
        assert await simotel.request("pbx.users.add", {}) == {"ok": 1}
    assert script.calls == 2


@pytest.mark.parametrize("error", [httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError])
async def test_read_failure_on_originate_is_not_retried(error: type[Exception]) -> None:
    script, sleeps = Script(error, 200), Sleeps()
    async with client(script, sleeps) as simotel:
        with pytest.raises(SimotelConnectionError):
            await simotel.request("call.originate", {})
    assert script.calls == 1


async def test_read_timeout_on_search_is_retried() -> None:
    script, sleeps = Script(httpx.ReadTimeout, 200), Sleeps()
    async with client(script, sleeps) as simotel:
        await simotel.request("pbx.users.search", {})
    assert script.calls == 2


async def test_429_is_retried_even_for_add_and_retry_after_wins() -> None:
    limited = httpx.Response(
        429, json={"success": 0, "message": "busy"}, headers={"Retry-After": "2"}
    )
    script, sleeps = Script(limited, 200), Sleeps()
    async with client(script, sleeps) as simotel:
        await simotel.request("pbx.users.add", {})
    assert script.calls == 2
    assert sleeps.delays == [2.0]


async def test_retry_after_is_capped() -> None:
    limited = httpx.Response(503, headers={"Retry-After": "20"}, json={"success": 0})
    script, sleeps = Script(limited, 200), Sleeps()
    async with client(script, sleeps, RetryPolicy(retry_after_max=30)) as simotel:
        await simotel.request("reports.cdr.search", {})
    assert sleeps.delays == [20.0]


async def test_retry_after_above_the_cap_is_not_waited_for() -> None:
    limited = httpx.Response(503, headers={"Retry-After": "3600"}, json={"success": 0})
    script, sleeps = Script(limited, 200), Sleeps()
    async with client(script, sleeps, RetryPolicy(retry_after_max=30)) as simotel:
        with pytest.raises(ServerError):
            await simotel.request("reports.cdr.search", {})
    assert (script.calls, sleeps.delays) == (1, [])


async def test_429_with_retry_after_above_the_cap_raises_at_once() -> None:
    limited = httpx.Response(429, headers={"Retry-After": "86400"}, json={"success": 0})
    script, sleeps = Script(limited, 200), Sleeps()
    async with client(script, sleeps) as simotel:
        with pytest.raises(RateLimitedError) as info:
            await simotel.request("reports.cdr.search", {})
    assert (script.calls, sleeps.delays) == (1, [])
    assert info.value.retry_after == 86400
    assert "the server asks to wait 86400 s" in str(info.value)


async def test_attempts_are_bounded_and_the_last_answer_raises() -> None:
    script, sleeps = Script(503), Sleeps()
    async with client(script, sleeps, RetryPolicy(attempts=3)) as simotel:
        with pytest.raises(ServerError):
            await simotel.request("reports.cdr.search", {})
    assert script.calls == 3
    assert len(sleeps.delays) == 2


async def test_exhausted_connect_errors_raise_connection_error() -> None:
    script, sleeps = Script(httpx.ConnectTimeout), Sleeps()
    async with client(script, sleeps, RetryPolicy(attempts=2)) as simotel:
        with pytest.raises(SimotelTimeoutError):
            await simotel.request("pbx.users.add", {})
    assert script.calls == 2


def test_backoff_is_capped_exponential_full_jitter() -> None:
    policy = RetryPolicy(backoff_initial=0.5, backoff_max=4)
    assert [policy.backoff(n, 1.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert policy.backoff(3, 0.0) == 0.0
    assert RetryPolicy(backoff_max=timedelta(seconds=3)).backoff_max == 3.0


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    http_date = email.utils.format_datetime(now + timedelta(seconds=5), usegmt=True)
    assert retry_after_seconds(httpx.Headers({"Retry-After": "2"})) == 2.0
    assert retry_after_seconds(httpx.Headers({"Retry-After": http_date}), now=now) == 5.0
    assert retry_after_seconds(httpx.Headers({"retry-after-ms": "1500"})) == 1.5
    assert retry_after_seconds(httpx.Headers({"Retry-After": "soon"})) is None
    assert retry_after_seconds(httpx.Headers()) is None


async def test_each_retry_is_logged(caplog) -> None:
    caplog.set_level(logging.WARNING, logger="simotel_async")
    script, sleeps = Script(503, 200), Sleeps()
    async with client(script, sleeps) as simotel:
        await simotel.request("reports.cdr.search", {})
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "retrying POST /api/v4/reports/cdr/search in 0.25s (attempt 1 of 4 failed: HTTP 503)"
    ]


async def test_client_counts_retries() -> None:
    responses = iter([httpx.Response(503, json={"success": 0}), envelope([])])
    async with AsyncSimotel(
        "https://pbx",
        api_key=KEY,
        transport=httpx.MockTransport(lambda _: next(responses)),
        retry=RetryPolicy(backoff_initial=0),
    ) as simotel:
        await simotel.request("pbx.users.search", {})
        assert simotel.retries == 1


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay
        await asyncio.sleep(0)


async def test_rate_limit_spaces_requests_by_the_rate() -> None:
    clock = FakeClock()
    starts: list[float] = []

    def handler(_: httpx.Request) -> httpx.Response:
        starts.append(clock.now)
        return envelope(None)

    limiter = RateLimitTransport(
        httpx.MockTransport(handler),
        RateLimit(requests_per_second=10, burst=2),
        clock=clock,
        sleep=clock.sleep,
    )
    async with httpx.AsyncClient(transport=limiter) as http:
        await asyncio.gather(*(http.get("https://pbx/") for _ in range(6)))
    assert starts[:2] == [0.0, 0.0]  # the burst
    gaps = [round(b - a, 6) for a, b in itertools.pairwise(starts[1:])]
    assert gaps == [0.1, 0.1, 0.1, 0.1]
    assert len(starts) / (starts[-1] + 0.1) <= 10 + 2 / 0.5


async def test_rate_limit_caps_concurrency() -> None:
    in_flight = peak = 0
    release = asyncio.Event()

    class Slow(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await release.wait()
            in_flight -= 1
            return envelope(None)

    limiter = RateLimitTransport(Slow(), RateLimit(max_concurrency=3))
    async with httpx.AsyncClient(transport=limiter) as http:
        tasks = [asyncio.create_task(http.get("https://pbx/")) for _ in range(10)]
        for _ in range(20):
            await asyncio.sleep(0)
        assert in_flight == 3
        release.set()
        await asyncio.gather(*tasks)
    assert peak == 3


async def test_429_pauses_the_whole_bucket() -> None:
    clock = FakeClock()
    starts: list[float] = []
    first = True

    def handler(_: httpx.Request) -> httpx.Response:
        nonlocal first
        starts.append(clock.now)
        if first:
            first = False
            return httpx.Response(429, headers={"Retry-After": "5"}, json={"success": 0})
        return envelope(None)

    limiter = RateLimitTransport(
        httpx.MockTransport(handler),
        RateLimit(requests_per_second=100),
        clock=clock,
        sleep=clock.sleep,
    )
    async with httpx.AsyncClient(transport=limiter) as http:
        assert (await http.get("https://pbx/")).status_code == 429
        await asyncio.gather(*(http.get("https://pbx/") for _ in range(3)))
    assert starts[0] == 0.0
    assert all(start >= 5.0 for start in starts[1:])


def test_rate_limit_validates() -> None:
    with pytest.raises(ValueError, match="requests_per_second must be positive"):
        RateLimit(requests_per_second=0)


async def test_every_retry_passes_the_limiter() -> None:
    clock = FakeClock()
    script = Script(503, 503, 200)
    limiter = RateLimitTransport(
        httpx.MockTransport(script),
        RateLimit(requests_per_second=1, burst=1),
        clock=clock,
        sleep=clock.sleep,
    )
    retry = RetryTransport(limiter, RetryPolicy(backoff_initial=0), sleep=clock.sleep)
    async with AsyncSimotel("https://pbx", api_key=KEY, transport=retry, retry=None) as simotel:
        await simotel.request("reports.cdr.search", {})
    assert script.calls == 3
    assert clock.now == pytest.approx(2.0)


async def _slow_http_server(release: asyncio.Event) -> tuple[asyncio.Server, int]:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                await release.wait()
                body = b'{"success": 1, "message": "", "data": null}'
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_cancelling_queued_requests_leaves_the_pool_usable(backend) -> None:
    release = asyncio.Event()
    server, port = await _slow_http_server(release)
    limits = httpx.Limits(max_connections=5, max_keepalive_connections=5)
    async with (
        server,
        AsyncSimotel(
            f"http://127.0.0.1:{port}", api_key=KEY, limits=limits, timeout=5, backend=backend
        ) as simotel,
    ):
        running = [asyncio.create_task(simotel.ping()) for _ in range(5)]
        queued = [asyncio.create_task(simotel.ping()) for _ in range(10)]
        while simotel.pool.permits_in_use < 5:
            await asyncio.sleep(0.01)
        for task in queued:
            task.cancel()
        await asyncio.gather(*queued, return_exceptions=True)
        release.set()
        await asyncio.gather(*running)
        assert simotel.pool.permits_in_use == 0
        await asyncio.wait_for(simotel.ping(), timeout=5)
        status = simotel.pool
        assert (status.calls_in_flight, status.permits_in_use, status.connections_in_use) == (
            0,
            0,
            0,
        )


# --- issue 10 and 12: caps, deadlines, provably unsent requests, TLS -----------------------


async def test_a_huge_retry_after_pauses_the_bucket_at_most_the_cap() -> None:
    clock = FakeClock()
    limiter = RateLimitTransport(
        httpx.MockTransport(
            lambda _: httpx.Response(429, headers={"Retry-After": "86400"}, json={"success": 0})
        ),
        RateLimit(requests_per_second=100),
        retry_after_max=60,
        clock=clock,
        sleep=clock.sleep,
    )
    async with httpx.AsyncClient(transport=limiter) as http:
        await http.get("https://pbx/")
    assert limiter._paused_until - clock.now == 60


async def test_a_429_above_the_cap_raises_at_once_and_other_calls_go_on() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/add"):
            return httpx.Response(429, headers={"Retry-After": "86400"}, json={"success": 0})
        return envelope(None)

    async with AsyncSimotel(
        "https://pbx",
        api_key=KEY,
        transport=httpx.MockTransport(answer),
        rate_limit=RateLimit(max_concurrency=2),
        retry=RetryPolicy(retry_after_max=0.05),
    ) as simotel:
        with pytest.raises(RateLimitedError) as info:
            await simotel.request("pbx.users.add", {})
        assert info.value.retry_after == 86400
        await asyncio.wait_for(simotel.ping(), timeout=5)


def test_keep_alive_expiry_is_below_five_seconds() -> None:
    from simotel_async._client import DEFAULT_LIMITS

    assert DEFAULT_LIMITS.keepalive_expiry is not None and DEFAULT_LIMITS.keepalive_expiry < 5


class Traced(httpx.AsyncBaseTransport):
    """Reports httpcore's trace events, then fails, as a pooled connection would."""

    def __init__(self, *events: str, then: Exception) -> None:
        self.events = events
        self.then = then
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.calls > 1:
            return envelope({"ok": 1})
        trace = request.extensions["trace"]
        for event in self.events:
            await trace(event, {})
        raise self.then


async def test_a_first_write_that_failed_is_retried_even_for_originate() -> None:
    # A connection the peer closed: the header write fails whole, httpcore then reads EOF.
    inner = Traced(
        "connection.connect_tcp.complete",
        "http11.send_request_headers.started",
        "http11.send_request_headers.failed",
        "http11.receive_response_headers.started",
        then=httpx.RemoteProtocolError("Server disconnected without sending a response."),
    )
    async with AsyncSimotel(
        "https://pbx", api_key=KEY, transport=inner, retry=RetryPolicy(backoff_initial=0)
    ) as simotel:
        assert await simotel.request("call.originate", {}) == {"ok": 1}
    assert inner.calls == 2


async def test_a_failure_after_the_headers_went_out_is_not_retried_for_originate() -> None:
    inner = Traced(
        "http11.send_request_headers.started",
        "http11.send_request_headers.complete",
        "http11.receive_response_headers.started",
        then=httpx.RemoteProtocolError("Server disconnected without sending a response."),
    )
    async with AsyncSimotel(
        "https://pbx", api_key=KEY, transport=inner, retry=RetryPolicy(backoff_initial=0)
    ) as simotel:
        with pytest.raises(SimotelConnectionError) as info:
            await simotel.request("call.originate", {})
    assert inner.calls == 1
    assert info.value.outcome_unknown
    assert "Server disconnected" in str(info.value)
    assert "the server may have placed the call; check before retrying" in str(info.value)


async def test_tls_failures_are_not_retried() -> None:
    calls = 0

    class WrongProtocol(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal calls
            calls += 1
            try:
                raise ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")
            except ssl.SSLError as exc:
                raise httpx.ConnectError(str(exc)) from exc

    async with AsyncSimotel(
        "https://pbx", api_key=KEY, transport=WrongProtocol(), retry=RetryPolicy(backoff_initial=0)
    ) as simotel:
        with pytest.raises(SimotelConnectionError, match="speaks plain HTTP: use http://"):
            await simotel.ping()
    assert calls == 1


async def test_no_retry_sleeps_past_the_deadline() -> None:
    import anyio

    script, sleeps = Script(503, 200), Sleeps()
    transport = RetryTransport(
        httpx.MockTransport(script), RetryPolicy(backoff_initial=10), sleep=sleeps, rand=lambda: 1
    )
    request = httpx.Request(
        "POST",
        "https://pbx/",
        extensions={"simotel_idempotent": True, "simotel_deadline": anyio.current_time() + 5},
    )
    response = await transport.handle_async_request(request)
    assert (response.status_code, script.calls, sleeps.delays) == (503, 1, [])


async def test_nothing_is_retried_after_the_transport_is_closed() -> None:
    script = Script(503, 200)
    transport: RetryTransport

    async def close_while_sleeping(delay: float) -> None:
        await transport.aclose()

    transport = RetryTransport(
        httpx.MockTransport(script), RetryPolicy(), sleep=close_while_sleeping
    )
    request = httpx.Request("POST", "https://pbx/", extensions={"simotel_idempotent": True})
    with pytest.raises(ClientClosedError):
        await transport.handle_async_request(request)
    assert script.calls == 1
