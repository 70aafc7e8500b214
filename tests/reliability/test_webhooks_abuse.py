"""Webhooks under abuse over real HTTP: uvicorn on 127.0.0.1, raw sockets and httpx.

Oversized, malformed, wrong-credential, many-field and dripping bodies get a 4xx quickly
without reaching a handler; dialplan replies stay inside Simotel's one-second budget
while 20 MB forms arrive; valid events of any size under the cap are accepted.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import select
import socket
import statistics
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from simotel_async.webhooks import (
    DialplanRequest,
    DialplanRouter,
    Event,
    EventRouter,
    ExtenApiReply,
)
from simotel_async.webhooks.fastapi import SimotelRouter, simotel_router

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AUTH = ("simotel", "s3cret")
MIB = 1024 * 1024
BUDGET = 1.0
"""Seconds Simotel waits for a dialplan reply."""

FORM_20MB = b"a=1&" * 5_000_000  # 20 MB, 5M fields: the defect's hostile form
DIALPLAN_FORM = b"app_name=exten&src=0912&dst=200&data=&unique_id=1.1"


def cdr(**extra: Any) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (FIXTURES / "events" / "Cdr.json").read_text(encoding="utf-8")
    )
    return {**loaded, **extra}


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


class Server:
    """An app served by uvicorn in its own thread and event loop, as in production."""

    def __init__(self, app: FastAPI) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="error", access_log=False, ws="none")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


class Handled:
    """Events the handlers received (appended from the server's thread)."""

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


def app_with(*routers: SimotelRouter) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        for router in routers:
            await router.drain(timeout=0)

    app = FastAPI(lifespan=lifespan)
    for router in routers:
        app.include_router(router)
    return app


class Site:
    """The module's server: ``/open`` (no credentials) and ``/hook`` (credentials, but
    dialplan requests allowed without them, the case of defect 7)."""

    def __init__(self, server: Server, handled: Handled) -> None:
        self.server = server
        self.handled = handled
        self.port = server.port
        self.url = server.url


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    events = EventRouter()
    handled = Handled(events)
    open_ = simotel_router(events=events, dialplan=dialplan_router(), prefix="/open")
    hook = simotel_router(
        events=events,
        dialplan=dialplan_router(),
        prefix="/hook",
        username=AUTH[0],
        password=AUTH[1],
        authenticate_dialplan=False,
    )
    with Server(app_with(open_, hook)) as server:
        yield Site(server, handled)


@pytest.fixture
def handled(site: Site) -> Handled:
    site.handled.events.clear()
    return site.handled


def exchange(
    port: int,
    head: str,
    body: bytes = b"",
    *,
    chunk: int = 65536,
    drip: float = 0.0,
    expect: bool = False,
    timeout: float = 10.0,
) -> tuple[int | None, bytes, float]:
    """Send a raw request (stopping as soon as the server answers); read the answer.

    With ``expect``, the body follows only if no answer came within a second, as curl
    does with ``Expect: 100-continue``. Returns the status (``None`` when the
    connection broke first), the raw answer and the seconds it took.
    """
    start = time.perf_counter()
    data = b""
    if expect:
        head += "Expect: 100-continue\n"
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
            if expect:
                select.select([sock], [], [], 1.0)
            for offset in range(0, len(body), chunk):
                if select.select([sock], [], [], 0)[0]:
                    break  # the server has answered: stop sending
                sock.sendall(body[offset : offset + chunk])
                if drip:
                    time.sleep(drip)
            while part := sock.recv(65536):
                data += part
        except OSError:
            pass
    elapsed = time.perf_counter() - start
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else None
    return status, data, elapsed


def head(path: str, length: int | None, *extra: str) -> str:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *extra]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return "\n".join(lines) + "\n"


def detail(answer: bytes) -> str:
    text: str = json.loads(answer.partition(b"\r\n\r\n")[2])["detail"]
    return text


# --- 4xx quickly, no handler -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/open", "/hook"])
def test_a_20mb_form_gets_413_at_once(site: Site, handled: Handled, path: str) -> None:
    auth = f"Authorization: {basic(*AUTH)}"
    status, answer, elapsed = exchange(
        site.port, head(path, len(FORM_20MB), auth), FORM_20MB, expect=True
    )

    assert status == 413, answer[:300]
    assert "over the limit of 1048576 bytes" in detail(answer)
    assert elapsed < 0.5
    assert handled.events == []


