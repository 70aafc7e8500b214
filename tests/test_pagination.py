"""AsyncPaginator and AsyncCursor against a stateful in-memory server (no HTTP).

``Store`` holds the records and answers paginated searches and ordered reads the way
Simotel does; ``FakeClient`` is the one method the paginators need from
``AsyncSimotel`` (``request``), with hooks to delay, block, and count requests.
The HTTP-level tests in ``test_pagination_http.py`` reuse both.
"""

from __future__ import annotations

import asyncio
import bisect
import copy
import logging
import random
from collections.abc import AsyncIterator, Callable
from typing import Any

import attrs
import pytest

from simotel_async import ServerError, SimotelResponseError
from simotel_async._pagination import STALE_PAGES, AsyncCursor, AsyncPaginator, CursorPage, Page

SEARCH = "reports.cdr.search"
ORDERED = "reports.cdr.ordered"


def make_record(n: int) -> dict[str, Any]:
    return {"_id": f"64b8{n:020x}", "n": n, "src": str(100 + n % 7)}


class Store:
    """Records in the server's sort order; answers ``search`` and ``ordered`` bodies.

    Args:
        n: how many records to start with.
        cap: the most records one search returns, whatever ``count`` asks.
        extra: records returned beyond ``count`` (a server that ignores it).
        ignore_start: answer every search from offset 0.
        cursor_page: records per ordered read (Simotel: 20).
    """

    def __init__(
        self,
        n: int,
        *,
        cap: int | None = None,
        extra: int = 0,
        ignore_start: bool = False,
        cursor_page: int = 20,
    ) -> None:
        self.records = [make_record(i) for i in range(n)]
        self.cap = cap
        self.extra = extra
        self.ignore_start = ignore_start
        self.cursor_page = cursor_page
        self._inserted = 0

    @property
    def ids(self) -> list[str]:
        return [record["_id"] for record in self.records]

    def insert_front(self, k: int) -> None:
        """Add ``k`` records before all others, as new calls do in a newest-first report."""
        for _ in range(k):
            self._inserted += 1
            self.records.insert(0, {"_id": f"new{self._inserted:05d}", "n": -self._inserted})

    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        pagination = body["pagination"]
        start = 0 if self.ignore_start else pagination["start"]
        count = pagination["count"] if self.cap is None else min(self.cap, pagination["count"])
        page = self.records[start : start + count + self.extra]
        return {
            "pagination": {**pagination, "total": len(self.records)},
            "target": "cdr",
            "useGroupBy": False,
            "data": copy.deepcopy(page),
        }

    def ordered(self, body: dict[str, Any]) -> dict[str, Any]:
        ids = sorted(self.ids)
        after = body["_id"]
        index = bisect.bisect_right(ids, after) if after else 0
        by_id = {record["_id"]: record for record in self.records}
        page = [copy.deepcopy(by_id[i]) for i in ids[index : index + self.cursor_page]]
        return {"last_id": page[-1]["_id"] if page else after, "data": page}


class FakeClient:
    """``AsyncSimotel.request`` over a ``Store``, recording and pacing every request.

    Args:
        store: the server state.
        delay: how many event-loop turns a request takes, from its body (lets
            concurrent requests overlap and finish out of order).
        hold: requests for which this returns True wait for ``release`` to be set.
        before: called with each body before it is answered (e.g. to insert records).
        fail: called with each body; an exception it returns is raised instead.
    """

    def __init__(
        self,
        store: Store,
        *,
        delay: Callable[[dict[str, Any]], int] = lambda body: 2,
        hold: Callable[[dict[str, Any]], bool] = lambda body: False,
        before: Callable[[dict[str, Any]], None] | None = None,
        fail: Callable[[dict[str, Any]], Exception | None] | None = None,
    ) -> None:
        self.store = store
        self.delay = delay
        self.hold = hold
        self.before = before
        self.fail = fail
        self.release = asyncio.Event()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.cancelled = 0

    @property
    def starts(self) -> list[int]:
        return [body["pagination"]["start"] for _, body in self.calls]

    async def request(self, endpoint_id: str, body: Any = None) -> Any:
        body = copy.deepcopy(dict(body or {}))
        self.calls.append((endpoint_id, body))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            for _ in range(self.delay(body)):
                await asyncio.sleep(0)
            if self.hold(body):
                await self.release.wait()
            if self.before is not None:
                self.before(body)
            if self.fail is not None and (error := self.fail(body)) is not None:
                raise error
            if endpoint_id.endswith(".ordered"):
                return self.store.ordered(body)
            return self.store.search(body)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1


