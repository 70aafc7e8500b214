"""Shared helpers of the reliability suite: peak memory, and the ``backend`` fixture that runs
a test once per connection pool (``"httpx"``, ``"aiohttp"``)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import TracebackType

import pytest

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _kib(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    assert match is not None, field
    return int(match.group(1))


class PeakRss:
    """``with PeakRss() as peak: ...``: ``peak.growth_mb`` is the peak RSS growth in MB."""

    growth_mb = 0.0

    def __enter__(self) -> PeakRss:
        _CLEAR_REFS.write_text("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
        self._base = _kib("VmRSS")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.growth_mb = (_kib("VmHWM") - self._base) / 1024


@pytest.fixture
def peak_rss() -> type[PeakRss]:
    """The :class:`PeakRss` measure; skipped where /proc cannot reset the peak."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        pytest.skip("needs Linux /proc/self/clear_refs to measure peak memory")
    return PeakRss


HAS_AIOHTTP = importlib.util.find_spec("httpx_aiohttp") is not None
BACKENDS = [
    pytest.param("httpx", id="httpx"),
    pytest.param(
        "aiohttp",
        id="aiohttp",
        marks=pytest.mark.skipif(
            not HAS_AIOHTTP,
            reason="backend='aiohttp' not tested: httpx-aiohttp is not installed "
            "(pip install 'simotel-async[speed]')",
        ),
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """``AsyncSimotel(backend=...)``: each test using it runs on httpx and on aiohttp."""
    return str(request.param)
