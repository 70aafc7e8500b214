"""Auto-pagination: the offset paginator of ``search`` endpoints and the ``last_id``
cursor of ``ordered`` endpoints, with the pages they yield.

Both are created without I/O and walk the server only while iterated. Offsets drift
when records are added or removed during a walk: the paginator drops records it has
already yielded (same ``_id``) and reports a changing ``total``, but only the cursor
guarantees a complete export. Neither trusts the server to make progress: a walk whose
pages bring no new record :data:`STALE_PAGES` times in a row stops with
:class:`SimotelResponseError` instead of looping, and no ``_id`` is yielded twice.
"""

from __future__ import annotations

import abc
import asyncio
import collections
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar, cast

import attrs

from ._errors import SimotelResponseError

__all__ = ["STALE_PAGES", "AsyncCursor", "AsyncPaginator", "CursorPage", "Page", "SupportsRequest"]

T = TypeVar("T")
W = TypeVar("W", bound="Walker[Any]")

logger = logging.getLogger("simotel_async")

Decode = Callable[[Any], T]

STALE_PAGES = 3
"""Pages in a row without a new record after which a walk gives up on the server."""


class SupportsRequest(Protocol):
    """What a paginator needs from ``AsyncSimotel``: one request, its envelope's ``data``."""

    async def request(self, endpoint_id: str, body: Mapping[str, Any] | None = None) -> Any: ...


def _records_repr(items: tuple[Any, ...]) -> str:
    return f"<{len(items)} records>"


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of an offset walk: ``items`` found at offset ``start`` of ``total`` records.

    ``items`` may hold fewer records than the server sent: records already yielded
    earlier in the walk (offset drift) and records beyond ``limit`` are left out.
    """

    items: tuple[T, ...] = attrs.field(repr=_records_repr)
    start: int
    total: int


def record_id(record: Any) -> str | None:
    """A record's ``_id`` as a string (``{"$oid": ...}`` unwrapped), or ``None``."""
    # Decoded JSON objects are always dicts: the cheap check runs 10,000 times a second.
    value = record.get("_id") if isinstance(record, dict) else None
    if isinstance(value, dict):
        value = value.get("$oid")
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _record_ids(records: list[Any]) -> list[str | None]:
    """:func:`record_id` of each record, with the usual non-empty string ``_id`` inlined."""
    keys: list[str | None] = []
    append = keys.append
    for record in records:
        value = record.get("_id") if type(record) is dict else None
        append(value if type(value) is str and value else record_id(record))
    return keys


@attrs.frozen(kw_only=True)
class CursorPage(Generic[T]):
    """One page of a cursor walk; ``last_id`` resumes the walk after this page."""

    items: tuple[T, ...] = attrs.field(repr=_records_repr)
    last_id: str


class Walker(abc.ABC, Generic[T]):
    """What both paginators share: ``async for``, :meth:`to_list`, ``async with``."""

    _decode: Decode[T] | None

    @abc.abstractmethod
    def _records(self) -> AsyncGenerator[T, None]:
        """A fresh walk over the records."""

    @abc.abstractmethod
    async def aclose(self) -> None:
        """End every walk in progress. Idempotent."""

    def _item(self, record: Any) -> T:
        return cast(T, record) if self._decode is None else self._decode(record)

    def __aiter__(self) -> AsyncIterator[T]:
        return self._records()

    async def to_list(self) -> list[T]:
        """Every record of a walk, in a list (mind ``limit`` on big searches)."""
        records = self._records()
        try:
            return [record async for record in records]
        finally:
            await records.aclose()

    async def __aenter__(self: W) -> W:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _check_int(name: str, value: object, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, not {value!r}")
    return value


def _check_sort(sort: Mapping[str, int] | None) -> dict[str, int]:
    if sort is None:
        return {}
    bad = {field: way for field, way in sort.items() if way not in (1, -1)}
    if bad:
        raise ValueError(f"sort directions must be 1 (ascending) or -1 (descending): {bad!r}")
    return dict(sort)


def _window(concurrency: int) -> int:
    """Pages of ids a walk remembers: always more than a stale run can span."""
    return 2 * concurrency + 2 * STALE_PAGES + 8


class _RecentIds:
    """The ids yielded from the last ``pages`` pages.

    A record shows up twice only when records were inserted before it while the walk
    was running, which pushes it onto a later page; it then reappears within ``n / page
    size + 1`` pages after ``n`` inserts. Remembering a fixed number of pages keeps
    memory at ``pages * page_size`` ids for walks of any length.
    """

    def __init__(self, pages: int) -> None:
        self._pages: collections.deque[list[str]] = collections.deque()
        self.counts: dict[str, int] = {}
        """How many remembered pages hold each id (``key in counts``: seen lately)."""
        self._max_pages = pages

    def __contains__(self, key: str) -> bool:
        return key in self.counts

    def add_page(self, ids: list[str]) -> None:
        self._pages.append(ids)
        counts = self.counts
        for key in ids:
            counts[key] = counts.get(key, 0) + 1
        if len(self._pages) > self._max_pages:
            for key in self._pages.popleft():
                left = counts.pop(key) - 1
                if left:
                    counts[key] = left


@attrs.define
class _Batch:
    """Records of one page ready to hand out, each with the offset that resumes after it."""

    start: int
    total: int
    entries: list[tuple[Any, int]]
    end: int


async def _cancel(tasks: list[asyncio.Task[Any]]) -> None:
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)