async def settle(condition: Callable[[], bool], turns: int = 200) -> None:
    """Let the event loop run until ``condition()`` holds (bounded, no wall clock)."""
    for _ in range(turns):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never held")


def other_tasks() -> set[asyncio.Task[Any]]:
    return asyncio.all_tasks() - {asyncio.current_task()}  # type: ignore[operator]


def ns(records: list[dict[str, Any]]) -> list[int]:
    return [record["n"] for record in records]


async def collect(records: AsyncIterator[Any], into: list[Any]) -> None:
    """Append every record to ``into`` (kept by the caller when the walk raises)."""
    async for record in records:
        into.append(record)


# -- sequential walks -------------------------------------------------------------------


async def test_sequential_walk_sends_exact_requests() -> None:
    client = FakeClient(Store(250))
    filters = {"alike": "true", "conditions": {"src": "101"}, "date_range": {"from": "x"}}
    paginator = AsyncPaginator(client, SEARCH, filters, sort={"starttime": -1})
    assert client.calls == []  # created without I/O
    assert (paginator.total, paginator.next_start) == (None, 0)

    records = await paginator.to_list()

    assert ns(records) == list(range(250))
    assert [endpoint for endpoint, _ in client.calls] == [SEARCH] * 3
    assert [body for _, body in client.calls] == [
        {**filters, "pagination": {"start": s, "count": 100, "sorting": {"starttime": -1}}}
        for s in (0, 100, 200)
    ]
    assert (paginator.total, paginator.next_start, paginator.total_changed) == (250, 250, False)
    assert client.max_in_flight == 1


async def test_default_sorting_is_the_servers() -> None:
    client = FakeClient(Store(5))
    await AsyncPaginator(client, SEARCH, page_size=2).to_list()
    assert [body["pagination"] for _, body in client.calls] == [
        {"start": 0, "count": 2, "sorting": {}},
        {"start": 2, "count": 2, "sorting": {}},
        {"start": 4, "count": 2, "sorting": {}},
    ]


async def test_exact_multiple_of_page_size_needs_no_extra_request() -> None:
    client = FakeClient(Store(300))
    assert len(await AsyncPaginator(client, SEARCH).to_list()) == 300
    assert client.starts == [0, 100, 200]


async def test_pages_carry_start_and_total() -> None:
    client = FakeClient(Store(250))
    pages = [page async for page in AsyncPaginator(client, SEARCH).pages()]
    assert [(page.start, page.total, len(page.items)) for page in pages] == [
        (0, 250, 100),
        (100, 250, 100),
        (200, 250, 50),
    ]
    assert isinstance(pages[0], Page)
    assert ns(list(pages[2].items)) == list(range(200, 250))


async def test_total_zero_is_one_request_and_no_records() -> None:
    client = FakeClient(Store(0))
    paginator = AsyncPaginator(client, SEARCH)
    assert [record async for record in paginator] == []
    assert client.starts == [0]
    assert (paginator.total, paginator.next_start) == (0, 0)


async def test_decode_turns_records_into_models() -> None:
    @attrs.frozen
    class Cdr:
        id: str
        n: int

    client = FakeClient(Store(3))
    paginator = AsyncPaginator(client, SEARCH, decode=lambda raw: Cdr(id=raw["_id"], n=raw["n"]))
    records = await paginator.to_list()
    assert records == [Cdr(id=make_record(i)["_id"], n=i) for i in range(3)]


