"""The one cattrs converter that turns server JSON into models, and models back into dicts.

Value rules, applied by field type (every model field is ``T | None``):

- ``str``: strings as they are; numbers become text; ``{"$oid": "..."}`` its id.
- ``int`` / ``float``: numbers, or numeric strings (``"5060"``).
- ``bool``: ``true``/``false``, ``"yes"``/``"no"``, ``"true"``/``"false"``, ``1``/``0``.
- ``datetime``: see :func:`simotel_async._dates.parse_datetime`, in the time zone of
  the ``decode`` call.
- ``None`` and ``""`` become ``None`` for every optional field.
- Models: ``_id`` is ``id``; keys the model does not know go to ``extra`` verbatim, and
  so does an optional scalar the rules above cannot read (the field stays ``None``, a
  warning is logged): one odd value never sinks a page. Wrong shapes still raise.

Hooks are built once per type and cached by cattrs; a model's hook walks the record's
keys once, so decoding stays cheap for bulk exports.
"""

from __future__ import annotations

import logging
import types
import typing
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, tzinfo
from typing import Any, TypeVar, Union
from zoneinfo import ZoneInfo

import attrs
import cattrs

from ._dates import parse_datetime
from ._errors import SimotelResponseError
from .models._common import ALIASES, server_key

logger = logging.getLogger("simotel_async")

__all__ = ["converter", "decode", "to_dict", "unstructure"]

T = TypeVar("T")
Hook = Callable[[Any, Any], Any]

# ZoneInfo objects are immutable (and cached by key), so sharing the default is safe.
_server_timezone: ContextVar[tzinfo] = ContextVar(
    "simotel_server_timezone",
    default=ZoneInfo("Asia/Tehran"),  # noqa: B039
)

converter = cattrs.Converter()
"""The converter behind :func:`decode` and :func:`to_dict`; its hooks implement the
value rules above. Use ``decode`` rather than ``converter.structure`` directly: only
``decode`` sets the server time zone (``Asia/Tehran`` otherwise) and names the field in
errors."""


class _FieldError(Exception):
    """A value inside a record failed; ``path`` grows as the error leaves each level."""

    def __init__(self, key: str | int, value: Any, cause: BaseException) -> None:
        super().__init__(key, value, cause)
        self.path: list[str | int] = [key]
        self.value = value
        self.cause = cause

    def location(self) -> str:
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- scalars -----------------------------------------------------------------------


def _coerce_str(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$oid"), str):
        oid: str = value["$oid"]
        return oid
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _coerce_int(value: Any) -> int:
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise ValueError("not a whole number") from None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, dict) and len(value) == 1:
        # Canonical extended JSON: {"$numberInt": "5"} / {"$numberLong": "5"}.
        inner = value.get("$numberInt", value.get("$numberLong"))
        if isinstance(inner, str):
            return _coerce_int(inner)
    raise TypeError(f"expected a whole number, got {type(value).__name__}")


