"""Lenient decoding of webhook values into attrs records.

Simotel sends the same field as a JSON number, a numeric string or, under GET and form
delivery, always a string; booleans as ``'True'``/``'true'``; date-times as naive strings
in UTC (or the server's local time); trunk times as Unix floats. A value that cannot be
decoded never rejects a payload: its field stays empty and the raw value is kept in the
record's ``extra`` mapping, so nothing Simotel sent is lost.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import logging
import re
import types
import typing
import zoneinfo
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from typing import Annotated, Any, TypeVar, cast

import attrs

from simotel_async._dates import from_unix, parse_offset
from simotel_async._decoding import FALSE, TRUE

__all__ = ["decode", "load_text", "register", "resolve_timezone", "wire"]

logger = logging.getLogger("simotel_async.webhooks")

T = TypeVar("T")

_UTC = dt.timezone.utc

# Nested objects in query strings are not documented; a Python-dict repr is parsed with
# literal_eval (the docs show such samples), bounded so a hostile body stays cheap.
_MAX_TEXT = 64 * 1024

_INT = re.compile(r"([+-]?\d{1,30})(?:\.0*)?")
_UNIX = re.compile(r"[+-]?\d{1,12}(?:\.\d{1,30})?")
_DATETIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,30}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_NONE_WORDS = frozenset({"none", "null"})


class _Invalid(ValueError):
    """A value that does not fit its field."""


@attrs.frozen
class _Wire:
    names: tuple[str, ...]
    unix: bool
    keep_blank: bool


_PLAIN = _Wire((), unix=False, keep_blank=False)


def wire(*names: str, unix: bool = False, keep_blank: bool = False) -> Any:
    """``Annotated`` metadata: read a field from ``names`` (wire name first, then aliases).

    ``unix`` decodes a datetime field from a Unix float; ``keep_blank`` keeps ``""``
    instead of turning it into ``None``.
    """
    return _Wire(names, unix, keep_blank)


def resolve_timezone(timezone: dt.tzinfo | str | None) -> dt.tzinfo:
    """``None`` is UTC (Simotel's default); a string is an IANA zone name."""
    if timezone is None:
        return _UTC
    if isinstance(timezone, str):
        try:
            return zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {timezone!r}") from exc
    if isinstance(timezone, dt.tzinfo):
        return timezone
    raise TypeError(f"timezone must be a tzinfo, a zone name or None, not {timezone!r}")


def load_text(text: str) -> Any:
    """Decode a JSON (or Python-literal) object or array sent as a string."""
    if len(text) > _MAX_TEXT:
        raise _Invalid
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as exc:
        raise _Invalid from exc


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _to_str(value: Any, *, keep_blank: bool) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value if (value or keep_blank) else None
    if isinstance(value, (bool, int, float, Decimal)):
        return str(value)
    raise _Invalid


def _to_int(value: Any) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _Invalid
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Invalid
    if isinstance(value, str):
        text = value.strip()
        if text.casefold() in _NONE_WORDS:
            return None
        match = _INT.fullmatch(text)
        if match:
            return int(match.group(1))
    raise _Invalid


def _to_bool(value: Any) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().casefold()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        if text in _NONE_WORDS:
            return None
    raise _Invalid


def _from_unix(value: Any) -> dt.datetime | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _Invalid
    if isinstance(value, (int, float)):
        value = repr(value)
    if isinstance(value, Decimal):
        value = str(value)
    if not isinstance(value, str):
        raise _Invalid
    try:
        return from_unix(value)
    except ValueError as exc:
        raise _Invalid from exc


def _to_datetime(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    if not isinstance(value, str) or _UNIX.fullmatch(value.strip()):
        return _from_unix(value)
    match = _DATETIME.fullmatch(value.strip())
    if not match:
        raise _Invalid
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    zone = tz if offset is None else parse_offset(offset)
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            micros,
            tzinfo=zone,
        )
    except ValueError as exc:
        raise _Invalid from exc


def _to_mapping(value: Any) -> Mapping[str, Any] | None:
    if _blank(value):
        return None
    if isinstance(value, str):
        value = load_text(value.strip())
    if isinstance(value, Mapping):
        return value
    raise _Invalid


def _to_list(value: Any) -> list[Any]:
    if _blank(value):
        return []
    if isinstance(value, str):
        value = load_text(value.strip())
    if isinstance(value, Mapping):
        # PHP-style form keys (detail[0][src]) arrive as a mapping of indexes; the docs
        # also describe these arrays as a single object (detail->src).
        if value and all(isinstance(key, str) and key.isdigit() for key in value):
            return [value[key] for key in sorted(value, key=int)]
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise _Invalid


Converter = Callable[[Any, dt.tzinfo], Any]


@attrs.frozen
class _FieldSpec:
    attr: str
    keys: tuple[str, ...]
    convert: Converter


_SPECS: dict[type, tuple[_FieldSpec, ...]] = {}


def _unwrap_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        if len(inner) == 1:
            return inner[0]
    return tp


def _converter(tp: Any, spec: _Wire) -> Converter:
    tp = _unwrap_optional(tp)
    if tp is str:
        keep_blank = spec.keep_blank
        return lambda value, tz: _to_str(value, keep_blank=keep_blank)
    if tp is bool:
        return lambda value, tz: _to_bool(value)
    if tp is int:
        return lambda value, tz: _to_int(value)
    if tp is dt.datetime:
        if spec.unix:
            return lambda value, tz: _from_unix(value)
        return _to_datetime
    if typing.get_origin(tp) is tuple:
        item = typing.get_args(tp)[0]
        if attrs.has(item):
            return lambda value, tz: tuple(
                decode(item, _nested(entry), tz) for entry in _to_list(value)
            )
    if attrs.has(tp):
        nested_type = tp

        def convert_nested(value: Any, tz: dt.tzinfo) -> Any:
            mapping = _to_mapping(value)
            return None if mapping is None else decode(nested_type, mapping, tz)

        return convert_nested
    raise TypeError(f"no webhook decoder for field type {tp!r}")


def _nested(value: Any) -> Mapping[str, Any]:
    mapping = _to_mapping(value)
    if mapping is None:
        raise _Invalid
    return mapping


def register(*classes: type) -> None:
    """Resolve the annotations of record classes and build their field decoders.

    Called once per module at import time, while the classes still live in the module
    that defines their annotations' names.
    """
    for cls in classes:
        attrs.resolve_types(cls)
        specs = []
        for field in attrs.fields(cls):
            if field.name == "extra":
                continue
            field_type, spec = field.type, _PLAIN
            if typing.get_origin(field_type) is Annotated:
                field_type, *metadata = typing.get_args(field_type)
                spec = next((item for item in metadata if isinstance(item, _Wire)), spec)
            keys = spec.names or (field.name,)
            specs.append(_FieldSpec(field.name, keys, _converter(field_type, spec)))
        _SPECS[cls] = tuple(specs)


def decode(
    cls: type[T], data: Mapping[str, Any], tz: dt.tzinfo, *, skip: Collection[str] = ()
) -> T:
    """Build ``cls`` from a payload mapping; unknown and undecodable keys go to ``extra``.

    ``skip`` names keys consumed elsewhere (the event name) that stay out of ``extra``.
    """
    kwargs: dict[str, Any] = {}
    used = set(skip)
    invalid: set[str] = set()
    for spec in _SPECS[cls]:
        key = next((name for name in spec.keys if name in data), None)
        if key is None:
            continue
        used.add(key)
        try:
            value = spec.convert(data[key], tz)
        except _Invalid:
            invalid.add(key)
            logger.warning("Kept undecodable %s.%s value %r in extra", cls.__name__, key, data[key])
            continue
        if value is not None:
            kwargs[spec.attr] = value
    extra = {key: value for key, value in data.items() if key not in used or key in invalid}
    record: T = cast(Any, cls)(**kwargs, extra=extra)
    return record
