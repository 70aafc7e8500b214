"""Server dates: Jalali and Gregorian strings, Mongo ``$date`` objects, Unix floats.

Simotel answers with three encodings of a moment, often in one record: Jalali (Solar
Hijri) wall-clock strings such as ``"1401-06-20 22:43:21"``, Gregorian wall-clock
strings such as ``"2022-09-11 22:43:22"`` (CDR ``answer``), and Mongo extended JSON
``{"$date": {"$numberLong": "<epoch ms>"}}``. Wall-clock strings are local time of the
zone they are read in; the calendar is told apart by the year (Jalali years are below
1700). Requests take Gregorian ``YYYY-MM-DD HH:MM`` in server time.

Bulk exports decode millions of these, so the common shapes take a fast path: the day
part (``"1401-06-20"``) is converted once and cached (a report holds few distinct
days) and the time is checked and read by :meth:`datetime.fromisoformat`; epoch
milliseconds are placed with a table of fixed offsets per UTC day instead of a
time zone lookup per value. Anything else takes the general, regular-expression path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import jdatetime

__all__ = [
    "DateReader",
    "format_request_datetime",
    "from_unix",
    "parse_datetime",
    "parse_offset",
    "reader_for",
]

# Jalali years in use are ~1300-1500 and Gregorian ones ~1900-2100.
_JALALI_BEFORE = 1700
# Epoch numbers above this are milliseconds (1e11 s is the year 5138).
_MILLISECONDS_ABOVE = 100_000_000_000
_UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_NULL_DATES = frozenset({"0000-00-00 00:00:00", "0000-00-00 00:00", "0000-00-00"})
# Epoch milliseconds are placed by UTC day: a day without a transition has one offset.
_BUCKET_MS = 86_400_000
_CACHE_LIMIT = 1 << 16

_DATE_TIME = re.compile(
    r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,6})\d*)?)?)?"
    r" ?(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_REQUEST = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?", re.ASCII)
_UNIX = re.compile(r"[+-]?\d{1,12}(?:\.\d{1,30})?", re.ASCII)
_fromisoformat = datetime.fromisoformat
# ":MM:SS" and ":MM" -> the time past the hour: with a cached aware start of the hour,
# a wall-clock string is one slice, two lookups and an addition (wall-clock arithmetic
# keeps ``tzinfo`` and ``fold=0``, exactly what ``replace(tzinfo=tz)`` gives).
_CLOCK: dict[str, timedelta] = {
    f":{minute:02d}": timedelta(minutes=minute) for minute in range(60)
} | {
    f":{minute:02d}:{second:02d}": timedelta(minutes=minute, seconds=second)
    for minute in range(60)
    for second in range(60)
}


def parse_offset(text: str) -> tzinfo:
    """``"Z"``, ``"+03:30"``, ``"-0500"`` or ``"+04"`` as a fixed-offset ``tzinfo``."""
    if text in ("Z", "z"):
        return _UTC
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return timezone(-delta if text[0] == "-" else delta)


def _gregorian(year: int, month: int, day: int, text: str) -> date:
    jalali = year < _JALALI_BEFORE
    try:
        if jalali:
            converted: date = jdatetime.date(year, month, day).togregorian()
            return converted
        return date(year, month, day)
    except ValueError as exc:
        calendar = "Jalali" if jalali else "Gregorian"
        raise ValueError(f"invalid {calendar} date {text!r}: {exc}") from None


# "1401-06-20" -> ("2022-09-11", 2022, 9, 11): shared by every zone (a day is a day).
_DAYS: dict[str, tuple[str, int, int, int]] = {}


def _day(key: str) -> tuple[str, int, int, int] | None:
    """The Gregorian ISO day of a ``YYYY-MM-DD`` key (either calendar), cached."""
    known = _DAYS.get(key)
    if known is not None or not _DAY.fullmatch(key):
        return known
    try:
        day = _gregorian(int(key[:4]), int(key[5:7]), int(key[8:10]), key)
    except ValueError:
        return None  # The general path raises with the whole text.
    if len(_DAYS) >= _CACHE_LIMIT:
        _DAYS.clear()
    known = _DAYS[key] = (day.isoformat(), day.year, day.month, day.day)
    return known


class DateReader:
    """Reads server dates into aware datetimes in one zone (see :func:`parse_datetime`).

    One reader per zone (:func:`reader_for`); it keeps the offset table of its zone.
    """

    __slots__ = ("_hours", "_offsets", "tz")

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        # UTC day -> (its first millisecond, that moment in ``tz``).
        self._offsets: dict[int, tuple[int, datetime]] = {}
        # "1401-06-20 22" -> the start of that hour in ``tz`` (either calendar).
        self._hours: dict[str, datetime] = {}

    def __repr__(self) -> str:
        return f"DateReader({self.tz!r})"

    def text(self, text: str) -> datetime | None:
        """A wall-clock string (or one with an explicit offset) as a datetime in ``tz``."""
        size = len(text)
        if size == 19 or size == 16:
            start = self._hours.get(text[:13])
            if start is not None:
                clock = _CLOCK.get(text[13:])
                if clock is not None:
                    return start + clock
        elif size != 10:
            return self._general(text)
        day = _DAYS.get(text[:10]) or _day(text[:10])
        if day is not None:
            if size == 10:
                return datetime(day[1], day[2], day[3], tzinfo=self.tz)
            if text[10] == " " and text[13] == ":" and (size == 16 or text[16] == ":"):
                try:
                    moment = _fromisoformat(day[0] + text[10:])
                except ValueError:
                    pass  # e.g. "25:00": the general path says what is wrong.
                else:
                    moment = moment.replace(tzinfo=self.tz)
                    if text[13:] in _CLOCK:
                        if len(self._hours) >= _CACHE_LIMIT:
                            self._hours.clear()
                        self._hours[text[:13]] = moment.replace(minute=0, second=0)
                    return moment
        return self._general(text)

    def _general(self, text: str) -> datetime | None:
        text = text.strip()
        if not text or text in _NULL_DATES:
            return None
        match = _DATE_TIME.fullmatch(text)
        if match is None:
            raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD HH:MM[:SS])")
        day = _gregorian(int(match["y"]), int(match["m"]), int(match["d"]), text)
        fraction = match["f"]
        try:
            moment = datetime(
                day.year,
                day.month,
                day.day,
                int(match["H"] or 0),
                int(match["M"] or 0),
                int(match["S"] or 0),
                int(fraction.ljust(6, "0")) if fraction else 0,
                tzinfo=self.tz,
            )
        except ValueError as exc:
            calendar = "Jalali" if int(match["y"]) < _JALALI_BEFORE else "Gregorian"
            raise ValueError(f"invalid {calendar} date {text!r}: {exc}") from None
        if match["tz"]:
            return moment.replace(tzinfo=parse_offset(match["tz"])).astimezone(self.tz)
        return moment

    def epoch_ms(self, ms: int) -> datetime:
        """Epoch milliseconds as a datetime in ``tz``."""
        bucket = ms // _BUCKET_MS
        known = self._offsets.get(bucket)
        if known is None:
            known = self._bucket(bucket)
            if known is None:
                return (_EPOCH + timedelta(milliseconds=ms)).astimezone(self.tz)
        # Within a day of one fixed offset, wall-clock and UTC arithmetic agree.
        return known[1] + timedelta(0, 0, 0, ms - known[0])

    def _bucket(self, bucket: int) -> tuple[int, datetime] | None:
        first = bucket * _BUCKET_MS
        try:
            start = (_EPOCH + timedelta(milliseconds=first)).astimezone(self.tz)
            end = (_EPOCH + timedelta(milliseconds=first + _BUCKET_MS - 1)).astimezone(self.tz)
        except OverflowError:
            return None
        if start.utcoffset() != end.utcoffset() or start.fold or end.fold:
            return None  # A transition or a repeated hour: convert each value exactly.
        if len(self._offsets) >= _CACHE_LIMIT:
            self._offsets.clear()
        known = self._offsets[bucket] = (first, start)
        return known

    def epoch(self, number: float) -> datetime:
        """Epoch seconds, or milliseconds when larger than 1e11, as a datetime in ``tz``."""
        if type(number) is int and abs(number) > _MILLISECONDS_ABOVE:
            return self.epoch_ms(number)
        delta = (
            timedelta(milliseconds=number)
            if abs(number) > _MILLISECONDS_ABOVE
            else timedelta(seconds=number)
        )
        return (_EPOCH + delta).astimezone(self.tz)

    def mongo(self, inner: Any) -> datetime | None:
        """The value of a ``{"$date": ...}`` object."""
        if type(inner) is dict and len(inner) == 1 and "$numberLong" in inner:
            number = inner["$numberLong"]
            if isinstance(number, str):
                try:
                    ms = int(number)
                except ValueError:
                    raise ValueError(f"not an epoch in milliseconds: {number!r}") from None
                return self.epoch_ms(ms)
        if type(inner) is int:
            return self.epoch_ms(inner)  # Extended JSON $date numbers are milliseconds.
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return (_EPOCH + timedelta(milliseconds=inner)).astimezone(self.tz)
        if isinstance(inner, str):
            return self.text(inner)
        raise ValueError(f"unsupported $date value: {inner!r}")

    def hook(self) -> Callable[[Any, Any], datetime | None]:
        """:meth:`value` as a cattrs structure hook, with the common shapes inlined:
        wall-clock strings and ``{"$date": {"$numberLong": "<ms>"}}``."""
        text, value_ = self.text, self.value
        offsets, epoch_ms = self._offsets, self.epoch_ms

        def optional_datetime(value: Any, _: Any) -> datetime | None:
            if type(value) is str:
                return text(value)
            if type(value) is dict and len(value) == 1:
                inner = value.get("$date")
                if type(inner) is dict and len(inner) == 1:
                    number = inner.get("$numberLong")
                    if type(number) is str:
                        try:
                            ms = int(number)
                        except ValueError:
                            pass  # :meth:`mongo` says what is wrong.
                        else:
                            known = offsets.get(ms // _BUCKET_MS)
                            if known is not None:
                                return known[1] + timedelta(0, 0, 0, ms - known[0])
                            return epoch_ms(ms)
            return value_(value)

        return optional_datetime

    def value(self, value: object) -> datetime | None:
        """Any server date form (see :func:`parse_datetime`)."""
        if type(value) is str:
            return self.text(value)
        if value is None:
            return None
        if type(value) is dict:
            if len(value) == 1 and "$date" in value:
                return self.mongo(value["$date"])
            raise ValueError(f"not a date: {value!r}")
        if isinstance(value, str):
            return self.text(str(value))
        if isinstance(value, datetime):
            tz = self.tz
            return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.epoch(value)
        raise ValueError(f"not a date: {value!r}")


_READERS: dict[tzinfo, DateReader] = {}


def reader_for(tz: tzinfo) -> DateReader:
    """The shared :class:`DateReader` of ``tz``."""
    reader = _READERS.get(tz)
    if reader is None:
        if len(_READERS) >= 256:
            _READERS.clear()
        reader = _READERS[tz] = DateReader(tz)
    return reader


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
    return reader_for(tz).value(value)


def from_unix(text: str) -> datetime:
    """A Unix time in seconds written as text (``"1689764130.6543210"``), in UTC.

    Decimal arithmetic keeps every digit Simotel sends (a float would round the
    seventh); the fraction is truncated to microseconds.

    Raises:
        ValueError: the text is not a number of seconds or is out of range.
    """
    text = text.strip()
    if not _UNIX.fullmatch(text):
        raise ValueError(f"not a Unix time: {text!r}")
    number = Decimal(text)
    seconds = int(number)
    micros = int(((number - seconds) * 1_000_000).to_integral_value(rounding=ROUND_FLOOR))
    try:
        return _EPOCH + timedelta(seconds=seconds, microseconds=micros)
    except OverflowError:
        raise ValueError(f"Unix time out of range: {text!r}") from None


_REQUEST_FORMS = (
    "a datetime, a date, or a 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM' or "
    "'YYYY-MM-DD HH:MM:SS' string (Gregorian, or Jalali for years before 1700)"
)


def format_request_datetime(value: datetime | date | str, tz: tzinfo) -> str:
    """Render a request date the way Simotel wants it: Gregorian ``YYYY-MM-DD HH:MM``.

    Accepts exactly the documented forms: aware datetimes are converted into ``tz``
    (the server's zone); naive ones and ``date`` objects (midnight) are taken as server
    time; strings are ``"YYYY-MM-DD"``, ``"YYYY-MM-DD HH:MM"`` or
    ``"YYYY-MM-DD HH:MM:SS"`` in server time, Gregorian or Jalali (years before 1700,
    sent as the Gregorian day); seconds are dropped.

    Raises:
        ValueError: the string is not one of those forms (``"2023/07/19"``,
            ``"2023-07-19T10:00"``) or names a day or time that does not exist; the
            message lists the accepted forms.
        TypeError: the value is not a ``datetime``, ``date`` or ``str``.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo is None else value.astimezone(tz)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        match = _REQUEST.fullmatch(value)
        if match is None:
            raise ValueError(f"not a request date: {value!r}; use {_REQUEST_FORMS}")
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
        try:
            gregorian = _gregorian(year, month, day, value)
            moment = datetime(gregorian.year, gregorian.month, gregorian.day, hour, minute, second)
        except ValueError as exc:
            raise ValueError(f"not a valid date: {value!r} ({exc}); use {_REQUEST_FORMS}") from None
    else:
        raise TypeError(f"expected a datetime, date or str, got {type(value).__name__}")
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}"
    )
