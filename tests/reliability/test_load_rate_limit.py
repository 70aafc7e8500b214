"""Load: 200 tasks x 5 calls through RateLimit(max_concurrency=10) against a server that
answers 429 to anything above 10 requests in flight."""

from __future__ import annotations

import asyncio
import time

import pytest

from simotel_async import AsyncSimotel, RateLimit, RetryPolicy
from tests.reliability.hostile_server import ENVELOPE, HostileServer, head, json_reply

CAP = 10


class Strict:
    """Answers after 2 ms, or 429 when more than ``CAP`` requests are in flight."""

    def __init__(self) -> None:
        self.in_flight = self.peak = self.refused = self.served = 0

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if self.in_flight > CAP:
                self.refused += 1
                writer.write(
                    json_reply(429, {"success": 0, "message": "Too many"}, extra="Retry-After: 1")
                )
                return
            await asyncio.sleep(0.002)
            self.served += 1
            writer.write(head(length=len(ENVELOPE)) + ENVELOPE)
            await writer.drain()
        finally:
            self.in_flight -= 1


@pytest.mark.slow
async def test_no_429_reaches_the_caller_and_the_cap_holds(backend) -> None:
    server_side = Strict()
    async with (
        HostileServer(server_side, keep_alive=True) as server,
        AsyncSimotel(
            server.url,
            api_key="KEY-load-1234",
            rate_limit=RateLimit(max_concurrency=CAP),
            retry=RetryPolicy(attempts=1),
            backend=backend,
        ) as simotel,
    ):
        peak_slots = 0

        async def worker() -> None:
            nonlocal peak_slots
            for _ in range(5):
                assert await simotel.request("pbx.users.add", {}) == {"ok": 1}
                peak_slots = max(peak_slots, simotel.pool.slots_in_use)

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(200)))
        took = time.monotonic() - started
    print(
        f"1000 calls in {took:.2f} s, server peak in flight {server_side.peak}, "
        f"429s sent {server_side.refused}, connections {server.connections}"
    )
    assert server_side.served == 1000
    assert server_side.refused == 0
    assert server_side.peak <= CAP
    assert peak_slots <= CAP
