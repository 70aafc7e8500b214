"""Decoding cost: typed CDR models against ``json.loads``, ``orjson.loads`` and msgspec.

Builds ``--records`` CDRs shaped like the vendor samples
(``tests/fixtures/reports.cdr.*.response.json``: Jalali ``start``/``starttime``/
``endtime``, Gregorian ``answer``, ``{"$date": {"$numberLong": ...}}`` route steps,
``"ANSWERED": 1``-style flags, numeric strings), spread over a month, encodes them as
``reports.cdr.search`` responses of ``--page-size`` records, and measures in one run,
alternating the steps, ``--repeat`` times:

- ``json.loads`` of each body (the baseline) and ``orjson.loads`` (when installed);
- typed decode: ``decoder(list[Cdr])`` of each parsed page (what the SDK adds to a
  parse), and the paginator's way, one ``decoder(Cdr)`` call per record;
- msgspec (when installed), as a reference: bytes to Structs with the same fields,
  dates left as raw strings and objects (it does not read Jalali or ``$date``).

Prints a Markdown table (date, machine, versions; medians and ranges; ratios to the
baselines of the same run)::

    python benchmarks/decode.py
    python benchmarks/decode.py --records 50000 --repeat 5
"""

from __future__ import annotations

import argparse
import copy
import gc
import importlib.metadata
import json
import platform
import statistics
import sys
import time
import typing
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import attrs  # noqa: E402
import jdatetime  # noqa: E402

from simotel_async import __version__  # noqa: E402
from simotel_async._convert import decoder  # noqa: E402
from simotel_async.models import Cdr  # noqa: E402

try:
    import orjson
except ImportError:  # pragma: no cover - optional
    orjson = None  # type: ignore[assignment]
try:
    import msgspec
except ImportError:  # pragma: no cover - optional
    msgspec = None  # type: ignore[assignment]

SEARCH = "reports.cdr.search"
TEHRAN = ZoneInfo("Asia/Tehran")
FIXTURES = ROOT / "tests" / "fixtures"


def samples() -> list[dict[str, Any]]:
    """The vendor's CDR sample records."""
    found = []
    for path in sorted(FIXTURES.glob("reports.cdr.*.response.json")):
        found += json.loads(path.read_text("utf-8"))["data"]["data"]
    return found


def _jalali(moment: datetime) -> str:
    day = jdatetime.date.fromgregorian(date=moment.date())
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d} {moment:%H:%M:%S}"


def make_records(count: int) -> list[dict[str, Any]]:
    """``count`` CDRs copied from the samples, with their own ids, numbers and times."""
    templates = samples()
    first = datetime(2024, 2, 1, 8, 0, 0)
    records = []
    for index in range(count):
        record = copy.deepcopy(templates[index % len(templates)])
        start = first + timedelta(seconds=index * 257)  # ~30 days for 10,000 calls
        wait = index % 30
        record["_id"] = f"{0x65BBFDCF912265B1F56C0000 + index:024x}"
        record["cuid"] = record["uniqueid"] = f"{1706770800 + index * 257}.{index}"
        record["src"] = str(100 + index % 50)
        record["start"] = record["starttime"] = _jalali(start)
        record["endtime"] = _jalali(start + timedelta(seconds=record.get("duration") or 60))
        if record.get("answer"):
            record["answer"] = f"{start + timedelta(seconds=wait):%Y-%m-%d %H:%M:%S}"
        record["sequence"] = str(index)
        epoch = int(start.replace(tzinfo=TEHRAN).astimezone(timezone.utc).timestamp() * 1000)
        for offset, step in enumerate(record.get("route") or []):
            step["date"] = {"$date": {"$numberLong": str(epoch + offset * 1234)}}
        records.append(record)
    return records


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


