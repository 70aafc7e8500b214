"""``simotel load cdr`` into DuckDB against ``simotel export cdr-ordered`` to JSONL.

Both pull the same 100,000 CDRs through the ordered cursor from a FakeSimotel served by
uvicorn on 127.0.0.1 in its own process, one after the other in the same run; each
command runs in a fresh process so that its peak RSS (ru_maxrss of the child) is its
own. Prints a Markdown table. Target: load <= 2x the export's wall time, flat memory.

    python benchmarks/load.py [--records 100000]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
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
    with tempfile.TemporaryDirectory() as tmp, served_fake(seed=args.seed, cdr=args.records) as url:
        folder = Path(tmp)
        export = ["export", "cdr-ordered", "--url", url, "--out", str(folder / "cdr.jsonl")]
        load = ["load", "cdr", "--url", url, "--to", str(folder / "simotel.duckdb")]
        load += ["--pipelines-dir", str(folder / "work")]
        export_wall, export_rss = measure(export, env)
        load_wall, load_rss = measure(load, env)
        rows.append(("simotel export cdr-ordered -> JSONL", export_wall, export_rss))
        rows.append(("simotel load cdr -> DuckDB", load_wall, load_rss))
        again_wall, _ = measure(load, env)
        rows.append(("simotel load cdr again (nothing new)", again_wall, float("nan")))
    print(f"{args.records:,} CDRs over loopback, ordered cursor (20 a request)\n")
    print(
        f"{datetime.date.today()}, {platform.machine()} {os.cpu_count()} CPUs, "
        f"CPython {platform.python_version()}, dlt {version('dlt')}, duckdb {version('duckdb')}, "
        f"httpx {version('httpx')}\n"
    )
    print("| command | wall time | vs export | peak RSS |")
    print("|---|---:|---:|---:|")
    for name, wall, rss in rows:
        memory = "" if rss != rss else f"{rss:,.0f} MiB"
        print(f"| {name} | {wall:.1f} s | {wall / export_wall:.2f}x | {memory} |")


if __name__ == "__main__":
    main()
