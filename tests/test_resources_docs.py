"""The generated ``resources/`` and ``docs/endpoints.md`` match the catalogue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from simotel_async._endpoints import ENDPOINTS

ROOT = Path(__file__).resolve().parent.parent


def test_generated_files_are_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/gen_resources.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_endpoint_table_lists_every_endpoint_with_its_method() -> None:
    text = (ROOT / "docs" / "endpoints.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == len(ENDPOINTS) == 80
    for endpoint_id, endpoint in ENDPOINTS.items():
        (row,) = [r for r in rows if r.startswith(f"| `{endpoint_id}` |")]
        assert f"`simotel.{endpoint.method}()`" in row


def test_every_resource_module_is_generated() -> None:
    hand_written = {"_base.py"}
    for path in (ROOT / "simotel_async" / "resources").glob("*.py"):
        if path.name not in hand_written:
            assert "Generated from simotel_async/_endpoints.py" in path.read_text("utf-8"), path
