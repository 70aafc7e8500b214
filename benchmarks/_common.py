"""What the benchmark scripts share: the machine line, servers in child processes, stats.

Every script measures its baselines in the same run as the SDK, alternating the
clients (the order rotates each repeat), and prints medians with their range; ratios
are always between numbers of one run, never across runs.
"""

from __future__ import annotations

import base64
import importlib.metadata
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024

SEARCH = "reports.cdr.search"
PATH = "/api/v4/reports/cdr/search"
FROM, TO = "2000-01-01 00:00", "2100-01-01 00:00"
FILTERS = {"alike": "true", "conditions": {}, "date_range": {"from": FROM, "to": TO}}
"""Every CDR of the fake, as a raw search body (the raw loops send it)."""
AUTH = ("api", "secret")


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``), or what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions(*packages: str) -> str:
    """``Python x.y.z, pkg a.b, ...`` for the installed ``packages`` (missing ones left out)."""
    found = [f"Python {platform.python_version()}"]
    for name in packages:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def header(title: str, *packages: str) -> str:
    """The heading and machine line every table starts with."""
    cores = os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"## {title} ({datetime.now():%Y-%m-%d %H:%M})\n\n"
        f"{cores} cores, {cpu_model()}, {platform.system()} {platform.machine()}; "
        f"{versions('simotel-async', *packages)}; load average at start {load}."
    )


def spread(values: Sequence[float], scale: float = 1.0, digits: int = 2) -> str:
    """``median [min-max]`` of ``values * scale``."""
    med = statistics.median(values) * scale
    low, high = min(values) * scale, max(values) * scale
    return f"{med:.{digits}f} [{low:.{digits}f}-{high:.{digits}f}]"


def ratio(values: Sequence[float], baseline: Sequence[float] | float) -> str:
    """Median of ``values`` over the median of ``baseline``, e.g. ``1.23x``."""
    base = baseline if isinstance(baseline, float) else statistics.median(baseline)
    return f"{statistics.median(values) / base:.2f}x" if base else "-"


def basic_auth(username: str, password: str) -> str:
    """An ``Authorization`` header value for HTTP Basic."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def child_env() -> dict[str, str]:
    """The environment of a child process, with this checkout first on ``PYTHONPATH``."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


_SERVERS: dict[str, subprocess.Popen[bytes]] = {}


def server_cpu(url: str) -> float:
    """CPU seconds the server process at ``url`` (started by :func:`serve`) has used so far.

    From ``/proc/<pid>/stat`` (user + system); 0.0 where there is no ``/proc``.
    """
    try:
        stat = Path(f"/proc/{_SERVERS[url].pid}/stat").read_text()
    except (OSError, KeyError):
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_up(url: str, timeout: float = 120) -> None:
    """Block until the server at ``url`` (started by :func:`serve`) answers HTTP."""
    process = _SERVERS[url]
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url + "/", timeout=1)
            return
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server {process.args} did not start") from None
            time.sleep(0.1)


@contextmanager
def serve(command: Sequence[str], port: int, *, wait: bool = True) -> Iterator[str]:
    """Run ``python *command`` (a server on 127.0.0.1:``port``) and yield its URL.

    With ``wait`` (the default) only once it answers; else at once (then call
    :func:`wait_until_up` before using it), so that it can start while other work runs.
    """
    process = subprocess.Popen(
        [sys.executable, *command], env=child_env(), stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    _SERVERS[url] = process
    try:
        if wait:
            wait_until_up(url)
        yield url
    finally:
        _SERVERS.pop(url, None)
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def fake_simotel(*, cdr: int, latency: float, wait: bool = True) -> Iterator[str]:
    """``python -m simotel_async.testing`` (FakeSimotel under uvicorn) on a free port."""
    port = free_port()
    command = ["-m", "simotel_async.testing", "--port", str(port), "--cdr", str(cdr)]
    with serve([*command, "--latency", str(latency)], port, wait=wait) as url:
        yield url


def rotated(items: Sequence[str], turn: int) -> list[str]:
    """``items`` starting at ``turn`` (mod length): each repeat runs the clients in a new order."""
    shift = turn % len(items) if items else 0
    return [*items[shift:], *items[:shift]]
