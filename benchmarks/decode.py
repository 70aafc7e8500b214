"""Decoding cost: the SDK's typed models against plain ``json.loads``.

Takes ``--records`` CDR records from the FakeSimotel (round-tripped through JSON, so
they are plain JSON values), encodes them as search responses of ``--page-size``
records each, and times, best of ``--repeat`` runs:

- ``json.loads`` of every response body: the baseline, the work any client does;
- ``decode(page, list[Cdr])`` per page;
- ``decode(record, Cdr)`` per record, as the paginator does it (one call per record
  it yields);
- ``to_dict`` of every decoded record, as an export back to JSON does it.

Each row gives records per second and its time over the ``json.loads`` time of the
same run::

    python benchmarks/decode.py
    python benchmarks/decode.py --records 50000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simotel_async import to_dict  # noqa: E402
from simotel_async._convert import decode  # noqa: E402
from simotel_async.models import Cdr  # noqa: E402
from simotel_async.testing import FakeSimotel  # noqa: E402

SEARCH = "reports.cdr.search"
TEHRAN = ZoneInfo("Asia/Tehran")


def response_bodies(records: list[Any], page_size: int) -> list[bytes]:
    """The records as ``reports.cdr.search`` responses, ``page_size`` records each."""
    bodies = []
    for start in range(0, len(records), page_size):
        data = {
            "pagination": {"start": start, "count": page_size, "total": len(records)},
            "data": records[start : start + page_size],
        }
        bodies.append(json.dumps({"success": 1, "message": "", "data": data}).encode())
    return bodies


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs of ``run``, in seconds (garbage collected before each)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main(args: argparse.Namespace) -> None:
    fake = FakeSimotel(seed=1, cdr=args.records)
    records = json.loads(json.dumps(fake.records("reports.cdr")))
    del fake
    bodies = response_bodies(records, args.page_size)
    pages = [json.loads(body)["data"]["data"] for body in bodies]

    def loads() -> None:
        for body in bodies:
            json.loads(body)

    def decode_pages() -> list[list[Cdr]]:
        return [decode(page, list[Cdr], tz=TEHRAN, endpoint=SEARCH) for page in pages]

    # The paginator's per-record decoder (``resources._base._decoder``), one call a record.
    def decode_record(value: Any) -> Cdr:
        return decode(value, Cdr, tz=TEHRAN, endpoint=SEARCH)

    def decode_records() -> list[Cdr]:
        return [decode_record(record) for page in pages for record in page]

    decoded = decode_records()
    if decoded != [cdr for page in decode_pages() for cdr in page]:
        raise RuntimeError("per-page and per-record decoding disagree")

    def dicts() -> None:
        for cdr in decoded:
            to_dict(cdr)

    size = sum(map(len, bodies))
    print(
        f"{len(records):,} CDR records in {len(bodies)} responses of {args.page_size} "
        f"({size / len(bodies) / 1000:.0f} KB each), best of {args.repeat}\n"
    )
    print("| step | time (s) | records/s | ratio to json.loads |")
    print("|---|---:|---:|---:|")
    baseline = best_of(args.repeat, loads)
    rows = [
        ("`json.loads` of the bodies (baseline)", baseline),
        ("`decode(page, list[Cdr])` per page", best_of(args.repeat, decode_pages)),
        ("`decode(record, Cdr)` per record (paginator)", best_of(args.repeat, decode_records)),
        ("`to_dict` per decoded record", best_of(args.repeat, dicts)),
    ]
    for name, seconds in rows:
        rate = len(records) / seconds
        print(f"| {name} | {seconds:.3f} | {rate:,.0f} | {seconds / baseline:.2f}x |")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5, help="runs per step; best is shown")
    return parser


if __name__ == "__main__":
    main(_parser().parse_args())
