"""Bulk pull: how close the concurrent paginator gets to the latency-bound ideal.

Pulls ``--records`` CDR records, ``--page-size`` per page, from a server on 127.0.0.1
(uvicorn, in a separate process) that adds ``--latency`` seconds to every request, at
each ``--concurrency``; prints the wall time against the ideal
``pages * latency / concurrency``. Two servers:

- ``--server fake`` (default): ``python -m simotel_async.testing``, the FakeSimotel,
  which builds every page (about 110 KB of JSON per 100 CDRs) per request;
- ``--server static``: the same FakeSimotel records, each page encoded once and
  replayed, so the time left over latency is the SDK's own (client, HTTP, JSON);
- ``--server slim``: replayed pages of 5-field records (about 10 KB a page), so that
  what is left is mostly the paginator's scheduling.

The first page is fetched alone (it gives the total), so even a zero-cost server and
client are ``1 + ceil((pages - 1) / concurrency)`` round trips, not ``pages /
concurrency``::

    python benchmarks/bulk_pull.py
    python benchmarks/bulk_pull.py --server static --concurrency 1 8 --repeat 5

Target: within 1.2x of ideal at concurrency 8.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simotel_async import AsyncSimotel  # noqa: E402
from simotel_async._pagination import AsyncPaginator  # noqa: E402

SEARCH = "reports.cdr.search"
FILTERS = {
    "alike": "true",
    "conditions": {},
    "date_range": {"from": "2000-01-01 00:00", "to": "2100-01-01 00:00"},
}


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
            fake.url, username="api", password="secret", transport=fake.transport()
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(kind: str, records: int, latency: float) -> Iterator[str]:
    """Start a server process on a free port; yield its base URL."""
    port = _free_port()
    if kind == "fake":
        module = ["-m", "simotel_async.testing"]
        args = ["--port", str(port), "--cdr", str(records), "--latency", str(latency)]
    else:
        module = [__file__, "--serve-static", str(port)]
        args = ["--records", str(records), "--latency", str(latency), "--server", kind]
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, *module, *args],
        env={**os.environ, "PYTHONPATH": path},
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the {kind} server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


async def pull(url: str, *, concurrency: int, page_size: int, records: int) -> float:
    """Seconds to walk every record at ``concurrency`` (connections already open)."""
    async with AsyncSimotel(url, username="api", password="secret") as simotel:
        # Warm up: open the connections the walk will use, fill the server's caches.
        await AsyncPaginator(
            simotel, SEARCH, FILTERS, page_size=page_size, concurrency=concurrency
        ).to_list()
        paginator: AsyncPaginator[Any] = AsyncPaginator(
            simotel, SEARCH, FILTERS, page_size=page_size, concurrency=concurrency
        )
        started = time.perf_counter()
        count = 0
        async for _ in paginator:
            count += 1
        elapsed = time.perf_counter() - started
    if count != records:
        raise RuntimeError(f"pulled {count} records, expected {records}")
    return elapsed


async def main(args: argparse.Namespace) -> None:
    pages = math.ceil(args.records / args.page_size)
    print(
        f"{args.server} server: {args.records} records, page_size {args.page_size} "
        f"({pages} pages), {args.latency * 1000:.0f} ms latency per request, "
        f"best of {args.repeat}\n"
    )
    print("| concurrency | wall time (s) | ideal (s) | ratio to ideal | round trips |")
    print("|---:|---:|---:|---:|---:|")
    with server(args.server, args.records, args.latency) as url:
        for concurrency in args.concurrency:
            times = [
                await pull(
                    url, concurrency=concurrency, page_size=args.page_size, records=args.records
                )
                for _ in range(args.repeat)
            ]
            best = min(times)
            ideal = pages * args.latency / concurrency
            trips = 1 + math.ceil((pages - 1) / concurrency)
            print(f"| {concurrency} | {best:.3f} | {ideal:.3f} | {best / ideal:.2f}x | {trips} |")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--server", choices=("fake", "static", "slim"), default="fake")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--repeat", type=int, default=3, help="runs per level; best is shown")
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
