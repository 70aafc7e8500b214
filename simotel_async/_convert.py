"""API replies into models, and models back into dicts.

Value rules, applied by field type (every model field is ``T | None`` except the
``id: str`` of records the server always identifies):

- ``str``: strings as they are; numbers become text; ``{"$oid": "..."}`` its id.
- ``int`` / ``float``: numbers, or numeric strings (``"5060"``).
- ``bool``: ``true``/``false``, ``"yes"``/``"no"``, ``"true"``/``"false"``, ``1``/``0``.
- ``datetime``: see :func:`simotel_async._dates.parse_datetime`, in the time zone of
  the ``decode`` call.
- ``None`` and ``""`` become ``None`` for every optional field; a required ``id``
  that is missing, ``null`` or ``""`` fails the record.
- Models: ``_id`` is ``id``; keys the model does not know go to ``extra`` verbatim, and
  so does an optional scalar the rules above cannot read (the field stays ``None``, a
  warning is logged once per model and key): one odd value never sinks a page. Wrong
  shapes raise.

The rules are the decoding core's (:mod:`simotel_async._decoding`) configured with the
server's time zone: one cattrs converter per zone, whose structure functions are
generated once per model and cached.
"""

from __future__ import annotations

import logging
import types
import typing
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any, TypeVar, Union
from zoneinfo import ZoneInfo

import attrs
import cattrs

from ._dates import reader_for
from ._decoding import (
    FieldError,
    RecordDecoding,
    server_key,
    short,
    to_bool,
    to_float,
    to_int,
    to_str,
)
from ._errors import SimotelResponseError

logger = logging.getLogger("simotel_async")

__all__ = ["converter", "converter_for", "decode", "decoder", "to_dict", "unstructure"]

T = TypeVar("T")
Hook = Callable[[Any, Any], Any]

_SCALARS = frozenset({str, int, float, bool, datetime})
_warned: set[tuple[str, str]] = set()


def _warn_once(model: str, key: str, value: Any, error: BaseException) -> None:
    level = logging.DEBUG if (model, key) in _warned else logging.WARNING
    _warned.add((model, key))
    logger.log(
        level,
        "%s.%s: kept %s in extra (cannot decode: %s); the field is None",
        model,
        key,
        short(value),
        error,
    )


def _is_optional(t: Any) -> bool:
    return typing.get_origin(t) in (Union, types.UnionType) and types.NoneType in typing.get_args(t)


def _is_list(t: Any) -> bool:
    return typing.get_origin(t) is list


def _is_dict(t: Any) -> bool:
    return typing.get_origin(t) is dict


def _is_lenient(attribute: attrs.Attribute[Any], field_type: Any) -> bool:
    # Optional scalars only: a wrong shape (an object for a list) still fails the page.
    return (
        attribute.default is None
        and _is_optional(field_type)
        and all(arg in _SCALARS or arg is types.NoneType for arg in typing.get_args(field_type))
    )


_RECORDS = RecordDecoding(lenient=_is_lenient, warn=_warn_once)


# --- scalars -----------------------------------------------------------------------


def _str(value: Any, _: Any) -> str:
    # Only ids are required strings: an empty one identifies nothing.
    if type(value) is str and value:
        return value
    if value is None or value == "":
        raise ValueError("missing")
    return to_str(value)


def _int(value: Any, _: Any) -> int:
    return value if type(value) is int else to_int(value)


def _float(value: Any, _: Any) -> float:
    return value if type(value) is float else to_float(value)


def _bool(value: Any, _: Any) -> bool:
    return value if type(value) is bool else to_bool(value)


# Optional scalars are the bulk of every record: one call each, no wrapper.
def _optional_str(value: Any, _: Any) -> str | None:
    if type(value) is str:
        return value or None
    return None if value is None else to_str(value)


def _optional_int(value: Any, _: Any) -> int | None:
    if type(value) is int:
        return value
    return None if value is None or value == "" else to_int(value)


def _optional_float(value: Any, _: Any) -> float | None:
    if type(value) is float:
        return value
    return None if value is None or value == "" else to_float(value)


def _optional_bool(value: Any, _: Any) -> bool | None:
    if type(value) is bool:
        return value
    return None if value is None or value == "" else to_bool(value)


def _passthrough(value: Any, _: Any) -> Any:
    return value


def _none(value: Any, _: Any) -> None:
    # Actions whose answer carries nothing useful ("" for update/remove, null for ping).
    return None


# --- containers --------------------------------------------------------------------


def _make_list(t: Any, converter: cattrs.Converter) -> Hook:
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
            except FieldError as error:
                error.path.insert(0, index)
                raise
            except Exception as error:
                raise FieldError(index, element, error) from None
        raise AssertionError("unreachable")  # pragma: no cover

    return structure_list


def _make_dict(t: Any, converter: cattrs.Converter) -> Hook:
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
        except FieldError as error:
            error.path.insert(0, key)
            raise
        except Exception as error:
            raise FieldError(key, value[key], error) from None
        return out

    return structure_dict