async def test_decode_error_leaves_next_start_before_the_bad_record() -> None:
    def decode(raw: dict[str, Any]) -> int:
        if raw["n"] == 42:
            raise SimotelResponseError("cannot decode field 'n'", endpoint=SEARCH)
        return int(raw["n"])

    paginator = AsyncPaginator(FakeClient(Store(100)), SEARCH, decode=decode, page_size=30)
    seen: list[int] = []
    with pytest.raises(SimotelResponseError, match="cannot decode"):
        await collect(paginator, seen)
    assert seen == list(range(42))
    assert paginator.next_start == 42


# -- limit ------------------------------------------------------------------------------


@pytest.mark.parametrize("concurrency", [1, 8])
async def test_limit_stops_without_extra_requests(concurrency: int) -> None:
    client = FakeClient(Store(1000))
    paginator = AsyncPaginator(client, SEARCH, limit=250, concurrency=concurrency)
    assert ns(await paginator.to_list()) == list(range(250))
    assert sorted(
        (b["pagination"]["start"], b["pagination"]["count"]) for _, b in client.calls
    ) == [
        (0, 100),
        (100, 100),
        (200, 50),
    ]
    assert paginator.next_start == 250


async def test_limit_below_page_size_asks_for_limit() -> None:
    client = FakeClient(Store(1000))
    assert ns(await AsyncPaginator(client, SEARCH, limit=7).to_list()) == list(range(7))
    assert [body["pagination"]["count"] for _, body in client.calls] == [7]


async def test_limit_zero_sends_nothing() -> None:
    client = FakeClient(Store(10))
    assert await AsyncPaginator(client, SEARCH, limit=0).to_list() == []
    assert client.calls == []


async def test_limit_counts_records_yielded_not_offsets() -> None:
    store = Store(1000)
    client = FakeClient(
        store, before=lambda b: b["pagination"]["start"] == 100 and store.insert_front(3)
    )
    records = await AsyncPaginator(client, SEARCH, limit=150).to_list()
    assert ns(records) == list(range(150))  # three duplicates dropped, three more fetched
    assert [(b["pagination"]["start"], b["pagination"]["count"]) for _, b in client.calls] == [
        (0, 100),
        (100, 50),
        (150, 3),
    ]


# -- resuming ---------------------------------------------------------------------------


async def test_next_start_resumes_exactly_after_a_break() -> None:
    client = FakeClient(Store(250))
    first = AsyncPaginator(client, SEARCH, concurrency=4)
    head: list[dict[str, Any]] = []
    async with first:
        async for record in first:
            head.append(record)
            if len(head) == 137:
                break
    assert first.next_start == 137

    rest = await AsyncPaginator(client, SEARCH, start=first.next_start).to_list()
    assert ns(head + rest) == list(range(250))
    assert [body["pagination"]["start"] for _, body in client.calls[-2:]] == [137, 237]


async def test_next_start_after_pages() -> None:
    paginator = AsyncPaginator(FakeClient(Store(250)), SEARCH)
    async for page in paginator.pages():
        assert paginator.next_start == page.start + len(page.items)
        if page.start == 100:
            break
    assert paginator.next_start == 200
    await paginator.aclose()


async def test_each_iteration_walks_from_start_again() -> None:
    client = FakeClient(Store(30))
    paginator = AsyncPaginator(client, SEARCH, page_size=10, start=5)
    assert ns(await paginator.to_list()) == list(range(5, 30))
    assert ns(await paginator.to_list()) == list(range(5, 30))
    assert client.starts == [5, 15, 25] * 2


# -- misbehaving servers ----------------------------------------------------------------


