"""Seeded data: deterministic, consistent across collections, dated like Simotel."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import jdatetime
import pytest

from simotel_async.testing import FakeSimotel
from simotel_async.testing._calendar import (
    TEHRAN,
    gregorian,
    jalali,
    range_bound,
    time_key_of_value,
)

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
JALALI = re.compile(r"^1[34]\d\d-\d\d-\d\d \d\d:\d\d:\d\d$")


def test_same_seed_same_data_and_files() -> None:
    one, two = FakeSimotel(seed=11), FakeSimotel(seed=11)
    for name in one.collections:
        assert one.records(name) == two.records(name)
    assert one.files.keys() == two.files.keys()
    other = FakeSimotel(seed=12)
    assert one.records("reports.cdr") != other.records("reports.cdr")


def test_counts_shape_the_data() -> None:
    fake = FakeSimotel(
        cdr=10_000, users=3, queues=2, counts={"autodialer.contacts": 0, "pbx.faxes": 1}
    )
    assert len(fake.records("reports.cdr")) == 10_000
    assert [
        len(fake.records(n))
        for n in ("pbx.users", "pbx.queues", "autodialer.contacts", "pbx.faxes")
    ] == [3, 2, 0, 1]
    assert fake.records("reports.queue")
    assert fake.records("reports.queue_details")
    assert fake.records("reports.poll")
    ids = [r["_id"] for r in fake.records("reports.cdr")]
    assert len(set(ids)) == len(ids)
    assert all(OBJECT_ID.match(i) for i in ids)


@pytest.mark.parametrize("counts", [{"reports.queue": 5}, {"pbx.phones": 1}, {"pbx.users": -1}])
def test_bad_counts_are_rejected(counts: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        FakeSimotel(counts=counts)


def test_cdr_dates_mix_calendars_like_the_server() -> None:
    fake = FakeSimotel(seed=2, cdr=300)
    cdrs = fake.records("reports.cdr")
    for cdr in cdrs:
        assert JALALI.match(cdr["start"])
        assert JALALI.match(cdr["starttime"])
        assert all(set(step["date"]) == {"$date"} for step in cdr["route"])
        if cdr["disposition"] == "ANSWERED":
            answer = datetime.strptime(cdr["answer"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=TEHRAN)
            assert jalali(answer - timedelta(seconds=cdr["wait"])) == cdr["start"]
        else:
            assert cdr["answer"] == ""
        assert cdr[cdr["disposition"]] == 1
        assert cdr[cdr["type"]] == 1
    assert {type(c["endtime"]) for c in cdrs} == {str, dict}


def test_ids_follow_time_so_the_cursor_is_chronological() -> None:
    cdrs = FakeSimotel(seed=4).records("reports.cdr")
    assert [c["_id"] for c in cdrs] == sorted(c["_id"] for c in cdrs)
    assert [c["start"] for c in cdrs] == sorted(c["start"] for c in cdrs)
    first_second = int(cdrs[0]["_id"][:8], 16)
    assert jalali(first_second) == cdrs[0]["start"]


def test_call_history_spans_the_days_before_now() -> None:
    now = datetime(2023, 9, 1, 8, 30, tzinfo=timezone.utc)
    fake = FakeSimotel(now=now, days=10, cdr=200)
    keys = [gregorian(int(c["_id"][:8], 16)) for c in fake.records("reports.cdr")]
    assert gregorian(now - timedelta(days=10)) <= min(keys) <= max(keys) <= gregorian(now)
    naive = FakeSimotel(now=datetime(2023, 9, 1, 12, 0), days=10, cdr=5)
    assert max(c["start"] for c in naive.records("reports.cdr")) <= jalali(
        datetime(2023, 9, 1, 12, 0, tzinfo=TEHRAN)
    )


def test_queue_rows_belong_to_cdr_calls() -> None:
    fake = FakeSimotel(seed=9, cdr=400)
    cuids = {c["cuid"] for c in fake.records("reports.cdr")}
    uniqueids = {c["uniqueid"] for c in fake.records("reports.cdr")}
    queues = {q["number"] for q in fake.records("pbx.queues")}
    for row in fake.records("reports.queue_details") + fake.records("reports.queue"):
        assert row["cuid"] in cuids
        assert row["qnum"] in queues
    assert all(p["uniqueid"] in uniqueids for p in fake.records("reports.poll"))


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2021, 3, 21, 0, 0, tzinfo=TEHRAN),
        datetime(2022, 9, 11, 22, 43, 22, tzinfo=TEHRAN),
        datetime(2020, 5, 20, 16, 3, 53, tzinfo=TEHRAN),
        datetime(2024, 2, 29, 23, 59, 59, tzinfo=TEHRAN),
        datetime(2019, 6, 21, 12, 0, tzinfo=timezone.utc),
    ],
)
def test_calendar_matches_jdatetime(moment: datetime) -> None:
    local = moment.astimezone(TEHRAN)
    expected = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
    assert jalali(moment) == expected.strftime("%Y-%m-%d %H:%M:%S")
    assert gregorian(moment) == local.strftime("%Y-%m-%d %H:%M:%S")
    assert time_key_of_value(jalali(moment)) == gregorian(moment)
    millis = {"$date": {"$numberLong": str(int(moment.timestamp() * 1000))}}
    assert time_key_of_value(millis) == gregorian(moment)


def test_time_key_and_range_parsing_edges() -> None:
    assert time_key_of_value("2022-09-11 22:43:22") == "2022-09-11 22:43:22"
    assert time_key_of_value("1402-04-28 19:02") == "2023-07-19 19:02:00"
    assert time_key_of_value("yesterday") is None
    assert time_key_of_value(42) is None
    assert range_bound("2024-01-02", end=True) == "2024-01-02 23:59:59"
    assert range_bound("2024-01-02 10:15", end=False) == "2024-01-02 10:15:00"
    with pytest.raises(ValueError):
        range_bound("2024-02-30 10:00", end=False)


def test_inserted_records_are_placed_in_time_by_their_dates() -> None:
    fake = FakeSimotel(cdr=0)
    fake.insert(
        "reports.cdr",
        {"_id": "5ddb9c3c5171cd0429088b96", "start": "1398-09-04 12:47:43", "src": "1"},
    )
    fake.insert("reports.cdr", {"start": "1401-06-20 22:43:21", "src": "2"})
    assert [r["src"] for r in fake.records("reports.cdr")] == ["1", "2"]
    assert fake.records("reports.cdr")[0]["_id"] == "5ddb9c3c5171cd0429088b96"


async def test_inserted_records_are_found_by_date_range() -> None:
    import httpx

    fake = FakeSimotel(cdr=0)
    fake.insert("reports.cdr", {"start": "1398-09-04 12:47:43", "src": "old"})
    fake.insert("reports.cdr", {"start": "1401-06-20 22:43:21", "src": "new"})
    body = {"alike": "true", "date_range": {"from": "2019-11-25 00:00", "to": "2019-11-25 23:59"}}
    async with httpx.AsyncClient(transport=fake.transport(), auth=("api", "secret")) as c:
        response = await c.post("http://pbx/api/v4/reports/cdr/search", json=body)
    assert [r["src"] for r in response.json()["data"]["data"]] == ["old"]


def test_queue_rows_need_a_queue() -> None:
    fake = FakeSimotel(cdr=10, queues=0)
    assert fake.records("reports.queue") == []
    with pytest.raises(ValueError, match="no queue"):
        fake.insert("reports.queue")
    row = FakeSimotel(cdr=0).insert("reports.poll")
    assert set(row) >= {"_id", "uniqueid", "point", "label", "qnum", "date"}
