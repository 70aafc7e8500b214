"""Hostile HTTP from a raw socket: every call ends within deadline + 1 s, memory stays bounded,
only SDK errors escape, and each error says what happened."""

from __future__ import annotations

import time
from typing import Any

import pytest

from simotel_async import (
    AsyncSimotel,
    RetryPolicy,
    ServerError,
    SimotelConnectionError,
    SimotelError,
    SimotelResponseError,
    SimotelTimeoutError,
)
from tests.reliability import hostile_server as hostile
from tests.reliability.hostile_server import HostileServer

DEADLINE = 2.0
FAST_RETRY = RetryPolicy(backoff_initial=0.01, backoff_max=0.05)
SEARCH = ("reports.cdr.search", {"alike": "true", "conditions": {}})


def client(url: str, **options: Any) -> AsyncSimotel:
    options.setdefault("deadline", DEADLINE)
    options.setdefault("retry", FAST_RETRY)
    return AsyncSimotel(url, api_key="KEY-hostile-1234", **options)


CASES = [
    (hostile.drip_headers, SimotelTimeoutError, "deadline of 2 s"),
    (hostile.drip_body, SimotelTimeoutError, "deadline of 2 s"),
    (hostile.hang, SimotelTimeoutError, "deadline of 2 s"),
    (hostile.flood, SimotelResponseError, "larger than max_response_bytes=67108864"),
    (hostile.flood_unannounced, SimotelResponseError, "larger than max_response_bytes=67108864"),
    (hostile.gzip_bomb, SimotelResponseError, "larger than max_response_bytes=67108864"),
    (hostile.error_page, ServerError, "HTTP 502: Bad gateway x"),
    (hostile.truncated, SimotelConnectionError, "the reply was cut off"),
    (hostile.broken_json, SimotelResponseError, "cut off or is broken JSON"),
    (hostile.redirect_loop, SimotelResponseError, "does not follow redirects"),
    (hostile.garbage, SimotelConnectionError, "before a complete answer"),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("behaviour", "error", "says"), CASES, ids=[case[0].__name__ for case in CASES]
)
async def test_hostile_answer(behaviour, error, says, peak_rss, backend) -> None:
    async with HostileServer(behaviour) as server, client(server.url, backend=backend) as simotel:
        started = time.monotonic()
        with peak_rss() as peak, pytest.raises(SimotelError) as info:
            await simotel.request(*SEARCH)
        took = time.monotonic() - started
    print(f"{behaviour.__name__}: {took:.2f} s, peak RSS +{peak.growth_mb:.0f} MB: {info.value}")
    assert isinstance(info.value, error)
    assert says in str(info.value)
    assert took < DEADLINE + 1
    assert peak.growth_mb < 100
    assert not info.value.outcome_unknown
    assert simotel.pool.calls_in_flight == 0


async def test_a_cut_off_search_is_retried_and_says_so(backend) -> None:
    async with (
        HostileServer(hostile.truncated) as server,
        client(server.url, backend=backend) as simotel,
    ):
        with pytest.raises(SimotelConnectionError, match="the reply was cut off") as info:
            await simotel.request(*SEARCH)
    assert server.requests == 4
    assert "could not reach the server" not in str(info.value)


async def test_broken_json_of_a_search_is_retried(backend) -> None:
    async with (
        HostileServer(hostile.broken_json) as server,
        client(server.url, backend=backend) as simotel,
    ):
        with pytest.raises(SimotelResponseError):
            await simotel.request(*SEARCH)
    assert server.requests == 4


@pytest.mark.parametrize("behaviour", [hostile.truncated, hostile.broken_json, hostile.hang])
async def test_an_unsafe_call_is_sent_once_and_its_outcome_is_unknown(behaviour, backend) -> None:
    async with (
        HostileServer(behaviour) as server,
        client(server.url, backend=backend, deadline=0.5) as simotel,
    ):
        with pytest.raises(SimotelError) as info:
            await simotel.request("call.originate", {"caller": "101", "callee": "102"})
    assert server.requests == 1
    assert info.value.outcome_unknown
    assert info.value.endpoint == "call.originate"
    assert "the server may have placed the call; check before retrying" in str(info.value)


async def test_the_deadline_covers_retries_and_backoff(backend) -> None:
    slow = RetryPolicy(attempts=10, backoff_initial=5, backoff_max=5)
    async with (
        HostileServer(hostile.truncated) as server,
        client(server.url, backend=backend, retry=slow) as simotel,
    ):
        started = time.monotonic()
        # The first attempt is cut off; its retry would sleep past the deadline, so the
        # call ends there (or, when the cut reaches the client late, at the deadline).
        with pytest.raises(
            SimotelConnectionError, match="the reply was cut off|within the deadline of"
        ):
            await simotel.request(*SEARCH)
        took = time.monotonic() - started
    assert took < DEADLINE + 1
    assert server.requests < 10, "no retry sleeps past the deadline"


async def test_no_deadline_means_none(monkeypatch, backend) -> None:
    async with (
        HostileServer(hostile.ok) as server,
        client(server.url, backend=backend, deadline=None) as simotel,
    ):
        assert simotel.deadline is None
        assert await simotel.request(*SEARCH) == {"ok": 1}


async def test_an_error_page_is_read_only_up_to_its_cap(backend) -> None:
    async with (
        HostileServer(hostile.error_page) as server,
        client(server.url, backend=backend, retry=None) as simotel,
    ):
        with pytest.raises(ServerError) as info:
            await simotel.request(*SEARCH)
    assert info.value.response is not None
    assert len(info.value.response.content) == 64 * 1024


async def test_a_small_max_response_bytes_names_the_limit(backend) -> None:
    async with (
        HostileServer(hostile.ok) as server,
        client(server.url, backend=backend, max_response_bytes=10) as simotel,
    ):
        with pytest.raises(SimotelResponseError, match="max_response_bytes=10 ") as info:
            await simotel.request(*SEARCH)
    assert "raise max_response_bytes=" in str(info.value)
    assert server.requests == 1, "a reply too large is not retried"
