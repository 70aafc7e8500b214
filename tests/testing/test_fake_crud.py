"""Stateful CRUD: adds, updates, removes, uniqueness and missing-field failures, specials."""

from __future__ import annotations

import re

import pytest

from simotel_async.testing import FakeSimotel
from tests.testing.support import Api

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
DONE = "Requested operation is done successfully"


async def test_user_lifecycle(api: Api, fake: FakeSimotel) -> None:
    added = await api("pbx/users/add", {"name": "Neda", "number": "777", "secret": "s3"})
    assert added == {"status": "success", "message": "User created successfully", "user_id": "777"}

    found = await api("pbx/users/search", {"alike": "false", "conditions": {"number": "777"}})
    (user,) = found["data"]
    assert OBJECT_ID.match(user["_id"])
    assert (user["name"], user["secret"], user["queues"]) == ("Neda", "******", [])
    assert user["context"] == "main_routing"  # server default for a field not sent
    assert fake.records("pbx.users")[-1]["secret"] == "s3"

    updated = await api("pbx/users/update", {"_id": user["_id"], "name": "Neda K"})
    assert updated == {"success": 1, "message": DONE, "data": ""}
    assert fake.records("pbx.users")[-1]["name"] == "Neda K"
    assert fake.records("pbx.users")[-1]["number"] == "777"

    removed = await api("pbx/users/remove", {"_id": user["_id"]})
    assert removed == {"success": 1, "message": DONE, "data": ""}
    again = await api("pbx/users/search", {"alike": "false", "conditions": {"number": "777"}})
    assert again["data"] == []


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "pbx/users/add",
            {"name": "A", "number": "100", "secret": "x"},
            "This number already exists",
        ),
        ("pbx/trunks/add", {"name": "t1541"}, "This trunk already exists"),
        ("pbx/queues/add", {"name": "Other", "number": "2000"}, "this queue already exists"),
        ("pbx/queues/add", {"name": "Sales", "number": "999"}, "this queue already exists"),
        (
            "voicemails/voicemails/add",
            {"name": "v", "number": "400", "password": "1"},
            "This number already exists",
        ),
    ],
)
async def test_uniqueness_failures_are_200_with_success_0(
    api: Api, fake: FakeSimotel, path: str, body: dict[str, str], message: str
) -> None:
    collection = ".".join(path.split("/")[:2])
    before = fake.records(collection)
    assert await api(path, body) == {"success": 0, "message": message, "data": None}
    assert fake.records(collection) == before


async def test_list_numbers_are_unique_too(api: Api) -> None:
    first = await api("pbx/whitelists/add", {"number": "0912", "labels": ["vip"]})
    assert first == {"success": 1, "message": DONE, "data": {"_id": None}}
    second = await api("pbx/whitelists/add", {"number": "0912"})
    assert second["success"] == 0
    assert second["message"] == "This number already exists"


async def test_update_cannot_take_another_records_unique_value(api: Api) -> None:
    users = (await api("pbx/users/search", {"alike": "true", "conditions": {}}))["data"]
    first, second = users[0], users[1]
    clash = await api("pbx/users/update", {"_id": second["_id"], "number": first["number"]})
    assert clash["message"] == "This number already exists"
    same = await api("pbx/users/update", {"_id": first["_id"], "number": first["number"]})
    assert same["success"] == 1


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("pbx/users/add", {"name": "A", "number": "5"}, "secret"),
        ("pbx/users/add", {"name": "", "number": "5", "secret": "x"}, "name"),
        ("pbx/trunks/add", {}, "name"),
        ("pbx/announcements/add", {"name": "a"}, "filename"),
        ("autodialer/contacts/add", {"name": "c"}, "number"),
        ("autodialer/campaigns/add", {"name": "c"}, "trunk_manager_id"),
        ("pbx/users/update", {"name": "x"}, "_id"),
        ("pbx/queues/remove", {}, "_id"),
        (
            "call/originate/act",
            {"caller": "100", "callee": "101", "context": "main_routing"},
            "caller_id",
        ),
        ("reports/quick/info", {}, "cuid"),
        ("pbx/queues/batchpauseagent", {"agents": []}, "agents"),
    ],
)
async def test_missing_required_fields(
    api: Api, path: str, body: dict[str, str], field: str
) -> None:
    assert await api(path, body) == {
        "success": 0,
        "message": f"Field '{field}':value is missing",
        "data": None,
    }


