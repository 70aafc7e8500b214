"""docs/endpoints.md lists every endpoint with its method, and is up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from simotel_async._endpoints import ENDPOINTS
from simotel_async.resources._names import method_path

ROOT = Path(__file__).resolve().parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_endpoint_table", ROOT / "scripts" / "gen_endpoint_table.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_endpoint_table_is_current() -> None:
    text = await _generator().render()
    assert (ROOT / "docs" / "endpoints.md").read_text(encoding="utf-8") == text, (
        "docs/endpoints.md is stale: run python scripts/gen_endpoint_table.py"
    )


def test_endpoint_table_lists_every_endpoint_with_its_method() -> None:
    text = (ROOT / "docs" / "endpoints.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == len(ENDPOINTS) == 80
    for endpoint_id in ENDPOINTS:
        (row,) = [r for r in rows if r.startswith(f"| `{endpoint_id}` |")]
        assert f"`simotel.{method_path(endpoint_id)}()`" in row