def test_a_chunked_body_over_the_cap_gets_413(site: Site, handled: Handled) -> None:
    body = b"".join(
        b"%x\r\n%s\r\n" % (len(part), part) for part in [b"a=1&" * 16384] * 17
    )  # 17 chunks of 64 KiB: just over 1 MiB, no Content-Length
    status, answer, elapsed = exchange(
        site.port, head("/open", None, "Transfer-Encoding: chunked"), body
    )

    assert status == 413, answer[:300]
    assert elapsed < 0.5
    assert handled.events == []


def test_wrong_credentials_get_401_without_the_body_being_read(
    site: Site, handled: Handled
) -> None:
    wrong = f"Authorization: {basic('simotel', 'wrong')}"
    status, answer, elapsed = exchange(site.port, head("/hook", len(FORM_20MB), wrong))

    assert status == 401, answer[:300]
    assert detail(answer) == "invalid or missing Simotel API credentials"
    assert elapsed < 0.5
    assert handled.events == []


def test_a_malformed_body_gets_400_naming_the_error(site: Site, handled: Handled) -> None:
    body = b'{"event_name": "Cdr", "src": '
    status, answer, elapsed = exchange(site.port, head("/open", len(body)), body)

    assert status == 400
    assert detail(answer) == (
        "webhook body is not valid JSON: Expecting value: line 1 column 29 (char 28)"
    )
    assert elapsed < 0.5
    assert handled.events == []


def test_a_form_with_many_fields_gets_413(site: Site, handled: Handled) -> None:
    body = b"&".join(b"f%d=1" % index for index in range(5000))
    status, answer, elapsed = exchange(site.port, head("/open", len(body)), body)

    assert status == 413
    assert "more than 1000 fields" in detail(answer)
    assert elapsed < 0.5
    assert handled.events == []


@pytest.mark.parametrize("size", [1_000, 70_000, 1_040_000])
def test_valid_events_of_any_size_under_the_cap_are_accepted(
    site: Site, handled: Handled, size: int
) -> None:
    body = json.dumps(cdr(userfield="x" * size)).encode()
    assert len(body) <= MIB

    response = httpx.post(f"{site.url}/open", content=body)
    deadline = time.monotonic() + 5
    while not handled.events and time.monotonic() < deadline:
        time.sleep(0.01)

    assert response.status_code == 200
    assert response.json() == {"status": "accepted", "event": "Cdr"}
    [event] = handled.events
    assert len(event.extra["userfield"]) == size


def test_a_dripping_body_gets_408_at_the_body_timeout() -> None:
    events = EventRouter()
    handled = Handled(events)
    router = simotel_router(events=events, body_timeout=0.5)
    body = json.dumps(cdr()).encode()

    with Server(app_with(router)) as server:
        status, answer, elapsed = exchange(
            server.port, head("/", len(body)), body, chunk=1, drip=0.05
        )

    assert status == 408
    assert detail(answer) == "webhook body was not received within 0.5 s (body_timeout)"
    assert 0.5 <= elapsed < 1.5
    assert handled.events == []


def test_a_flood_of_events_with_hanging_handlers_gets_503_beyond_the_backlog() -> None:
    events = EventRouter()

    @events.on_any
    async def hangs(event: Event) -> None:
        await asyncio.Event().wait()

    router = simotel_router(events=events, max_concurrent_events=5, max_pending_events=50)
    body = json.dumps(cdr()).encode()

    async def flood(url: str) -> Counter[int]:
        async with httpx.AsyncClient(base_url=url) as client:
            responses = await asyncio.gather(*(client.post("/", content=body) for _ in range(300)))
        return Counter(response.status_code for response in responses)

    with Server(app_with(router)) as server:
        statuses = asyncio.run(flood(server.url))
        pending = router.pending

    assert statuses == {200: 50, 503: 250}
    assert pending == 50


