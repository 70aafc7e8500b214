"""Downloads: a ``--size`` MiB recording to a path, memory and speed against raw streams.

FakeSimotel serves one recording of generated filler (never held whole in memory)
under uvicorn on 127.0.0.1 in a separate process. Each download runs in a fresh
child process, so its peak RSS growth is its own: the child imports everything and
builds its client, resets the kernel's high-water mark (``/proc/self/clear_refs``),
notes ``VmRSS``, downloads to a file, and reports ``VmHWM`` minus that. Clients,
alternating (the order rotates every repeat), ``--repeat`` times each:

- **SDK**: ``simotel.reports.audio.download(file=..., dest=path)``: streamed to a
  temporary file beside ``path``, fsynced, renamed into place; over the default httpx
  pool and with ``backend="aiohttp"`` when httpx-aiohttp is installed;
- **raw httpx stream**: ``client.stream(...)`` and ``aiter_bytes()`` written to the
  file (the baseline), and the same plus the SDK's ``fsync`` (what durability costs);
- **raw aiohttp stream**: ``iter_chunked(64 KiB)`` written to the file.

::

    python benchmarks/download.py
    python benchmarks/download.py --size 1024 --repeat 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import (  # noqa: E402
    MIB,
    basic_auth,
    child_env,
    free_port,
    header,
    ratio,
    rotated,
    serve,
    spread,
)

FILE = "bench-recording.wav"
PATH = "/api/v4/reports/audio/download"
AUTH = ("api", "secret")
CLIENTS = {
    "sdk": "SDK `reports.audio.download` (httpx)",
    "sdk-aiohttp": "SDK `reports.audio.download` (aiohttp backend)",
    "httpx": "raw httpx stream to a file",
    "httpx-fsync": "raw httpx stream to a file + fsync",
    "aiohttp": "raw aiohttp stream to a file",
}
BASELINE = "httpx"


def serve_file(port: int, size_mib: int) -> None:
    """FakeSimotel with one ``size_mib`` MiB recording, under uvicorn (a child process)."""
    import uvicorn

    from simotel_async.testing import FakeSimotel

    fake = FakeSimotel(cdr=10)
    fake.add_file(FILE, size_mib * MIB)
    uvicorn.run(fake.asgi_app, host="127.0.0.1", port=port, log_level="error")


def _status(field: str) -> int:
    """A ``/proc/self/status`` field in bytes (``VmRSS``, ``VmHWM``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> bool:
    """Set ``VmHWM`` to the current RSS (Linux 4.0+); ``False`` where not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


async def _client_run(kind: str, url: str, dest: Path) -> dict[str, Any]:
    """One download in this (child) process: wall seconds, bytes, RSS growth."""
    body = {"file": FILE}

    async def timed(download: Any) -> dict[str, Any]:
        reset = _reset_peak()
        before = _status("VmRSS") if reset else _status("VmHWM")
        started = time.perf_counter()
        size = await download()
        wall = time.perf_counter() - started
        return {"wall": wall, "bytes": size, "rss": _status("VmHWM") - before, "reset": reset}

    if kind in ("sdk", "sdk-aiohttp"):
        from simotel_async import AsyncSimotel

        backend = "aiohttp" if kind == "sdk-aiohttp" else "httpx"
        async with AsyncSimotel(
            url,
            username=AUTH[0],
            password=AUTH[1],
            backend=backend,  # type: ignore[arg-type]
        ) as simotel:
            await simotel.ping()  # the connection is open before the clock starts
            return await timed(lambda: simotel.reports.audio.download(file=FILE, dest=dest))
    if kind in ("httpx", "httpx-fsync"):
        async with httpx.AsyncClient(base_url=url, auth=AUTH) as client:
            await client.get("/")  # the connection is open before the clock starts

            async def download() -> int:
                written = 0
                with dest.open("wb") as out:
                    async with client.stream("POST", PATH, json=body) as response:
                        response.raise_for_status()
                        async for chunk in response.aiter_bytes():
                            out.write(chunk)
                            written += len(chunk)
                    if kind == "httpx-fsync":
                        out.flush()
                        os.fsync(out.fileno())
                return written

            return await timed(download)
    import aiohttp

    headers = {"Authorization": basic_auth(*AUTH)}
    async with aiohttp.ClientSession(url, headers=headers) as session:
        async with session.get("/") as response:
            await response.read()

        async def download_aiohttp() -> int:
            written = 0
            with dest.open("wb") as out:
                async with session.post(PATH, json=body) as response:
                    response.raise_for_status()
                    async for chunk in response.content.iter_chunked(64 * 1024):
                        out.write(chunk)
                        written += len(chunk)
            return written

        return await timed(download_aiohttp)


def available() -> dict[str, str]:
    found = {}
    for kind, name in CLIENTS.items():
        if "aiohttp" in kind:
            try:
                __import__("httpx_aiohttp" if kind == "sdk-aiohttp" else "aiohttp")
            except ImportError:
                continue
        found[kind] = name
    return found


def run_child(kind: str, url: str, dest: Path) -> dict[str, Any]:
    """One download in a fresh interpreter; its JSON report."""
    out = subprocess.run(
        [sys.executable, __file__, "--client", kind, "--url", url, "--dest", str(dest)],
        env=child_env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    dest.unlink(missing_ok=True)
    return result


def main(args: argparse.Namespace) -> None:
    size = args.size * MIB
    kinds = available()
    results: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
    port = free_port()
    command = [__file__, "--serve", str(port), "--size", str(args.size)]
    with serve(command, port) as url, tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        dest = Path(tmp, "recording.wav")
        run_child("httpx", url, dest)  # warm-up: the server's first answer, the disk
        for turn in range(args.repeat):
            for kind in rotated(list(kinds), turn):
                result = run_child(kind, url, dest)
                if result["bytes"] != size:
                    raise RuntimeError(f"{kind}: got {result['bytes']} bytes, expected {size}")
                results[kind].append(result)

    print(header("Download", "httpx", "httpx-aiohttp", "aiohttp"))
    reset = all(r["reset"] for runs in results.values() for r in runs)
    how = (
        "`VmHWM` after minus `VmRSS` before, the peak reset through `/proc/self/clear_refs`"
        if reset
        else "`VmHWM` after minus `VmHWM` before (peak reset not allowed here)"
    )
    print(
        f"\nFakeSimotel under uvicorn (separate process) serving a {args.size} MiB recording; "
        f"each download in a fresh child process writing to {args.dir or tempfile.gettempdir()}. "
        f"{args.repeat} runs per client, alternating; median [min-max]. "
        f"RSS growth: {how}.\n"
    )
    print("| client | wall (s) | MB/s | peak RSS growth (MiB) | wall / raw httpx stream |")
    print("|---|---:|---:|---:|---:|")
    base = [r["wall"] for r in results[BASELINE]]
    for kind, runs in results.items():
        walls = [r["wall"] for r in runs]
        rss = [r["rss"] / MIB for r in runs]
        rates = [size / 1e6 / w for w in walls]
        print(
            f"| {kinds[kind]} | {spread(walls)} | {statistics.median(rates):.0f} "
            f"| {spread(rss, digits=1)} | {ratio(walls, base)} |"
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--size", type=int, default=256, help="MiB")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs per client")
    parser.add_argument("--dir", help="where the files are written (default: the temp dir)")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--client", choices=list(CLIENTS), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--dest", type=Path, help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    arguments = _parser().parse_args()
    if arguments.serve is not None:
        serve_file(arguments.serve, arguments.size)
    elif arguments.client is not None:
        report = asyncio.run(_client_run(arguments.client, arguments.url, arguments.dest))
        print(json.dumps(report))
    else:
        main(arguments)
