"""The ASGI face of the fake and ``python -m simotel_async.testing``."""

from __future__ import annotations

import sys
from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest

from simotel_async.testing import FakeSimotel, InjectedConnectionError
from simotel_async.testing.__main__ import main


async def test_asgi_app_serves_the_same_protocol() -> None:
    fake = FakeSimotel(cdr=50)
    transport = httpx.ASGITransport(app=fake.asgi_app, client=("10.1.2.3", 5000))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://pbx/api/v4/", auth=("api", "secret")
    ) as c:
        ping = await c.post("setting/ping/act", json={})
        assert ping.json()["success"] == 1
        page = await c.post(
            "reports/cdr/search", json={"alike": "true", "pagination": {"start": 0, "count": 5}}
        )
        assert page.json()["data"]["pagination"]["total"] == 50
        fake.add_file("rec.mp3", 200_000)
        download = await c.post("reports/audio/download", json={"file": "rec.mp3"})
        assert download.content == fake.files["rec.mp3"].content()
        uploaded = await c.post("pbx/announcements/upload", files={"file": ("a.mp3", b"ID3")})
        assert uploaded.json()["data"]["filename"].endswith("amp3_.wav")
    async with httpx.AsyncClient(transport=transport, base_url="http://pbx/api/v4/") as anonymous:
        refused = await anonymous.post("setting/ping/act", json={})
    assert refused.status_code == 401
    assert refused.json()["message"] == "BasicAuth or ApiKey is missing"
    assert fake.requests[0].client_ip == "10.1.2.3"
    assert fake.asgi_app is fake.asgi_app


async def test_asgi_app_checks_ips_with_the_scope_client() -> None:
    fake = FakeSimotel(cdr=0, allowed_ips=["10.0.0.0/8"])
    outside = httpx.ASGITransport(app=fake.asgi_app, client=("192.168.1.1", 1))
    async with httpx.AsyncClient(transport=outside, auth=("api", "secret")) as c:
        response = await c.post("http://pbx/api/v4/setting/ping/act", json={})
    assert response.status_code == 403


async def test_asgi_connection_fault_raises_inside_the_app() -> None:
    fake = FakeSimotel(cdr=0)
    fault = fake.fail(kind="connect_error")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=fake.asgi_app), auth=("api", "secret")
    ) as c:
        with pytest.raises(InjectedConnectionError) as raised:
            await c.post("http://pbx/api/v4/setting/ping/act", json={})
    assert raised.value.fault is fault


async def test_asgi_lifespan_and_other_scopes() -> None:
    app = FakeSimotel(cdr=0).asgi_app
    sent: list[MutableMapping[str, Any]] = []
    incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive() -> dict[str, Any]:
        return next(incoming)

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    await app({"type": "lifespan"}, receive, send)
    assert sent == [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}]
    await app({"type": "websocket"}, receive, send)
    assert len(sent) == 2


def test_main_runs_uvicorn_with_the_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    assert main(["--port", "9999", "--cdr", "5", "--auth", "both", "--api-key", "K"]) == 0
    ((app, options),) = calls
    assert options == {"host": "127.0.0.1", "port": 9999, "log_level": "warning"}
    assert app.fake.auth == "both"
    assert app.fake.api_key == "K"
    assert len(app.fake.records("reports.cdr")) == 5


def test_main_without_uvicorn_explains_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert main([]) == 1
    assert "pip install uvicorn" in capsys.readouterr().err