def _parse_page(data: Any, endpoint_id: str) -> tuple[list[Any], int]:
    pagination = data.get("pagination") if isinstance(data, Mapping) else None
    records = data.get("data") if isinstance(data, Mapping) else None
    total = pagination.get("total") if isinstance(pagination, Mapping) else None
    if isinstance(total, str) and total.isdigit():
        total = int(total)
    if not isinstance(records, list) or not isinstance(total, int) or isinstance(total, bool):
        raise SimotelResponseError(
            "expected a paginated result {pagination: {total, ...}, data: [...]}, got "
            + (f"keys {sorted(data)}" if isinstance(data, Mapping) else type(data).__name__),
            endpoint=endpoint_id,
        )
    return records, total


class _OffsetWalk:
    """One walk of an offset paginator: schedules page requests and checks what returns.

    Page requests run as tasks owned here, at most ``concurrency`` at a time and always
    consumed in offset order. :meth:`aclose` cancels and awaits whatever is in flight.
    """

    def __init__(self, pager: AsyncPaginator[Any]) -> None:
        self._client = pager._client
        self._endpoint_id = pager.endpoint_id
        self._body = pager._body
        self._sort = pager._sort
        self._concurrency = pager._concurrency
        self._limit = pager._limit
        self._step = pager._page_size
        self._first_start = pager._start
        self.total: int | None = None
        self.total_changed = False
        self.next_start = pager._start
        self._consumed = pager._start  # end of the last page taken out of the pipeline
        self._scheduled = pager._start  # where the next page request starts
        self._delivered = 0
        self._inflight: collections.deque[tuple[int, int, asyncio.Task[Any]]] = collections.deque()
        self._seen = _RecentIds(_window(self._concurrency))
        self._stale = 0
        self._first_page: list[Any] | None = None
        self._first_total = 0
        self._exhausted = False
        self._replan = False
        self._closed = False

    def _open(self) -> bool:
        return not self._closed

    def _remaining(self) -> int | None:
        return None if self._limit is None else self._limit - self._delivered

    def _finished(self) -> bool:
        return (
            self._exhausted
            or self._remaining() == 0
            or (self.total is not None and self._consumed >= self.total)
        )

    def _spawn(self, start: int, count: int) -> None:
        body = {
            **self._body,
            "pagination": {"start": start, "count": count, "sorting": dict(self._sort)},
        }
        task = asyncio.get_running_loop().create_task(
            self._client.request(self._endpoint_id, body),
            name=f"simotel {self._endpoint_id} start={start}",
        )
        self._inflight.append((start, count, task))
        self._scheduled = start + count

    def _fill(self) -> None:
        # Counts stay page_size except at the limit, which no request reaches past.
        remaining = self._remaining()
        stop = None if remaining is None else self._consumed + remaining
        if self.total is None:
            # The first wave goes out before any total is known; what lies past the
            # total is cancelled when the first page brings it.
            bound = self._scheduled + self._concurrency * self._step if stop is None else stop
        else:
            bound = self.total if stop is None else min(self.total, stop)
        while len(self._inflight) < self._concurrency and self._scheduled < bound:
            count = self._step if stop is None else min(self._step, stop - self._scheduled)
            self._spawn(self._scheduled, count)

    async def next_page(self) -> _Batch | None:
        """The next page in offset order, or ``None`` once the walk is over."""
        while self._open() and not self._finished():
            self._fill()
            if not self._inflight:
                break
            # The head stays in the queue while awaited, so aclose() and a cancelled
            # consumer cancel it too. wait() rather than awaiting the task: aclose() from
            # another task must end the walk here, not raise CancelledError.
            start, count, task = self._inflight[0]
            await asyncio.wait((task,))
            if not self._open():
                return None
            self._inflight.popleft()
            records, total = _parse_page(task.result(), self._endpoint_id)
            batch = self._take(start, count, records, total)
            await self._drop_past(total)
            if self._replan or not self._inflight:
                # Pages in flight were planned with a page size the server does not
                # honour: ask again from where this page ended.
                self._replan = False
                await _cancel([t for _, _, t in self._inflight])
                self._inflight.clear()
                self._scheduled = self._consumed
            if self._concurrency > 1:
                self._fill()
            if batch.entries:
                return batch
            self.next_start = batch.end
        await self.aclose()
        return None

    async def _drop_past(self, total: int) -> None:
        """Cancel page requests that start at or past ``total`` (the first wave's tail)."""
        past = [entry for entry in self._inflight if entry[0] >= total]
        if not past:
            return
        self._inflight = collections.deque(e for e in self._inflight if e[0] < total)
        self._scheduled = past[0][0]
        await _cancel([task for _, _, task in past])

    def _take(self, start: int, count: int, records: list[Any], total: int) -> _Batch:
        if len(records) > count:
            logger.debug(
                "%s: asked for %d records at offset %d, got %d; ignoring the extra",
                self._endpoint_id,
                count,
                start,
                len(records),
            )
            del records[count:]
        self._note_total(total)
        keys = _record_ids(records)
        self._check_progress(start, records, keys, total)
        entries = self._fresh(start, records, keys)
        self._count_stale(start, records, entries, total)
        end = self._consumed = start + len(records)
        if not records:
            self._exhausted = True
        elif len(records) < count and end < total:
            # A short page before the end: the server caps the page size.
            self._step = len(records)
            self._replan = True
        remaining = self._remaining()
        if remaining is not None and len(entries) > remaining:
            del entries[remaining:]
            end = entries[-1][1] if entries else start
        self._delivered += len(entries)
        return _Batch(start, total, entries, end)

    def _note_total(self, total: int) -> None:
        if self.total is not None and total != self.total:
            # Once per walk at WARNING: a busy PBX changes the total on every page.
            logger.log(
                logging.DEBUG if self.total_changed else logging.WARNING,
                "%s: total changed from %d to %d during the walk: records were added or "
                "removed, so offsets shifted (use the ordered cursor for a complete export)",
                self._endpoint_id,
                self.total,
                total,
            )
            self.total_changed = True
        self.total = total

    def _check_progress(
        self, start: int, records: list[Any], keys: list[str | None], total: int
    ) -> None:
        first = self._first_page
        if first is None:
            self._first_page = [key or record for key, record in zip(keys, records, strict=True)]
            self._first_total = total
            return
        if not records or len(records) != len(first) or (keys[0] or records[0]) != first[0]:
            return  # the usual case, decided without building this page's signature
        signature = [key or record for key, record in zip(keys, records, strict=True)]
        if signature == first and total == self._first_total:
            raise SimotelResponseError(
                f"server ignored pagination.start: the page at offset {start} repeats the "
                f"records of offset {self._first_start}, so this endpoint cannot be paged "
                "(use a page_size that fits all records, or the ordered cursor)",
                endpoint=self._endpoint_id,
            )

    def _count_stale(self, start: int, records: list[Any], entries: list[Any], total: int) -> None:
        if entries or not records:
            self._stale = 0
            return
        self._stale += 1
        if self._stale >= STALE_PAGES:
            raise SimotelResponseError(
                f"{STALE_PAGES} pages in a row up to offset {start} brought no new record "
                f"(total {total}): the server repeats records it already sent, so the walk "
                f"stops here (next_start={self.next_start}); retry later or use the ordered "
                "cursor",
                endpoint=self._endpoint_id,
            )

    def _fresh(
        self, start: int, records: list[Any], keys: list[str | None]
    ) -> list[tuple[Any, int]]:
        entries: list[tuple[Any, int]] = []
        ids: list[str] = []
        page_ids: set[str] = set()
        seen = self._seen.counts
        for index, (record, key) in enumerate(zip(records, keys, strict=True)):
            if key is not None:
                if key in seen or key in page_ids:
                    if entries:
                        # Resuming after the previous record skips this duplicate too.
                        entries[-1] = (entries[-1][0], start + index + 1)
                    continue
                page_ids.add(key)
                ids.append(key)
            entries.append((record, start + index + 1))
        self._seen.add_page(ids)
        dropped = len(records) - len(entries)
        if dropped:
            logger.debug(
                "%s: dropped %d records at offset %d already yielded (offset drift)",
                self._endpoint_id,
                dropped,
                start,
            )
        return entries

    async def aclose(self) -> None:
        """End the walk: cancel and await every page request still in flight."""
        self._closed = True
        tasks = [task for _, _, task in self._inflight]
        self._inflight.clear()
        await _cancel(tasks)


