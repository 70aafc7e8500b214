"""The fake's own source of truth: the vendor's catalogue, and no SDK internals."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import httpx
import pytest

import simotel_async.testing
from simotel_async.testing import FakeSimotel
from simotel_async.testing._catalog import ENDPOINTS, EXTRA_ROUTES, endpoint

VENDOR = json.loads((Path(__file__).parent.parent / "fixtures" / "endpoints.json").read_text())
TESTING = Path(simotel_async.testing.__file__).parent


def _route(method: str, path: str) -> str:
    return f"{method} {path}"


def test_the_fake_catalogue_is_the_vendor_catalogue() -> None:
    vendor = [
        (
            e["id"],
            e["kind"],
            _route(**e["v4"]),
            e["v3"] and _route(e["v3"]["method"], e["v3"]["path"]),
        )
        for e in VENDOR
    ]
    ours = [
        (e.id, e.kind, _route(e.v4.method, e.v4.path), e.v3 and _route(e.v3.method, e.v3.path))
        for e in ENDPOINTS.values()
    ]
    assert ours == vendor


def test_extra_routes_are_only_the_documented_ping_assumptions() -> None:
    assert EXTRA_ROUTES == (
        ("v4", "PUT", "setting/ping/act", "setting.ping"),
        ("v3", "PUT", "setting/ping/act", "setting.ping"),
    )
    assert ENDPOINTS["setting.ping"].v3 is None  # the vendor's, left as it is
    source = (TESTING / "_catalog.py").read_text()
    assert "ASSUMPTION" in source


def test_an_unknown_id_suggests_the_closest() -> None:
    with pytest.raises(ValueError, match="did you mean reports.cdr.search"):
        endpoint("reports.cdr.serch")


def _imported(path: Path) -> list[tuple[int, str]]:
    """``(line, dotted name)`` of every module or name a file imports, made absolute."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            package = ["simotel_async", "testing"][: 3 - node.level] if node.level else []
            module = ".".join([*package, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _private_sdk_imports(path: Path) -> list[str]:
    """Imports of ``simotel_async._*`` (anything private outside ``testing`` itself)."""
    hits = []
    for line, name in _imported(path):
        parts = name.split(".")
        outside = parts[0] == "simotel_async" and parts[1:2] != ["testing"]
        if outside and any(part.startswith("_") for part in parts[1:]):
            hits.append(f"{path.name}:{line}: {name}")
    return hits


def test_the_testing_package_imports_no_private_sdk_module() -> None:
    files = sorted(TESTING.glob("*.py"))
    assert len(files) >= 10
    assert [hit for f in files for hit in _private_sdk_imports(f)] == []


def test_the_import_check_catches_private_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import simotel_async._endpoints\n"
        "from simotel_async._public import publish\n"
        "from simotel_async import _client\n"
        "from .._convert import converter\n"
        "from .. import _errors\n"
        "from simotel_async import AsyncSimotel\n"
        "from simotel_async.models import Cdr\n"
        "from ._http import Answer\n"
    )
    assert [hit.split(": ")[1] for hit in _private_sdk_imports(sample)] == [
        "simotel_async._endpoints",
        "simotel_async._public",
        "simotel_async._public.publish",
        "simotel_async._client",
        "simotel_async._convert",
        "simotel_async._convert.converter",
        "simotel_async._errors",
    ]


def test_public_names_report_the_public_module() -> None:
    for name in simotel_async.testing.__all__:
        obj = getattr(simotel_async.testing, name)
        if isinstance(obj, type):
            assert obj.__module__ == "simotel_async.testing", name


@pytest.mark.parametrize(
    ("version", "method", "status"),
    [("v4", "POST", 200), ("v4", "PUT", 200), ("v4", "GET", 405), ("v3", "PUT", 200)],
)
async def test_ping_routes(version: str, method: str, status: int) -> None:
    fake = FakeSimotel(cdr=0)
    async with httpx.AsyncClient(transport=fake.transport(), auth=("api", "secret")) as client:
        response = await client.request(method, f"http://pbx/api/{version}/setting/ping/act")
    assert response.status_code == status
    assert fake.requests[-1].endpoint_id == ("setting.ping" if status == 200 else None)
