"""Searches: alike/conditions, paginated totals and slices, sorting, date ranges, cursors."""

from __future__ import annotations

from typing import Any

import pytest

from simotel_async.testing import FakeSimotel, PageServed
from tests.testing.support import Api


def _page(
    start: int, count: int, sorting: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "alike": "true",
        "pagination": {"start": start, "count": count, "sorting": sorting or {}},
        **extra,
    }


async def test_unpaginated_search_alike_is_a_case_insensitive_substring(
    api: Api,
) -> None:
    everyone = (await api("pbx/users/search", {"alike": True, "conditions": {"name": ""}}))["data"]
    assert len(everyone) == 20
    some = (await api("pbx/users/search", {"alike": "true", "conditions": {"name": "ALI"}}))["data"]
    assert some
    assert all("ali" in u["name"].lower() for u in some)
    exact = (await api("pbx/users/search", {"alike": "false", "conditions": {"name": "ALI"}}))[
        "data"
    ]
    assert exact == []
    number = everyone[3]["number"]
    (one,) = (await api("pbx/users/search", {"alike": 0, "conditions": {"number": number}}))["data"]
    assert one["number"] == number


async def test_unknown_condition_fields_match_nothing_but_ignored_ones_are_ignored(
    api: Api,
) -> None:
    nothing = await api("pbx/trunks/search", {"alike": "true", "conditions": {"colour": "red"}})
    assert nothing["data"] == []
    users = await api(
        "pbx/users/search", {"status": "all", "alike": 1, "conditions": {"mapped": "x"}}
    )
    assert len(users["data"]) == 20


async def test_conditions_match_inside_lists_and_object_ids(api: Api, fake: FakeSimotel) -> None:
    label = fake.records("pbx.whitelists")[0]["labels"][0]
    found = await api("pbx/whitelists/search", {"alike": "false", "conditions": {"labels": label}})
    assert found["data"]
    assert all(label in w["labels"] for w in found["data"])
    campaign_id = fake.records("autodialer.reports")[0]["campaign_id"]["$oid"]
    reports = await api(
        "autodialer/reports/search", _page(0, 200, conditions={"campaign_id": campaign_id})
    )
    rows = reports["data"]["data"]
    assert rows
    assert all(r["campaign_id"] == {"$oid": campaign_id} for r in rows)


async def test_paginated_search_total_and_slices(api: Api, fake: FakeSimotel) -> None:
    total = len(fake.records("reports.cdr"))
    first = (await api("reports/cdr/search", _page(0, 7)))["data"]
    assert first["pagination"] == {
        "start": 0,
        "count": 7,
        "sorting": {"starttime": -1},
        "total": total,
    }
    assert (first["target"], first["useGroupBy"]) == ("cdr", False)
    assert len(first["data"]) == 7
    second = (await api("reports/cdr/search", _page(7, 7)))["data"]
    both = (await api("reports/cdr/search", _page(0, 14)))["data"]
    assert [r["_id"] for r in first["data"] + second["data"]] == [r["_id"] for r in both["data"]]
    starts = [r["starttime"] for r in both["data"]]
    assert starts == sorted(starts, reverse=True)
    tail = (await api("reports/cdr/search", _page(total - 3, 10)))["data"]
    assert len(tail["data"]) == 3
    beyond = (await api("reports/cdr/search", _page(total + 5, 10)))["data"]
    assert beyond["data"] == []
    assert beyond["pagination"]["total"] == total


async def test_walking_every_page_yields_every_record_once(api: Api, fake: FakeSimotel) -> None:
    seen: list[str] = []
    start = 0
    while True:
        page = (await api("reports/cdr/search", _page(start, 64)))["data"]
        if not page["data"]:
            break
        seen += [r["_id"] for r in page["data"]]
        start += len(page["data"])
    assert sorted(seen) == sorted(r["_id"] for r in fake.records("reports.cdr"))
    assert len(seen) == len(set(seen))


