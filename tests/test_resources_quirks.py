"""The documented quirks each resource method handles, and how arguments become bodies."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timezone
from typing import Any

import httpx
import pytest

from simotel_async import AsyncSimotel
from simotel_async.models import AddResult, AgentResult, BatchAgentResult, ForwardPolicy, User
from tests.helpers import Recorder, envelope, load_fixture


def method_at(client: Any, path: str) -> Any:
    """The client's method at a dotted path, e.g. ``"pbx.queues.add_agent"``."""
    for part in path.split("."):
        client = getattr(client, part)
    return client


@pytest.fixture
async def make():
    made: list[AsyncSimotel] = []

    def factory(answer: Any = None, **options: Any) -> tuple[AsyncSimotel, Recorder]:
        handler = answer if callable(answer) else (lambda request: envelope(answer))
        recorder = Recorder(handler)
        client = AsyncSimotel(
            "https://pbx.example.com", api_key="KEY", transport=recorder.transport, **options
        )
        made.append(client)
        return client, recorder

    yield factory
    for client in made:
        await client.aclose()


def sent(recorder: Recorder, index: int = -1) -> Any:
    return json.loads(recorder.requests[index].content)


# --- the README's examples ---------------------------------------------------------


async def test_add_agent_as_in_the_readme(make) -> None:
    simotel, recorder = make({"message": "Added successfully", "ok": 1})
    result = await simotel.pbx.queues.add_agent(queue="2000", source="SIP/101", agent="101")
    assert result == AgentResult(message="Added successfully", ok=True)
    assert recorder.requests[0].url.path == "/api/v4/pbx/queues/addagent"
    assert sent(recorder) == {"queue": "2000", "source": "SIP/101", "agent": "101"}


# --- documented quirks -------------------------------------------------------------


async def test_users_add_answers_a_non_envelope(make) -> None:
    payload = load_fixture("pbx.users.add.response.json")
    assert "success" not in payload
    simotel, _ = make(lambda request: httpx.Response(200, json=payload))
    result = await simotel.pbx.users.add(name="User2", number="999", secret="999")
    assert result == AddResult(id=None, extra={"user_id": "999"})


async def test_batch_results_are_under_capital_data(make) -> None:
    payload = load_fixture("pbx.queues.batchaddagent.response.json")
    simotel, recorder = make(lambda request: httpx.Response(200, json=payload))
    result = await simotel.pbx.queues.batch_add_agent(
        agents=[
            {"queue": "10000", "source": "570", "agent": "570"},
            {"queue": "10000", "source": "553", "agent": 553, "penalty": 2},
        ]
    )
    assert isinstance(result, BatchAgentResult)
    assert result.results is not None
    assert [(r.queue, r.agent, r.ok) for r in result.results] == [
        ("10000", "570", True),
        ("10000", "553", True),
    ]
    assert sent(recorder) == {
        "agents": [
            {"queue": "10000", "source": "570", "agent": "570"},
            {"queue": "10000", "source": "553", "agent": "553", "penalty": "2"},
        ]
    }


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("pbx.users.update", {"id": "603f", "name": "x"}),
        ("pbx.trunks.remove", {"id": "603f"}),
        ("voicemails.voicemails.update", {"id": "603f"}),
        ("autodialer.trunks.update", {"id": "603f", "capacity": 50}),
        ("autodialer.reports.info", {"id": "603f"}),
    ],
)
async def test_ids_are_always_sent_as_underscore_id(make, method, kwargs) -> None:
    simotel, recorder = make({"dcontext": "x"} if method.endswith("info") else "")
    await method_at(simotel, method)(**kwargs)
    body = sent(recorder)
    assert body["_id"] == "603f"
    assert "id" not in body
    assert "id_" not in body


async def test_ping_is_post_by_default(make) -> None:
    simotel, recorder = make(None)
    assert await simotel.setting.ping() is None
    request = recorder.requests[0]
    assert (request.method, request.url.path) == ("POST", "/api/v4/setting/ping/act")
    assert sent(recorder) == {}


