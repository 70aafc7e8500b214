"""What both paginators share: the pages they yield, record ids, the client they need."""

from __future__ import annotations

import abc
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar, cast

import attrs

__all__ = ["CursorPage", "Decode", "Page", "SupportsRequest", "Walker", "logger", "record_id"]

T = TypeVar("T")
W = TypeVar("W", bound="Walker[Any]")

logger = logging.getLogger("simotel_async")

Decode = Callable[[Any], T]


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