class AsyncPaginator(Walker[T]):
    """The records of a paginated ``search``, fetched page by page while you iterate.

    Created without I/O; every ``async for`` (or :meth:`pages`, :meth:`to_list`) walks
    from ``start``::

        async with simotel.reports.cdr.search(date_from=day, concurrency=8) as records:
            async for cdr in records:
                ...

    Pages are requested at offsets ``start``, ``start + page_size``, ... with the same
    filters, until ``total`` records, an empty page, or ``limit``. With ``concurrency``
    above 1 the first ``concurrency`` pages go out at once (those found to lie past
    ``total`` are cancelled), then up to ``concurrency`` page requests stay in flight;
    records still come out in offset order and ``limit`` is never exceeded. A record
    whose ``_id`` was already yielded (records inserted during the walk shift offsets)
    is dropped, a changing ``total`` is logged and flagged in :attr:`total_changed`,
    and :data:`STALE_PAGES` pages in a row without a new record end the walk with
    :class:`SimotelResponseError`.

    Leaving early (``break``, an exception, cancellation) cancels the page requests in
    flight; ``async with`` or :meth:`aclose` does it at once instead of when the
    iterator is garbage-collected.

    Args:
        client: anything with ``await client.request(endpoint_id, body)`` (an
            ``AsyncSimotel``).
        endpoint_id: a ``search`` endpoint, e.g. ``"reports.cdr.search"``.
        body: the search's filters; the paginator adds ``pagination``.
        decode: turns one raw record into ``T``; ``None`` yields the raw dicts.
        page_size: records asked for per request.
        concurrency: page requests in flight at once (and pages held in memory).
        limit: stop after this many records; no page beyond it is requested.
        sort: ``{"field": 1 | -1}``, ascending or descending; default: the server's.
        start: the offset to begin at, e.g. a saved :attr:`next_start`.

    Raises:
        ValueError: an argument out of range, or ``body`` already has ``pagination``.
    """

    def __init__(
        self,
        client: SupportsRequest,
        endpoint_id: str,
        body: Mapping[str, Any] | None = None,
        *,
        decode: Decode[T] | None = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Mapping[str, int] | None = None,
        start: int = 0,
    ) -> None:
        if body is not None and "pagination" in body:
            raise ValueError(
                "body must not contain 'pagination': pass page_size=, sort= and start= instead"
            )
        self._client = client
        self.endpoint_id = endpoint_id
        self._body = dict(body or {})
        self._decode = decode
        self._page_size = _check_int("page_size", page_size, 1)
        self._concurrency = _check_int("concurrency", concurrency, 1)
        self._limit = None if limit is None else _check_int("limit", limit, 0)
        self._sort = _check_sort(sort)
        self._start = _check_int("start", start, 0)
        self._walks: set[_OffsetWalk] = set()
        self._last: _OffsetWalk | None = None
        self._closed = False

    @property
    def total(self) -> int | None:
        """The server's record count as of the latest page; ``None`` before the first."""
        return self._last.total if self._last is not None else None

    @property
    def total_changed(self) -> bool:
        """Whether ``total`` changed during the walk (records were added or removed)."""
        return self._last.total_changed if self._last is not None else False

    @property
    def next_start(self) -> int:
        """The offset just after the last record handed out: pass it as ``start=`` to resume."""
        return self._last.next_start if self._last is not None else self._start

    def __repr__(self) -> str:
        return (
            f"<AsyncPaginator {self.endpoint_id} page_size={self._page_size} "
            f"concurrency={self._concurrency} next_start={self.next_start} total={self.total}>"
        )

    def _begin(self) -> _OffsetWalk:
        if self._closed:
            raise RuntimeError("this paginator is closed; create a new one to walk again")
        walk = self._last = _OffsetWalk(self)
        self._walks.add(walk)
        return walk

    async def _end(self, walk: _OffsetWalk) -> None:
        self._walks.discard(walk)
        await walk.aclose()

    async def _records(self) -> AsyncGenerator[T, None]:
        walk = self._begin()
        decode = self._decode
        try:
            while (batch := await walk.next_page()) is not None:
                # The per-record loop runs 10,000s of times a second: no call but decode's.
                if decode is None:
                    for record, resume in batch.entries:
                        walk.next_start = resume
                        yield record
                else:
                    for record, resume in batch.entries:
                        item = decode(record)
                        walk.next_start = resume
                        yield item
                walk.next_start = batch.end
        finally:
            await self._end(walk)

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield the walk a page at a time (pages left empty by dropped duplicates are skipped)."""
        walk = self._begin()
        try:
            while (batch := await walk.next_page()) is not None:
                items = tuple(self._item(record) for record, _ in batch.entries)
                walk.next_start = batch.end
                yield Page(items=items, start=batch.start, total=batch.total)
        finally:
            await self._end(walk)

    async def aclose(self) -> None:
        """Cancel and await the page requests of every walk in progress. Idempotent."""
        self._closed = True
        for walk in list(self._walks):
            await self._end(walk)


def _parse_cursor_page(data: Any, endpoint_id: str) -> tuple[list[Any], str | None]:
    records = data.get("data") if isinstance(data, Mapping) else None
    if not isinstance(records, list):
        raise SimotelResponseError(
            "expected an ordered result {last_id, data: [...]}, got "
            + (f"keys {sorted(data)}" if isinstance(data, Mapping) else type(data).__name__),
            endpoint=endpoint_id,
        )
    last_id = record_id({"_id": data.get("last_id")})
    return records, last_id if last_id is not None else record_id(records[-1] if records else None)


class _CursorWalk:
    """One walk of a cursor: sends ``_id`` = the previous ``last_id`` until nothing is new."""

    def __init__(self, cursor: AsyncCursor[Any]) -> None:
        self._client = cursor._client
        self._endpoint_id = cursor.endpoint_id
        self._body = cursor._body
        self.last_id = cursor._after_id
        self._sent = cursor._after_id or ""
        self._recent: collections.deque[str] = collections.deque([self._sent], maxlen=8)
        # A server that resumes at ``_id >= after_id`` repeats the record it resumes from.
        self._seen = _RecentIds(_window(1))
        self._seen.add_page([self._sent])
        self._stale = 0
        self._done = False

    async def next_page(self) -> tuple[list[Any], str] | None:
        """The next page's new records and its ``last_id``, or ``None`` at the end."""
        while not self._done:
            data = await self._client.request(self._endpoint_id, {**self._body, "_id": self._sent})
            records, last_id = _parse_cursor_page(data, self._endpoint_id)
            if not records:
                break
            if last_id is None:
                raise SimotelResponseError(
                    "ordered page has records but neither last_id nor record _id values, "
                    "so the cursor cannot advance",
                    endpoint=self._endpoint_id,
                )
            fresh, ids = self._fresh(records)
            if fresh:
                self._stale = 0
            else:
                self._stale += 1
                if self._stale >= STALE_PAGES:
                    raise SimotelResponseError(
                        f"{STALE_PAGES} pages in a row up to last_id {last_id!r} brought no "
                        "new record: the server repeats records it already sent, so the "
                        f"cursor stops here (resume with after_id={self.last_id!r})",
                        endpoint=self._endpoint_id,
                    )
            if last_id in self._recent:
                logger.warning(
                    "%s: last_id %r did not advance after _id %r; ending the cursor",
                    self._endpoint_id,
                    last_id,
                    self._sent,
                )
                self._done = True
            self._recent.append(last_id)
            self._seen.add_page(ids)
            self._sent = last_id
            if fresh:
                return fresh, last_id
            self.last_id = last_id
        self._done = True
        return None

    def _fresh(self, records: list[Any]) -> tuple[list[Any], list[str]]:
        """The records not yielded before in this walk, and the ids of those."""
        fresh: list[Any] = []
        ids: list[str] = []
        for record in records:
            key = record_id(record)
            if key is None:
                fresh.append(record)
            elif key not in self._seen and key not in ids:
                fresh.append(record)
                ids.append(key)
        return fresh, ids

    def close(self) -> None:
        self._done = True