async def test_ping_method_can_be_overridden_per_client(make) -> None:
    simotel, recorder = make(None, methods={"setting.ping": "PUT"})
    await simotel.setting.ping()
    await simotel.ping()
    assert [(r.method, r.url.path) for r in recorder.requests] == [
        ("PUT", "/api/v4/setting/ping/act"),
        ("PUT", "/api/v4/setting/ping/act"),
    ]


@pytest.mark.parametrize(
    ("api_version", "method", "path"),
    [
        ("v4", "POST", "/api/v4/reports/audio/download"),
        ("v3", "GET", "/api/v3/voicemails/audio/download"),
    ],
)
async def test_inbox_download_is_the_audio_download_in_v4(make, api_version, method, path) -> None:
    simotel, recorder = make(
        lambda request: httpx.Response(200, content=b"RIFF"), api_version=api_version
    )
    async with simotel.voicemails.inbox.stream(file="400_vm.wav") as response:
        assert await response.aread() == b"RIFF"
    request = recorder.requests[0]
    assert (request.method, request.url.path) == (method, path)
    assert sent(recorder) == {"file": "400_vm.wav"}


@pytest.mark.parametrize("data", [[], "", None])
async def test_bare_list_searches_accept_an_empty_answer(make, data) -> None:
    simotel, _ = make(data)
    assert await simotel.pbx.users.search(name="nobody") == []


async def test_bare_list_search_decodes_each_record(make) -> None:
    payload = load_fixture("pbx.users.search.response.json")
    simotel, _ = make(lambda request: httpx.Response(200, json=payload))
    users = await simotel.pbx.users.search(name="101")
    assert len(users) == len(payload["data"]) > 0
    assert all(isinstance(user, User) for user in users)


@pytest.mark.parametrize(("alike", "json_value"), [(True, True), (False, False)])
async def test_alike_is_a_json_bool_for_user_search(make, alike, json_value) -> None:
    simotel, recorder = make([])
    await simotel.pbx.users.search(alike=alike)
    assert sent(recorder)["alike"] is json_value


@pytest.mark.parametrize(("alike", "text"), [(True, "true"), (False, "false")])
async def test_alike_is_a_string_elsewhere(make, alike, text) -> None:
    simotel, recorder = make([])
    await simotel.pbx.queues.search(alike=alike)
    await simotel.autodialer.trunks.search(alike=alike)
    assert [sent(recorder, i)["alike"] for i in (0, 1)] == [text, text]


# --- bodies from Python values -----------------------------------------------------


async def test_python_values_become_the_documented_strings(make) -> None:
    simotel, recorder = make({"_id": "q1"})
    await simotel.pbx.queues.add(
        name="Sales", number="2000", ringinuse=False, call_record=True, timeout=30, maxlen="0"
    )
    assert sent(recorder) == {
        "name": "Sales",
        "number": "2000",
        "ringinuse": "no",
        "call_record": "yes",
        "maxlen": "0",
        "timeout": "30",
    }


async def test_update_sends_only_what_was_passed(make) -> None:
    simotel, recorder = make("")
    assert await simotel.pbx.users.update(id="603f", active=False) is None
    assert sent(recorder) == {"_id": "603f", "active": "no"}


@pytest.mark.parametrize(
    "policy",
    [
        {"busy": "571", "no_answer": "0915", "unavailable": "570", "all": "2121"},
        {"Busy": "571", "No Answer": "0915", "UnAvailable": "570", "All": "2121"},
        ForwardPolicy(busy="571", no_answer="0915", unavailable="570", all="2121"),
    ],
)
async def test_forward_policy_takes_python_or_server_keys(make, policy) -> None:
    simotel, recorder = make("")
    await simotel.pbx.users.update(id="603f", forward_policy=policy)
    assert sent(recorder)["forward_policy"] == {
        "Busy": "571",
        "No Answer": "0915",
        "UnAvailable": "570",
        "All": "2121",
    }