@pytest.mark.parametrize("action", ["update", "remove"])
async def test_unknown_id_fails(api: Api, action: str) -> None:
    body = await api(f"pbx/trunks/{action}", {"_id": "6033876dc92de036d1390923"})
    assert body == {"success": 0, "message": "Requested operation failed", "data": None}


async def test_adds_return_new_ids_and_the_null_id_quirks(api: Api) -> None:
    trunk = await api("pbx/trunks/add", {"name": "new_trunk", "host": "10.0.0.1"})
    assert OBJECT_ID.match(trunk["data"]["_id"])
    assert trunk["message"] == DONE
    contact = await api("autodialer/contacts/add", {"name": "c", "number": "0912"})
    assert contact["data"] == {"_id": None}
    blacklisted = await api("pbx/blacklists/add", {"number": "0913"})
    assert blacklisted["data"] == {"_id": None}


async def test_new_ids_sort_after_existing_ones(api: Api, fake: FakeSimotel) -> None:
    newest = max(r["_id"] for r in fake.records("pbx.queues"))
    added = await api("pbx/queues/add", {"name": "Night", "number": "990"})
    assert added["data"]["_id"] > newest


async def test_queue_agent_operations_change_membership(api: Api, fake: FakeSimotel) -> None:
    await api("pbx/users/add", {"name": "Agent", "number": "557", "secret": "x"})
    queue = fake.records("pbx.queues")[0]["number"]
    add = await api(
        "pbx/queues/addagent",
        {"queue": queue, "source": "557", "agent": "557", "penalty": "1"},
    )
    assert add == {"success": 1, "message": "", "data": {"message": "Added successfully", "ok": 1}}
    assert queue in fake.records("pbx.users")[-1]["queues"]

    again = await api("pbx/queues/addagent", {"queue": queue, "source": "557", "agent": "557"})
    assert again["success"] == 0
    assert again["data"]["ok"] == 0

    pause = await api("pbx/queues/pauseagent", {"queue": queue, "agent": "557"})
    assert pause["data"] == {"message": "Paused successfully", "ok": 1}
    resume = await api("pbx/queues/resumeagent", {"queue": queue, "agent": "557"})
    assert resume["data"] == {"message": "UnPaused successfully", "ok": 1}
    remove = await api("pbx/queues/removeagent", {"queue": queue, "agent": "557"})
    assert remove["data"] == {"message": "Removed successfully", "ok": 1}
    assert queue not in fake.records("pbx.users")[-1]["queues"]

    gone = await api("pbx/queues/pauseagent", {"queue": queue, "agent": "557"})
    assert gone["success"] == 0
    no_queue = await api("pbx/queues/pauseagent", {"queue": "12345", "agent": "557"})
    assert no_queue["message"] == "Requested operation failed"
    assert no_queue["data"]["message"] == "Queue not found"


