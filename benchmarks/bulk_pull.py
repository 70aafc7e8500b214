"""Bulk pull: the SDK against the latency-bound ideal and every alternative, in one run.

Pulls ``--records`` CDRs, ``--page-size`` per page, from a server on 127.0.0.1 in a
separate process that adds ``--latency`` seconds to every request, at each
``--concurrency``, with these clients, alternating (the order rotates every repeat),
``--repeat`` times each:

- **SDK**: ``simotel.reports.cdr.search(..., concurrency=c)``, every record decoded into
  a ``Cdr``, over the default httpx pool;
- **SDK + aiohttp**: the same with ``backend="aiohttp"`` (``httpx_aiohttp`` under the
  SDK's retry, rate-limit and gate stack; the ``[speed]``
  backend), when ``httpx-aiohttp`` is installed;
- **raw httpx** / **raw aiohttp**: a hand-written loop, first page alone (it gives the
  total), then the rest under a semaphore of ``c``; ``json.loads`` of each body, no
  models, no retries;
- **simotel-connect** 1.0.6 (``requests``), when installed: sequentially at ``c = 1``,
  in a thread pool of ``c`` threads (one client per thread) above; its debug printing
  of a curl line per request is turned off.

The ideal is ``pages * latency / c``. Client CPU is ``time.process_time()`` of this
process (the server is another one). Servers (``--server``):

- ``fake`` (default): ``python -m simotel_async.testing`` under uvicorn, FakeSimotel
  building every page (about 110 KB of JSON per 100 CDRs) per request;
- ``static``: the same records, each page encoded once and replayed, so the time left
  over latency is the client's (and uvicorn's);
- ``slim``: replayed pages of 5-field records (about 10 KB a page), so that what is
  left is mostly the paginator's scheduling::

    python benchmarks/bulk_pull.py
    python benchmarks/bulk_pull.py --server static --concurrency 8 16 --repeat 5
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import gc
import json
import math
import statistics
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
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
    free_port,
    header,
    ratio,
    rotated,
    serve,
    server_cpu,
    spread,
)

from simotel_async import AsyncSimotel  # noqa: E402
from simotel_async._pagination import AsyncPaginator  # noqa: E402

try:
    import aiohttp
except ImportError:  # pragma: no cover - optional
    aiohttp = None  # type: ignore[assignment]
try:
    import httpx_aiohttp
except ImportError:  # pragma: no cover - optional
    httpx_aiohttp = None  # type: ignore[assignment]
try:
    import simotel_connect
except ImportError:  # pragma: no cover - optional
    simotel_connect = None  # type: ignore[assignment]


Run = Callable[[str, int, int], Awaitable[int]]
"""``run(url, concurrency, page_size)``: pull every record, return how many."""


class StaticPages:
    """An ASGI app replaying CDR search pages, each encoded once, after ``latency``."""

    def __init__(self, records: list[Any], latency: float) -> None:
        self.records = records
        self.latency = latency
        self.encoded: dict[tuple[int, int], bytes] = {}

    def page(self, start: int, count: int) -> bytes:
        if (start, count) not in self.encoded:
            pagination = {"start": start, "count": count, "sorting": {}}
            data = {
                "pagination": {**pagination, "total": len(self.records)},
                "data": self.records[start : start + count],
            }
            envelope = {"success": 1, "message": "", "data": data}
            self.encoded[start, count] = json.dumps(envelope).encode()
        return self.encoded[start, count]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        await asyncio.sleep(self.latency)
        pagination = (json.loads(raw) if raw else {}).get("pagination", {})
        body = self.page(pagination.get("start", 0), pagination.get("count", 20))
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def serve_static(port: int, records: int, latency: float, *, slim: bool) -> None:
    """Serve CDR pages through :class:`StaticPages` (runs in a child process)."""
    import uvicorn

    from simotel_async.testing import FakeSimotel

    async def fetch_all() -> list[Any]:
        fake = FakeSimotel(cdr=records)
        async with AsyncSimotel(
            fake.url, username=AUTH[0], password=AUTH[1], transport=fake.transport()
        ) as simotel:
            return await AsyncPaginator(simotel, SEARCH, FILTERS, page_size=1000).to_list()

    if slim:
        rows = [
            {"_id": f"64b8{n:020x}", "src": "101", "dst": "09120000000", "billsec": n % 300}
            for n in range(records)
        ]
    else:
        rows = asyncio.run(fetch_all())
    app = StaticPages(rows, latency)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", lifespan="off")


def server(kind: str, records: int, latency: float) -> AbstractContextManager[str]:
    """The chosen server in a child process; yields its base URL."""
    if kind == "fake":
        return fake_simotel(cdr=records, latency=latency)
    port = free_port()
    args = ["--records", str(records), "--latency", str(latency), "--server", kind]
    return serve([__file__, "--serve-static", str(port), *args], port)


def page_body(start: int, count: int) -> dict[str, Any]:
    return {**FILTERS, "pagination": {"start": start, "count": count, "sorting": {}}}


# -- the clients -------------------------------------------------------------------------


def sdk(backend: str) -> Run:
    """The typed search on the default httpx pool or ``backend="aiohttp"``."""

    async def run(url: str, concurrency: int, page_size: int) -> int:
        async with AsyncSimotel(
            url,
            username=AUTH[0],
            password=AUTH[1],
            backend=backend,  # type: ignore[arg-type]
        ) as simotel:
            count = 0
            async with simotel.reports.cdr.search(
                date_from=FROM, date_to=TO, page_size=page_size, concurrency=concurrency
            ) as cdrs:
                async for _ in cdrs:
                    count += 1
            return count

    return run


async def sdk_raw(url: str, concurrency: int, page_size: int) -> int:
    """The paginator without models: raw dicts (what decoding costs, by difference)."""
    async with AsyncSimotel(url, username=AUTH[0], password=AUTH[1]) as simotel:
        paginator: AsyncPaginator[Any] = AsyncPaginator(
            simotel, SEARCH, FILTERS, page_size=page_size, concurrency=concurrency
        )
        count = 0
        async with paginator:
            async for _ in paginator:
                count += 1
        return count


async def first_then_rest(
    page: Callable[[int], Awaitable[dict[str, Any]]], concurrency: int, page_size: int
) -> int:
    """The raw loops' plan: the first page alone (its total), then the rest under a
    semaphore of ``concurrency``; returns the records received."""
    first = await page(0)
    semaphore = asyncio.Semaphore(concurrency)

    async def limited(start: int) -> int:
        async with semaphore:
            return len((await page(start))["data"])

    total = first["pagination"]["total"]
    rest = await asyncio.gather(*(limited(s) for s in range(page_size, total, page_size)))
    return len(first["data"]) + sum(rest)


async def raw_httpx(url: str, concurrency: int, page_size: int) -> int:
    """First page alone, then the rest under a semaphore; ``json.loads`` each body."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, auth=AUTH, limits=limits) as client:

        async def page(start: int) -> dict[str, Any]:
            response = await client.post(PATH, json=page_body(start, page_size))
            response.raise_for_status()
            data: dict[str, Any] = json.loads(response.content)["data"]
            return data

        return await first_then_rest(page, concurrency, page_size)


