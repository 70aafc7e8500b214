"""Dates as Simotel writes them: Jalali and Gregorian strings, Mongo ``$date`` objects.

The fake keeps one hidden *time key* per record, a Gregorian ``YYYY-MM-DD HH:MM:SS``
string in server local time, so ``date_range`` filters compare plain strings.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import jdatetime

__all__ = [
    "TEHRAN",
    "Moment",
    "compact",
    "gregorian",
    "hhmmss",
    "jalali",
    "mongo_date",
    "range_bound",
    "time_key",
    "time_key_of_value",
]

TEHRAN = ZoneInfo("Asia/Tehran")

_REQUEST_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
_SERVER_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$")


Moment = float | datetime
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _epoch(moment: Moment) -> float:
    return moment.timestamp() if isinstance(moment, datetime) else moment


@functools.lru_cache(maxsize=65536)
def _offset(hour: int) -> int:
    # Tehran's UTC offset for one hour of epoch time (+03:30, +04:30 under the old DST).
    offset = datetime.fromtimestamp(hour * 3600, timezone.utc).astimezone(TEHRAN).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 12600


def _local(moment: Moment) -> tuple[int, int]:
    """(days since 1970-01-01, seconds into that day) of Tehran wall-clock time."""
    seconds = int(_epoch(moment))
    return divmod(seconds + _offset(seconds // 3600), 86400)


@functools.lru_cache(maxsize=65536)
def _gregorian_day(days: int) -> str:
    return date.fromordinal(days + _EPOCH_ORDINAL).isoformat()


@functools.lru_cache(maxsize=65536)
def _jalali_day(days: int) -> str:
    j = jdatetime.date.fromgregorian(date=date.fromordinal(days + _EPOCH_ORDINAL))
    return f"{int(j.year):04d}-{int(j.month):02d}-{int(j.day):02d}"


@functools.lru_cache(maxsize=8192)
def _to_gregorian(year: int, month: int, day: int) -> str:
    g = jdatetime.date(year, month, day).togregorian()
    return f"{g.year:04d}-{g.month:02d}-{g.day:02d}"


_HOURS_MINUTES = [f"{m // 60:02d}:{m % 60:02d}:" for m in range(1440)]
_SECONDS = [f"{s:02d}" for s in range(60)]


def _clock(seconds: int) -> str:
    if seconds < 86400:
        return _HOURS_MINUTES[seconds // 60] + _SECONDS[seconds % 60]
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def jalali(moment: Moment) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in the Solar Hijri calendar, Tehran local time."""
    days, seconds = _local(moment)
    return f"{_jalali_day(days)} {_clock(seconds)}"


def gregorian(moment: Moment) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in the Gregorian calendar, Tehran local time."""
    days, seconds = _local(moment)
    return f"{_gregorian_day(days)} {_clock(seconds)}"


def time_key(moment: Moment) -> str:
    """The hidden sort/filter key of a record created at ``moment``."""
    return gregorian(moment)


def compact(moment: Moment) -> str:
    """``YYYYMMDDHHMMSS`` (Tehran), as in uploaded file names."""
    return gregorian(moment).replace("-", "").replace(" ", "").replace(":", "")


def mongo_date(moment: Moment) -> dict[str, Any]:
    """Mongo extended JSON: ``{"$date": {"$numberLong": "<epoch ms>"}}``."""
    return {"$date": {"$numberLong": str(round(_epoch(moment) * 1000))}}


def hhmmss(seconds: int) -> str:
    """``HH:MM:SS`` for a duration, as the report ``*_hhmmss`` fields show it."""
    return _clock(seconds)


def range_bound(value: str, *, end: bool) -> str:
    """Normalise a request time (``YYYY-MM-DD HH:MM``) to a comparable time key.

    The end of a range includes its whole minute (or day, for a bare date).
    Raises ``ValueError`` for anything else.
    """
    match = _REQUEST_TIME.match(value.strip())
    if match is None:
        raise ValueError(value)
    year, month, day, hour, minute, second = match.groups()
    # Only to reject impossible dates and times (datetime raises ValueError).
    datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    if hour is None:
        clock = "23:59:59" if end else "00:00:00"
    else:
        clock = f"{hour}:{minute}:{second or ('59' if end else '00')}"
    return f"{year}-{month}-{day} {clock}"


def time_key_of_value(value: object) -> str | None:
    """The time key of a server date value: Jalali string, Gregorian string or ``$date``."""
    if isinstance(value, dict):
        inner = value.get("$date")
        if isinstance(inner, dict):
            inner = inner.get("$numberLong")
        try:
            millis = int(str(inner))
        except ValueError:
            return None
        return gregorian(millis / 1000)
    if not isinstance(value, str):
        return None
    match = _SERVER_TIME.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second = match.groups()
    clock = f"{hour or '00'}:{minute or '00'}:{second or '00'}"
    try:
        # Four-digit Solar Hijri years are in the 1300s and 1400s.
        calendar_day = (
            _to_gregorian(int(year), int(month), int(day))
            if int(year) < 1700
            else f"{year}-{month}-{day}"
        )
    except ValueError:
        return None
    return f"{calendar_day} {clock}"
