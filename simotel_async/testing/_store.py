"""The fake's database: collections of JSON records, searched the way Simotel does.

A search is ``conditions`` (substring or exact match per field), an optional
``date_range`` on each record's hidden time key and a sort; results are cached per
collection version, so walking 10,000 records page by page sorts them once.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from ._calendar import time_key
from ._files import StoredFile

__all__ = ["Collection", "Database", "ObjectIds", "Query"]

_CACHED_QUERIES = 16


@attrs.frozen
class Query:
    """A search: field conditions, a time window on the time key and a sort order."""

    conditions: tuple[tuple[str, str], ...] = ()
    alike: bool = True
    since: str | None = None
    until: str | None = None
    sort: tuple[tuple[str, int], ...] = ()


class ObjectIds:
    """24-hex Mongo ObjectIds: creation second, a per-fake random part and a counter.

    Ids created in time order sort in that order, which the ``ordered/id`` cursors rely on.
    """

    def __init__(self, rng: random.Random) -> None:
        self._random = f"{rng.getrandbits(40):010x}"
        self._counter = rng.getrandbits(23)

    def new(self, moment: float) -> str:
        """A fresh id stamped with ``moment`` (epoch seconds)."""
        self._counter = (self._counter + 1) % (1 << 24)
        return f"{int(moment) & 0xFFFFFFFF:08x}{self._random}{self._counter:06x}"


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, dict) and "$oid" in value:
        return str(value["$oid"])
    return str(value)


def _matches(doc: dict[str, Any], conditions: tuple[tuple[str, str], ...], alike: bool) -> bool:
    for field, wanted in conditions:
        if field not in doc:
            return False
        value = doc[field]
        values = value if isinstance(value, list) else (value,)
        if alike:
            needle = wanted.casefold()
            if not any(needle in _text(v).casefold() for v in values):
                return False
        elif not any(_text(v) == wanted for v in values):
            return False
    return True


def _sort_key(doc: dict[str, Any], field: str) -> tuple[int, Any]:
    # Mongo orders by type first (missing < numbers < strings < objects); so do we.
    value = doc.get(field)
    if value is None:
        return (0, 0)
    if isinstance(value, (bool, int, float)):
        return (1, float(value))
    if isinstance(value, str):
        return (2, value)
    if isinstance(value, dict) and "$date" in value:
        return (3, _text(value["$date"].get("$numberLong", "")).zfill(16))
    return (4, _text(value))


class Collection:
    """Records of one kind, in insertion order, keyed by ``_id``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.version = 0
        self._docs: dict[str, dict[str, Any]] = {}
        self._times: dict[str, str] = {}
        self._cache: dict[Query, list[dict[str, Any]]] = {}
        self._cache_version = -1
        self._ids: list[str] | None = None
        self._encoded: dict[str, tuple[dict[str, Any], bytes]] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._docs.values())

    def _changed(self) -> None:
        self.version += 1
        self._ids = None

    def insert(self, doc: dict[str, Any], when: str) -> dict[str, Any]:
        """Store ``doc`` (which carries its ``_id``) with time key ``when``."""
        self._docs[doc["_id"]] = doc
        self._times[doc["_id"]] = when
        self._changed()
        return doc

    def get(self, record_id: str) -> dict[str, Any] | None:
        """The record with this ``_id``, or ``None``."""
        return self._docs.get(record_id)

    def replace(self, doc: dict[str, Any]) -> None:
        """Swap in a new version of an existing record (same ``_id``)."""
        self._docs[doc["_id"]] = doc
        self._changed()

    def delete(self, record_id: str) -> bool:
        """Remove a record; ``False`` when there was none."""
        if self._docs.pop(record_id, None) is None:
            return False
        del self._times[record_id]
        self._changed()
        return True

    def encoded(self, doc: dict[str, Any], encode: Callable[[dict[str, Any]], bytes]) -> bytes:
        """``encode(doc)``, remembered until the record is replaced (records never mutate)."""
        cached = self._encoded.get(doc["_id"])
        if cached is not None and cached[0] is doc:
            return cached[1]
        raw = encode(doc)
        self._encoded[doc["_id"]] = (doc, raw)
        return raw

    def last(self) -> dict[str, Any] | None:
        """The most recently inserted record."""
        return next(reversed(self._docs.values()), None)

    def time_of(self, record_id: str) -> str:
        """The hidden time key of a record."""
        return self._times[record_id]

    def where(self, field: str, value: str) -> list[dict[str, Any]]:
        """Records whose ``field`` equals ``value`` (compared as text)."""
        return [d for d in self._docs.values() if field in d and _text(d[field]) == value]

    def find(self, query: Query) -> list[dict[str, Any]]:
        """Every record matching ``query``, sorted; do not mutate the result."""
        if self._cache_version != self.version:
            self._cache.clear()
            self._cache_version = self.version
        cached = self._cache.get(query)
        if cached is not None:
            return cached
        times = self._times
        found = [
            doc
            for record_id, doc in self._docs.items()
            if (query.since is None or times[record_id] >= query.since)
            and (query.until is None or times[record_id] <= query.until)
            and _matches(doc, query.conditions, query.alike)
        ]
        for field, direction in reversed(query.sort):
            found.sort(key=lambda d, f=field: _sort_key(d, f), reverse=direction < 0)  # type: ignore[misc]
        if len(self._cache) >= _CACHED_QUERIES:
            self._cache.pop(next(iter(self._cache)))
        self._cache[query] = found
        return found

    def after(self, last_id: str, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` records with ``_id`` greater than ``last_id``, in ``_id`` order."""
        if self._ids is None:
            self._ids = sorted(self._docs)
        start = bisect.bisect_right(self._ids, last_id) if last_id else 0
        return [self._docs[i] for i in self._ids[start : start + limit]]


class Database:
    """Every collection, stored file and queue membership, the ids and the clock of a fake."""

    def __init__(self, rng: random.Random, now: float) -> None:
        self.rng = rng
        self.ids = ObjectIds(rng)
        self._now = now
        self.collections: dict[str, Collection] = {}
        self.files: dict[str, StoredFile] = {}
        # queue number -> agent number -> {"source", "penalty", "paused"}
        self.members: dict[str, dict[str, dict[str, Any]]] = {}

    def __getitem__(self, name: str) -> Collection:
        try:
            return self.collections[name]
        except KeyError:
            collection = self.collections[name] = Collection(name)
            return collection

    @property
    def now(self) -> float:
        """The server's clock in epoch seconds (it moves only when something happens)."""
        return self._now

    def tick(self) -> float:
        """Advance the clock by one second and return it: one event, one timestamp."""
        self._now += 1
        return self._now

    def insert(self, collection: str, doc: dict[str, Any], when: float) -> dict[str, Any]:
        """Give ``doc`` a fresh ``_id`` stamped ``when`` (as its first key) and store it."""
        doc.pop("_id", None)
        stored = {"_id": self.ids.new(when), **doc}
        return self[collection].insert(stored, time_key(when))