async def raw_aiohttp(url: str, concurrency: int, page_size: int) -> int:
    """The raw httpx loop's twin on ``aiohttp.ClientSession``."""
    connector = aiohttp.TCPConnector(limit=concurrency)
    headers = {"Authorization": basic_auth(*AUTH)}
    async with aiohttp.ClientSession(url, connector=connector, headers=headers) as session:

        async def page(start: int) -> dict[str, Any]:
            async with session.post(PATH, json=page_body(start, page_size)) as response:
                response.raise_for_status()
                data: dict[str, Any] = json.loads(await response.read())["data"]
            return data

        return await first_then_rest(page, concurrency, page_size)


async def connect(url: str, concurrency: int, page_size: int) -> int:
    """simotel-connect: sequential at 1, else a thread pool with one client per thread."""
    port = int(url.rsplit(":", 1)[1])
    local = threading.local()
    clients = []

    def client() -> Any:
        if not hasattr(local, "client"):
            local.client = simotel_connect.Simotel(
                host="127.0.0.1", port=port, username=AUTH[0], password=AUTH[1]
            )
            local.client._client.debug = False  # it prints a curl line per request
            clients.append(local.client)
        return local.client

    def page(start: int) -> Any:
        response = client().reports.cdr_search(
            conditions={},
            date_range={"from": FROM, "to": TO},
            pagination={"start": start, "count": page_size, "sorting": {}},
            alike="true",
        )
        return response.data

    first = page(0)
    count = len(first["data"])
    total = first["pagination"]["total"]
    starts = range(page_size, total, page_size)
    if concurrency == 1:
        return count + sum(len(page(start)["data"]) for start in starts)
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        count += sum(len(data["data"]) for data in pool.map(page, starts))
    for each in clients:
        each._client._session.close()
    return count


