"""simotel_router under hostile senders: body and field caps, credentials first, backlog.

Unit cases over ``httpx.ASGITransport`` or raw ASGI calls; the same guarantees over real
HTTP are in ``tests/reliability/test_webhooks_abuse.py``.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from simotel_async.webhooks import (
    CdrEvent,
    DialplanRequest,
    DialplanRouter,
    Event,
    EventRouter,
    ExtenApiReply,
)
from simotel_async.webhooks._parse import Payload
from simotel_async.webhooks.fastapi import SimotelRouter, simotel_router

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AUTH = ("simotel", "s3cret")
MIB = 1024 * 1024


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def cdr(**extra: Any) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (FIXTURES / "events" / "Cdr.json").read_text(encoding="utf-8")
    )
    return {**loaded, **extra}


class Recorder:
    """Records every event the handlers receive."""

    def __init__(self, router: EventRouter) -> None:
        self.events: list[Event] = []
        router.on_any(self.record)

    async def record(self, event: Event) -> None:
        self.events.append(event)


def dialplan_router() -> DialplanRouter:
    router = DialplanRouter()

    @router.on("exten")
    async def exten(request: DialplanRequest) -> ExtenApiReply:
        return ExtenApiReply("120")

    return router


def app_of(webhooks: SimotelRouter) -> FastAPI:
    app = FastAPI()
    app.include_router(webhooks)
    return app


def client_of(webhooks: SimotelRouter) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app_of(webhooks))
    return httpx.AsyncClient(transport=transport, base_url="http://pbx")


class AsgiCall:
    """One raw ASGI request whose body chunks are handed out only when the app asks."""

    def __init__(
        self,
        chunks: Iterable[bytes],
        *,
        headers: dict[str, str] | None = None,
        path: str = "/",
        hang: bool = False,
    ) -> None:
        self.chunks = list(chunks)
        self.headers = headers or {}
        self.path = path
        self.hang = hang
        self.delivered = 0
        self.status: int | None = None
        self.body = b""

    async def run(self, app: FastAPI) -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(k.lower().encode(), v.encode()) for k, v in self.headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("pbx", 80),
        }
        await app(scope, self.receive, self.send)

    async def receive(self) -> dict[str, Any]:
        if self.delivered < len(self.chunks):
            chunk = self.chunks[self.delivered]
            self.delivered += 1
            more = self.hang or self.delivered < len(self.chunks)
            return {"type": "http.request", "body": chunk, "more_body": more}
        if self.hang:
            await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    @property
    def detail(self) -> str:
        detail: str = json.loads(self.body)["detail"]
        return detail


@pytest.fixture
def events() -> EventRouter:
    return EventRouter()


@pytest.fixture
def recorder(events: EventRouter) -> Recorder:
    return Recorder(events)


@pytest.fixture
async def webhooks(events: EventRouter) -> AsyncIterator[SimotelRouter]:
    router = simotel_router(events=events, dialplan=dialplan_router())
    yield router
    await router.drain(timeout=1)


# --- Defect 7: body cap, counted while streaming ---------------------------------------


async def test_a_declared_oversized_body_gets_413_before_any_byte_is_read(
    webhooks: SimotelRouter, recorder: Recorder
) -> None:
    call = AsgiCall([b"a=1&" * 16384] * 320, headers={"content-length": str(20 * MIB)})

    await call.run(app_of(webhooks))

    assert call.status == 413
    assert call.delivered == 0
    assert call.detail == (
        "webhook body of 20971520 bytes is over the limit of 1048576 bytes; "
        "raise max_body_bytes= of simotel_router(...) if Simotel really sends such bodies"
    )
    assert recorder.events == []


async def test_a_chunked_oversized_body_is_cut_off_at_the_limit(
    webhooks: SimotelRouter, recorder: Recorder
) -> None:
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(320):  # 20 MiB in 64 KiB chunks, no Content-Length
            sent += 65536
            yield b"a=1&" * 16384

    async with client_of(webhooks) as client:
        response = await client.post("/", content=body())

    assert response.status_code == 413
    assert "over the limit of 1048576 bytes" in response.json()["detail"]
    assert sent <= MIB + 2 * 65536
    assert recorder.events == []


async def test_a_content_length_that_lies_does_not_lift_the_limit(
    webhooks: SimotelRouter, recorder: Recorder
) -> None:
    call = AsgiCall([b"a=1&" * 16384] * 320, headers={"content-length": "10"})

    await call.run(app_of(webhooks))

    assert call.status == 413
    assert call.delivered <= 17
    assert recorder.events == []


async def test_the_body_limit_is_configurable(events: EventRouter, recorder: Recorder) -> None:
    webhooks = simotel_router(events=events, max_body_bytes=2000)
    fits = json.dumps(cdr(userfield="x" * 1700)).encode()
    over = json.dumps(cdr(userfield="x" * 1800)).encode()
    assert len(fits) <= 2000 < len(over)

    async with client_of(webhooks) as client:
        accepted = await client.post("/", content=fits)
        refused = await client.post("/", content=over)
    await webhooks.drain()

    assert (accepted.status_code, refused.status_code) == (200, 413)
    assert "limit of 2000 bytes" in refused.json()["detail"]
    assert len(recorder.events) == 1


@pytest.mark.parametrize(
    "options",
    [
        {"max_body_bytes": 0},
        {"max_form_fields": 0},
        {"max_pending_events": 0},
        {"max_concurrent_events": 0},
        {"body_timeout": 0},
    ],
)
def test_limits_must_be_positive(events: EventRouter, options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(options))):
        simotel_router(events=events, **options)


# --- Defect 7: form field cap ----------------------------------------------------------


async def test_a_form_with_too_many_fields_gets_413(
    webhooks: SimotelRouter, recorder: Recorder
) -> None:
    form = "&".join(f"f{index}=1" for index in range(1001))
    fields = {f"f{index}": "1" for index in range(1001)}

    async with client_of(webhooks) as client:
        urlencoded = await client.post(
            "/", content=form, headers={"content-type": "application/x-www-form-urlencoded"}
        )
        untyped = await client.post("/", content=form)
        multipart = await client.post("/", data=fields, files={"x": ("x.txt", b"1")})
        query = await client.get("/?" + form)

    statuses = [r.status_code for r in (urlencoded, untyped, multipart, query)]
    assert statuses == [413] * 4
    assert urlencoded.json()["detail"] == (
        "webhook form has more than 1000 fields; raise max_form_fields= of "
        "simotel_router(...) if Simotel really sends this many"
    )
    assert recorder.events == []


async def test_the_field_limit_is_configurable(events: EventRouter, recorder: Recorder) -> None:
    webhooks = simotel_router(events=events, max_form_fields=5)
    form = {"event_name": "NewState", "exten": "991", "state": "Idle"}

    async with client_of(webhooks) as client:
        accepted = await client.post("/", data=form)
        multipart = await client.post("/", data=form, files={"x": ("x.txt", b"1")})
        refused = await client.post("/", data={**form, "a": "1", "b": "2", "c": "3"})
    await webhooks.drain()

    assert [accepted.status_code, multipart.status_code, refused.status_code] == [200, 200, 413]
    assert [event.name for event in recorder.events] == ["NewState", "NewState"]


# --- Defect 7: credentials before the body ---------------------------------------------


@pytest.mark.parametrize("authenticate_dialplan", [True, False])
async def test_wrong_credentials_are_refused_without_reading_a_big_body(
    events: EventRouter, recorder: Recorder, authenticate_dialplan: bool
) -> None:
    webhooks = simotel_router(
        events=events,
        dialplan=dialplan_router(),
        username=AUTH[0],
        password=AUTH[1],
        authenticate_dialplan=authenticate_dialplan,
    )
    headers = {"authorization": basic("simotel", "wrong"), "content-length": str(20 * MIB)}
    declared = AsgiCall([b"a=1&" * 16384] * 320, headers=headers)
    undeclared = AsgiCall([b"a=1&" * 16384] * 320, headers={})

    await declared.run(app_of(webhooks))
    await undeclared.run(app_of(webhooks))

    assert (declared.status, undeclared.status) == (401, 401)
    assert declared.delivered == 0
    # Without credentials a body is read only as far as a dialplan request can go.
    assert undeclared.delivered == (0 if authenticate_dialplan else 1)
    assert recorder.events == []


async def test_an_unauthenticated_dialplan_request_is_still_answered_when_allowed(
    events: EventRouter, recorder: Recorder
) -> None:
    webhooks = simotel_router(
        events=events,
        dialplan=dialplan_router(),
        username=AUTH[0],
        password=AUTH[1],
        authenticate_dialplan=False,
    )

    async with client_of(webhooks) as client:
        component = await client.post("/", data={"app_name": "exten", "src": "0912"})
        event = await client.post("/", json=cdr())

    assert component.json() == {"ok": "1", "extension": "120"}
    assert event.status_code == 401
    assert recorder.events == []


# --- Defect 7: slow bodies ---------------------------------------------------------------


async def test_a_body_that_never_finishes_gets_408_at_the_body_timeout(
    events: EventRouter, recorder: Recorder
) -> None:
    webhooks = simotel_router(events=events, body_timeout=0.2)
    call = AsgiCall([b'{"event_name": '], headers={"content-length": "500"}, hang=True)
    loop = asyncio.get_running_loop()

    start = loop.time()
    await asyncio.wait_for(call.run(app_of(webhooks)), 5)
    elapsed = loop.time() - start

    assert call.status == 408
    assert call.detail == "webhook body was not received within 0.2 s (body_timeout)"
    assert elapsed < 1
    assert recorder.events == []


# --- Defect 7: big bodies parsed off the event loop --------------------------------------


class ThreadRecordingRouter(EventRouter):
    def __init__(self) -> None:
        super().__init__()
        self.threads: list[threading.Thread] = []

    def parse(self, payload: Payload, *, path: str | None = None) -> Event:
        self.threads.append(threading.current_thread())
        return super().parse(payload, path=path)


async def test_big_bodies_are_parsed_in_a_worker_thread_and_small_ones_inline() -> None:
    events = ThreadRecordingRouter()
    webhooks = simotel_router(events=events)

    async with client_of(webhooks) as client:
        small = await client.post("/", json=cdr())
        big = await client.post("/", json=cdr(userfield="x" * 500_000))
    await webhooks.drain()

    assert (small.status_code, big.status_code) == (200, 200)
    inline, worker = events.threads
    assert inline is threading.main_thread()
    assert worker is not threading.main_thread()


# --- Defect 9: any valid JSON under the cap ----------------------------------------------


@pytest.mark.parametrize("size", [70_000, 1_000_000])
async def test_a_valid_event_of_any_size_under_the_cap_is_accepted(
    webhooks: SimotelRouter, recorder: Recorder, size: int
) -> None:
    async with client_of(webhooks) as client:
        response = await client.post("/", json=cdr(userfield="x" * size))
    await webhooks.drain()

    assert response.status_code == 200
    assert response.json() == {"status": "accepted", "event": "Cdr"}
    [event] = recorder.events
    assert isinstance(event, CdrEvent)
    assert len(event.extra["userfield"]) == size


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{oops", "webhook body is not valid JSON: Expecting property name enclosed in"),
        (b"[1, 2", "webhook body is not valid JSON: Expecting ',' delimiter"),
        (b"\xff\xfe", "webhook body is not UTF-8 text: 'utf-8' codec can't decode"),
    ],
)
async def test_an_invalid_body_gets_400_naming_the_error(
    webhooks: SimotelRouter, recorder: Recorder, body: bytes, detail: str
) -> None:
    async with client_of(webhooks) as client:
        response = await client.post("/", content=body)

    assert response.status_code == 400
    assert response.json()["detail"].startswith(detail)
    assert recorder.events == []


# --- Defect 11: bounded handler tasks ----------------------------------------------------


async def test_a_full_backlog_answers_503_and_logs_the_lost_event(
    events: EventRouter, caplog: pytest.LogCaptureFixture
) -> None:
    release = asyncio.Event()
    running = 0
    most_running = 0
    handled: list[str | None] = []

    @events.on(CdrEvent)
    async def slow(event: CdrEvent) -> None:
        nonlocal running, most_running
        running += 1
        most_running = max(most_running, running)
        await release.wait()
        handled.append(event.unique_id)
        running -= 1

    webhooks = simotel_router(events=events, max_concurrent_events=2, max_pending_events=5)
    async with client_of(webhooks) as client:
        with caplog.at_level(logging.ERROR, logger="simotel_async.webhooks"):
            responses = [await client.post("/", json=cdr(unique_id=f"c{n}")) for n in range(8)]
        await asyncio.sleep(0.01)
        assert webhooks.pending == 5
        assert running == 2
        release.set()
        await webhooks.drain()

    assert [r.status_code for r in responses] == [200] * 5 + [503] * 3
    assert responses[5].json()["detail"] == (
        "too many webhook events pending (5, max_pending_events); event Cdr was not accepted"
    )
    assert responses[5].headers["retry-after"] == "1"
    assert sorted(handled) == ["c0", "c1", "c2", "c3", "c4"]
    assert most_running == 2
    assert webhooks.pending == 0
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 3
    assert "Cdr event c5 dropped" in errors[0]
    assert "max_pending_events=5" in errors[0]


async def test_3000_hanging_events_leave_a_bounded_number_of_tasks(
    events: EventRouter, caplog: pytest.LogCaptureFixture
) -> None:
    """Defect 11: 3,000 events whose handler hangs left 3,000 pending tasks."""

    @events.on(CdrEvent)
    async def hangs(event: CdrEvent) -> None:
        await asyncio.Event().wait()

    before = len(asyncio.all_tasks())
    webhooks = simotel_router(events=events)
    body = json.dumps(cdr()).encode()
    async with client_of(webhooks) as client:
        with caplog.at_level(logging.CRITICAL, logger="simotel_async.webhooks"):
            statuses = [(await client.post("/", content=body)).status_code for _ in range(3000)]
        tasks = len(asyncio.all_tasks()) - before
        await webhooks.drain(timeout=0)

    assert statuses.count(200) == webhooks.max_pending_events == 1000
    assert statuses.count(503) == 2000
    assert tasks <= webhooks.max_concurrent_events == 64
    assert webhooks.pending == 0


async def test_drain_waits_for_queued_events_and_drops_them_at_its_timeout(
    events: EventRouter, caplog: pytest.LogCaptureFixture
) -> None:
    started: list[str | None] = []

    @events.on(CdrEvent)
    async def hangs(event: CdrEvent) -> None:
        started.append(event.unique_id)
        await asyncio.Event().wait()

    webhooks = simotel_router(events=events, max_concurrent_events=1)
    async with client_of(webhooks) as client:
        for n in range(3):
            await client.post("/", json=cdr(unique_id=f"c{n}"))
    await asyncio.sleep(0.01)
    with caplog.at_level(logging.ERROR, logger="simotel_async.webhooks"):
        await webhooks.drain(timeout=0.05)

    assert started == ["c0"]
    assert webhooks.pending == 0
    assert "2 queued webhook events dropped" in caplog.text


async def test_every_accepted_event_is_handled_through_the_queue(
    events: EventRouter, recorder: Recorder
) -> None:
    webhooks = simotel_router(events=events, max_concurrent_events=2)
    async with client_of(webhooks) as client:
        responses = await asyncio.gather(
            *(client.post("/", json=cdr(unique_id=f"c{n}")) for n in range(200))
        )
    await webhooks.drain()

    assert {response.status_code for response in responses} == {200}
    assert sorted(e.unique_id or "" for e in recorder.events) == sorted(f"c{n}" for n in range(200))
    assert webhooks.pending == 0


async def test_odd_multipart_bodies_get_an_answer_not_a_crash(
    webhooks: SimotelRouter, recorder: Recorder
) -> None:
    odd_charset = (
        b"--xyz\r\n"
        b'Content-Disposition: form-data; name="event_name"\r\n'
        b"Content-Type: text/plain; charset=no-such-charset\r\n\r\n"
        b"NewState\r\n--xyz--\r\n"
    )
    async with client_of(webhooks) as client:
        accepted = await client.post(
            "/", content=odd_charset, headers={"content-type": "multipart/form-data; boundary=xyz"}
        )
        no_boundary = await client.post(
            "/", content=odd_charset, headers={"content-type": "multipart/form-data"}
        )
    await webhooks.drain()

    assert accepted.status_code == 200
    assert [event.name for event in recorder.events] == ["NewState"]
    assert no_boundary.status_code == 400
    assert no_boundary.json()["detail"] == (
        "multipart webhook body has no boundary in its Content-Type"
    )
