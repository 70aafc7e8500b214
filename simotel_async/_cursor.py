"""The ``last_id`` cursor of ``ordered`` endpoints: a complete, resumable export."""

from __future__ import annotations

import collections
from collections.abc import AsyncGenerator, Mapping
from typing import Any, TypeVar

from ._errors import SimotelResponseError
from ._pages import CursorPage, Decode, SupportsRequest, Walker, logger, record_id

__all__ = ["AsyncCursor"]

T = TypeVar("T")


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
        self._previous: set[str] = {self._sent}
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
            ids = [record_id(record) for record in records]
            fresh = [
                record
                for record, key in zip(records, ids, strict=True)
                if key is None or key not in self._previous
            ]
            if last_id in self._recent:
                logger.warning(
                    "%s: last_id %r did not advance after _id %r; ending the cursor",
                    self._endpoint_id,
                    last_id,
                    self._sent,
                )
                self._done = True
            self._recent.append(last_id)
            self._previous = {key for key in ids if key is not None}
            self._sent = last_id
            if fresh:
                return fresh, last_id
            self.last_id = last_id
        self._done = True
        return None

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
