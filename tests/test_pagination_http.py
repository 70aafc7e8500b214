"""Paginators through a real ``AsyncSimotel``: the HTTP requests they cause, retries and
rate limits underneath them, and connections after leaving early (over loopback)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from simotel_async import AsyncSimotel, RateLimit, RetryPolicy
from simotel_async._pagination import AsyncCursor, AsyncPaginator
from tests.test_pagination import ORDERED, SEARCH, Store, make_record, ns

NO_WAIT = RetryPolicy(backoff_initial=0)


class Handler:
    """An async ``httpx.MockTransport`` handler serving a ``Store`` in Simotel envelopes.

    ``respond`` may answer a request body with its own response (errors, 429s);
    ``turns`` is how many event-loop turns a request takes.
    """

    def __init__(
        self,
        store: Store,
        *,
        respond: Callable[[dict[str, Any]], httpx.Response | None] | None = None,
        turns: int = 3,
    ) -> None:
        self.store = store
        self.respond = respond
        self.turns = turns
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.in_flight = 0
        self.max_in_flight = 0

    @property
    def starts(self) -> list[int]:
        return [body["pagination"]["start"] for _, _, body in self.requests]

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append((request.method, request.url.path, body))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            for _ in range(self.turns):
                await asyncio.sleep(0)
        finally:
            self.in_flight -= 1
        if self.respond is not None and (response := self.respond(body)) is not None:
            return response
        if request.url.path.endswith("/ordered/id"):
            data = self.store.ordered(body)
        else:
            data = self.store.search(body)
        return httpx.Response(200, json={"success": 1, "message": "", "data": data})


@pytest.fixture
async def connect() -> AsyncIterator[Callable[..., AsyncSimotel]]:
    clients: list[AsyncSimotel] = []

    def factory(handler: Handler, **kwargs: Any) -> AsyncSimotel:
        kwargs.setdefault("retry", NO_WAIT)
        client = AsyncSimotel(
            "https://pbx.example.com",
            api_key="KEY",
            transport=httpx.MockTransport(handler),
            **kwargs,
        )
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.aclose()


async def test_walk_posts_to_the_v4_search_path(connect: Callable[..., AsyncSimotel]) -> None:
    handler = Handler(Store(230))
    simotel = connect(handler)
    filters = {"alike": "true", "conditions": {"src": "101"}}
    paginator = AsyncPaginator(simotel, SEARCH, filters, sort={"starttime": -1})
    assert ns(await paginator.to_list()) == list(range(230))
    assert [(method, path) for method, path, _ in handler.requests] == [
        ("POST", "/api/v4/reports/cdr/search")
    ] * 3
    assert [body for _, _, body in handler.requests] == [
        {**filters, "pagination": {"start": s, "count": 100, "sorting": {"starttime": -1}}}
        for s in (0, 100, 200)
    ]


@pytest.mark.parametrize("concurrency", [1, 8])
async def test_503_on_page_7_is_retried_and_the_walk_is_complete(
    connect: Callable[..., AsyncSimotel], concurrency: int
) -> None:
    failed: list[int] = []

    def once_503(body: dict[str, Any]) -> httpx.Response | None:
        if body["pagination"]["start"] == 600 and not failed:
            failed.append(600)
            return httpx.Response(503, json={"success": 0, "message": "busy", "data": None})
        return None

    handler = Handler(Store(1234), respond=once_503)
    simotel = connect(handler)
    records = await AsyncPaginator(simotel, SEARCH, concurrency=concurrency).to_list()
    assert ns(records) == list(range(1234))
    assert simotel.retries == 1
    assert sorted(handler.starts) == sorted([*range(0, 1300, 100), 600])


async def test_429_under_concurrency_is_retried_not_yielded_twice(
    connect: Callable[..., AsyncSimotel],
) -> None:
    refused: set[int] = set()

    def throttle(body: dict[str, Any]) -> httpx.Response | None:
        start = body["pagination"]["start"]
        if start % 300 == 0 and start not in refused:
            refused.add(start)
            return httpx.Response(429, headers={"Retry-After": "0"}, json={"success": 0})
        return None

    handler = Handler(Store(1000), respond=throttle)
    simotel = connect(handler, rate_limit=RateLimit(max_concurrency=3))
    records = await AsyncPaginator(simotel, SEARCH, concurrency=8).to_list()
    assert ns(records) == list(range(1000))
    assert simotel.retries == len(refused) == 4
    assert handler.max_in_flight <= 3  # the client's cap holds, whatever the paginator asks


async def test_concurrency_through_the_client(connect: Callable[..., AsyncSimotel]) -> None:
    handler = Handler(Store(2000), turns=5)
    simotel = connect(handler)
    records = await AsyncPaginator(simotel, SEARCH, concurrency=8).to_list()
    assert ns(records) == list(range(2000))
    assert handler.max_in_flight == 8


async def test_cursor_over_http_resumes_from_a_saved_last_id(
    connect: Callable[..., AsyncSimotel],
) -> None:
    store = Store(70)
    handler = Handler(store)
    simotel = connect(handler)
    cursor = AsyncCursor(simotel, ORDERED)
    head = []
    async for page in cursor.pages():
        head.extend(page.items)
        break
    saved = cursor.last_id
    assert saved == make_record(19)["_id"]

    rest = await AsyncCursor(simotel, ORDERED, after_id=saved).to_list()
    assert ns(head + rest) == list(range(70))
    assert [(path, body) for _, path, body in handler.requests][:2] == [
        ("/api/v4/reports/cdr/ordered/id", {"_id": ""}),
        ("/api/v4/reports/cdr/ordered/id", {"_id": saved}),
    ]


# -- over loopback: connections after leaving early --------------------------------------


class LoopbackServer:
    """Simotel searches from a ``Store`` served by uvicorn on 127.0.0.1 in a thread.

    Requests for which ``hold`` is true wait until :meth:`release` is called, so they
    stay in flight for as long as the test needs.
    """

    def __init__(self, store: Store, hold: Callable[[dict[str, Any]], bool]) -> None:
        self.store = store
        self.hold = hold
        self.in_flight = 0
        self.holding = threading.Event()
        self.expect_held = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._release: asyncio.Event | None = None
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=0,
            log_level="error",
            lifespan="off",
            ws="none",
            interface="asgi3",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if self._loop is None:
            self._loop, self._release = asyncio.get_running_loop(), asyncio.Event()
        assert self._release is not None
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        body = json.loads(raw)
        if self.hold(body):
            self.in_flight += 1
            if self.in_flight >= self.expect_held:
                self.holding.set()
            await self._release.wait()
            self.in_flight -= 1
        payload = {"success": 1, "message": "", "data": self.store.search(body)}
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": json.dumps(payload).encode()})

    def start(self) -> None:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            self.thread.join(0.01)

    def stop(self) -> None:
        if self._loop is not None and self._release is not None:
            self._loop.call_soon_threadsafe(self._release.set)
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer(Store(5000), hold=lambda body: body["pagination"]["start"] > 0)
    server.start()
    yield server
    server.stop()


def pool_is_clean(simotel: AsyncSimotel) -> bool:
    """No call in flight, no pool permit held and no busy connection (the public view)."""
    pool = simotel.pool
    return pool.calls_in_flight == 0 and pool.permits_in_use == 0 and pool.connections_in_use == 0


def other_tasks() -> set[asyncio.Task[Any]]:
    return asyncio.all_tasks() - {asyncio.current_task()}  # type: ignore[operator]


async def wait_until(condition: Callable[[], bool]) -> None:
    """Poll while sockets close (a safety bound, not a timing assertion)."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition never held")