def msgspec_type() -> Any:
    """msgspec Structs with Cdr's fields and types (dates left raw), for reference."""
    assert msgspec is not None
    hints = typing.get_type_hints(Cdr)
    raw = {datetime: Any, bool: Any}  # msgspec reads neither Jalali nor $date nor "yes"

    def spec(name: str) -> Any:
        args = [a for a in typing.get_args(hints[name]) if a is not type(None)] or [str]
        inner = args[0]
        return Any if inner in raw or typing.get_origin(inner) else inner | None

    step = msgspec.defstruct(
        "Step",
        [
            ("type", str | None, None),
            ("name", str | None, None),
            ("duration", float | None, None),
            ("date", Any, None),
        ],
    )
    fields: list[Any] = [
        (a.name, spec(a.name), None) for a in attrs.fields(Cdr) if a.name not in ("extra", "route")
    ]
    record = msgspec.defstruct(
        "CdrStruct", [*fields, ("route", list[step] | None, None)], rename={"id": "_id"}
    )
    page = msgspec.defstruct("Page", [("data", list[record])])
    return msgspec.defstruct("Body", [("success", int), ("data", page)])


def measure(steps: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Each step ``repeat`` times, alternating, garbage collected before each."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, run in steps.items():
            gc.collect()
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return times


def main(args: argparse.Namespace) -> None:
    records = make_records(args.records)
    bodies = response_bodies(records, args.page_size)
    pages = [json.loads(body)["data"]["data"] for body in bodies]
    decode_page = decoder(list[Cdr], tz=TEHRAN, endpoint=SEARCH)
    decode_record = decoder(Cdr, tz=TEHRAN, endpoint=SEARCH)
    loads = json.loads

    steps: dict[str, Callable[[], object]] = {
        "`json.loads` of each body": lambda: [loads(body) for body in bodies],
    }
    if orjson is not None:
        orjson_loads = orjson.loads
        steps["`orjson.loads` of each body"] = lambda: [orjson_loads(body) for body in bodies]
    steps["typed decode of each parsed page, `list[Cdr]`"] = lambda: [
        decode_page(page) for page in pages
    ]
    steps["typed decode, one call per record (paginator)"] = lambda: [
        decode_record(record) for page in pages for record in page
    ]
    steps["`json.loads` + typed decode of each body"] = lambda: [
        decode_page(loads(body)["data"]["data"]) for body in bodies
    ]
    if msgspec is not None:
        body_decoder = msgspec.json.Decoder(msgspec_type(), strict=False)
        steps["msgspec bytes to Structs (reference, dates raw)"] = lambda: [
            body_decoder.decode(body) for body in bodies
        ]

    decoded = [cdr for page in pages for cdr in decode_page(page)]
    assert len(decoded) == len(records)
    assert all(c.start and c.start.tzinfo for c in decoded)
    times = measure(steps, args.repeat)

    baseline = statistics.median(times["`json.loads` of each body"])
    orjson_base = statistics.median(times.get("`orjson.loads` of each body", [0.0])) or None
    size = sum(map(len, bodies))
    versions = [f"Python {platform.python_version()}", f"simotel-async {__version__}"]
    versions.append(f"cattrs {importlib.metadata.version('cattrs')}")
    if orjson is not None:
        versions.append(f"orjson {importlib.metadata.version('orjson')}")
    if msgspec is not None:
        versions.append(f"msgspec {msgspec.__version__}")
    print(f"## Decoding {len(records):,} CDRs ({datetime.now():%Y-%m-%d %H:%M})\n")
    print(
        f"{platform.machine()} {platform.system()} {platform.processor() or ''}, "
        f"{__import__('os').cpu_count()} CPUs; {', '.join(versions)}. "
        f"{len(bodies)} bodies of {args.page_size} records ({size / len(bodies) / 1000:.0f} KB "
        f"each); {args.repeat} runs, alternating; median [min-max].\n"
    )
    header = "| step | time (ms) | µs/record | / `json.loads` |"
    rule = "|---|---:|---:|---:|"
    if orjson_base:
        header += " / `orjson.loads` |"
        rule += "---:|"
    print(header)
    print(rule)
    for name, runs in times.items():
        median = statistics.median(runs)
        row = (
            f"| {name} | {median * 1000:.1f} [{min(runs) * 1000:.1f}-{max(runs) * 1000:.1f}] "
            f"| {median / len(records) * 1e6:.2f} | {median / baseline:.2f}x |"
        )
        if orjson_base:
            row += f" {median / orjson_base:.2f}x |"
        print(row)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs per step")
    return parser


if __name__ == "__main__":
    main(_parser().parse_args())