async def test_batch_agent_calls_answer_per_agent(api: Api, fake: FakeSimotel) -> None:
    queue = fake.records("pbx.queues")[0]["number"]
    body = {
        "agents": [
            {"queue": queue, "source": "570", "agent": "570", "penalty": ""},
            {"queue": "nope", "source": "553", "agent": "553", "penalty": ""},
        ]
    }
    added = await api("pbx/queues/batchaddagent", body)
    assert added == {
        "success": 1,
        "message": "",
        "data": {
            "Data": [
                {
                    "agents": "570",
                    "message": "Added successfully",
                    "ok": 1,
                    "penalty": "",
                    "queue": queue,
                    "source": "570",
                },
                {
                    "agents": "553",
                    "message": "Queue not found",
                    "ok": 0,
                    "penalty": "",
                    "queue": "nope",
                    "source": "553",
                },
            ],
            "ok": 0,
        },
    }
    paused = await api("pbx/queues/batchpauseagent", {"agents": [{"queue": queue, "agent": "570"}]})
    assert paused["data"] == {
        "Data": [{"agent": "570", "message": "Paused successfully", "ok": 1, "queue": queue}],
        "ok": 1,
    }
    resumed = await api(
        "pbx/queues/batchresumeagent", {"agents": [{"queue": queue, "agent": "570"}]}
    )
    assert resumed["data"]["Data"][0]["message"] == "UnPaused successfully"
    removed = await api(
        "pbx/queues/batchremoveagent",
        {"agents": [{"queue": queue, "agent": "570"}, {"queue": queue}]},
    )
    assert [(d["ok"], d["message"]) for d in removed["data"]["Data"]] == [
        (1, "Removed successfully"),
        (0, "Field 'agent':value is missing"),
    ]


async def test_originate_records_the_call_and_leaves_a_cdr(api: Api, fake: FakeSimotel) -> None:
    body = {
        "caller": "101",
        "callee": "09121234567",
        "context": "main_routing",
        "caller_id": "101",
        "timeout": "30",
    }
    answer = await api("call/originate/act", body)
    assert answer["success"] == 1
    assert answer["message"] is None
    call_id = answer["data"]["originated_call_id"]
    assert re.match(r"^orig\.call\.\d{10}\.\d{6}$", call_id)
    (placed,) = fake.originated_calls
    assert (placed.originated_call_id, placed.caller, placed.callee, placed.timeout) == (
        call_id,
        "101",
        "09121234567",
        "30",
    )
    cdr = fake.records("reports.cdr")[-1]
    assert cdr["originated_call_id"] == call_id
    assert cdr["comment"] == f"originated call: {call_id}"
    assert (cdr["src"], cdr["dst"], cdr["type"]) == ("101", "09121234567", "outgoing")


async def test_group_update_returns_the_stored_group(api: Api) -> None:
    added = await api(
        "autodialer/groups/add",
        {"name": "g", "numbers": ["1111", "2222"], "description": "d"},
    )
    group_id = added["data"]["_id"]
    updated = await api(
        "autodialer/groups/update",
        {"_id": group_id, "name": "g2", "numbers": ["1", "2", "3"]},
    )
    data = updated["data"]
    assert (data["name"], data["numbers"], data["description"], data["count"]) == (
        "g2",
        ["1", "2", "3"],
        "d",
        3,
    )
    assert set(data["date"]) == {"$date"}
    found = await api("autodialer/groups/search", {"alike": "false", "conditions": {"name": "g2"}})
    (group,) = found["data"]["data"]
    assert "numbers" not in group
    assert group["count"] == 3


async def test_campaign_dates_go_in_gregorian_and_come_back_jalali(
    api: Api,
) -> None:
    body = {
        "name": "spring",
        "trunk_manager_id": "5f6c5b56c92de0068f32e592",
        "numbers": ["09212396500"],
        "start": "2021-02-19 15:17",
        "end": "2021-02-23 15:17",
    }
    added = await api("autodialer/campaigns/add", body)
    found = await api(
        "autodialer/campaigns/search", {"alike": "false", "conditions": {"name": "spring"}}
    )
    (campaign,) = found["data"]["data"]
    assert campaign["_id"] == added["data"]["_id"]
    assert (campaign["start"], campaign["end"]) == ("1399-12-01 15:17:00", "1399-12-05 15:17:00")
    assert campaign["isoStart"] == {"$date": {"$numberLong": "1613735220000"}}
    assert (campaign["status"], campaign["count"]) == ("waiting", 1)
    updated = await api(
        "autodialer/campaigns/update", {"_id": campaign["_id"], "end": "2021-02-24 10:00"}
    )
    assert updated == {"success": 1, "message": DONE, "data": {"count": 0}}
    found = await api(
        "autodialer/campaigns/search", {"alike": "false", "conditions": {"name": "spring"}}
    )
    assert found["data"]["data"][0]["end"] == "1399-12-06 10:00:00"
    bad = await api("autodialer/campaigns/update", {"_id": campaign["_id"], "start": "yesterday"})
    assert bad["success"] == 0


