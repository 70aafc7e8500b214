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
N stops at 25,000 by default: ``tracemalloc`` makes the walk about 3x slower and the
whole run stays under a minute on 2 cores::

    python benchmarks/export_memory.py
    python benchmarks/export_memory.py --records 1000 100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import tempfile
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from simotel_async import AsyncSimotel  # noqa: E402
from simotel_async._export import REPORTS, export  # noqa: E402
from simotel_async.testing import FakeSimotel  # noqa: E402

FROM, TO = "2000-01-01 00:00", "2100-01-01 00:00"
BODY = {"alike": "true", "conditions": {}, "date_range": {"from": FROM, "to": TO}}
MB = 1024 * 1024


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
            result = await export(
                simotel,
                REPORTS["cdr"],
                out,
                body=BODY,
                fmt="jsonl",
                page_size=args.page_size,
                concurrency=8,
            )
            return result.records

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
    page, page_json = page_baseline(args.page_size)
    print(
        f"baseline: one page of {args.page_size} raw CDRs = {page / MB:.2f} MB traced "
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[2_000, 10_000, 25_000])
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.002, help="seconds per request")
    return parser


if __name__ == "__main__":
    asyncio.run(main(_parser().parse_args()))