@pytest.mark.parametrize("concurrency", [1, 8])
async def test_server_ignoring_start_raises_instead_of_spinning(concurrency: int) -> None:
    client = FakeClient(Store(1000, ignore_start=True))
    paginator = AsyncPaginator(client, SEARCH, concurrency=concurrency)
    seen: list[dict[str, Any]] = []
    with pytest.raises(SimotelResponseError, match=r"ignored pagination\.start") as info:
        await collect(paginator, seen)
    assert info.value.endpoint == SEARCH
    assert ns(seen) == list(range(100))  # the first page, once
    assert len(client.calls) <= 1 + concurrency
    assert other_tasks() == set()


async def test_server_returning_more_than_asked_is_truncated() -> None:
    client = FakeClient(Store(250, extra=30))
    assert ns(await AsyncPaginator(client, SEARCH).to_list()) == list(range(250))
    assert client.starts == [0, 100, 200]


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_server_capping_page_size_is_followed(concurrency: int) -> None:
    client = FakeClient(Store(250, cap=40))
    paginator = AsyncPaginator(client, SEARCH, concurrency=concurrency)
    assert ns(await paginator.to_list()) == list(range(250))
    # The first wave asks for full pages; the first answer shows the cap and the walk
    # goes on from there with pages of 40.
    assert client.starts[:concurrency] == list(range(0, 100 * concurrency, 100))
    assert sorted(client.starts[concurrency:]) == [40, 80, 120, 160, 200, 240]
    counts = [body["pagination"]["count"] for _, body in client.calls]
    assert counts[concurrency:] == [40] * 6


async def test_empty_page_before_total_ends_the_walk() -> None:
    store = Store(300)
    client = FakeClient(
        store, before=lambda b: b["pagination"]["start"] == 100 and store.records.clear()
    )
    paginator = AsyncPaginator(client, SEARCH)
    assert ns(await paginator.to_list()) == list(range(100))
    assert client.starts == [0, 100]
    assert (paginator.total, paginator.total_changed) == (0, True)


@pytest.mark.parametrize(
    "data",
    [None, "", [], {"data": []}, {"pagination": {"total": "many"}, "data": []}, {"pagination": {}}],
)
async def test_malformed_page_is_a_response_error(data: Any) -> None:
    class Broken:
        async def request(self, endpoint_id: str, body: Any = None) -> Any:
            return data

    with pytest.raises(SimotelResponseError, match="expected a paginated result"):
        await AsyncPaginator(Broken(), SEARCH).to_list()


async def test_error_on_a_page_surfaces_in_order_and_cancels_the_rest() -> None:
    client = FakeClient(
        Store(2000),
        hold=lambda b: b["pagination"]["start"] > 600,
        fail=lambda b: (
            ServerError("boom", status_code=500, endpoint=SEARCH)
            if b["pagination"]["start"] == 600
            else None
        ),
    )
    paginator = AsyncPaginator(client, SEARCH, concurrency=8)
    seen: list[dict[str, Any]] = []
    with pytest.raises(ServerError, match="boom"):
        await collect(paginator, seen)
    assert ns(seen) == list(range(600))
    assert paginator.next_start == 600
    assert client.cancelled > 0
    assert other_tasks() == set()
    assert client.in_flight == 0


# -- concurrency ------------------------------------------------------------------------


