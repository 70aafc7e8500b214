"""Cancellation and aclose(): nothing is left behind, nothing is retried after close."""

from __future__ import annotations

import asyncio
import os

import pytest

from simotel_async import AsyncSimotel, ClientClosedError, RetryPolicy
from tests.reliability import hostile_server as hostile
from tests.reliability.hostile_server import HostileServer

SEARCH = ("reports.cdr.search", {"alike": "true", "conditions": {}})


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def other_tasks() -> set[asyncio.Task[object]]:
    return asyncio.all_tasks() - {asyncio.current_task()}  # type: ignore[arg-type]


async def settle(simotel: AsyncSimotel) -> None:
    for _ in range(50):
        if simotel.pool.connections_in_use == 0:
            return
        await asyncio.sleep(0.01)


@pytest.mark.slow
async def test_cancelling_1000_in_flight_requests_leaves_nothing(backend) -> None:
    async with HostileServer(hostile.hang) as server:
        before = open_fds()
        async with AsyncSimotel(server.url, api_key="KEY-cancel-1234", backend=backend) as simotel:
            tasks = [asyncio.create_task(simotel.request(*SEARCH)) for _ in range(1000)]
            while server.requests < 20:
                await asyncio.sleep(0.01)
            status = simotel.pool
            assert (status.calls_in_flight, status.permits_in_use) == (1000, 20)
            for task in tasks:
                task.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
            assert all(isinstance(r, asyncio.CancelledError) for r in results)
            await settle(simotel)
            status = simotel.pool
            print(f"after cancelling 1000: {status}")
            assert status.calls_in_flight == 0
            assert status.permits_in_use == 0
            assert status.connections_in_use == 0
            assert other_tasks() <= server_tasks()
        assert simotel.pool.connections == 0
    assert open_fds() <= before


def server_tasks() -> set[asyncio.Task[object]]:
    return {t for t in asyncio.all_tasks() if "HostileServer" in repr(t.get_coro())}


@pytest.mark.parametrize("endpoint", ["reports.cdr.search", "call.originate"])
async def test_aclose_during_load_fails_every_call_and_retries_nothing(endpoint, backend) -> None:
    async with HostileServer(hostile.hang) as server:
        before = open_fds()
        simotel = AsyncSimotel(
            server.url,
            api_key="KEY-close-1234",
            retry=RetryPolicy(backoff_initial=0),
            backend=backend,
        )
        tasks = [asyncio.create_task(simotel.request(endpoint, {})) for _ in range(40)]
        while server.requests < 20:
            await asyncio.sleep(0.01)
        await simotel.aclose()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        sent = server.requests
        await asyncio.sleep(0.2)
        assert server.requests == sent == 20, "nothing is sent or retried after close"
        assert all(isinstance(r, ClientClosedError) for r in results), results[:3]
        unsafe = endpoint == "call.originate"
        reached = [r for r in results if isinstance(r, ClientClosedError) and r.outcome_unknown]
        assert len(reached) == (20 if unsafe else 0)
        assert "client was closed while this call was in flight" in str(results[0])
        status = simotel.pool
        assert (status.calls_in_flight, status.permits_in_use, status.connections) == (0, 0, 0)
        assert other_tasks() <= server_tasks()
    assert open_fds() <= before


async def test_aclose_closes_an_open_stream(backend) -> None:
    async with HostileServer(hostile.drip_file) as server:
        simotel = AsyncSimotel(server.url, api_key="KEY-close-1234", backend=backend)
        async with simotel.stream("reports.audio.download", {"file": "a.wav"}) as response:
            assert simotel.pool.calls_in_flight == 1
            await simotel.aclose()
            assert response.is_closed
        assert simotel.pool.connections == 0