async def test_break_after_3_records_at_concurrency_8_frees_everything(
    loopback: LoopbackServer,
) -> None:
    loopback.expect_held = 8
    async with AsyncSimotel(loopback.url, api_key="KEY") as simotel:
        async with AsyncPaginator(simotel, SEARCH, concurrency=8) as paginator:
            seen = []
            async for record in paginator:
                seen.append(record)
                if len(seen) == 3:
                    assert await asyncio.to_thread(loopback.holding.wait, 10)
                    assert simotel._gate.in_use == 8
                    break
        # Leaving ``async with`` cancelled and awaited the 8 requests in flight.
        assert other_tasks() == set()
        assert pool_is_clean(simotel)
        assert paginator.next_start == 3
        # The pool still works: the same client finishes a walk.
        loopback.hold = lambda body: False
        rest = await AsyncPaginator(simotel, SEARCH, start=3, limit=200).to_list()
        assert ns(seen + rest) == list(range(203))


async def test_plain_break_frees_everything_once_collected(loopback: LoopbackServer) -> None:
    loopback.expect_held = 8
    async with AsyncSimotel(loopback.url, api_key="KEY") as simotel:
        count = 0
        async for _ in AsyncPaginator(simotel, SEARCH, concurrency=8):
            count += 1
            if count == 3:
                assert await asyncio.to_thread(loopback.holding.wait, 10)
                break
        await wait_until(lambda: pool_is_clean(simotel) and not other_tasks())


async def test_cancelled_consumer_frees_everything(loopback: LoopbackServer) -> None:
    loopback.expect_held = 8
    async with AsyncSimotel(loopback.url, api_key="KEY") as simotel:
        paginator = AsyncPaginator(simotel, SEARCH, concurrency=8)
        seen: list[dict[str, Any]] = []

        async def consume() -> None:
            async for record in paginator:
                seen.append(record)

        task = asyncio.create_task(consume())
        assert await asyncio.to_thread(loopback.holding.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert ns(seen) == list(range(100))
        assert other_tasks() == set()
        assert pool_is_clean(simotel)
