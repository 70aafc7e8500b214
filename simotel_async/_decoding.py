"""The decoding core shared by API models and webhook events.

What both uses agree on lives here, once:

- **Keys.** An attribute is read from its server key: the attribute's name, ``_id``
  for ``id``, the name without a trailing underscore for Python keywords (``try_``),
  or ``metadata[SERVER_KEY]``; ``metadata[ALIASES]`` names other keys read into the
  same attribute (never written back). :func:`field_keys` is the one place that
  resolves them.
- **Scalars.** :func:`to_str`, :func:`to_int`, :func:`to_float` and :func:`to_bool` and
  the words that mean true and false (``TRUE``/``FALSE``).
- **Records.** :class:`RecordDecoding` builds, per attrs class and with cattrs' own
  generator, a structure function that renames keys, keeps unknown keys in ``extra``,
  keeps a lenient field's undecodable value in ``extra`` (the field stays ``None``,
  one warning) and otherwise reports the field path of what failed.

Each use configures the rest: API replies (:mod:`simotel_async._convert`) read dates in
the server's zone; webhooks (:mod:`simotel_async.webhooks._decode`) in UTC, with Unix
floats and form strings. Dates are :mod:`simotel_async._dates`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from cattrs import BaseConverter, ClassValidationError
from cattrs.errors import AttributeValidationNote
from cattrs.gen import make_dict_structure_fn, override

__all__ = [
    "ALIASES",
    "FALSE",
    "MISSING",
    "SERVER_KEY",
    "TRUE",
    "FieldError",
    "RecordDecoding",
    "field_keys",
    "server_key",
    "short",
    "to_bool",
    "to_float",
    "to_int",
    "to_str",
]

SERVER_KEY = "simotel.key"
"""Field metadata key: the server's name for an attribute whose name differs."""

ALIASES = "simotel.aliases"
"""Field metadata key: other server names decoded into the attribute (never encoded)."""

TRUE = frozenset({"yes", "true", "1", "on", "y"})
"""Lower-cased words that decode to ``True``."""

FALSE = frozenset({"no", "false", "0", "off", "n"})
"""Lower-cased words that decode to ``False``."""

Hook = Callable[[Any, Any], Any]


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()
"""The value shown in errors for a key the record does not have."""


def server_key(attribute: attrs.Attribute[Any]) -> str:
    """The server's key for a model attribute (``id`` -> ``_id``, ``try_`` -> ``try``)."""
    key = attribute.metadata.get(SERVER_KEY)
    if key is not None:
        return str(key)
    if attribute.name == "id":
        return "_id"
    return attribute.name.removesuffix("_")


def field_keys(attribute: attrs.Attribute[Any]) -> tuple[str, ...]:
    """Every server key read into ``attribute``: its :func:`server_key`, then aliases."""
    return (server_key(attribute), *attribute.metadata.get(ALIASES, ()))


