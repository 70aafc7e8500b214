"""What every model shares, and the results of setting / call / generic actions.

Models are frozen, slotted, keyword-only attrs classes. Attribute names are the server's
keys except where noted: ``_id`` is ``id``, Python keywords get a trailing underscore
(``try`` is ``try_``), and odd keys (``Play_CID``, ``cause-txt``, ``isoStart``) are
renamed through the field's ``metadata[SERVER_KEY]``. Keys a model does not know are
kept verbatim in ``extra``, so a new server field never breaks decoding.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, cast

import attrs

from simotel_async._decoding import ALIASES, SERVER_KEY, server_key

__all__ = [
    "ALIASES",
    "EMPTY",
    "SERVER_KEY",
    "AddResult",
    "OriginateResult",
    "Record",
    "UpdateResult",
    "extra_field",
    "server_key",
]

EMPTY: Mapping[str, Any] = MappingProxyType({})
"""The shared, immutable ``extra`` of a record without unknown keys."""


class Record:
    """Base of every model: a compact repr that shows only the values present."""

    __slots__ = ()

    def __repr__(self) -> str:
        parts = []
        for attribute in attrs.fields(cast(Any, type(self))):
            value = getattr(self, attribute.name)
            if value is None or (attribute.name == "extra" and not value):
                continue
            # Datetimes unquoted in ISO form: their own repr would dwarf the record.
            text = value.isoformat() if isinstance(value, datetime) else repr(value)
            parts.append(f"{attribute.name}={text}")
        return f"{type(self).__name__}({', '.join(parts)})"


def extra_field() -> Any:
    """The ``extra`` attribute: unknown server keys, verbatim (empty by default)."""
    # Left out of the hash (still compared) so records of plain values stay hashable.
    return attrs.field(default=EMPTY, hash=False)


@attrs.frozen(kw_only=True, repr=False)
class AddResult(Record):
    """The answer of an ``add`` call: the new record's id.

    ``id`` is ``None`` when the server does not say (the documented blacklist,
    whitelist and contact samples return ``{"_id": null}``; look the record up with
    search). ``pbx.users.add``'s documented answer is not an envelope but
    ``{"status", "message", "user_id"}``; those keys land in ``extra`` (``user_id`` is
    the extension number, not the record id).
    """

    id: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class UpdateResult(Record):
    """``autodialer.campaigns.update``'s answer: how many campaigns were modified."""

    count: int | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class OriginateResult(Record):
    """``call.originate``'s answer.

    ``originated_call_id`` (e.g. ``"orig.call.1703145054.787335"``) reappears in the
    CDR of the call (:attr:`Cdr.originated_call_id`).
    """

    originated_call_id: str | None = None
    extra: Mapping[str, Any] = extra_field()
