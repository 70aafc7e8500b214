"""Per-request overhead: client CPU of one-page searches against raw HTTP + ``json.loads``.

Sends ``--requests`` one-page CDR searches (``--page-size`` records each, offsets
cycling over the report) per client and concurrency, in ``--repeat`` alternating runs
(the order rotates every run), to FakeSimotel under uvicorn on 127.0.0.1 (a separate
process, no added latency), from ``c`` workers at once for each ``--concurrency``,
and measures this process's CPU time (``time.process_time()``; the server is another
process) per request, with these clients:

- **typed search**: ``simotel.reports.cdr.search(..., page_size=20, limit=20)``, its
  page decoded into ``Cdr`` records (a paginator that sends one request);
- **``request()``**: ``simotel.request("reports.cdr.search", body)``, the envelope's
  ``data`` as parsed JSON, no models;
- both again with ``backend="aiohttp"`` (the
  ``[speed]`` backend), when installed;
- **raw httpx + json** / **raw aiohttp + json**: ``client.post(...)`` then
  ``json.loads`` of the body: no envelope checks, no retries, no deadline.

Every client is built, and one request sent, before its clock starts::

    python benchmarks/overhead.py
    python benchmarks/overhead.py --requests 1000 --concurrency 20 --repeat 5
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import (  # noqa: E402
    AUTH,
    FILTERS,
    FROM,
    PATH,
    SEARCH,
    TO,
    basic_auth,
    fake_simotel,
    header,
    ratio,
    rotated,
    server_cpu,
    spread,
)

from simotel_async import AsyncSimotel  # noqa: E402

try:
    import aiohttp
except ImportError:  # pragma: no cover - optional
    aiohttp = None  # type: ignore[assignment]
try:
    import httpx_aiohttp
except ImportError:  # pragma: no cover - optional
    httpx_aiohttp = None  # type: ignore[assignment]

RECORDS = 2_000

Send = Callable[[int], Awaitable[int]]
"""``send(start)``: one search at offset ``start``; returns the records it got."""
Client = Callable[[str, int, int], Any]
"""``client(url, concurrency, page_size)``: an async context manager yielding a ``Send``."""


def body(start: int, count: int) -> dict[str, Any]:
    return {**FILTERS, "pagination": {"start": start, "count": count, "sorting": {}}}


@asynccontextmanager
async def simotel_client(url: str, backend: str) -> AsyncIterator[AsyncSimotel]:
    async with AsyncSimotel(
        url,
        username=AUTH[0],
        password=AUTH[1],
        backend=backend,  # type: ignore[arg-type]
    ) as simotel:
        yield simotel


def typed(backend: str) -> Client:
    @asynccontextmanager
    async def client(url: str, concurrency: int, page_size: int) -> AsyncIterator[Send]:
        async with simotel_client(url, backend) as simotel:
            search = simotel.reports.cdr.search

            async def send(start: int) -> int:
                records = await search(
                    date_from=FROM, date_to=TO, page_size=page_size, limit=page_size, start=start
                ).to_list()
                return len(records)

            yield send

    return client


def untyped(backend: str) -> Client:
    @asynccontextmanager
    async def client(url: str, concurrency: int, page_size: int) -> AsyncIterator[Send]:
        async with simotel_client(url, backend) as simotel:

            async def send(start: int) -> int:
                data = await simotel.request(SEARCH, body(start, page_size))
                return len(data["data"])

            yield send

    return client


@asynccontextmanager
async def raw_httpx(url: str, concurrency: int, page_size: int) -> AsyncIterator[Send]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, auth=AUTH, limits=limits) as client:

        async def send(start: int) -> int:
            response = await client.post(PATH, json=body(start, page_size))
            response.raise_for_status()
            return len(json.loads(response.content)["data"]["data"])

        yield send


@asynccontextmanager
async def raw_aiohttp(url: str, concurrency: int, page_size: int) -> AsyncIterator[Send]:
    connector = aiohttp.TCPConnector(limit=concurrency)
    headers = {"Authorization": basic_auth(*AUTH)}
    async with aiohttp.ClientSession(url, connector=connector, headers=headers) as session:

        async def send(start: int) -> int:
            async with session.post(PATH, json=body(start, page_size)) as response:
                response.raise_for_status()
                return len(json.loads(await response.read())["data"]["data"])

        yield send


def clients() -> dict[str, Client]:
    found: dict[str, Client] = {"typed search (httpx)": typed("httpx")}
    found["`request()` (httpx)"] = untyped("httpx")
    found["raw httpx + json"] = raw_httpx
    if httpx_aiohttp is not None:
        found["typed search (aiohttp backend)"] = typed("aiohttp")
        found["`request()` (aiohttp backend)"] = untyped("aiohttp")
    if aiohttp is not None:
        found["raw aiohttp + json"] = raw_aiohttp
    return found


async def measure(
    client: Client, url: str, concurrency: int, requests: int, page_size: int
) -> tuple[float, float, float]:
    """(client CPU, wall, server CPU) seconds of ``requests`` searches by ``concurrency``."""
    pages = RECORDS // page_size
    async with client(url, concurrency, page_size) as send:
        await asyncio.gather(*(send(0) for _ in range(concurrency)))  # open the connections
        next_request = iter(range(requests))

        async def worker() -> int:
            got = 0
            for number in next_request:
                got += await send(number % pages * page_size)
            return got

        gc.collect()
        served = server_cpu(url)
        cpu, started = time.process_time(), time.perf_counter()
        got = sum(await asyncio.gather(*(worker() for _ in range(concurrency))))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        served = server_cpu(url) - served
    if got != requests * page_size:
        raise RuntimeError(f"got {got} records, expected {requests * page_size}")
    return cpu, wall, served


async def main(args: argparse.Namespace) -> None:
    runs = clients()
    per_run = args.requests // args.repeat
    results: dict[int, dict[str, tuple[list[float], list[float], list[float]]]] = {}
    with fake_simotel(cdr=RECORDS, latency=0) as url:
        # Warm-up: the fake caches the query and every record's JSON on first use.
        async with raw_httpx(url, 1, args.page_size) as send:
            for start in range(0, RECORDS, args.page_size):
                await send(start)
        for concurrency in args.concurrency:
            level = results[concurrency] = {name: ([], [], []) for name in runs}
            for turn in range(args.repeat):
                for name in rotated(list(runs), turn):
                    measured = await measure(runs[name], url, concurrency, per_run, args.page_size)
                    for values, value in zip(level[name], measured, strict=True):
                        values.append(value)

    print(header("Per-request overhead", "httpx", "httpx-aiohttp", "aiohttp", "orjson"))
    print(
        f"\nFakeSimotel under uvicorn (separate process), no added latency: "
        f"{args.requests:,} one-page searches of {args.page_size} CDRs per client and c, "
        f"from c workers, in {args.repeat} alternating runs of {per_run:,}; median "
        f"[min-max] of client CPU (`time.process_time()` of this process) per request.\n"
    )
    print(
        "| c | client | client CPU (ms/request) | / raw httpx + json | / raw aiohttp + json "
        "| wall (ms/request) | server CPU (ms/request) |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|")
    scale = 1000 / per_run
    for concurrency, level in results.items():
        httpx_base = level["raw httpx + json"][0]
        aiohttp_base = level.get("raw aiohttp + json", ([], [], []))[0]
        for name, (cpus, walls, served) in level.items():
            print(
                f"| {concurrency} | {name} | {spread(cpus, scale, 3)} | {ratio(cpus, httpx_base)} "
                f"| {ratio(cpus, aiohttp_base) if aiohttp_base else '-'} "
                f"| {statistics.median(walls) * scale:.3f} "
                f"| {statistics.median(served) * scale:.3f} |"
            )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3_000, help="per client and c")
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs per client")
    return parser


if __name__ == "__main__":
    asyncio.run(main(_parser().parse_args()))
