"""From a delivered webhook (JSON, form post or query string) to a typed event."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias
from urllib.parse import parse_qsl, unquote

from simotel_async._errors import SimotelError

from ._decode import decode, load_text, resolve_timezone
from ._events import (
    EVENT_TYPES,
    AutoDialerReportEvent,
    CdrQueueEvent,
    Event,
    IncomingFaxEvent,
    OutgoingFaxEvent,
    ReservedCallInFrontEvent,
    SurveyEvent,
    TransferEvent,
    UnknownEvent,
    VoiceMailEmailEvent,
)

__all__ = [
    "NAME_KEYS",
    "Payload",
    "WebhookPayloadError",
    "count_fields",
    "decode_payload",
    "event_type",
    "normalise_name",
    "parse_event",
    "payload_from_pairs",
]

Payload: TypeAlias = Mapping[str, Any] | str | bytes
"""A webhook body: a decoded mapping, JSON text, or a form / query string."""

NAME_KEYS = ("event_name", "event")

# Versions 2/3 nest the fields under one form key (PHP read $_POST['api_data'] for
# events and $_POST['app_data'] for dialplan components).
_WRAPPER_KEYS = ("api_data", "app_data")

_BRACKETS = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])+)")
_INDEXES = re.compile(r"\[([^\[\]]*)\]")
_SEPARATORS = re.compile(r"[\s_-]+")
# Real payloads nest two levels (detail[0][src]); deeper keys are kept as they are.
_MAX_DEPTH = 8

# Tried in order when a payload names no event (the AutoDialerReport sample has no name
# key); each key set belongs to one event only.
_SHAPES: tuple[tuple[frozenset[str], type[Event]], ...] = (
    (frozenset({"campaign_id"}), AutoDialerReportEvent),
    (frozenset({"fax_id", "description"}), IncomingFaxEvent),
    (frozenset({"fax_id", "info"}), OutgoingFaxEvent),
    (frozenset({"transferred_to"}), TransferEvent),
    (frozenset({"queue_status"}), CdrQueueEvent),
    (frozenset({"agent_wait"}), CdrQueueEvent),
    (frozenset({"point", "label"}), SurveyEvent),
    (frozenset({"queue_name", "caller_id"}), ReservedCallInFrontEvent),
    (frozenset({"receiver", "attached_file"}), VoiceMailEmailEvent),
)


class WebhookPayloadError(SimotelError, ValueError):
    """A webhook body that is neither a JSON object, a form post nor a query string.

    A ``SimotelError``, and a ``ValueError`` as in earlier versions.
    """


def normalise_name(name: str) -> str:
    """Fold an event name for comparison: ``"New_State"`` -> ``"newstate"``."""
    return _SEPARATORS.sub("", name).casefold()


_BY_NAME: dict[str, type[Event]] = {normalise_name(name): cls for name, cls in EVENT_TYPES.items()}


def event_type(name: str) -> type[Event] | None:
    """The event class for a name, matched case-insensitively (``CDR``, ``newstate``)."""
    return _BY_NAME.get(normalise_name(name))


def payload_from_pairs(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Nest form or query pairs, reading PHP-style keys (``api_data[detail][0][src]``)."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _BRACKETS.fullmatch(key)
        path = [] if match is None else [match.group(1), *_INDEXES.findall(match.group(2))]
        if not path or len(path) > _MAX_DEPTH:
            root[key] = value
        else:
            _insert(root, path, value)
    return _unwrap({key: _listify(value) for key, value in root.items()})


def _insert(root: dict[str, Any], path: list[str], value: Any) -> None:
    node = root
    for depth, part in enumerate(path):
        if part == "":
            part = str(sum(1 for key in node if key.isdigit()))
        if depth == len(path) - 1:
            node[part] = value
            return
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    items = {key: _listify(value) for key, value in node.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _load_wrapped(text: str) -> Any:
    # JSON of any size (the body cap bounds it); only the Python-literal fallback of
    # load_text is kept small.
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return load_text(text)


def _unwrap(payload: dict[str, Any]) -> dict[str, Any]:
    for key in _WRAPPER_KEYS:
        inner = payload.get(key)
        if isinstance(inner, str) and inner.strip().startswith("{"):
            try:
                inner = _load_wrapped(inner.strip())
            except (ValueError, RecursionError):
                continue
        if isinstance(inner, Mapping):
            rest = {name: value for name, value in payload.items() if name != key}
            return {**rest, **inner}
    return payload


def count_fields(form: str | bytes) -> int:
    """How many fields a form or query string holds, counted without parsing it."""
    if not form.strip():
        return 0
    if isinstance(form, str):
        return form.count("&") + 1
    return form.count(b"&") + 1


def decode_payload(payload: Payload) -> dict[str, Any]:
    """Turn any delivery form into one flat-or-nested ``dict``.

    JSON of any size is read (the HTTP integration caps the body first).

    Raises:
        WebhookPayloadError: the body is not valid UTF-8, or is JSON but not valid or not
            an object.
    """
    if isinstance(payload, (bytes, bytearray, memoryview)):
        try:
            payload = bytes(payload).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WebhookPayloadError(f"webhook body is not UTF-8 text: {_reason(exc)}") from exc
    if isinstance(payload, str):
        text = payload.strip()
        if text.startswith(("{", "[")):
            try:
                decoded = json.loads(text)
            except (ValueError, RecursionError) as exc:
                raise WebhookPayloadError(
                    f"webhook body is not valid JSON: {_reason(exc)}"
                ) from exc
            if not isinstance(decoded, Mapping):
                raise WebhookPayloadError(
                    f"webhook JSON body is not an object but {type(decoded).__name__}"
                )
            return _unwrap(dict(decoded))
        return payload_from_pairs(parse_qsl(text.removeprefix("?"), keep_blank_values=True))
    if isinstance(payload, Mapping):
        if any(isinstance(key, str) and "[" in key for key in payload):
            return payload_from_pairs(payload.items())
        return _unwrap(dict(payload))
    raise WebhookPayloadError(
        f"unsupported webhook payload type {type(payload).__name__}; "
        "pass a mapping, JSON text, or a form / query string"
    )


def _path_name(path: str) -> str:
    segment = path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return unquote(segment).strip()


def _sent_name(data: Mapping[str, Any]) -> str | None:
    for key in NAME_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def parse_event(
    payload: Payload,
    *,
    path: str | None = None,
    timezone: dt.tzinfo | str | None = None,
) -> Event:
    """Parse a delivered webhook into its typed event class.

    The event is named by ``event_name``, then ``event`` (Survey), then the last segment
    of ``path`` (Rest mode, ``<address>/<EventName>``, any case), then the payload's
    shape. A payload that names no known event becomes an ``UnknownEvent``; it is never
    rejected.

    Args:
        payload: A JSON body (``bytes``/``str``), a form or query string, or a decoded
            mapping (including the older ``api_data[...]`` form keys).
        path: The request path in Rest mode, or just its last segment.
        timezone: Zone of Simotel's naive date-times: UTC unless the server sets
            ``client_api_use_local_timezone``; a ``tzinfo`` or an IANA name.

    Raises:
        WebhookPayloadError: the body cannot be decoded at all.
    """
    tz = resolve_timezone(timezone)
    data = decode_payload(payload)
    sent = _sent_name(data)
    segment = _path_name(path) if path else ""
    cls = event_type(sent) if sent else None
    if cls is None and sent is None and segment:
        cls = event_type(segment)
    if cls is None and sent is None:
        keys = data.keys()
        cls = next((shape for required, shape in _SHAPES if required <= keys), None)
    if cls is None:
        extra = {key: value for key, value in data.items() if key not in NAME_KEYS}
        return UnknownEvent(event_name=sent or segment, extra=extra)
    return decode(cls, data, tz, skip=NAME_KEYS)