async def test_dates_are_sent_in_server_time(make) -> None:
    simotel, recorder = make({"pagination": {"total": 0}, "data": []})
    records = simotel.reports.cdr.search(
        date_from=datetime(2024, 3, 1, 8, 30, tzinfo=timezone.utc),  # 12:00 in Tehran
        date_to=date(2024, 3, 2),
        src="09121234567",
    )
    assert await records.to_list() == []
    assert sent(recorder) == {
        "conditions": {"from": "09121234567", "to": "", "cuid": ""},
        "date_range": {"from": "2024-03-01 12:00", "to": "2024-03-02 00:00"},
        "alike": "true",
        "pagination": {"start": 0, "count": 100, "sorting": {}},
    }


async def test_campaign_fields_with_python_names(make) -> None:
    simotel, recorder = make({"_id": "c1"})
    await simotel.autodialer.campaigns.add(
        name="camp",
        trunk_manager_id="5ec6",
        numbers=("0513", "0219"),
        try_=2,
        try_interval=600,
        start=datetime(2021, 7, 10),
        end="2021-07-14 00:00",
        count=3,
    )
    assert sent(recorder) == {
        "name": "camp",
        "trunk_manager_id": "5ec6",
        "numbers": ["0513", "0219"],
        "try_interval": "600",
        "try": "2",
        "start": "2021-07-10 00:00",
        "end": "2021-07-14 00:00",
        "count": 3,
    }


async def test_extra_is_merged_into_the_body(make) -> None:
    simotel, recorder = make({"pagination": {"total": 0}, "data": []})
    contacts = simotel.autodialer.contacts.search(
        name="Ali", extra={"conditions": {"city": "Mashhad"}, "new_flag": 1}
    )
    await contacts.to_list()
    assert sent(recorder) == {
        "alike": "true",
        "conditions": {"name": "Ali", "number": "", "description": "", "city": "Mashhad"},
        "new_flag": 1,
        "pagination": {"start": 0, "count": 100, "sorting": {}},
    }


async def test_status_condition_is_sent_only_when_given(make) -> None:
    simotel, recorder = make({"pagination": {"total": 0}, "data": []})
    await simotel.autodialer.contacts.search(status="active").to_list()
    assert sent(recorder)["conditions"]["status"] == "active"


async def test_quick_search_by_cuid_sends_an_empty_date_range(make) -> None:
    simotel, recorder = make({"pagination": {"total": 0}, "data": []})
    await simotel.reports.quick.search(cuid="1677933940.72434").to_list()
    body = sent(recorder)
    assert body["date_range"] == {}
    assert body["conditions"] == {"from": "", "to": "", "cuid": "1677933940.72434"}


async def test_search_paging_options_reach_the_paginator(make) -> None:
    simotel, recorder = make({"pagination": {"total": 9}, "data": [{"_id": "g1"}]})
    groups = simotel.autodialer.groups.search(page_size=2, start=4, sort={"date": 1}, limit=1)
    assert recorder.requests == []  # created without I/O
    assert [g.id for g in await groups.to_list()] == ["g1"]
    assert sent(recorder)["pagination"] == {"start": 4, "count": 1, "sorting": {"date": 1}}


async def test_ordered_starts_from_empty_or_after_id(make) -> None:
    simotel, recorder = make({"last_id": "", "data": []})
    assert await simotel.reports.cdr.ordered().to_list() == []
    assert await simotel.autodialer.reports.ordered(after_id="64b8").to_list() == []
    assert [sent(recorder, i) for i in (0, 1)] == [{"_id": ""}, {"_id": "64b8"}]
    assert recorder.requests[1].url.path == "/api/v4/autodialer/reports/ordered/id"


async def test_extra_reaches_cursor_and_download_bodies(make) -> None:
    simotel, recorder = make({"last_id": "", "data": []})
    await simotel.reports.queue.ordered(extra={"queue": "900"}).to_list()
    assert sent(recorder) == {"queue": "900", "_id": ""}
    simotel, recorder = make(lambda request: httpx.Response(200, content=b"x"))
    await simotel.pbx.faxes.download(id="5fe7", dest=io.BytesIO(), extra={"format": "pdf"})
    assert sent(recorder) == {"_id": "5fe7", "format": "pdf"}