async def test_quick_info_lists_queue_rows_of_a_call(api: Api, fake: FakeSimotel) -> None:
    cuid = fake.records("reports.queue_details")[0]["cuid"]
    info = await api("reports/quick/info", {"cuid": cuid})
    assert info["success"] == 1
    assert info["data"]
    assert {row["cuid"] for row in info["data"]} == {cuid}
    assert all(row["type"] == "queue_report" for row in info["data"])


async def test_autodialer_report_info_by_cdr_id(api: Api, fake: FakeSimotel) -> None:
    report = fake.records("autodialer.reports")[0]
    cdr_id = report["tries"][0]["cdr_id"]["$oid"]
    info = await api("autodialer/reports/info", {"_id": cdr_id})
    assert set(info["data"]) == {"dcontext", "amaflags", "channel", "duration", "wait"}
    assert info["data"]["wait"] == report["wait"]
    missing = await api("autodialer/reports/info", {"_id": "0" * 24})
    assert missing["success"] == 0


async def test_fax_add_then_search(api: Api) -> None:
    added = await api(
        "pbx/faxes/add",
        {
            "sender_id": "u1",
            "to": "112233",
            "ext": "558",
            "trunk_name": "Cisco",
            "file": "f.tif",
            "description": "x",
        },
    )
    fax_id = added["data"]["_id"]
    found = await api(
        "pbx/faxes/search",
        {
            "alike": "false",
            "pagination": {"start": 0, "count": 5, "sorting": {}},
            "conditions": {"dst": "112233"},
        },
    )
    (fax,) = found["data"]["data"]
    assert fax["_id"] == fax_id
    assert (fax["type"], fax["status"], fax["channel"]) == ("outbox", "SENDING", "SIP/Cisco/112233")


def test_insert_and_delete_helpers(fake: FakeSimotel) -> None:
    generated = fake.insert("pbx.users", name="Zed")
    assert generated["name"] == "Zed"
    assert fake.records("pbx.users")[-1] == generated
    given = fake.insert("autodialer.contacts", {"name": "n", "number": "1"})
    assert OBJECT_ID.match(given["_id"])
    assert fake.delete("autodialer.contacts", given["_id"]) is True
    assert fake.delete("autodialer.contacts", given["_id"]) is False
    with pytest.raises(ValueError, match="unknown collection"):
        fake.records("pbx.phones")


async def test_membership_follows_queue_and_user_changes(api: Api, fake: FakeSimotel) -> None:
    before = await api("pbx/users/search", {"alike": "true", "conditions": {}})
    assert before["success"] == 1
    queue = fake.insert("pbx.queues")
    members = [u["number"] for u in fake.records("pbx.users") if queue["number"] in u["queues"]]
    assert members
    after = await api("pbx/users/search", {"alike": "false", "conditions": {"number": members[0]}})
    assert queue["number"] in after["data"][0]["queues"]

    await api("pbx/queues/remove", {"_id": queue["_id"]})
    assert all(queue["number"] not in u["queues"] for u in fake.records("pbx.users"))
    gone = await api("pbx/queues/pauseagent", {"queue": queue["number"], "agent": members[0]})
    assert gone["data"]["message"] == "Queue not found"


async def test_removed_users_leave_their_queues(api: Api, fake: FakeSimotel) -> None:
    user = next(u for u in fake.records("pbx.users") if u["queues"])
    await api("pbx/users/remove", {"_id": user["_id"]})
    answer = await api(
        "pbx/queues/pauseagent", {"queue": user["queues"][0], "agent": user["number"]}
    )
    assert answer["data"]["message"] == "Agent not found in this queue"