def jitter(body: dict[str, Any]) -> int:
    """Loop turns per request that make pages finish out of order."""
    return (body["pagination"]["start"] // 100 * 7) % 11


async def test_concurrency_caps_requests_in_flight_and_keeps_order() -> None:
    sequential = FakeClient(Store(2550), delay=jitter)
    concurrent = FakeClient(Store(2550), delay=jitter)

    one = await AsyncPaginator(sequential, SEARCH).to_list()
    eight = await AsyncPaginator(concurrent, SEARCH, concurrency=8).to_list()

    assert eight == one
    assert ns(one) == list(range(2550))
    assert 6 <= concurrent.max_in_flight <= 8
    assert sequential.max_in_flight == 1
    # The first wave: eight pages at once, before any total is known.
    assert concurrent.starts[:8] == list(range(0, 800, 100))
    assert sorted(concurrent.starts) == list(range(0, 2600, 100))


async def test_concurrency_holds_at_most_that_many_pages_ahead() -> None:
    client = FakeClient(Store(5000), delay=lambda body: 0)
    paginator = AsyncPaginator(client, SEARCH, concurrency=3)
    async for record in paginator:
        if record["n"] == 150:
            # Consumer busy on page 1: pages 2, 3, 4 may be fetched, nothing further.
            for _ in range(20):
                await asyncio.sleep(0)
            assert max(client.starts) == 400
            break
    await paginator.aclose()


async def test_concurrency_larger_than_the_walk() -> None:
    client = FakeClient(Store(250), delay=lambda body: 2 + body["pagination"]["start"] // 100)
    assert ns(await AsyncPaginator(client, SEARCH, concurrency=16).to_list()) == list(range(250))
    # The whole first wave went out; the pages past the total were cancelled unanswered.
    assert sorted(client.starts) == list(range(0, 1600, 100))
    assert client.cancelled >= 10


async def test_the_first_wave_never_asks_past_the_limit() -> None:
    client = FakeClient(Store(5000))
    paginator = AsyncPaginator(client, SEARCH, concurrency=8, limit=250)
    assert ns(await paginator.to_list()) == list(range(250))
    assert client.starts == [0, 100, 200]
    assert [body["pagination"]["count"] for _, body in client.calls] == [100, 100, 50]


# -- drift ------------------------------------------------------------------------------


async def test_inserts_during_a_sequential_walk_are_not_duplicated(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = Store(1000)

    def insert(body: dict[str, Any]) -> None:
        if body["pagination"]["start"] in (300, 600):
            store.insert_front(7)

    paginator = AsyncPaginator(FakeClient(store, before=insert), SEARCH)
    with caplog.at_level(logging.WARNING, logger="simotel_async"):
        records = await paginator.to_list()
    assert ns(records) == list(range(1000))  # every original record, once
    assert paginator.total_changed is True
    assert paginator.total == 1014
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # the second change is logged at DEBUG
    assert "total changed from 1000 to 1007" in warnings[0]


async def test_inserts_during_a_concurrent_walk_are_not_duplicated() -> None:
    store = Store(3000)

    def insert(body: dict[str, Any]) -> None:
        if body["pagination"]["start"] % 500 == 0:
            store.insert_front(13)

    paginator = AsyncPaginator(
        FakeClient(store, before=insert, delay=jitter), SEARCH, concurrency=8
    )
    ids = [record["_id"] for record in await paginator.to_list()]
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(store.ids)
    assert paginator.total_changed is True


async def test_duplicates_inside_one_page_are_dropped() -> None:
    class Repeating:
        async def request(self, endpoint_id: str, body: Any = None) -> Any:
            a, b = make_record(0), make_record(1)
            return {"pagination": {"total": 3}, "data": [a, b, a]}

    paginator = AsyncPaginator(Repeating(), SEARCH)
    assert ns(await paginator.to_list()) == [0, 1]
    assert paginator.next_start == 3


async def test_oid_ids_are_deduplicated() -> None:
    records = [{"_id": {"$oid": f"id{i}"}, "n": i} for i in range(4)]

    class Oids:
        async def request(self, endpoint_id: str, body: Any = None) -> Any:
            start = body["pagination"]["start"]
            # One record inserted at the front once the first page was read.
            view = records if start == 0 else [{"_id": {"$oid": "new"}, "n": -1}, *records]
            return {"pagination": {"total": len(view)}, "data": view[start : start + 2]}

    paginator = AsyncPaginator(Oids(), SEARCH, page_size=2)
    assert ns(await paginator.to_list()) == [0, 1, 2, 3]
    assert paginator.total_changed


async def test_records_without_ids_are_kept() -> None:
    class NoIds:
        async def request(self, endpoint_id: str, body: Any = None) -> Any:
            start = body["pagination"]["start"]
            return {"pagination": {"total": 5}, "data": [{"n": i} for i in range(start, 5)][:2]}

    assert ns(await AsyncPaginator(NoIds(), SEARCH, page_size=2).to_list()) == [0, 1, 2, 3, 4]


# -- leaving early ----------------------------------------------------------------------


async def test_break_with_async_with_cancels_requests_in_flight() -> None:
    client = FakeClient(Store(5000), hold=lambda b: b["pagination"]["start"] > 0)
    async with AsyncPaginator(client, SEARCH, concurrency=8) as paginator:
        seen = []
        async for record in paginator:
            seen.append(record)
            if len(seen) == 3:
                await settle(lambda: client.in_flight == 8)
                break
    assert client.cancelled == 8
    assert client.in_flight == 0
    assert other_tasks() == set()
    assert paginator.next_start == 3


async def test_plain_break_cleans_up_when_the_iterator_is_collected() -> None:
    client = FakeClient(Store(5000), hold=lambda b: b["pagination"]["start"] > 0)
    paginator = AsyncPaginator(client, SEARCH, concurrency=8)
    count = 0
    async for _ in paginator:
        count += 1
        if count == 3:
            await settle(lambda: client.in_flight == 8)
            break
    await settle(lambda: client.in_flight == 0)
    await settle(lambda: not other_tasks())
    assert client.cancelled == 8


async def test_exception_in_the_consumer_cancels_requests() -> None:
    client = FakeClient(Store(5000), hold=lambda b: b["pagination"]["start"] > 0)

    async def consume() -> None:
        async with AsyncPaginator(client, SEARCH, concurrency=4) as paginator:
            async for record in paginator:
                await settle(lambda: client.in_flight == 4)
                raise KeyError(record["_id"])

    with pytest.raises(KeyError):
        await consume()
    assert (client.cancelled, client.in_flight) == (4, 0)
    assert other_tasks() == set()


async def test_cancelling_the_consumer_cancels_requests() -> None:
    client = FakeClient(Store(5000), hold=lambda b: b["pagination"]["start"] >= 300)
    paginator = AsyncPaginator(client, SEARCH, concurrency=8)
    seen: list[dict[str, Any]] = []

    task = asyncio.create_task(collect(paginator, seen))
    await settle(lambda: len(seen) == 300 and client.in_flight == 8)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (client.cancelled, client.in_flight) == (8, 0)
    assert other_tasks() == set()
    assert paginator.next_start == 300


async def test_aclose_from_another_task_ends_the_walk() -> None:
    client = FakeClient(Store(5000), hold=lambda b: b["pagination"]["start"] > 0)
    paginator = AsyncPaginator(client, SEARCH, concurrency=2)
    seen: list[dict[str, Any]] = []

    task = asyncio.create_task(collect(paginator, seen))
    await settle(lambda: len(seen) == 100 and client.in_flight == 2)
    await paginator.aclose()
    await task  # ends quietly, without CancelledError
    assert ns(seen) == list(range(100))
    assert (client.cancelled, client.in_flight) == (2, 0)
    with pytest.raises(RuntimeError, match="closed"):
        await paginator.to_list()


# -- arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"page_size": 0}, "page_size"),
        ({"concurrency": 0}, "concurrency"),
        ({"limit": -1}, "limit"),
        ({"start": -5}, "start"),
        ({"page_size": True}, "page_size"),
        ({"sort": {"date": 2}}, "sort"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AsyncPaginator(FakeClient(Store(1)), SEARCH, **kwargs)


def test_body_with_pagination_is_refused() -> None:
    with pytest.raises(ValueError, match="pagination"):
        AsyncPaginator(FakeClient(Store(1)), SEARCH, {"pagination": {"start": 0}})


def test_repr() -> None:
    paginator = AsyncPaginator(FakeClient(Store(1)), SEARCH, concurrency=4)
    assert repr(paginator) == (
        "<AsyncPaginator reports.cdr.search page_size=100 concurrency=4 next_start=0 total=None>"
    )


# -- cursor -----------------------------------------------------------------------------


async def test_cursor_walks_by_last_id() -> None:
    store = Store(45)
    client = FakeClient(store)
    cursor = AsyncCursor(client, ORDERED)
    assert client.calls == []
    records = await cursor.to_list()
    assert ns(records) == list(range(45))
    ids = sorted(store.ids)
    assert [body for _, body in client.calls] == [
        {"_id": ""},
        {"_id": ids[19]},
        {"_id": ids[39]},
        {"_id": ids[44]},  # answered with an empty page: the end
    ]
    assert cursor.last_id == ids[44]


async def test_cursor_resumes_from_a_saved_last_id() -> None:
    store = Store(95)
    cursor = AsyncCursor(FakeClient(store), ORDERED)
    seen: list[dict[str, Any]] = []
    async for record in cursor:
        seen.append(record)
        if len(seen) == 33:
            break
    saved = cursor.last_id
    assert saved == make_record(32)["_id"]

    client = FakeClient(store)
    rest = await AsyncCursor(client, ORDERED, after_id=saved).to_list()
    assert ns(seen + rest) == list(range(95))
    assert client.calls[0][1] == {"_id": saved}


async def test_cursor_pages_expose_last_id() -> None:
    cursor = AsyncCursor(FakeClient(Store(50)), ORDERED, body={"extra": 1})
    pages = [page async for page in cursor.pages()]
    assert [len(page.items) for page in pages] == [20, 20, 10]
    assert [page.last_id for page in pages] == [make_record(i)["_id"] for i in (19, 39, 49)]
    assert isinstance(pages[0], CursorPage)
    assert cursor.last_id == make_record(49)["_id"]


async def test_cursor_stops_when_last_id_does_not_advance(caplog: pytest.LogCaptureFixture) -> None:
    class Stuck:
        calls = 0

        async def request(self, endpoint_id: str, body: Any = None) -> Any:
            self.calls += 1
            return {"last_id": "b", "data": [{"_id": "a"}, {"_id": "b"}]}

    client = Stuck()
    with caplog.at_level(logging.WARNING, logger="simotel_async"):
        records = await AsyncCursor(client, ORDERED).to_list()
    assert records == [{"_id": "a"}, {"_id": "b"}]
    assert client.calls == 2
    assert "did not advance" in caplog.text


async def test_cursor_drops_the_record_an_inclusive_server_repeats() -> None:
    class Inclusive:
        async def request(self, endpoint_id: str, body: Any = None) -> Any:
            ids = ["a", "b", "c", "d", "e"]
            after = body["_id"]
            index = ids.index(after) if after else 0  # _id >= after
            page = [{"_id": i} for i in ids[index : index + 2]]
            return {"last_id": page[-1]["_id"], "data": page}

    records = await AsyncCursor(Inclusive(), ORDERED).to_list()
    assert [record["_id"] for record in records] == ["a", "b", "c", "d", "e"]


async def test_cursor_falls_back_to_the_last_record_id() -> None:
    class NoLastId:
        async def request(self, endpoint_id: str, body: Any = None) -> Any:
            return {"data": [{"_id": "z"}] if body["_id"] == "" else []}

    cursor = AsyncCursor(NoLastId(), ORDERED)
    assert await cursor.to_list() == [{"_id": "z"}]
    assert cursor.last_id == "z"


@pytest.mark.parametrize("data", [None, {"last_id": "x"}, {"data": [{"n": 1}]}])
async def test_cursor_malformed_page_is_a_response_error(data: Any) -> None:
    class Broken:
        async def request(self, endpoint_id: str, body: Any = None) -> Any:
            return data

    with pytest.raises(SimotelResponseError):
        await AsyncCursor(Broken(), ORDERED).to_list()


async def test_cursor_decodes_and_closes() -> None:
    async with AsyncCursor(FakeClient(Store(3)), ORDERED, decode=lambda r: r["n"]) as cursor:
        assert [n async for n in cursor] == [0, 1, 2]
    with pytest.raises(RuntimeError, match="closed"):
        await cursor.to_list()


def test_cursor_refuses_id_in_body() -> None:
    with pytest.raises(ValueError, match="after_id"):
        AsyncCursor(FakeClient(Store(1)), ORDERED, body={"_id": "x"})


# -- hostile servers (issue: paging never terminates, duplicates re-yielded) --------------


class RepeatingServer:
    """Answers every page with the same 100 records (optionally shuffled) and a total
    that keeps growing, the way a broken or hostile server might."""

    def __init__(self, *, shuffle: bool, total: int | None = None) -> None:
        self.records = [{"_id": f"r{n:03}", "n": n} for n in range(100)]
        self.shuffle = shuffle
        self.total = total
        self.requests = 0

    async def request(self, endpoint_id: str, body: Any = None) -> Any:
        self.requests += 1
        await asyncio.sleep(0)
        page = list(self.records)
        if self.shuffle:
            random.Random(self.requests).shuffle(page)
        total = self.total if self.total is not None else 1000 + 100 * self.requests
        return {"pagination": {"total": total}, "data": page}


@pytest.mark.parametrize(
    ("shuffle", "total", "concurrency"), [(False, None, 1), (True, 10**9, 8), (True, 10**9, 1)]
)
async def test_a_server_repeating_its_records_stops_the_walk(
    shuffle: bool, total: int | None, concurrency: int
) -> None:
    server = RepeatingServer(shuffle=shuffle, total=total)
    paginator = AsyncPaginator(server, SEARCH, concurrency=concurrency)
    seen: list[str] = []

    async def walk() -> None:
        async for record in paginator:
            seen.append(record["_id"])

    # Either rule may see it first: a page identical to the first, or stale pages.
    with pytest.raises(
        SimotelResponseError, match=r"(pages in a row|the page) at offset \d+|up to offset \d+"
    ) as caught:
        await walk()
    assert caught.value.endpoint == SEARCH
    assert sorted(seen) == sorted(r["_id"] for r in server.records)  # each id once
    assert server.requests <= 1 + STALE_PAGES + 2 * concurrency
    assert 100 <= paginator.next_start <= 100 * STALE_PAGES


async def test_a_cursor_whose_last_id_advances_over_repeated_data_stops() -> None:
    class Server:
        requests = 0

        async def request(self, endpoint_id: str, body: Any = None) -> Any:
            self.requests += 1
            data = [{"_id": f"r{n}"} for n in range(20)]
            return {"last_id": f"z{self.requests:05}", "data": data}

    server = Server()
    cursor = AsyncCursor(server, ORDERED)
    seen: list[str] = []

    async def walk() -> None:
        async for record in cursor:
            seen.append(record["_id"])

    with pytest.raises(SimotelResponseError, match="pages in a row up to last_id") as caught:
        await walk()
    assert caught.value.endpoint == ORDERED
    assert seen == [f"r{n}" for n in range(20)]
    assert server.requests == 1 + STALE_PAGES
    assert cursor.last_id == "z00003"  # the stale pages held nothing new: safe to resume after


async def test_a_cursor_never_yields_an_id_twice_within_its_window() -> None:
    pages = [
        [{"_id": "a"}, {"_id": "b"}],
        [{"_id": "b"}, {"_id": "c"}],  # "b" repeated by an inclusive or drifting server
        [{"_id": "a"}, {"_id": "d"}],  # "a" from two pages back
        [],
    ]

    class Server:
        async def request(self, endpoint_id: str, body: Any = None) -> Any:
            data = pages.pop(0)
            return {"last_id": data[-1]["_id"] if data else None, "data": data}

    assert [r["_id"] async for r in AsyncCursor(Server(), ORDERED)] == ["a", "b", "c", "d"]
