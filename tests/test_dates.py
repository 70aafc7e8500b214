"""Server date parsing (Jalali, Gregorian, Mongo $date) and request date formatting."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from simotel_async._dates import format_request_datetime, parse_datetime

TEHRAN = ZoneInfo("Asia/Tehran")
UTC = timezone.utc


def offset(moment: datetime | None) -> timedelta | None:
    assert moment is not None
    return moment.utcoffset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Leap years of the Jalali calendar: Esfand has 30 days.
        ("1399-12-30 10:00:00", datetime(2021, 3, 20, 10, 0, 0)),
        ("1403-12-30 23:59:59", datetime(2025, 3, 20, 23, 59, 59)),
        # First half of the year: 31-day months (invalid as a Gregorian Feb 31).
        ("1399-02-31 16:03:53", datetime(2020, 5, 20, 16, 3, 53)),
        ("1401-06-31 08:00:00", datetime(2022, 9, 22, 8, 0, 0)),
        # New year's day.
        ("1400-01-01 00:00:00", datetime(2021, 3, 21, 0, 0, 0)),
        ("1401-06-20 22:43:21", datetime(2022, 9, 11, 22, 43, 21)),
        # Without seconds (music-on-hold files), date only, slashes, fractions.
        ("1402-04-28 19:02", datetime(2023, 7, 19, 19, 2)),
        ("1402-04-28", datetime(2023, 7, 19)),
        ("1402/04/28 19:02:00", datetime(2023, 7, 19, 19, 2)),
        ("1400-03-25 11:59:12.25", datetime(2021, 6, 15, 11, 59, 12, 250000)),
    ],
)
def test_jalali_strings_become_gregorian_wall_time(text: str, expected: datetime) -> None:
    assert parse_datetime(text, TEHRAN) == expected.replace(tzinfo=TEHRAN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-09-11 22:43:22", datetime(2022, 9, 11, 22, 43, 22)),
        ("2022-09-11 22:43", datetime(2022, 9, 11, 22, 43)),
        ("2022-09-11T22:43:22.5", datetime(2022, 9, 11, 22, 43, 22, 500000)),
        ("2024-02-29 12:00:00", datetime(2024, 2, 29, 12)),
    ],
)
def test_gregorian_strings_are_server_wall_time(text: str, expected: datetime) -> None:
    moment = parse_datetime(text, TEHRAN)
    assert moment == expected.replace(tzinfo=TEHRAN)
    assert moment is not None
    assert moment.tzinfo is TEHRAN


def test_explicit_offsets_are_converted_into_the_server_zone() -> None:
    moment = parse_datetime("2022-01-01T10:00:00Z", TEHRAN)
    assert moment == datetime(2022, 1, 1, 10, tzinfo=UTC)
    assert moment is not None
    assert moment.tzinfo is TEHRAN
    assert moment.hour == 13
    assert parse_datetime("2022-01-01 10:00+03:30", UTC) == datetime(2022, 1, 1, 6, 30, tzinfo=UTC)


def test_tehran_daylight_saving_era_offsets() -> None:
    # Iran observed DST until 2022: summer +04:30, winter +03:30; none since.
    assert offset(parse_datetime("1400-04-15 12:00:00", TEHRAN)) == timedelta(hours=4, minutes=30)
    assert offset(parse_datetime("1400-10-15 12:00:00", TEHRAN)) == timedelta(hours=3, minutes=30)
    assert offset(parse_datetime("1402-04-15 12:00:00", TEHRAN)) == timedelta(hours=3, minutes=30)
    assert offset(parse_datetime("2021-07-06 12:00:00", TEHRAN)) == timedelta(hours=4, minutes=30)


def test_jalali_and_mongo_forms_of_one_instant_agree() -> None:
    # reports.queue.ordered: starttime "1399-02-31 16:03:53", data.start_time in epoch ms.
    jalali = parse_datetime("1399-02-31 16:03:53", TEHRAN)
    mongo = parse_datetime({"$date": {"$numberLong": "1589974433284"}}, TEHRAN)
    assert mongo is not None
    assert jalali is not None
    assert mongo - jalali == timedelta(milliseconds=284)
    assert mongo.utcoffset() == timedelta(hours=4, minutes=30)


@pytest.mark.parametrize(
    "value",
    [
        {"$date": {"$numberLong": "1662920002254"}},
        {"$date": 1662920002254},
        {"$date": "2022-09-11T18:13:22.254Z"},
        {"$date": "2022-09-11T18:13:22.254+00:00"},
    ],
)
def test_mongo_date_forms(value: object) -> None:
    moment = parse_datetime(value, TEHRAN)
    assert moment == datetime(2022, 9, 11, 18, 13, 22, 254000, tzinfo=UTC)
    assert moment is not None
    assert moment.tzinfo is TEHRAN


def test_epoch_numbers_in_seconds_or_milliseconds() -> None:
    expected = datetime(2022, 9, 11, 18, 13, 22, tzinfo=UTC)
    assert parse_datetime(1662920002, TEHRAN) == expected
    assert parse_datetime(1662920002000, TEHRAN) == expected
    assert parse_datetime(1662920002.5, TEHRAN) == expected + timedelta(milliseconds=500)


def test_datetime_objects_are_normalised_into_the_zone() -> None:
    naive = datetime(2022, 9, 11, 22, 43)
    assert parse_datetime(naive, TEHRAN) == naive.replace(tzinfo=TEHRAN)
    aware = datetime(2022, 9, 11, 18, 13, tzinfo=UTC)
    result = parse_datetime(aware, TEHRAN)
    assert result == aware
    assert result is not None
    assert result.tzinfo is TEHRAN


@pytest.mark.parametrize("value", [None, "", "  ", "0000-00-00 00:00:00", "0000-00-00"])
def test_empty_values_are_none(value: object) -> None:
    assert parse_datetime(value, TEHRAN) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1400-12-30 10:00:00", "invalid Jalali date '1400-12-30 10:00:00'"),
        ("1399-07-31 10:00:00", "invalid Jalali date"),
        ("1401-13-01", "invalid Jalali date"),
        ("2022-02-29 10:00", "invalid Gregorian date '2022-02-29 10:00'"),
        ("2022-09-11 25:00", "invalid Gregorian date"),
        ("yesterday", "not a date: 'yesterday'"),
        ("2022-09-11 10", "not a date"),
        ({"$date": "soon"}, "not a date: 'soon'"),
        ({"$date": {"$numberLong": "x"}}, "not an epoch in milliseconds"),
        ({"$date": [1]}, "unsupported $date value"),
        ({"date": 1}, "not a date"),
        (True, "not a date: True"),
        ([2022, 9, 11], "not a date"),
    ],
)
def test_invalid_values_raise_value_error(value: object, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        parse_datetime(value, TEHRAN)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2020, 12, 25, 13, 53, 59), "2020-12-25 13:53"),
        (datetime(2020, 12, 25, 10, 23, tzinfo=UTC), "2020-12-25 13:53"),
        (datetime(2021, 6, 25, 9, 23, tzinfo=UTC), "2021-06-25 13:53"),
        (date(2020, 12, 25), "2020-12-25 00:00"),
        ("2020-12-25 13:53", "2020-12-25 13:53"),
        ("2020-12-25 13:53:40", "2020-12-25 13:53"),
        ("2020-12-25", "2020-12-25 00:00"),
        ("1399-10-05 13:53", "2020-12-25 13:53"),
        ("1403-12-30 08:00:00", "2025-03-20 08:00"),
    ],
)
def test_request_dates_are_gregorian_server_time(
    value: datetime | date | str, expected: str
) -> None:
    assert format_request_datetime(value, TEHRAN) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not a date",
        "2023/07/19",
        "2023-07-19T10:00",
        "2020-1-5 3:07",
        "2020-12-25T10:23:00Z",
        "2020-12-25 10:23+03:30",
        "2020-12-25 10",
        " 2020-12-25",
        "2020-12-25 10:23:00.5",
    ],
)
def test_request_dates_accept_only_the_documented_forms(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        format_request_datetime(value, TEHRAN)
    assert str(caught.value) == (
        f"not a request date: {value!r}; use a datetime, a date, or a 'YYYY-MM-DD', "
        "'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD HH:MM:SS' string (Gregorian, or Jalali for "
        "years before 1700)"
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1400-12-30 10:00", "invalid Jalali date '1400-12-30 10:00'"),
        ("2022-02-29", "invalid Gregorian date '2022-02-29'"),
        ("2022-09-11 25:00", "hour must be in 0..23"),
    ],
)
def test_request_dates_that_do_not_exist_raise_value_error(value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"not a valid date: {value!r} (")) as caught:
        format_request_datetime(value, TEHRAN)
    assert reason in str(caught.value)
    assert "use a datetime, a date, or a 'YYYY-MM-DD'" in str(caught.value)


def test_request_dates_reject_other_types() -> None:
    with pytest.raises(TypeError, match="expected a datetime, date or str, got int"):
        format_request_datetime(1662920002, TEHRAN)  # type: ignore[arg-type]
