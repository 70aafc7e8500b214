"""How each collection is searched: filters, pagination, sorting and ``ordered/id`` cursors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from ._calendar import range_bound
from ._protocol import Call, Fragment, Ok, OperationFailed, dumps
from ._store import Collection, Query

__all__ = [
    "CURSOR_PAGE_SIZE",
    "SPECS",
    "Spec",
    "ordered",
    "public",
    "search_list",
    "search_page",
]

CURSOR_PAGE_SIZE = 20
_DEFAULT_PAGE = 20
_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
_TRUE = frozenset({"true", "1", "yes", "on"})
_SAME = "This number already exists"


@attrs.frozen(kw_only=True)
class Spec:
    """What the server enforces and how it searches one collection."""

    required: tuple[str, ...] = ()
    unique: tuple[tuple[str, str], ...] = ()
    default_sort: tuple[tuple[str, int], ...] = ()
    aliases: Mapping[str, str] = attrs.field(factory=dict)
    ignored: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    masked: Mapping[str, str] = attrs.field(factory=dict)
    target: str | None = None
    null_add_id: bool = False


_CALLS = {"from": "src", "to": "dst"}

SPECS: Mapping[str, Spec] = {
    "pbx.users": Spec(
        required=("name", "number", "secret"),
        unique=(("number", _SAME),),
        masked={"secret": "******"},
        ignored=frozenset({"mapped"}),
    ),
    "pbx.trunks": Spec(required=("name",), unique=(("name", "This trunk already exists"),)),
    "pbx.queues": Spec(
        required=("name", "number"),
        unique=(("number", "this queue already exists"), ("name", "this queue already exists")),
    ),
    "pbx.musiconholds": Spec(),
    "pbx.announcements": Spec(required=("name", "filename")),
    "pbx.blacklists": Spec(required=("number",), unique=(("number", _SAME),), null_add_id=True),
    "pbx.whitelists": Spec(required=("number",), unique=(("number", _SAME),), null_add_id=True),
    "pbx.faxes": Spec(default_sort=(("date", -1),)),
    "voicemails.voicemails": Spec(
        required=("name", "number", "password"), unique=(("number", _SAME),)
    ),
    "voicemails.inbox": Spec(default_sort=(("date", -1),), aliases={"src": "caller_id"}),
    "reports.cdr": Spec(default_sort=(("starttime", -1),), aliases=_CALLS, target="cdr"),
    "reports.quick": Spec(default_sort=(("starttime", -1),), aliases=_CALLS),
    "reports.queue": Spec(default_sort=(("starttime", -1),), aliases=_CALLS, target="queue_stat"),
    "reports.queue_details": Spec(
        default_sort=(("starttime", -1),), aliases={**_CALLS, "queue": "qnum"}, target="queue"
    ),
    "reports.agent": Spec(
        default_sort=(("end", -1),),
        aliases={"queue": "qnum"},
        ignored=frozenset({"from", "to"}),
        target="agent",
    ),
    "reports.poll": Spec(
        default_sort=(("date", -1),),
        aliases={**_CALLS, "queue": "qnum", "cuid": "uniqueid"},
        target="poll",
    ),
    "autodialer.contacts": Spec(
        required=("name", "number"), default_sort=(("name", 1),), null_add_id=True
    ),
    "autodialer.groups": Spec(
        required=("name",), default_sort=(("date", -1),), hidden=frozenset({"numbers"})
    ),
    "autodialer.campaigns": Spec(
        required=("name", "trunk_manager_id"), default_sort=(("date", -1),)
    ),
    "autodialer.announcements": Spec(required=("name", "filename")),
    "autodialer.trunks": Spec(),
    "autodialer.reports": Spec(default_sort=(("date", -1),)),
}


def public(doc: dict[str, Any], spec: Spec) -> dict[str, Any]:
    """A record as the API shows it: hidden fields dropped, secrets masked."""
    if not spec.hidden and not spec.masked:
        return doc
    shown = {k: v for k, v in doc.items() if k not in spec.hidden}
    for field, mask in spec.masked.items():
        if field in shown:
            shown[field] = mask
    return shown


def _encoded(collection: Collection, docs: list[dict[str, Any]], spec: Spec) -> Fragment:
    def encode(doc: dict[str, Any]) -> bytes:
        return dumps(public(doc, spec))

    return Fragment(b"[" + b",".join(collection.encoded(doc, encode) for doc in docs) + b"]")


def _is_true(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


def _query(call: Call, spec: Spec, sort: tuple[tuple[str, int], ...] = ()) -> Query:
    body = call.body
    conditions = body.get("conditions") or {}
    if not isinstance(conditions, Mapping):
        raise OperationFailed()
    wanted = tuple(
        (spec.aliases.get(name, name), value if isinstance(value, str) else str(value))
        for name, value in conditions.items()
        if value not in ("", None) and name not in spec.ignored
    )
    since = until = None
    date_range = body.get("date_range") or {}
    if not isinstance(date_range, Mapping):
        raise OperationFailed()
    try:
        if date_range.get("from"):
            since = range_bound(str(date_range["from"]), end=False)
        if date_range.get("to"):
            until = range_bound(str(date_range["to"]), end=True)
    except ValueError:
        raise OperationFailed() from None
    return Query(wanted, _is_true(body.get("alike", False)), since, until, sort)


def search_list(collection: Collection, call: Call, spec: Spec) -> Ok:
    """An unpaginated search: every match, in storage order, as a bare list."""
    found = collection.find(_query(call, spec))
    return Ok(_encoded(collection, found, spec), message="")


def _integer(value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise OperationFailed()
    try:
        number = int(value)
    except ValueError:
        raise OperationFailed() from None
    if number < minimum:
        raise OperationFailed()
    return number


def _sorting(value: object, spec: Spec) -> tuple[tuple[str, int], ...]:
    if value in (None, "", [], {}):
        return spec.default_sort
    if not isinstance(value, Mapping):
        raise OperationFailed()
    sort = []
    for field, direction in value.items():
        step = _integer(direction, minimum=-1)
        if step not in (1, -1):
            raise OperationFailed()
        sort.append((str(field), step))
    return tuple(sort)


def search_page(
    collection: Collection, call: Call, spec: Spec, *, max_page_size: int | None
) -> tuple[Ok, int, list[dict[str, Any]], int]:
    """A paginated search; also returns the offset, the records and the total served."""
    pagination = call.body.get("pagination") or {}
    if not isinstance(pagination, Mapping):
        raise OperationFailed()
    start = _integer(pagination.get("start", 0), minimum=0)
    count = _integer(pagination.get("count", _DEFAULT_PAGE), minimum=1)
    sort = _sorting(pagination.get("sorting"), spec)
    found = collection.find(_query(call, spec, sort))
    size = count if max_page_size is None else min(count, max_page_size)
    records = found[start : start + size]
    data: dict[str, Any] = {
        "pagination": {"start": start, "count": count, "sorting": dict(sort), "total": len(found)}
    }
    if spec.target is not None:
        data["target"] = spec.target
        data["useGroupBy"] = False
    data["data"] = _encoded(collection, records, spec)
    message = (
        "Requested operation is done successfully"
        if call.endpoint_id == "reports.quick.search"
        else ""
    )
    return Ok(data, message=message), start, records, len(found)


def ordered(collection: Collection, call: Call, spec: Spec) -> tuple[Ok, list[dict[str, Any]], str]:
    """One ``ordered/id`` step: the next 20 records after the given ``_id``."""
    after = call.body.get("_id")
    if after is None and call.api_version == "v3":
        after = call.body.get("id")
    after = "" if after is None else str(after)
    if after and not _OBJECT_ID.match(after):
        raise OperationFailed()
    records = collection.after(after, CURSOR_PAGE_SIZE)
    last_id = records[-1]["_id"] if records else after
    return Ok({"last_id": last_id, "data": _encoded(collection, records, spec)}), records, last_id