def test_the_dialplan_fallback_goes_out_at_the_deadline_whatever_the_handler_does() -> None:
    """Defect 10: a handler sleeping 5 s in ``except CancelledError`` held the reply."""
    dialplan = DialplanRouter(timeout=0.3, fallback=ExtenApiReply("100"))

    @dialplan.on("exten")
    async def stubborn(request: DialplanRequest) -> ExtenApiReply:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            await asyncio.sleep(1)
        return ExtenApiReply("999")

    router = simotel_router(dialplan=dialplan)
    with Server(app_with(router)) as server:
        start = time.perf_counter()
        response = httpx.post(server.url, content=DIALPLAN_FORM)
        elapsed = time.perf_counter() - start
        abandoned = dialplan.abandoned
        time.sleep(1.1)

    print(f"\ndialplan fallback with a stubborn handler: {elapsed * 1000:.0f} ms (timeout 300 ms)")
    assert response.json() == {"ok": "1", "extension": "100"}
    assert elapsed < 0.3 + 0.2
    assert abandoned == 1
    assert dialplan.abandoned == 0


# --- dialplan latency during abuse -----------------------------------------------------


class Abuser(threading.Thread):
    """Sends one kind of hostile request in a loop until stopped; counts the outcomes."""

    def __init__(self, send: Callable[[], tuple[int | None, bytes, float]]) -> None:
        super().__init__(daemon=True)
        self.send = send
        self.stop = threading.Event()
        self.outcomes: Counter[int | None] = Counter()
        self.slowest = 0.0

    def run(self) -> None:
        while not self.stop.is_set():
            status, _, elapsed = self.send()
            self.outcomes[status] += 1
            self.slowest = max(self.slowest, elapsed)


@pytest.mark.slow
def test_dialplan_replies_stay_under_budget_while_20mb_forms_arrive(
    site: Site, handled: Handled
) -> None:
    port = site.port
    wrong = f"Authorization: {basic('simotel', 'wrong')}"
    big_json = json.dumps(cdr(userfield="x" * 1_000_000)).encode()
    wide_form = b"&".join(b"f%d=%s" % (index, b"v" * 1000) for index in range(1000))
    chunked_20mb = b"%x\r\n%s\r\n0\r\n\r\n" % (len(FORM_20MB), FORM_20MB)
    abusers = [
        Abuser(lambda: exchange(port, head("/open", len(FORM_20MB)), FORM_20MB)),
        Abuser(lambda: exchange(port, head("/hook", len(FORM_20MB), wrong), FORM_20MB)),
        Abuser(
            lambda: exchange(port, head("/open", None, "Transfer-Encoding: chunked"), chunked_20mb)
        ),
        # Under the caps: parsed, off the event loop.
        Abuser(lambda: exchange(port, head("/open", len(big_json)), big_json)),
        Abuser(lambda: exchange(port, head("/open", len(wide_form)), wide_form)),
    ]
    for abuser in abusers:
        abuser.start()

    latencies: list[float] = []
    try:
        with httpx.Client(base_url=site.url, timeout=30) as client:
            time.sleep(0.2)
            end = time.monotonic() + 3
            while time.monotonic() < end:
                for path in ("/open", "/hook"):
                    start = time.perf_counter()
                    response = client.post(
                        path,
                        content=DIALPLAN_FORM,
                        headers={"content-type": "application/x-www-form-urlencoded"},
                    )
                    latencies.append(time.perf_counter() - start)
                    assert response.json() == {"ok": "1", "extension": "120"}
                time.sleep(0.02)
    finally:
        for abuser in abusers:
            abuser.stop.set()
        for abuser in abusers:
            abuser.join(60)

    outcomes = [dict(abuser.outcomes) for abuser in abusers]
    latencies.sort()
    p50, p99 = statistics.median(latencies), latencies[int(len(latencies) * 0.99)]
    print(
        f"\ndialplan replies during abuse: n={len(latencies)} p50={p50 * 1000:.1f} ms "
        f"p99={p99 * 1000:.1f} ms max={latencies[-1] * 1000:.1f} ms (budget {BUDGET:.0f} s)"
        f"\nabuse outcomes by status: {outcomes}"
        f"\nslowest abusive exchange: {max(a.slowest for a in abusers) * 1000:.0f} ms"
    )
    assert latencies[-1] < BUDGET
    assert p50 < 0.1
    # None: the server refused and closed while the rest of the 20 MB was in flight, so
    # the client saw a reset before it could read the answer.
    assert all(set(outcome) <= {413, 401, None} for outcome in outcomes[:3]), outcomes
    assert all(outcome[413] > 0 for outcome in (outcomes[0], outcomes[2])), outcomes
    assert set(outcomes[3]) == {200}, outcomes  # a 1 MB event under the cap is accepted
    assert set(outcomes[4]) == {200}, outcomes
    assert all(event.name in {"Cdr", ""} for event in handled.events)
