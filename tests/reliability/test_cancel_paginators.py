"""Cancelling 100 paginators mid-walk over real HTTP (FakeSimotel under uvicorn on 127.0.0.1).

One client, 100 walks with page requests in flight (some paused by their consumer, some
waiting on the server, a few stuck on a hanging or dripping answer), all cancelled at
once: no task is left, ``simotel.pool`` shows no call, permit or connection in use, and
no file descriptor stays open once the client is closed.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from simotel_async import AsyncCursor, AsyncPaginator, AsyncSimotel, PoolStatus, RetryPolicy
from simotel_async.models import Cdr
from simotel_async.testing import FakeSimotel
from tests.reliability.fake_server import FakeServer, SeededFaults

WALKS = 100
PERIOD = {"date_from": date(2000, 1, 1), "date_to": date(2030, 1, 1)}
#: Requests that will not answer in time: cancelled while the server holds them.
STUCK = (
    ("hang_before", {"kind": "hang_before"}),
    ("hang_after", {"kind": "hang_after"}),
    ("drip", {"kind": "drip", "interval": 0.5}),
)


@pytest.fixture(scope="module")
def fake() -> FakeSimotel:
    fake = FakeSimotel(seed=11, cdr=2_000)
    fake.latency = 0.002
    return fake


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.fixture(autouse=True)
def disarmed(fake: FakeSimotel) -> Iterator[None]:
    fake.clear_faults()
    yield
    fake.clear_faults()


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def other_tasks() -> set[asyncio.Task[Any]]:
    return asyncio.all_tasks() - {asyncio.current_task()}  # type: ignore[arg-type]


async def until(condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


def idle(status: PoolStatus) -> bool:
    return (status.calls_in_flight, status.permits_in_use, status.connections_in_use) == (0, 0, 0)


Walk = Callable[[AsyncSimotel], Any]


async def cancel_mid_walk(
    server: FakeServer,
    fake: FakeSimotel,
    walk: Walk,
    seed: int,
    record_property: Any,
    backend: str = "httpx",
) -> None:
    rng = random.Random(seed)
    faults = SeededFaults(fake, rate=0.0, seed=seed, mix=STUCK)
    url = server.mount(faults)
    before_fds = open_fds()
    reached = 0
    got: list[int] = [0] * WALKS
    hold = asyncio.Event()  # never set: paused consumers stay paused until cancelled
    retry = RetryPolicy(attempts=3, backoff_initial=0, backoff_max=0)
    started = time.perf_counter()
    async with AsyncSimotel(
        url,
        username="api",
        password="secret",
        retry=retry,
        backend=backend,  # type: ignore[arg-type]
    ) as simotel:

        async def records(index: int, target: int, pause: bool, walker: Any) -> None:
            nonlocal reached
            async for _ in walker:
                got[index] += 1
                if got[index] == target:
                    reached += 1
                    if pause:
                        await hold.wait()

        async def consume(index: int, target: int, pause: bool) -> None:
            walker = walk(simotel)
            if index % 4 < 2:
                async with walker:  # as documented: closed at once on the way out
                    await records(index, target, pause, walker)
            else:  # closed when the abandoned iterator is finalized
                await records(index, target, pause, walker)

        # Half the consumers pause after some records (their page requests stay in
        # flight); the others keep walking and are cancelled inside a request.
        tasks = [
            asyncio.create_task(consume(i, rng.randint(1, 30), pause=i % 2 == 0))
            for i in range(WALKS)
        ]
        assert await until(lambda: reached == WALKS, 30), f"only {reached} walks started"
        # Now some requests get stuck on the server: cancelled while it holds them.
        faults.rate = 0.3
        assert await until(lambda: faults.total >= 5, 10), "no request got stuck"
        busy = simotel.pool
        for task in tasks:
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        cancelled_at = time.perf_counter() - started
        assert all(isinstance(r, asyncio.CancelledError) for r in results), [
            r for r in results if not isinstance(r, asyncio.CancelledError)
        ][:3]
        settled = await until(lambda: idle(simotel.pool), 1.0)
        after = simotel.pool
        # Abandoned walkers are closed by asyncio's async-generator finalizer, in tasks
        # of their own that run just after the cancel: give them a moment to finish.
        await until(lambda: not other_tasks(), 1.0)
        leftover = other_tasks()
    closed = simotel.pool
    fds_back = await until(lambda: open_fds() <= before_fds)
    figures = {
        "walks": WALKS,
        "records_before_cancel": sum(got),
        "requests": faults.requests,
        "stuck_requests": faults.total,
        "pool_at_cancel": f"{busy.calls_in_flight} calls/{busy.permits_in_use} permits/"
        f"{busy.connections_in_use} connections",
        "seconds_to_cancel": round(cancelled_at, 2),
        "fds": f"{before_fds} before, {open_fds()} after",
    }
    for key, value in figures.items():
        record_property(key, value)
    print("\n" + ", ".join(f"{k}={v}" for k, v in figures.items()))
    assert busy.calls_in_flight > 0 and busy.connections_in_use, "cancelled while busy"
    assert after.calls_in_flight == after.permits_in_use == 0, after
    assert leftover == set(), leftover
    assert closed.connections == 0
    assert fds_back, f"{open_fds()} fds open, {before_fds} before"
    assert settled, f"after cancelling: {after}"


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1])
async def test_cancelling_100_search_paginators_mid_walk_leaves_nothing(
    server: FakeServer, fake: FakeSimotel, seed: int, record_property: Any, backend: str
) -> None:
    def walk(simotel: AsyncSimotel) -> AsyncPaginator[Cdr]:
        return simotel.reports.cdr.search(**PERIOD, page_size=20, concurrency=8)

    await cancel_mid_walk(server, fake, walk, seed, record_property, backend)


@pytest.mark.slow
async def test_cancelling_100_cursors_mid_walk_leaves_nothing(
    server: FakeServer, fake: FakeSimotel, record_property: Any, backend: str
) -> None:
    def walk(simotel: AsyncSimotel) -> AsyncCursor[Cdr]:
        return simotel.reports.cdr.ordered()

    await cancel_mid_walk(server, fake, walk, 3, record_property, backend)


async def test_a_call_cancelled_at_any_step_leaks_no_connection(
    server: FakeServer, fake: FakeSimotel, record_property: Any, backend: str
) -> None:
    """Cancel a ping after 0, 1, 2... loop iterations: each step of a call is cancelled
    once, the close of its response included. (On httpx this once leaked a connection
    per cancellation landing in httpcore's cleanup: a plain task.cancel() is not covered
    by its shield; the client now turns it into an anyio scope cancellation.)"""
    url = server.mount(fake.asgi_app)
    async with AsyncSimotel(
        url,
        username="api",
        password="secret",
        backend=backend,  # type: ignore[arg-type]
    ) as simotel:
        await simotel.ping()
        leaked_at = []
        for step in range(3 * 40):
            task = asyncio.create_task(simotel.ping())
            for _ in range(step % 40):
                await asyncio.sleep(0)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await until(lambda: idle(simotel.pool), 0.2)
            if simotel.pool.connections_in_use:
                leaked_at.append(step)
                break
        status = simotel.pool
    record_property("leaked_at_steps", leaked_at)
    print(f"\ncancelled pings at steps 0-39 (x3): first leak at {leaked_at}, pool {status}")
    assert status.connections_in_use == 0, f"leaked at steps {leaked_at}: {status}"