def _coerce_float(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ValueError("not a number") from None
    raise TypeError(f"expected a number, got {type(value).__name__}")


_TRUE = frozenset({"yes", "true", "1", "on", "y"})
_FALSE = frozenset({"no", "false", "0", "off", "n"})


def _coerce_bool(value: Any) -> bool:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError("expected yes/no or true/false")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise TypeError(f"expected a boolean, got {type(value).__name__}")


def _str(value: Any, _: Any) -> str:
    return value if type(value) is str else _coerce_str(value)


def _int(value: Any, _: Any) -> int:
    return value if type(value) is int else _coerce_int(value)


def _float(value: Any, _: Any) -> float:
    return value if type(value) is float else _coerce_float(value)


def _bool(value: Any, _: Any) -> bool:
    return value if type(value) is bool else _coerce_bool(value)


def _datetime(value: Any, _: Any) -> datetime:
    moment = parse_datetime(value, _server_timezone.get())
    if moment is None:
        raise ValueError("missing date")
    return moment


# Optional scalars are the bulk of every record: one call each, no wrapper.
def _optional_str(value: Any, _: Any) -> str | None:
    if type(value) is str:
        return value or None
    return None if value is None else _coerce_str(value)


def _optional_int(value: Any, _: Any) -> int | None:
    if type(value) is int:
        return value
    return None if value is None or value == "" else _coerce_int(value)


def _optional_float(value: Any, _: Any) -> float | None:
    if type(value) is float:
        return value
    return None if value is None or value == "" else _coerce_float(value)


def _optional_bool(value: Any, _: Any) -> bool | None:
    if type(value) is bool:
        return value
    return None if value is None or value == "" else _coerce_bool(value)


def _optional_datetime(value: Any, _: Any) -> datetime | None:
    return parse_datetime(value, _server_timezone.get())


def _passthrough(value: Any, _: Any) -> Any:
    return value


def _none(value: Any, _: Any) -> None:
    # Actions whose answer carries nothing useful ("" for update/remove, null for ping).
    return None


_OPTIONAL_SCALARS: dict[Any, Hook] = {
    str: _optional_str,
    int: _optional_int,
    float: _optional_float,
    bool: _optional_bool,
    datetime: _optional_datetime,
}

for _type, _hook in ((str, _str), (int, _int), (float, _float), (bool, _bool)):
    converter.register_structure_hook(_type, _hook)
converter.register_structure_hook(datetime, _datetime)
converter.register_structure_hook_func(lambda t: t is Any, _passthrough)
converter.register_structure_hook_func(lambda t: t is types.NoneType, _none)


# --- containers --------------------------------------------------------------------


def _is_optional(t: Any) -> bool:
    return typing.get_origin(t) in (Union, types.UnionType) and types.NoneType in typing.get_args(t)


def _make_optional(t: Any) -> Hook:
    others = [arg for arg in typing.get_args(t) if arg is not types.NoneType]
    if len(others) != 1:
        raise TypeError(f"unsupported union {t!r}: only `X | None` is decoded")
    inner_type = others[0]
    scalar = _OPTIONAL_SCALARS.get(inner_type)
    if scalar is not None:
        return scalar
    inner = converter.get_structure_hook(inner_type)

    def structure_optional(value: Any, _: Any) -> Any:
        if value is None or value == "":
            return None
        return inner(value, inner_type)

    return structure_optional


_SCALARS = frozenset({str, int, float, bool, datetime})
_warned: set[tuple[str, str]] = set()


def _is_scalar(t: Any) -> bool:
    return all(arg in _SCALARS or arg is types.NoneType for arg in typing.get_args(t))


def _warn_once(model: str, key: str, value: Any, error: BaseException) -> None:
    level = logging.DEBUG if (model, key) in _warned else logging.WARNING
    _warned.add((model, key))
    logger.log(
        level,
        "%s.%s: kept %s in extra (cannot decode: %s); the field is None",
        model,
        key,
        _short(value),
        error,
    )


def _make_list(t: Any) -> Hook:
    (item_type,) = typing.get_args(t) or (Any,)
    item = converter.get_structure_hook(item_type)

    def structure_list(value: Any, _: Any) -> list[Any]:
        if type(value) is not list:
            raise TypeError(f"expected a list, got {type(value).__name__}")
        try:
            return [item(element, item_type) for element in value]
        except Exception:
            pass
        # Slow path, only on failure: find which element broke.
        for index, element in enumerate(value):
            try:
                item(element, item_type)
            except _FieldError as error:
                error.path.insert(0, index)
                raise
            except Exception as error:
                raise _FieldError(index, element, error) from None
        raise AssertionError("unreachable")  # pragma: no cover

    return structure_list


def _make_dict(t: Any) -> Hook:
    args = typing.get_args(t)
    value_type = args[1] if len(args) == 2 else Any
    item = converter.get_structure_hook(value_type)

    def structure_dict(value: Any, _: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise TypeError(f"expected an object, got {type(value).__name__}")
        out = {}
        key: Any = None
        try:
            for key, element in value.items():
                out[key] = item(element, value_type)
        except _FieldError as error:
            error.path.insert(0, key)
            raise
        except Exception as error:
            raise _FieldError(key, value[key], error) from None
        return out

    return structure_dict


# --- models ------------------------------------------------------------------------


def _make_model(cls: type[Any]) -> Hook:
    hints = typing.get_type_hints(cls)
    table: dict[str, tuple[str, Hook, Any, bool]] = {}
    for attribute in attrs.fields(cls):
        if attribute.name == "extra":
            continue
        field_type = hints[attribute.name]
        lenient = attribute.default is None and _is_optional(field_type) and _is_scalar(field_type)
        spec = (attribute.name, converter.get_structure_hook(field_type), field_type, lenient)
        for alias in attribute.metadata.get(ALIASES, ()):
            table[alias] = spec
        table[server_key(attribute)] = spec
    keeps_extra = "extra" in attrs.fields_dict(cls)
    name = cls.__name__

    def structure_model(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            raise TypeError(f"expected a JSON object for {name}, got {type(value).__name__}")
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        key: Any = None
        for key, element in value.items():
            spec = table.get(key)
            if spec is None:
                extra[key] = element
                continue
            try:
                kwargs[spec[0]] = spec[1](element, spec[2])
            except _FieldError as error:
                error.path.insert(0, key)
                raise
            except Exception as error:
                if not spec[3]:
                    raise _FieldError(key, element, error) from None
                # One odd scalar must not sink a page (or a million-record export that
                # could then never get past it): keep it verbatim, leave the field None.
                extra[key] = element
                _warn_once(name, key, element, error)
        if extra and keeps_extra:
            kwargs["extra"] = extra
        return cls(**kwargs)

    return structure_model


def _is_list(t: Any) -> bool:
    return typing.get_origin(t) is list


def _is_dict(t: Any) -> bool:
    return typing.get_origin(t) is dict


converter.register_structure_hook_factory(attrs.has, _make_model)
converter.register_structure_hook_factory(_is_list, _make_list)
converter.register_structure_hook_factory(_is_dict, _make_dict)
converter.register_structure_hook_factory(_is_optional, _make_optional)


def _type_name(cls: Any) -> str:
    origin = typing.get_origin(cls)
    if origin is list:
        return f"list[{_type_name(typing.get_args(cls)[0])}]"
    return getattr(cls, "__name__", None) or repr(cls)


def decode(value: Any, cls: type[T], *, tz: tzinfo, endpoint: str | None = None) -> T:
    """Structure raw server JSON into ``cls`` (a model, ``list[Model]``, ``str``...).

    Dates are interpreted in ``tz``, the server's time zone. ``None`` or ``""`` where a
    list is expected decodes to ``[]`` (an empty search); anything decodes to ``None``
    for ``type(None)`` (actions that answer ``""`` or ``null``).

    Raises:
        SimotelResponseError: a value cannot be decoded; the message names the
            endpoint, the field path (e.g. ``[3].route[0].date``) and the value.
    """
    if typing.get_origin(cls) is list and (value is None or value == ""):
        return typing.cast(T, [])
    token = _server_timezone.set(tz)
    try:
        return converter.structure(value, cls)
    except _FieldError as error:
        message = (
            f"cannot decode {_type_name(cls)}: field {error.location()!r} = "
            f"{_short(error.value)}: {error.cause}"
        )
        raise SimotelResponseError(message, endpoint=endpoint) from error.cause
    except (ValueError, TypeError, KeyError, cattrs.BaseValidationError) as error:
        message = f"cannot decode {_type_name(cls)} from {_short(value)}: {error}"
        raise SimotelResponseError(message, endpoint=endpoint) from error
    finally:
        _server_timezone.reset(token)


# --- back to dicts -----------------------------------------------------------------

_PLAIN = frozenset({str, int, float, bool, types.NoneType})


def _is_plain(t: Any) -> bool:
    return t in _PLAIN or (_is_optional(t) and all(arg in _PLAIN for arg in typing.get_args(t)))


def _make_model_unstructure(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    hints = typing.get_type_hints(cls)
    # (attribute, server key, whether the value needs unstructuring), in field order.
    specs = [
        (attribute.name, server_key(attribute), not _is_plain(hints[attribute.name]))
        for attribute in attrs.fields(cls)
        if attribute.name != "extra"
    ]
    keeps_extra = "extra" in attrs.fields_dict(cls)
    unstructure_value = converter.unstructure

    def unstructure_model(obj: Any) -> dict[str, Any]:
        out = {}
        for name, key, nested in specs:
            value = getattr(obj, name)
            out[key] = unstructure_value(value) if nested and value is not None else value
        if keeps_extra:
            for key, value in obj.extra.items():
                out.setdefault(key, value)
        return out

    return unstructure_model


converter.register_unstructure_hook(datetime, datetime.isoformat)
converter.register_unstructure_hook_factory(attrs.has, _make_model_unstructure)


def unstructure(value: Any) -> Any:
    """Models, lists and dicts of them as plain JSON-ready data (see :func:`to_dict`)."""
    return converter.unstructure(value)


def to_dict(model: Any) -> dict[str, Any]:
    """A model as a server-shaped dict, ready for JSON or CSV export.

    Keys are the server's (``_id``, ``Play_CID``, ``isoStart``...); every attribute is
    present (``None`` when absent); ``extra`` keys are merged back verbatim; datetimes
    become ISO 8601 strings with their offset (``"2022-09-11T22:43:21+04:30"``); booleans
    and numbers stay JSON booleans and numbers (not ``"yes"`` / ``"5060"``), so the dict
    is an export format rather than a request body.
    """
    if not attrs.has(type(model)):
        raise TypeError(f"expected a model, got {type(model).__name__}")
    out: dict[str, Any] = converter.unstructure(model)
    return out
