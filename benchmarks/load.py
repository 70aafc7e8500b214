"""``simotel load cdr`` into DuckDB against ``simotel export cdr-ordered`` to JSONL.

Both pull the same CDRs (5,000, then 100,000 by default) through the ordered cursor
from a FakeSimotel served by uvicorn on 127.0.0.1 in its own process, one after the
other in the same run; each
command runs in a fresh process so that its peak RSS (ru_maxrss of the child) is its
own. Prints a Markdown table. Target: load <= 2x the export's wall time, and the same
peak RSS for 5,000 and 100,000 records (``simotel load`` runs in chunks of
``--chunk-pages`` pages, each its own dlt load package).

    python benchmarks/load.py [--records 5000 100000] [--chunk-pages 250]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.dlt.servers import served_fake  # noqa: E402


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one ``simotel`` command in a new process."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "simotel_async", *args],
            env=env,
            stdout=out,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            out.seek(0)
            raise SystemExit(f"{args[0]} failed ({child.returncode}): {out.read()}")
    return wall, usage.ru_maxrss / 1024


def pull(
    records: int, seed: int, chunk_pages: int | None, env: dict[str, str]
) -> list[tuple[int, str, float, float, float]]:
    """Export, load, load again: (records, command, wall, vs export, peak RSS MiB) rows."""
    with tempfile.TemporaryDirectory() as tmp, served_fake(seed=seed, cdr=records) as url:
        folder = Path(tmp)
        export = ["export", "cdr-ordered", "--url", url, "--out", str(folder / "cdr.jsonl")]
        load = ["load", "cdr", "--url", url, "--to", str(folder / "simotel.duckdb")]
        load += ["--pipelines-dir", str(folder / "work")]
        if chunk_pages is not None:
            load += ["--chunk-pages", str(chunk_pages)]
        export_wall, export_rss = measure(export, env)
        load_wall, load_rss = measure(load, env)
        again_wall, _ = measure(load, env)
    return [
        (records, "simotel export cdr-ordered -> JSONL", export_wall, 1.0, export_rss),
        (records, "simotel load cdr -> DuckDB", load_wall, load_wall / export_wall, load_rss),
        (
            records,
            "simotel load cdr again (nothing new)",
            again_wall,
            again_wall / export_wall,
            float("nan"),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, nargs="+", default=[5_000, 100_000])
    parser.add_argument("--chunk-pages", type=int, default=None)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SIMOTEL_USERNAME": "api",
        "SIMOTEL_PASSWORD": "secret",
        "RUNTIME__DLTHUB_TELEMETRY": "false",
    }
    rows = []
    for records in args.records:
        rows += pull(records, args.seed, args.chunk_pages, env)
    print("CDRs over loopback, ordered cursor (20 a request)\n")
    print(
        f"{datetime.date.today()}, {platform.machine()} {os.cpu_count()} CPUs, "
        f"CPython {platform.python_version()}, dlt {version('dlt')}, duckdb {version('duckdb')}, "
        f"httpx {version('httpx')}\n"
    )
    print("| records | command | wall time | vs export | peak RSS |")
    print("|---:|---|---:|---:|---:|")
    for records, name, wall, ratio, rss in rows:
        memory = "" if rss != rss else f"{rss:,.0f} MiB"
        print(f"| {records:,} | {name} | {wall:.1f} s | {ratio:.2f}x | {memory} |")


if __name__ == "__main__":
    main()