async def test_explicit_sorting_is_echoed_and_applied(api: Api) -> None:
    body = _page(0, 40, {"name": 1})
    contacts = (await api("autodialer/contacts/search", body))["data"]
    assert contacts["pagination"]["sorting"] == {"name": 1}
    names = [c["name"] for c in contacts["data"]]
    assert names == sorted(names)
    descending = (await api("autodialer/contacts/search", _page(0, 40, {"name": "-1"})))["data"]
    assert [c["name"] for c in descending["data"]] == sorted(names, reverse=True)


@pytest.mark.parametrize(
    "pagination",
    [
        {"start": -1, "count": 5},
        {"start": 0, "count": 0},
        {"start": "x", "count": 5},
        {"start": 0, "count": 5, "sorting": {"date": 2}},
    ],
)
async def test_bad_pagination_fails_the_operation(api: Api, pagination: dict[str, Any]) -> None:
    body = await api("autodialer/contacts/search", {"alike": "true", "pagination": pagination})
    assert body == {"success": 0, "message": "Requested operation failed", "data": None}


async def test_numeric_strings_are_accepted_for_pagination(api: Api) -> None:
    body = await api(
        "autodialer/contacts/search",
        {"alike": "true", "pagination": {"start": "2", "count": "3"}},
    )
    assert body["data"]["pagination"]["start"] == 2
    assert len(body["data"]["data"]) == 3


async def test_date_range_filters_on_record_time(api: Api, fake: FakeSimotel) -> None:
    body = _page(0, 1000, date_range={"from": "2024-04-10 00:00", "to": "2024-04-12 23:59"})
    rows = (await api("reports/cdr/search", body))["data"]["data"]
    # Gregorian 2024-04-10 is Jalali 1403-01-22.
    assert rows
    assert all("1403-01-22 00:00:00" <= r["start"] <= "1403-01-24 23:59:59" for r in rows)
    everything = fake.records("reports.cdr")
    expected = [
        r for r in everything if "1403-01-22 00:00:00" <= r["start"] <= "1403-01-24 23:59:59"
    ]
    assert len(rows) == len(expected)
    empty_range = await api("reports/cdr/search", _page(0, 5, date_range={}))
    assert empty_range["data"]["pagination"]["total"] == len(everything)
    invalid = await api("reports/cdr/search", _page(0, 5, date_range={"from": "1403-13-40 10:00"}))
    assert invalid["success"] == 0


async def test_report_condition_names_map_to_record_fields(api: Api, fake: FakeSimotel) -> None:
    row = fake.records("reports.queue_details")[0]
    conditions = {
        "from": row["src"],
        "to": row["dst"],
        "queue": row["qnum"],
        "cuid": "",
        "queue_id": row["queue_id"],
    }
    found = (await api("reports/queue_details/search", _page(0, 50, conditions=conditions)))["data"]
    assert row["_id"] in [r["_id"] for r in found["data"]]
    assert found["target"] == "queue"
    poll = fake.records("reports.poll")[0]
    polls = (await api("reports/poll/search", _page(0, 50, conditions={"cuid": poll["uniqueid"]})))[
        "data"
    ]
    assert [p["_id"] for p in polls["data"]] == [poll["_id"]]
    quick = await api(
        "reports/quick/search", _page(0, 5, conditions={"cuid": row["cuid"]}, date_range={})
    )
    assert quick["message"] == "Requested operation is done successfully"
    assert "target" not in quick["data"]
    assert {r["cuid"] for r in quick["data"]["data"]} == {row["cuid"]}


async def test_max_page_size_caps_each_page(api: Api, fake: FakeSimotel) -> None:
    fake.max_page_size = 10
    body = (await api("reports/cdr/search", _page(0, 100)))["data"]
    assert body["pagination"]["count"] == 100
    assert len(body["data"]) == 10
    with pytest.raises(ValueError):
        fake.max_page_size = 0