def clients(concurrency: int) -> dict[str, Run]:
    """The clients measured at ``concurrency``, by row name."""
    found: dict[str, Run] = {"SDK (httpx)": sdk("httpx")}
    if httpx_aiohttp is not None:
        found["SDK (aiohttp backend)"] = sdk("aiohttp")
    if concurrency >= 8:
        found["SDK raw dicts (httpx)"] = sdk_raw
    found["raw httpx loop"] = raw_httpx
    if aiohttp is not None:
        found["raw aiohttp loop"] = raw_aiohttp
    if simotel_connect is not None:
        name = "sequential" if concurrency == 1 else f"{concurrency} threads"
        found[f"simotel-connect, {name}"] = connect
    return found


async def measure(
    run: Run, url: str, concurrency: int, page_size: int, records: int
) -> tuple[float, float, float]:
    """(wall, client CPU, server CPU) seconds of one pull."""
    gc.collect()
    served = server_cpu(url)
    cpu, started = time.process_time(), time.perf_counter()
    count = await run(url, concurrency, page_size)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    served = server_cpu(url) - served
    if count != records:
        raise RuntimeError(f"pulled {count} records, expected {records}")
    return wall, cpu, served


async def main(args: argparse.Namespace) -> None:
    pages = math.ceil(args.records / args.page_size)
    results: dict[int, dict[str, tuple[list[float], list[float], list[float]]]] = {}
    with server(args.server, args.records, args.latency) as url:
        # Warm-up: the fake caches the query and every record's JSON on first use.
        await raw_httpx(url, 8, args.page_size)
        for concurrency in args.concurrency:
            runs = clients(concurrency)
            level = results[concurrency] = {name: ([], [], []) for name in runs}
            for turn in range(args.repeat):
                for name in rotated(list(runs), turn):
                    measured = await measure(
                        runs[name], url, concurrency, args.page_size, args.records
                    )
                    for values, value in zip(level[name], measured, strict=True):
                        values.append(value)

    print(header("Bulk pull", "httpx", "httpx-aiohttp", "aiohttp", "simotel-connect", "orjson"))
    print(
        f"\n{args.server} server (uvicorn, separate process): {args.records:,} CDRs, "
        f"{args.page_size} per page ({pages} pages), {args.latency * 1000:g} ms latency per "
        f"request. {args.repeat} runs per client, alternating; wall time median [min-max]; "
        f"ideal = pages x latency / c; client CPU = this process's `time.process_time()`; "
        f"server CPU = the server process's user + system time during the pull; server busy "
        f"= server CPU / wall (it has one core: near 100% it is the bottleneck).\n"
    )
    print(
        "| c | client | wall (s) | / ideal | / raw httpx | / raw aiohttp "
        "| client CPU (µs/record) | server CPU (ms/page) | server busy |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for concurrency, level in results.items():
        ideal = pages * args.latency / concurrency
        httpx_base = level["raw httpx loop"][0]
        aiohttp_base = level.get("raw aiohttp loop", ([], [], []))[0]
        for name, (walls, cpus, served) in level.items():
            busy = statistics.median(s / w for s, w in zip(served, walls, strict=True))
            print(
                f"| {concurrency} | {name} | {spread(walls)} | {ratio(walls, ideal)} "
                f"| {ratio(walls, httpx_base)} "
                f"| {ratio(walls, aiohttp_base) if aiohttp_base else '-'} "
                f"| {statistics.median(cpus) / args.records * 1e6:.0f} "
                f"| {statistics.median(served) / pages * 1000:.1f} | {busy:.0%} |"
            )
    summary(results, pages, args.latency)


def summary(
    results: dict[int, dict[str, tuple[list[float], list[float], list[float]]]],
    pages: int,
    latency: float,
) -> None:
    """Medians side by side, one row per concurrency (the issue's table)."""
    names: list[str] = []
    for level in results.values():
        for name in level:
            short = name.split(",")[0]
            if short not in names:
                names.append(short)
    print("\n| c | " + " | ".join(names) + " | ideal |")
    print("|---:|" + "---:|" * (len(names) + 1))
    for concurrency, level in results.items():
        by_short = {name.split(",")[0]: runs[0] for name, runs in level.items()}
        cells = [f"{statistics.median(by_short[n]):.2f} s" if n in by_short else "-" for n in names]
        ideal = pages * latency / concurrency
        print(f"| {concurrency} | " + " | ".join(cells) + f" | {ideal:.2f} s |")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--server", choices=("fake", "static", "slim"), default="fake")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs per client")
    parser.add_argument("--serve-static", type=int, metavar="PORT", help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    arguments = _parser().parse_args()
    if arguments.serve_static is not None:
        serve_static(
            arguments.serve_static,
            arguments.records,
            arguments.latency,
            slim=arguments.server == "slim",
        )
    else:
        asyncio.run(main(arguments))
