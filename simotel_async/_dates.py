"""Server dates: Jalali and Gregorian strings, Mongo ``$date`` objects, the server's zone.

Simotel answers with three encodings of a moment, often in one record: Jalali (Solar
Hijri) wall-clock strings such as ``"1401-06-20 22:43:21"``, Gregorian wall-clock
strings such as ``"2022-09-11 22:43:22"`` (CDR ``answer``), and Mongo extended JSON
``{"$date": {"$numberLong": "<epoch ms>"}}``. Wall-clock strings are server local time;
the calendar is told apart by the year (Jalali years are below 1700). Requests take
Gregorian ``YYYY-MM-DD HH:MM`` in server time.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any

import jdatetime

__all__ = ["format_request_datetime", "parse_datetime"]

# Jalali years in use are ~1300-1500 and Gregorian ones ~1900-2100.
_JALALI_BEFORE = 1700
# Epoch numbers above this are milliseconds (1e11 s is the year 5138).
_MILLISECONDS_ABOVE = 100_000_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NULL_DATES = frozenset({"0000-00-00 00:00:00", "0000-00-00 00:00", "0000-00-00"})

_DATE_TIME = re.compile(
    r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,6})\d*)?)?)?"
    r" ?(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)


@functools.lru_cache(maxsize=8192)
def _jalali_to_gregorian(year: int, month: int, day: int) -> date:
    # Records cluster on few days, so the cache makes bulk decoding cheap.
    gregorian: date = jdatetime.date(year, month, day).togregorian()
    return gregorian


def _offset(text: str) -> tzinfo:
    if text == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
    return timezone(sign * timedelta(minutes=minutes))


def _parse_string(text: str, tz: tzinfo) -> datetime | None:
    text = text.strip()
    if not text or text in _NULL_DATES:
        return None
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD HH:MM[:SS])")
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    jalali = year < _JALALI_BEFORE
    try:
        if jalali:
            day_ = _jalali_to_gregorian(year, month, day)
            year, month, day = day_.year, day_.month, day_.day
        fraction = match["f"]
        moment = datetime(
            year,
            month,
            day,
            int(match["H"] or 0),
            int(match["M"] or 0),
            int(match["S"] or 0),
            int(fraction.ljust(6, "0")) if fraction else 0,
            tzinfo=tz,
        )
    except ValueError as exc:
        calendar = "Jalali" if jalali else "Gregorian"
        raise ValueError(f"invalid {calendar} date {text!r}: {exc}") from None
    if match["tz"]:
        return moment.replace(tzinfo=_offset(match["tz"])).astimezone(tz)
    return moment


def _from_epoch(number: float, tz: tzinfo) -> datetime:
    if abs(number) > _MILLISECONDS_ABOVE:
        delta = timedelta(milliseconds=number)
    else:
        delta = timedelta(seconds=number)
    return (_EPOCH + delta).astimezone(tz)


def _parse_mongo(inner: Any, tz: tzinfo) -> datetime | None:
    if isinstance(inner, dict) and len(inner) == 1 and "$numberLong" in inner:
        inner = inner["$numberLong"]
        if isinstance(inner, str):
            try:
                return (_EPOCH + timedelta(milliseconds=int(inner))).astimezone(tz)
            except ValueError:
                raise ValueError(f"not an epoch in milliseconds: {inner!r}") from None
    if isinstance(inner, (int, float)) and not isinstance(inner, bool):
        # Extended JSON $date numbers are always milliseconds.
        return (_EPOCH + timedelta(milliseconds=inner)).astimezone(tz)
    if isinstance(inner, str):
        return _parse_string(inner, tz)
    raise ValueError(f"unsupported $date value: {inner!r}")


def parse_datetime(value: object, tz: tzinfo) -> datetime | None:
    """Decode a server date into an aware ``datetime`` in ``tz``.

    Accepts Jalali (year < 1700) and Gregorian ``YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]``
    strings (``/`` separators and a ``T`` also accepted; an explicit offset or ``Z``
    is honoured, otherwise the string is wall-clock time in ``tz``), Mongo extended JSON
    (``{"$date": {"$numberLong": "<ms>"}}``, ``{"$date": <ms>}``,
    ``{"$date": "<ISO 8601>"}``), epoch numbers (seconds, or milliseconds when larger
    than 1e11) and ``datetime`` objects (naive ones taken as ``tz`` wall time).

    Returns:
        The moment as an aware ``datetime`` whose ``tzinfo`` is ``tz``, or ``None`` for
        ``None``, ``""`` and the MySQL-style zero date ``"0000-00-00 00:00:00"``.

    Raises:
        ValueError: the value is not a date, or names a day that does not exist
            (``"1400-12-30"``: 1400 is not a Jalali leap year).
    """
    if isinstance(value, str):
        return _parse_string(value, tz)
    if value is None:
        return None
    if isinstance(value, dict):
        if len(value) == 1 and "$date" in value:
            return _parse_mongo(value["$date"], tz)
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(value, tz)
    raise ValueError(f"not a date: {value!r}")


def format_request_datetime(value: datetime | date | str, tz: tzinfo) -> str:
    """Render a request date the way Simotel wants it: Gregorian ``YYYY-MM-DD HH:MM``.

    Aware datetimes are converted into ``tz`` (the server's zone); naive ones and
    ``date`` objects (midnight) are taken as server time. Strings are validated and
    normalised: a Jalali string (``"1401-06-20 22:43"``) becomes the Gregorian day,
    seconds are dropped, an explicit offset is converted into ``tz``.

    Raises:
        ValueError: the string is empty or not a valid date.
        TypeError: the value is not a ``datetime``, ``date`` or ``str``.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo is None else value.astimezone(tz)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        parsed = _parse_string(value, tz)
        if parsed is None:
            raise ValueError(f"not a date: {value!r}")
        moment = parsed
    else:
        raise TypeError(f"expected a datetime, date or str, got {type(value).__name__}")
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}"
    )
