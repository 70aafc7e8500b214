"""Bounded memory: the peak of a bulk export or a walk stays flat as the report grows.

For each ``--records`` count N, builds a FakeSimotel with N CDR records (in this
process, through ``fake.transport()``, adding ``--latency`` seconds per request so
that page requests overlap), then measures with ``tracemalloc`` the peak memory
allocated during:

- ``export(..., fmt="jsonl", concurrency=8)``: the ``simotel export`` code path
  (fetch, write, fsync, checkpoint, page by page);
- ``simotel.reports.cdr.search(...)`` walked at ``concurrency`` 1 and 8, decoding every
  record into a ``Cdr`` and dropping it.

The baseline is the traced size of one page of raw records (``json.loads`` of
``--page-size`` CDRs) measured in the same run; a bounded walk peaks at a few pages
(about ``concurrency`` of them, plus their response bodies) whatever N is, while
holding every record would take ``N / page_size`` pages.

The fake holds all its records, and caches each query's result and each record's
JSON the first time it serves them. So one export and one short walk run untraced
first, the fake's request log is emptied after every page, and ``tracemalloc`` runs
only during each measured workload: what it sees is the SDK's memory plus the fake's
per-request work (one response at a time).

httpx 0.28 frees a read response only at a cyclic garbage-collector pass (the response
and its stream refer to each other, encode/httpx#3733); the client drops the stream of
every closed response, so each is freed at once and the peak stays flat in N.
N stops at 25,000 by default: ``tracemalloc`` makes the walk about 3x slower.

A second table takes the sizes the traced one cannot (``--rss-records``, default
10,000 and 100,000) with real memory and time: FakeSimotel with the largest N under
uvicorn in a separate process, and each workload (the export, the same pull walked by
the SDK's iterator as raw dicts, and walked as ``Cdr``, all at concurrency 8, ``limit``
N) in a fresh child process, which reports its wall time, CPU time, peak RSS growth
(``VmHWM`` after minus ``VmRSS`` before, the peak reset through
``/proc/self/clear_refs``) and, for the export, the time spent in ``os.fsync``.
Per record, wall, CPU and RSS stay flat from 10,000 to 100,000 records::

    python benchmarks/export_memory.py
    python benchmarks/export_memory.py --records 1000 10000 --rss-records 10000 200000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import (  # noqa: E402
    child_env,
    fake_simotel,
    header,
    rotated,
    spread,
    wait_until_up,
)

from simotel_async import AsyncSimotel  # noqa: E402
from simotel_async._export import export  # noqa: E402
from simotel_async._pagination import AsyncPaginator  # noqa: E402
from simotel_async.testing import FakeSimotel  # noqa: E402

SEARCH = "reports.cdr.search"
FROM, TO = "2000-01-01 00:00", "2100-01-01 00:00"
BODY = {"alike": "true", "conditions": {}, "date_range": {"from": FROM, "to": TO}}
MB = 1024 * 1024


async def export_cdrs(
    simotel: AsyncSimotel,
    out: Path,
    *,
    page_size: int,
    concurrency: int,
    limit: int | None = None,
) -> int:
    """``simotel export cdr --format jsonl`` as the CLI runs it: raw records, durable."""

    def paginator(position: int | str | None) -> AsyncPaginator[Any]:
        return AsyncPaginator(
            simotel,
            SEARCH,
            BODY,
            page_size=page_size,
            concurrency=concurrency,
            limit=limit,
            start=int(position or 0),
        )

    await asyncio.to_thread(out.unlink, missing_ok=True)
    result = await export(simotel, paginator, out, endpoint=SEARCH, body=BODY, fmt="jsonl")
    return result.records


def page_baseline(page_size: int) -> tuple[int, int]:
    """Traced bytes of one page of raw CDRs after ``json.loads``, and its JSON size."""
    records = FakeSimotel(seed=1, cdr=page_size).records("reports.cdr")
    body = json.dumps(records).encode()
    tracemalloc.start()
    page = json.loads(body)
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del page
    return traced, len(body)


async def peak_of(run: Callable[[], Awaitable[int]], expected: int) -> int:
    """Peak bytes traced while ``run()`` runs; checks that it saw every record."""
    tracemalloc.start()
    try:
        count = await run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    if count != expected:
        raise RuntimeError(f"got {count} records, expected {expected}")
    return peak


async def measure(records: int, args: argparse.Namespace, out: Path) -> list[tuple[str, int, int]]:
    """(workload, peak bytes, most requests in flight) for a fake of ``records`` CDRs."""
    fake = FakeSimotel(seed=1, cdr=records, latency=args.latency)
    # The fake logs every request it receives; keep only the latest.
    fake.on_page(lambda _: fake.requests.clear())
    rows = []
    async with AsyncSimotel(
        fake.url, username="api", password="secret", transport=fake.transport()
    ) as simotel:

        async def run_export() -> int:
            return await export_cdrs(simotel, out, page_size=args.page_size, concurrency=8)

        def walker(concurrency: int, limit: int | None = None) -> Callable[[], Awaitable[int]]:
            async def walk() -> int:
                count = 0
                async with simotel.reports.cdr.search(
                    date_from=FROM,
                    date_to=TO,
                    page_size=args.page_size,
                    concurrency=concurrency,
                    limit=limit,
                ) as cdrs:
                    async for _ in cdrs:
                        count += 1
                return count

            return walk

        # Untraced warm-up: the fake caches the query and each record's JSON (both
        # walks send the same query), the SDK builds its ``Cdr`` decoder once.
        if await run_export() != records or await walker(1, args.page_size)() == 0:
            raise RuntimeError("the warm-up missed records")
        workloads = [
            ("export jsonl, concurrency 8", run_export),
            ("walk `Cdr`, concurrency 1", walker(1)),
            ("walk `Cdr`, concurrency 8", walker(8)),
        ]
        for name, run in workloads:
            fake.max_in_flight = 0
            rows.append((name, await peak_of(run, records), fake.max_in_flight))
    return rows


async def main(args: argparse.Namespace) -> None:
    with ExitStack() as stack:
        rss_server = None
        if args.rss_records:
            # The big fake builds its records in its own process while the traced runs go.
            rss_server = stack.enter_context(
                fake_simotel(cdr=max(args.rss_records), latency=args.latency, wait=False)
            )
        await traced_table(args)
        if rss_server is not None:
            rss_table(args, rss_server)


async def traced_table(args: argparse.Namespace) -> None:
    """Peaks traced by ``tracemalloc`` with an in-process fake."""
    print(header("Export and walk memory", "httpx", "cattrs"))
    page, page_json = page_baseline(args.page_size)
    print(
        f"\nIn-process FakeSimotel, peaks traced by `tracemalloc`. Baseline: one page of "
        f"{args.page_size} raw CDRs = {page / MB:.2f} MB traced "
        f"({page_json / 1000:.0f} KB of JSON); {args.latency * 1000:g} ms latency per "
        f"request\n"
    )
    print(
        "| workload | records | pages | peak (MB) | peak / one page "
        "| all records held (MB) | requests in flight |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "cdr.jsonl")
        for records in args.records:
            pages = math.ceil(records / args.page_size)
            for name, peak, in_flight in await measure(records, args, out):
                print(
                    f"| {name} | {records:,} | {pages} | {peak / MB:.2f} | "
                    f"{peak / page:.1f}x | {pages * page / MB:.0f} | {in_flight} |"
                )


WORKLOADS = {
    "export": "export jsonl",
    "raw": "SDK iterator, raw dicts (the export's pull)",
    "typed": "SDK iterator, `Cdr`",
}


async def child(kind: str, url: str, records: int, args: argparse.Namespace) -> dict[str, Any]:
    """One workload in this fresh process: wall, CPU, RSS growth, fsync seconds."""
    fsync_time = [0.0]
    real_fsync = os.fsync

    def timed_fsync(fd: int) -> None:
        started = time.perf_counter()
        try:
            real_fsync(fd)
        finally:
            fsync_time[0] += time.perf_counter() - started

    os.fsync = timed_fsync
    with tempfile.TemporaryDirectory() as tmp:
        async with AsyncSimotel(url, username="api", password="secret") as simotel:
            await simotel.ping()  # one connection open, the client's imports done
            if kind == "typed":
                # The Cdr decoder is built on the first record, before the clock starts.
                await simotel.reports.cdr.search(date_from=FROM, date_to=TO, limit=1).to_list()
            if not _reset_peak():
                return {"error": "cannot reset the peak RSS here (/proc/self/clear_refs)"}
            before = _status("VmRSS")
            cpu, started = time.process_time(), time.perf_counter()
            if kind == "export":
                out = Path(tmp, "cdr.jsonl")
                count = await export_cdrs(
                    simotel, out, page_size=args.page_size, concurrency=8, limit=records
                )
            else:
                count = 0
                if kind == "raw":
                    walker: Any = AsyncPaginator(
                        simotel,
                        SEARCH,
                        BODY,
                        page_size=args.page_size,
                        concurrency=8,
                        limit=records,
                    )
                else:
                    walker = simotel.reports.cdr.search(
                        date_from=FROM,
                        date_to=TO,
                        page_size=args.page_size,
                        concurrency=8,
                        limit=records,
                    )
                async with walker:
                    async for _ in walker:
                        count += 1
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            peak = _status("VmHWM") - before
    return {"count": count, "wall": wall, "cpu": cpu, "rss": peak, "fsync": fsync_time[0]}


def _reset_peak() -> bool:
    """Set ``VmHWM`` to the current RSS (Linux 4.0+); ``False`` where not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def run_child(kind: str, url: str, records: int, args: argparse.Namespace) -> dict[str, Any]:
    command = [__file__, "--child", kind, "--url", url, "--child-records", str(records)]
    command += ["--page-size", str(args.page_size)]
    out = subprocess.run(
        [sys.executable, *command], env=child_env(), check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    if "error" in result:
        raise RuntimeError(result["error"])
    if result["count"] != records:
        raise RuntimeError(f"{kind}: {result['count']} records, expected {records}")
    return result


def rss_table(args: argparse.Namespace, url: str) -> None:
    """Wall, CPU and peak RSS per record of the export and the walks, out of process."""
    sizes = sorted(args.rss_records)
    results: dict[int, dict[str, list[dict[str, Any]]]] = {}
    wait_until_up(url)
    # Warm-up: the fake caches the query and every record's JSON on first use.
    run_child("raw", url, sizes[-1], args)
    for records in sizes:
        level = results[records] = {kind: [] for kind in WORKLOADS}
        for turn in range(args.rss_repeat):
            for kind in rotated(list(WORKLOADS), turn):
                level[kind].append(run_child(kind, url, records, args))
    print(
        f"\nFakeSimotel with {sizes[-1]:,} CDRs under uvicorn (a separate process), "
        f"{args.latency * 1000:g} ms latency; every workload at "
        f"concurrency 8 with `limit` N, in a fresh child process; {args.rss_repeat} runs "
        f"each, alternating; median [min-max]. Export / iterator: wall of the export over "
        f"the wall of the same pull through the iterator (raw dicts).\n"
    )
    print(
        "| workload | records | wall (s) | wall (µs/record) | client CPU (µs/record) "
        "| peak RSS growth (MiB) | in fsync | export / iterator |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for records, level in results.items():
        raw_wall = statistics.median(r["wall"] for r in level["raw"])
        for kind, runs in level.items():
            walls = [r["wall"] for r in runs]
            wall = statistics.median(walls)
            cpu = statistics.median(r["cpu"] for r in runs)
            rss = [r["rss"] / MB for r in runs]
            fsync = statistics.median(r["fsync"] / r["wall"] for r in runs)
            print(
                f"| {WORKLOADS[kind]} | {records:,} | {spread(walls)} "
                f"| {wall / records * 1e6:.0f} | {cpu / records * 1e6:.0f} "
                f"| {spread(rss, digits=1)} "
                f"| {f'{fsync:.1%}' if kind == 'export' else '-'} "
                f"| {f'{wall / raw_wall:.2f}x' if kind == 'export' else '-'} |"
            )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[2_000, 10_000, 25_000])
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.002, help="seconds per request")
    parser.add_argument(
        "--rss-records", type=int, nargs="*", default=[10_000, 100_000], help="out of process"
    )
    parser.add_argument("--rss-repeat", type=int, default=3, help="alternating runs, RSS table")
    parser.add_argument("--child", choices=list(WORKLOADS), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--child-records", type=int, help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    arguments = _parser().parse_args()
    if arguments.child:
        report = asyncio.run(
            child(arguments.child, arguments.url, arguments.child_records, arguments)
        )
        print(json.dumps(report))
    else:
        asyncio.run(main(arguments))