def _make_converter(tz: tzinfo) -> cattrs.Converter:
    converter = cattrs.Converter()
    optional_datetime = reader_for(tz).hook()

    def required_datetime(value: Any, _: Any) -> datetime:
        moment = optional_datetime(value, _)
        if moment is None:
            raise ValueError("missing date")
        return moment

    optional_scalars: dict[Any, Hook] = {
        str: _optional_str,
        int: _optional_int,
        float: _optional_float,
        bool: _optional_bool,
        datetime: optional_datetime,
    }

    def make_optional(t: Any) -> Hook:
        others = [arg for arg in typing.get_args(t) if arg is not types.NoneType]
        if len(others) != 1:
            raise TypeError(f"unsupported union {t!r}: only `X | None` is decoded")
        inner_type = others[0]
        scalar = optional_scalars.get(inner_type)
        if scalar is not None:
            return scalar
        inner = converter.get_structure_hook(inner_type)

        def structure_optional(value: Any, _: Any) -> Any:
            if value is None or value == "":
                return None
            return inner(value, inner_type)

        return structure_optional

    for type_, hook in ((str, _str), (int, _int), (float, _float), (bool, _bool)):
        converter.register_structure_hook(type_, hook)
    converter.register_structure_hook(datetime, required_datetime)
    converter.register_structure_hook_func(lambda t: t is Any, _passthrough)
    converter.register_structure_hook_func(lambda t: t is types.NoneType, _none)
    converter.register_structure_hook_factory(attrs.has, _RECORDS.hook_factory)
    converter.register_structure_hook_factory(_is_list, lambda t: _make_list(t, converter))
    converter.register_structure_hook_factory(_is_dict, lambda t: _make_dict(t, converter))
    converter.register_structure_hook_factory(_is_optional, make_optional)
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_unstructure_hook_factory(attrs.has, _make_model_unstructure)
    return converter


# --- back to dicts -----------------------------------------------------------------

_PLAIN = frozenset({str, int, float, bool, types.NoneType})


def _is_plain(t: Any) -> bool:
    return t in _PLAIN or (_is_optional(t) and all(arg in _PLAIN for arg in typing.get_args(t)))


def _make_model_unstructure(
    cls: type[Any], converter: cattrs.Converter
) -> Callable[[Any], dict[str, Any]]:
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


_CONVERTERS: dict[tzinfo, cattrs.Converter] = {}


def converter_for(tz: tzinfo) -> cattrs.Converter:
    """The converter that reads dates in ``tz`` (one per zone, built on first use)."""
    found = _CONVERTERS.get(tz)
    if found is None:
        if len(_CONVERTERS) >= 64:
            _CONVERTERS.clear()
        found = _CONVERTERS[tz] = _make_converter(tz)
    return found


# ZoneInfo objects are immutable (and cached by key), so sharing the default is safe.
converter = converter_for(ZoneInfo("Asia/Tehran"))
"""The converter of the default server zone (``Asia/Tehran``), behind :func:`to_dict`.
Use :func:`decode` or :func:`decoder` rather than ``converter.structure``: they pick the
server's zone and name the endpoint and field in errors."""


def _type_name(cls: Any) -> str:
    origin = typing.get_origin(cls)
    if origin is list:
        return f"list[{_type_name(typing.get_args(cls)[0])}]"
    return getattr(cls, "__name__", None) or repr(cls)


def _fail(value: Any, cls: Any, endpoint: str | None, error: Exception) -> typing.NoReturn:
    if isinstance(error, FieldError):
        message = (
            f"cannot decode {_type_name(cls)}: field {error.location()!r} = "
            f"{short(error.value)}: {error.cause}"
        )
        raise SimotelResponseError(message, endpoint=endpoint) from error.cause
    message = f"cannot decode {_type_name(cls)} from {short(value)}: {error}"
    raise SimotelResponseError(message, endpoint=endpoint) from error


_EXPECTED = (FieldError, ValueError, TypeError, KeyError, cattrs.BaseValidationError)


def decoder(cls: type[T], *, tz: tzinfo, endpoint: str | None = None) -> Callable[[Any], T]:
    """A one-argument :func:`decode` for ``cls``, resolved once (a paginator's per-record
    decoder): ``decoder(Cdr, tz=tz, endpoint="reports.cdr.search")(raw)``."""
    hook = converter_for(tz).get_structure_hook(cls)
    empty_list = typing.get_origin(cls) is list

    def decode_one(value: Any) -> T:
        if empty_list and (value is None or value == ""):
            return typing.cast(T, [])
        try:
            return typing.cast(T, hook(value, cls))
        except _EXPECTED as error:
            _fail(value, cls, endpoint, error)

    return decode_one


def decode(value: Any, cls: type[T], *, tz: tzinfo, endpoint: str | None = None) -> T:
    """Structure raw server JSON into ``cls`` (a model, ``list[Model]``, ``str``...).

    Dates are interpreted in ``tz``, the server's time zone. ``None`` or ``""`` where a
    list is expected decodes to ``[]`` (an empty search); anything decodes to ``None``
    for ``type(None)`` (actions that answer ``""`` or ``null``).

    Raises:
        SimotelResponseError: a value cannot be decoded, or a record lacks its ``_id``;
            the message names the endpoint, the field path (e.g.
            ``[3].route[0].date``) and the value.
    """
    if (value is None or value == "") and typing.get_origin(cls) is list:
        return typing.cast(T, [])
    try:
        return typing.cast(T, converter_for(tz).get_structure_hook(cls)(value, cls))
    except _EXPECTED as error:
        _fail(value, cls, endpoint, error)


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
