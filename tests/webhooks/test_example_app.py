"""examples/fastapi_app.py: its webhooks and its SDK client, against FakeSimotel."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from simotel_async import AsyncSimotel

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def sample(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def example(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.delenv("SIMOTEL_WEBHOOK_USERNAME", raising=False)
    monkeypatch.delenv("SIMOTEL_WEBHOOK_PASSWORD", raising=False)
    spec = importlib.util.spec_from_file_location(
        "fastapi_app", ROOT / "examples" / "fastapi_app.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # a fresh module, so fresh stores and routers
    return module


@pytest.fixture
async def client(example: ModuleType) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=example.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://example") as client:
        yield client
    await example.webhooks.drain()


async def smart_api(client: httpx.AsyncClient, app_name: str, data: str = "") -> Any:
    response = await client.post(
        "/simotel", json={"src": "09155441", "dst": "789", "app_name": app_name, "data": data}
    )
    return response.json()


async def test_cdr_events_land_in_the_store(client: httpx.AsyncClient, example: ModuleType) -> None:
    response = await client.post("/simotel", json=sample("events/Cdr.json"))
    await example.webhooks.drain()

    assert response.status_code == 200
    calls = (await client.get("/calls")).json()
    assert calls == [
        {
            "unique_id": "1610778618.378",
            "src": "991",
            "dst": "993",
            "disposition": "ANSWERED",
            "billsec": 9,
            "start_time": "2021-01-16T06:30:37.471398+00:00",
        }
    ]


async def test_ivr_reads_a_digit_then_routes_with_exit(client: httpx.AsyncClient) -> None:
    assert await smart_api(client, "menu") == {
        "ok": "1",
        "commands": "PlayAnnouncement('welcome');GetData('menu-prompt', 5, 1);Exit('route')",
    }
    assert await smart_api(client, "route", "2") == {
        "ok": "1",
        "commands": "ClearUserData();Exit('support')",
    }
    assert (await smart_api(client, "route", "9"))["commands"].endswith("Exit('operator')")


async def test_exten_api_rings_the_last_agent_of_the_caller(
    client: httpx.AsyncClient, example: ModuleType
) -> None:
    request = {"src": "991", "dst": "31041000", "data": "", "app_name": "sticky-agent"}
    before = await client.post("/simotel", json=request)
    await client.post("/simotel/Cdr", json=sample("events/Cdr.json"))
    await example.webhooks.drain()
    after = await client.post("/simotel", json=request)

    assert before.json() == {"ok": "1", "extension": "100"}
    assert after.json() == {"ok": "1", "extension": "993"}


async def test_lifespan_opens_the_sdk_client(
    example: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simotel_async.testing import FakeSimotel

    fake = FakeSimotel(seed=1, users=3)

    def from_env(**kwargs: Any) -> AsyncSimotel:
        return AsyncSimotel(fake.url, username="api", password="secret", transport=fake.transport())

    monkeypatch.setattr(example.AsyncSimotel, "from_env", staticmethod(from_env))
    async with example.app.router.lifespan_context(example.app):
        transport = httpx.ASGITransport(app=example.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://example") as client:
            simotel = example.app.state.simotel
            [user] = (await simotel.pbx.users.search(alike=True))[:1]
            response = await client.get(f"/users/{user.number}")

    assert fake.requests[0].endpoint_id == "setting.ping"
    assert response.status_code == 200
    assert {"name": user.name, "number": user.number, "active": user.active} in response.json()