class AsyncCursor(Walker[T]):
    """The records of an ``ordered`` endpoint in ``_id`` order, walked by ``last_id``.

    The first request sends ``{"_id": ""}`` (or ``after_id``), each next one the
    ``last_id`` the server returned; the walk ends on an empty page or a ``last_id``
    that does not advance. Unlike offsets, this does not drift: a complete export.
    :attr:`last_id` is the checkpoint::

        cursor = simotel.reports.cdr.ordered(after_id=saved)
        async for cdr in cursor:
            handle(cdr)
            saved = cursor.last_id      # resume later with after_id=saved

    Args:
        client: anything with ``await client.request(endpoint_id, body)``.
        endpoint_id: an ``ordered`` endpoint, e.g. ``"reports.cdr.ordered"``.
        decode: turns one raw record into ``T``; ``None`` yields the raw dicts.
        after_id: resume after this ``_id`` (a saved :attr:`last_id`).
        body: extra fields sent with every request.

    Raises:
        ValueError: ``body`` already has ``_id`` (pass ``after_id=``).
    """

    def __init__(
        self,
        client: SupportsRequest,
        endpoint_id: str,
        *,
        decode: Decode[T] | None = None,
        after_id: str | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> None:
        if body is not None and "_id" in body:
            raise ValueError("body must not contain '_id': pass after_id= instead")
        self._client = client
        self.endpoint_id = endpoint_id
        self._decode = decode
        self._after_id = after_id or None
        self._body = dict(body or {})
        self._last: _CursorWalk | None = None
        self._walks: set[_CursorWalk] = set()
        self._closed = False

    @property
    def last_id(self) -> str | None:
        """The ``_id`` of the last record handed out: pass it as ``after_id=`` to resume."""
        return self._last.last_id if self._last is not None else self._after_id

    def __repr__(self) -> str:
        return f"<AsyncCursor {self.endpoint_id} last_id={self.last_id!r}>"

    def _begin(self) -> _CursorWalk:
        if self._closed:
            raise RuntimeError("this cursor is closed; create a new one to walk again")
        walk = self._last = _CursorWalk(self)
        self._walks.add(walk)
        return walk

    def _end(self, walk: _CursorWalk) -> None:
        walk.close()
        self._walks.discard(walk)

    async def _records(self) -> AsyncGenerator[T, None]:
        walk = self._begin()
        try:
            while (page := await walk.next_page()) is not None:
                records, last_id = page
                for record in records:
                    item = self._item(record)
                    walk.last_id = record_id(record) or walk.last_id
                    yield item
                walk.last_id = last_id
        finally:
            self._end(walk)

    async def pages(self) -> AsyncGenerator[CursorPage[T], None]:
        """Yield the walk a page at a time."""
        walk = self._begin()
        try:
            while (page := await walk.next_page()) is not None:
                records, last_id = page
                items = tuple(self._item(record) for record in records)
                walk.last_id = last_id
                yield CursorPage(items=items, last_id=last_id)
        finally:
            self._end(walk)

    async def aclose(self) -> None:
        """End every walk in progress; it stops before its next request. Idempotent."""
        self._closed = True
        for walk in list(self._walks):
            self._end(walk)