# --- arguments refused before any request ------------------------------------------


@pytest.mark.parametrize(
    ("method", "kwargs", "error", "match"),
    [
        ("pbx.queues.add_agent", {"queue": "2000", "agent": "101"}, TypeError, "'source'"),
        ("pbx.queues.add_agent", {"queue": 2000, "source": "s", "agent": "1"}, TypeError, "queue"),
        ("pbx.queues.add_agent", {"queue": None, "source": "s", "agent": "1"}, TypeError, "queue"),
        ("pbx.users.update", {"id": "x", "active": "maybe"}, ValueError, "active"),
        ("pbx.users.update", {"id": "x", "port": True}, TypeError, "port"),
        (
            "pbx.users.update",
            {"id": "x", "forward_policy": {"sometimes": "1"}},
            ValueError,
            "forward_policy",
        ),
        ("pbx.whitelists.add", {"number": "1", "labels": "vip"}, TypeError, "labels"),
        ("pbx.whitelists.add", {"number": "1", "labels": ["vip", 7]}, TypeError, r"labels\[1\]"),
        ("pbx.users.search", {"alike": "yes"}, TypeError, "alike"),
        ("pbx.users.search", {"alike": None}, TypeError, "alike"),
        ("pbx.users.remove", {"id": 12}, TypeError, "id"),
        ("pbx.faxes.add", {"to": "1"}, ValueError, "file= .* or text="),
        ("pbx.faxes.add", {"file": "f", "text": "t"}, ValueError, "exactly one"),
        (
            "pbx.queues.batch_pause_agent",
            {"agents": [{"queue": "1", "agent": "2"}, {"queue": "1"}]},
            ValueError,
            r"agents\[1\] misses \['agent'\]",
        ),
        (
            "pbx.queues.batch_pause_agent",
            {"agents": [{"queue": "1", "agent": "2", "x": "3"}]},
            ValueError,
            "unknown keys",
        ),
        ("pbx.queues.batch_pause_agent", {"agents": []}, ValueError, "empty"),
        ("pbx.queues.batch_pause_agent", {"agents": {"queue": "1"}}, TypeError, "list of mappings"),
        ("autodialer.campaigns.update", {"id": "c", "start": "tomorrow"}, ValueError, "start"),
        ("autodialer.campaigns.update", {"id": "c", "count": "3"}, TypeError, "count"),
        (
            "call.originate",
            {"caller": "1", "callee": "2", "context": "c", "caller_id": "3", "extra": ["x"]},
            TypeError,
            "extra",
        ),
    ],
)
async def test_bad_arguments_fail_before_any_request(make, method, kwargs, error, match) -> None:
    simotel, recorder = make("")
    with pytest.raises(error, match=match):
        await method_at(simotel, method)(**kwargs)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("method", "kwargs", "match"),
    [
        ("reports.cdr.search", {"date_from": "2024-01-01 00:00"}, "date_to"),
        ("reports.cdr.search", {"date_from": 20240101, "date_to": "2024-01-02"}, "date_from"),
        ("reports.quick.search", {}, "cuid="),
        ("reports.poll.search", {"date_from": "x", "date_to": "y"}, "date_from"),
        ("pbx.faxes.search", {"page_size": 0}, "page_size"),
        ("reports.cdr.ordered", {"after_id": 5}, "after_id"),
    ],
)
async def test_search_arguments_fail_on_creation(make, method, kwargs, match) -> None:
    simotel, recorder = make("")
    with pytest.raises((TypeError, ValueError), match=match):
        method_at(simotel, method)(**kwargs)
    assert recorder.requests == []


async def test_resource_repr_shows_no_secret(make) -> None:
    simotel = AsyncSimotel("https://api:s3cret@pbx.example.com", api_key="KEY-123")
    try:
        text = repr(simotel.pbx.users)
    finally:
        await simotel.aclose()
    assert text.startswith("<Users of <AsyncSimotel")
    assert "s3cret" not in text
    assert "KEY-123" not in text