@pytest.mark.parametrize(
    ("path", "collection"),
    [
        ("reports/cdr/ordered/id", "reports.cdr"),
        ("reports/queue/ordered/id", "reports.queue"),
        ("reports/queue_details/ordered/id", "reports.queue_details"),
        ("autodialer/reports/ordered/id", "autodialer.reports"),
    ],
)
async def test_ordered_cursor_walks_every_record_once(
    api: Api, fake: FakeSimotel, path: str, collection: str
) -> None:
    last_id, seen, sizes = "", [], []
    while True:
        data = (await api(path, {"_id": last_id}))["data"]
        sizes.append(len(data["data"]))
        if not data["data"]:
            assert data["last_id"] == last_id
            break
        assert data["last_id"] == data["data"][-1]["_id"]
        seen += [r["_id"] for r in data["data"]]
        last_id = data["last_id"]
    assert seen == sorted(r["_id"] for r in fake.records(collection))
    assert set(sizes[:-2]) == {20}


async def test_ordered_cursor_rejects_a_malformed_id(api: Api) -> None:
    body = await api("reports/cdr/ordered/id", {"_id": "not-an-id"})
    assert body["success"] == 0


async def test_records_added_during_a_cursor_walk_appear_at_its_end(
    api: Api, fake: FakeSimotel
) -> None:
    first = (await api("reports/cdr/ordered/id", {"_id": ""}))["data"]
    new = fake.insert("reports.cdr")
    last_id, seen = first["last_id"], [r["_id"] for r in first["data"]]
    while True:
        data = (await api("reports/cdr/ordered/id", {"_id": last_id}))["data"]
        if not data["data"]:
            break
        seen += [r["_id"] for r in data["data"]]
        last_id = data["last_id"]
    assert seen[-1] == new["_id"]
    assert len(seen) == len(set(seen)) == len(fake.records("reports.cdr"))


async def test_insert_during_pagination_shifts_offsets(api: Api, fake: FakeSimotel) -> None:
    total = len(fake.records("reports.cdr"))
    fake.insert_during_pagination("reports.cdr.search", after_page=1, count=3)
    first = (await api("reports/cdr/search", _page(0, 10)))["data"]
    second = (await api("reports/cdr/search", _page(10, 10)))["data"]
    assert first["pagination"]["total"] == total
    assert second["pagination"]["total"] == total + 3
    first_ids = [r["_id"] for r in first["data"]]
    assert [r["_id"] for r in second["data"]][:3] == first_ids[-3:]
    third = (await api("reports/cdr/search", _page(20, 10)))["data"]
    assert third["pagination"]["total"] == total + 3  # the hook fired once only


def test_insert_during_pagination_needs_a_paginated_endpoint(fake: FakeSimotel) -> None:
    with pytest.raises(ValueError, match="not a paginated"):
        fake.insert_during_pagination("pbx.users.search")


async def test_on_page_reports_every_page_served(api: Api, fake: FakeSimotel) -> None:
    pages: list[PageServed] = []
    fake.on_page(pages.append)
    await api("voicemails/inbox/search", _page(0, 4))
    await api("voicemails/inbox/search", _page(4, 4))
    ordered = (await api("reports/queue/ordered/id", {"_id": ""}))["data"]
    assert [(p.endpoint_id, p.number, p.start, p.collection) for p in pages] == [
        ("voicemails.inbox.search", 1, 0, "voicemails.inbox"),
        ("voicemails.inbox.search", 2, 4, "voicemails.inbox"),
        ("reports.queue.ordered", 1, None, "reports.queue"),
    ]
    assert pages[0].total == len(fake.records("voicemails.inbox"))
    assert pages[2].last_id == ordered["last_id"]
    assert pages[2].ids == tuple(r["_id"] for r in ordered["data"])


async def test_on_page_callbacks_may_delete_records(api: Api, fake: FakeSimotel) -> None:
    @fake.on_page
    def drop_first(page: PageServed) -> None:
        if page.number == 1:
            fake.delete(page.collection, page.ids[0])

    total = len(fake.records("autodialer.contacts"))
    await api("autodialer/contacts/search", _page(0, 5))
    second = (await api("autodialer/contacts/search", _page(0, 5)))["data"]
    assert second["pagination"]["total"] == total - 1