def short(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class FieldError(Exception):
    """A value inside a record failed; ``path`` grows as the error leaves each level."""

    def __init__(self, key: str | int, value: Any, cause: BaseException) -> None:
        super().__init__(key, value, cause)
        self.path: list[str | int] = [key]
        self.value = value
        self.cause = cause

    def location(self) -> str:
        """The path as text: ``[3].route[0].date``."""
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text


# --- scalars -----------------------------------------------------------------------


def to_str(value: Any) -> str:
    """Text as it is; numbers as text; ``{"$oid": "..."}`` its id."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$oid"), str):
        oid: str = value["$oid"]
        return oid
    raise TypeError(f"expected a string, got {type(value).__name__}")


def to_int(value: Any) -> int:
    """Whole numbers, numeric strings (``" 7 "``), ``3.0`` and ``{"$numberLong": "5"}``."""
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
            return to_int(inner)
    raise TypeError(f"expected a whole number, got {type(value).__name__}")


def to_float(value: Any) -> float:
    """Numbers and numeric strings."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ValueError("not a number") from None
    raise TypeError(f"expected a number, got {type(value).__name__}")


def to_bool(value: Any) -> bool:
    """Booleans, ``1``/``0`` and the words of ``TRUE``/``FALSE`` in any case."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError("expected yes/no or true/false")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise TypeError(f"expected a boolean, got {type(value).__name__}")


# --- records -----------------------------------------------------------------------

_set = object.__setattr__
_SHAPES_LIMIT = 1024


def _failed_attribute(error: BaseException) -> str | None:
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return note.name
    return None


def _slot_builder(cls: type[Any]) -> Callable[..., Any] | None:
    """A function taking ``cls.__init__``'s arguments that fills the slots directly.

    A frozen attrs ``__init__`` sets each attribute through ``object.__setattr__``
    (a lookup of the name per attribute); calling each slot's descriptor is ~15%
    cheaper. Only for classes whose ``__init__`` does nothing else: no validators,
    converters, factories, ``on_setattr`` or init hooks (else ``None``).
    """
    if not attrs.has(cls) or "__slots__" not in cls.__dict__:
        return None
    if any(hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")):
        return None
    slots = {name for k in cls.__mro__ for name in k.__dict__.get("__slots__", ())}
    if slots - {"__weakref__"} != {attribute.name for attribute in attrs.fields(cls)}:
        return None  # e.g. a cached hash, which __init__ resets
    params: list[str] = []
    lines = ["  self = _new(_cls)"]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    for index, attribute in enumerate(attrs.fields(cls)):
        default = attribute.default
        slot = next(
            (k.__dict__[attribute.name] for k in cls.__mro__ if attribute.name in k.__dict__), None
        )
        if (
            not attribute.init
            or not attribute.kw_only
            or attribute.validator is not None
            or attribute.converter is not None
            or attribute.on_setattr not in (None, attrs.setters.NO_OP)
            or isinstance(default, attrs.Factory)  # type: ignore[arg-type]
            or not attribute.alias
            or not attribute.alias.isidentifier()
            or not isinstance(slot, types.MemberDescriptorType)
        ):
            return None
        if default is attrs.NOTHING:
            params.append(attribute.alias)
        else:
            namespace[f"_d{index}"] = default
            params.append(f"{attribute.alias}=_d{index}")
        namespace[f"_s{index}"] = slot.__set__
        lines.append(f"  _s{index}(self, {attribute.alias})")
    source = f"def build(*, {', '.join(params)}):\n" + "\n".join(lines) + "\n  return self\n"
    exec(compile(source, f"<slot builder {cls.__qualname__}>", "exec"), namespace)
    built: Callable[..., Any] = namespace["build"]
    return built


def _build_with_slots(structure: Hook, cls: type[Any]) -> Hook:
    """``structure`` (a cattrs-generated function) building ``cls`` with its
    :func:`_slot_builder`, or ``structure`` as it is when either is not as expected."""
    code, defaults = structure.__code__, getattr(structure, "__defaults__", None) or ()
    builder = _slot_builder(cls)
    # ``__cl`` is a defaulted parameter; where its default sits differs between cattrs
    # versions (24.1 defaults ``_`` too), so find it by name.
    index = -1
    if code.co_varnames[:3] == ("o", "_", "__cl"):
        index = 2 - (code.co_argcount - len(defaults))
    if builder is None or not 0 <= index < len(defaults) or defaults[index] is not cls:
        return structure
    patched = (*defaults[:index], builder, *defaults[index + 1 :])
    return types.FunctionType(code, structure.__globals__, structure.__name__, patched)


@attrs.frozen
class _Field:
    name: str
    key: str
    lenient: bool
    required: bool


class RecordDecoding:
    """Builds the structure function of each attrs record for one cattrs converter.

    Register :meth:`hook_factory` on the converter for ``attrs.has``. Per class it
    generates two functions with :func:`cattrs.gen.make_dict_structure_fn` and
    ``override(rename=...)``: a fast one (``detailed_validation`` off) for every record,
    and a detailed one run only when the fast one fails, to learn which field failed.

    Args:
        lenient: which attributes keep an undecodable value in ``extra`` (the field
            stays ``None``) instead of failing the record.
        warn: called for each value kept that way: ``(class name, key, value, error)``.
        prepare: rewrites a record's mapping before decoding (``None``: as it is).
    """

    def __init__(
        self,
        *,
        lenient: Callable[[attrs.Attribute[Any], Any], bool],
        warn: Callable[[str, str, Any, BaseException], None],
        prepare: Callable[[Any, str], Mapping[str, Any]] | None = None,
    ) -> None:
        self._lenient = lenient
        self._warn = warn
        self._prepare = prepare

    def hook_factory(self, cls: type[Any], converter: BaseConverter) -> Hook:
        """The structure hook of ``cls`` (``converter.register_structure_hook_factory``)."""
        hints = typing.get_type_hints(cls, include_extras=True)
        overrides: dict[str, Any] = {}
        fields: list[_Field] = []
        aliases: dict[str, str] = {}
        keeps_extra = False
        for attribute in attrs.fields(cls):
            if attribute.name == "extra":
                keeps_extra = True
                overrides["extra"] = override(omit=True)
                continue
            key, *others = field_keys(attribute)
            for alias in others:
                aliases[alias] = key
            overrides[attribute.name] = override(rename=key)
            required = attribute.default is attrs.NOTHING
            lenient = not required and self._lenient(attribute, hints[attribute.name])
            fields.append(_Field(attribute.name, key, lenient, required))
        fast = _build_with_slots(
            make_dict_structure_fn(
                cls, converter, _cattrs_detailed_validation=False, **dict(overrides)
            ),
            cls,
        )
        detailed = make_dict_structure_fn(
            cls, converter, _cattrs_detailed_validation=True, **dict(overrides)
        )
        known = frozenset([field.key for field in fields] + list(aliases))
        by_name = {field.name: field for field in fields}
        name = cls.__name__
        prepare = self._prepare
        warn = self._warn

        def rename(value: Mapping[str, Any]) -> dict[str, Any]:
            value = dict(value)
            for alias, key in aliases.items():
                if alias in value:
                    aliased = value.pop(alias)
                    value.setdefault(key, aliased)
            return value

        def slow(value: Mapping[str, Any]) -> Any:
            data = rename(value) if aliases else value
            kept: dict[str, Any] = {}
            try:
                record = detailed(data, cls)
            except ClassValidationError as group:
                lenient: list[tuple[_Field, BaseException]] = []
                for error in group.exceptions:
                    field = by_name.get(_failed_attribute(error) or "")
                    if field is None:
                        raise TypeError(f"cannot build {name}: {error}") from error
                    if field.lenient and not isinstance(error, FieldError):
                        lenient.append((field, error))
                        continue
                    if isinstance(error, FieldError):
                        error.path.insert(0, field.key)
                        raise error from None
                    if field.required and field.key not in data:
                        cause: BaseException = ValueError(
                            f"missing (every {name} the server returns has one)"
                        )
                        raise FieldError(field.key, MISSING, cause) from None
                    raise FieldError(field.key, data[field.key], error) from None
                data = dict(data)
                for field, error in lenient:
                    kept[field.key] = raw = data.pop(field.key)
                    # One odd scalar must not sink a page (or a million-record export
                    # that could then never get past it): keep it, leave the field None.
                    warn(name, field.key, raw, error)
                record = fast(data, cls)
            if keeps_extra:
                extra = {k: v for k, v in value.items() if k not in known or k in kept}
                if extra:
                    _set(record, "extra", extra)
            return record

        # The unknown keys of each key order seen ("shape"): records of one endpoint
        # come in few shapes, and a lookup is cheaper than testing every key.
        shapes: dict[tuple[str, ...], tuple[str, ...]] = {}

        def learn(shape: tuple[str, ...]) -> tuple[str, ...]:
            if len(shapes) >= _SHAPES_LIMIT:
                shapes.clear()
            unknown = shapes[shape] = tuple([key for key in shape if key not in known])
            return unknown

        def structure_record(value: Any, _: Any) -> Any:
            if type(value) is not dict:
                if prepare is None or not isinstance(value, Mapping | str):
                    raise TypeError(
                        f"expected a JSON object for {name}, got {type(value).__name__}"
                    )
                value = prepare(value, name)
            try:
                record = fast(value, cls)
            except Exception:
                return slow(value)
            if keeps_extra:
                shape = tuple(value)
                unknown = shapes.get(shape)
                if unknown is None:
                    unknown = learn(shape)
                if unknown:
                    extra = {}
                    for key in unknown:
                        extra[key] = value[key]
                    _set(record, "extra", extra)
            return record

        if aliases:

            def structure_aliased(value: Any, _: Any) -> Any:
                if type(value) is dict and not value.keys().isdisjoint(aliases):
                    return slow(value)
                return structure_record(value, _)

            return structure_aliased
        return structure_record
