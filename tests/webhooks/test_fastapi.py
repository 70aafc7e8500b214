"""simotel_router through a real FastAPI app and httpx.ASGITransport."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from simotel_async.webhooks import (
    AutoDialerReportEvent,
    CdrEvent,
    DialplanRequest,
    DialplanRouter,
    Event,
    EventRouter,
    ExtenApiReply,
    NewStateEvent,
    SmartApiReply,
)
from simotel_async.webhooks.fastapi import SimotelRouter, simotel_router

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AUTH = ("simotel", "s3cret")


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def sample(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return loaded


class Recorder:
    """An EventRouter catch-all that records events and signals each arrival."""

    def __init__(self, router: EventRouter) -> None:
        self.events: list[Event] = []
        self.arrived = asyncio.Event()
        router.on_any(self.record)

    async def record(self, event: Event) -> None:
        self.events.append(event)
        self.arrived.set()


@pytest.fixture
def events() -> EventRouter:
    return EventRouter()


@pytest.fixture
def recorder(events: EventRouter) -> Recorder:
    return Recorder(events)


@pytest.fixture
def dialplan() -> DialplanRouter:
    router = DialplanRouter()

    @router.on("s1")
    async def s1(request: DialplanRequest) -> SmartApiReply:
        return (
            SmartApiReply()
            .play_announcement("welcome-file")
            .get_data("enter-data-file", 10, 1)
            .exit("go-s2")
        )

    return router


def make_client(webhooks: SimotelRouter) -> httpx.AsyncClient:
    app = FastAPI()
    app.include_router(webhooks)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pbx-client")


@pytest.fixture
async def webhooks(events: EventRouter, dialplan: DialplanRouter) -> AsyncIterator[SimotelRouter]:
    router = simotel_router(events=events, dialplan=dialplan, prefix="/simotel")
    yield router
    await router.drain()


@pytest.fixture
async def client(webhooks: SimotelRouter) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(webhooks) as client:
        yield client


async def test_event_is_acknowledged_before_a_slow_handler_finishes(
    client: httpx.AsyncClient, events: EventRouter, webhooks: SimotelRouter
) -> None:
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[str | None] = []

    @events.on(CdrEvent)
    async def slow(event: CdrEvent) -> None:
        started.set()
        await release.wait()
        finished.append(event.unique_id)

    response = await client.post("/simotel", json=sample("events/Cdr.json"))

    assert response.status_code == 200
    assert response.json() == {"status": "accepted", "event": "Cdr"}
    await started.wait()
    assert finished == []
    assert webhooks.pending == 1
    release.set()
    await webhooks.drain()
    assert finished == ["1610778618.378"]
    assert webhooks.pending == 0


async def test_every_delivery_form_reaches_the_handler(
    client: httpx.AsyncClient,
    recorder: Recorder,
    webhooks: SimotelRouter,
    encode_form: Callable[..., str],
) -> None:
    payload = sample("events/IncomingFax.json")
    form = {"content-type": "application/x-www-form-urlencoded"}
    responses = [
        await client.post("/simotel", json=payload),
        await client.get("/simotel?" + encode_form(payload)),
        await client.post("/simotel", content=encode_form(payload), headers=form),
        await client.post(
            "/simotel", content=encode_form(payload, wrapper="api_data"), headers=form
        ),
        await client.post("/simotel", files={"x": ("x.txt", b"ignored")}, data=payload_pairs()),
    ]
    await webhooks.drain()

    assert [response.status_code for response in responses] == [200] * 5
    assert len(recorder.events) == 5
    assert all(event == recorder.events[0] for event in recorder.events[:4])
    assert recorder.events[0].name == "IncomingFax"
    multipart = recorder.events[4]
    assert isinstance(multipart, NewStateEvent)
    assert multipart.exten == "991"


def payload_pairs() -> dict[str, str]:
    return {"event_name": "NewState", "exten": "991", "state": "Idle"}


@pytest.mark.parametrize("path", ["/simotel/cdr", "/simotel/CDR", "/simotel/Cdr"])
async def test_rest_mode_paths_dispatch_by_name(
    client: httpx.AsyncClient, recorder: Recorder, webhooks: SimotelRouter, path: str
) -> None:
    payload = {
        key: value for key, value in sample("events/Cdr.json").items() if key != "event_name"
    }

    response = await client.post(path, json=payload)
    await webhooks.drain()

    assert response.status_code == 200
    [event] = recorder.events
    assert isinstance(event, CdrEvent)
    assert event.billsec == 9


async def test_rest_mode_get_for_a_nameless_event(
    client: httpx.AsyncClient, recorder: Recorder, webhooks: SimotelRouter
) -> None:
    response = await client.get("/simotel/AutoDialerReport", params={"campaign": "c1", "try": "2"})
    await webhooks.drain()

    assert response.json() == {"status": "accepted", "event": "AutoDialerReport"}
    [event] = recorder.events
    assert isinstance(event, AutoDialerReportEvent)
    assert event.try_count == 2


async def test_dialplan_request_is_answered_with_the_reply(client: httpx.AsyncClient) -> None:
    response = await client.post("/simotel", json=sample("dialplan/smart_api.request.json"))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == sample("dialplan/smart_api.response.2.json")


async def test_dialplan_request_over_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/simotel", params={"app_name": "s1", "src": "1", "data": ""})

    assert response.json()["commands"].endswith("Exit('go-s2')")


async def test_slow_dialplan_handler_gets_the_fallback_reply(events: EventRouter) -> None:
    dialplan = DialplanRouter(timeout=0.01, fallback=SmartApiReply().exit("busy"))

    @dialplan.on("exten")
    async def slow(request: DialplanRequest) -> ExtenApiReply:
        await asyncio.Event().wait()
        return ExtenApiReply("999")

    async with make_client(simotel_router(events=events, dialplan=dialplan)) as client:
        response = await client.post("/", json={"app_name": "exten", "src": "0912"})

    assert response.status_code == 200
    assert response.json() == {"ok": "1", "commands": "Exit('busy')"}


async def test_dialplan_without_a_router_is_refused(events: EventRouter) -> None:
    async with make_client(simotel_router(events=events)) as client:
        response = await client.get("/", params={"app_name": "s1"})

    assert response.json() == {"ok": 0}


class TestBasicCredentials:
    @pytest.fixture
    async def webhooks(
        self, events: EventRouter, dialplan: DialplanRouter
    ) -> AsyncIterator[SimotelRouter]:
        router = simotel_router(
            events=events, dialplan=dialplan, username=AUTH[0], password=AUTH[1], prefix="/hook"
        )
        yield router
        await router.drain()

    async def test_right_credentials_are_accepted(
        self, client: httpx.AsyncClient, recorder: Recorder, webhooks: SimotelRouter
    ) -> None:
        event = await client.post("/hook", json=sample("events/Ping.synthesized.json"), auth=AUTH)
        component = await client.post(
            "/hook", json=sample("dialplan/smart_api.request.json"), auth=AUTH
        )
        await webhooks.drain()

        assert event.status_code == 200
        assert component.json()["ok"] == "1"
        assert [event.name for event in recorder.events] == ["Ping"]

    @pytest.mark.parametrize(
        "headers",
        [
            {},
            {"authorization": basic("simotel", "wrong")},
            {"authorization": basic("other", "s3cret")},
            {"authorization": "Basic !!!not-base64"},
            {"authorization": "Basic c2ltb3RlbHMzY3JldA=="},  # no ':' separator
            {"authorization": "Bearer s3cret"},
        ],
        ids=["missing", "wrong-password", "wrong-user", "garbage", "no-colon", "bearer"],
    )
    async def test_wrong_credentials_get_401(
        self,
        client: httpx.AsyncClient,
        recorder: Recorder,
        webhooks: SimotelRouter,
        headers: dict[str, str],
    ) -> None:
        event = await client.post("/hook/Cdr", json=sample("events/Cdr.json"), headers=headers)
        component = await client.post(
            "/hook", json=sample("dialplan/smart_api.request.json"), headers=headers
        )
        await webhooks.drain()

        assert (event.status_code, component.status_code) == (401, 401)
        assert event.headers["www-authenticate"] == 'Basic realm="simotel"'
        assert recorder.events == []

    async def test_dialplan_can_skip_the_credentials(
        self, events: EventRouter, dialplan: DialplanRouter, recorder: Recorder
    ) -> None:
        router = simotel_router(
            events=events,
            dialplan=dialplan,
            username=AUTH[0],
            password=AUTH[1],
            authenticate_dialplan=False,
        )
        async with make_client(router) as client:
            component = await client.post("/", json=sample("dialplan/smart_api.request.json"))
            event = await client.post("/", json=sample("events/Cdr.json"))
        await router.drain()

        assert component.json()["ok"] == "1"
        assert event.status_code == 401
        assert recorder.events == []


async def test_malformed_body_gets_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/simotel", content=b"{oops", headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]


async def test_failing_handler_is_logged_and_the_reply_is_still_2xx(
    client: httpx.AsyncClient,
    events: EventRouter,
    webhooks: SimotelRouter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    @events.on(CdrEvent)
    async def broken(event: CdrEvent) -> None:
        raise RuntimeError("store unavailable")

    with caplog.at_level(logging.ERROR, logger="simotel_async.webhooks"):
        response = await client.post("/simotel", json=sample("events/Cdr.json"))
        await webhooks.drain()

    assert response.status_code == 200
    assert "store unavailable" in caplog.text


async def test_drain_cancels_handlers_still_running_after_its_timeout(
    client: httpx.AsyncClient, events: EventRouter, webhooks: SimotelRouter
) -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    @events.on(CdrEvent)
    async def stuck(event: CdrEvent) -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    await client.post("/simotel", json=sample("events/Cdr.json"))
    await started.wait()
    await webhooks.drain(timeout=dt.timedelta(0))

    assert cancelled.is_set()
    assert webhooks.pending == 0


async def test_events_without_a_router_are_acknowledged(dialplan: DialplanRouter) -> None:
    async with make_client(simotel_router(dialplan=dialplan)) as client:
        response = await client.post("/", json=sample("events/Cdr.json"))

    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}


@pytest.mark.parametrize("prefix", ["simotel", "/simotel/"])
def test_bad_prefix_is_rejected(events: EventRouter, prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        simotel_router(events=events, prefix=prefix)


def test_a_router_is_required() -> None:
    with pytest.raises(ValueError, match="EventRouter"):
        simotel_router()


def test_openapi_schema_has_unique_operations(events: EventRouter) -> None:
    app = FastAPI()
    app.include_router(simotel_router(events=events, prefix="/a"))
    app.include_router(simotel_router(events=events, prefix="/b/c"))

    schema = app.openapi()  # warnings are errors: a duplicate operation id would fail

    assert set(schema["paths"]) == {"/a", "/a/{name}", "/b/c", "/b/c/{name}"}
    assert set(schema["paths"]["/a"]) == {"get", "post"}
