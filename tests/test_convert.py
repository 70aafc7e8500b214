"""The converter: value rules, extra keys, errors that name the field, export dicts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from simotel_async._convert import converter, decode, to_dict, unstructure
from simotel_async._errors import SimotelResponseError
from simotel_async.models import (
    AddResult,
    AgentResult,
    BatchAgentResult,
    Cdr,
    Record,
    RouteStep,
    TrunkManager,
    User,
    VoicemailBox,
)
from simotel_async.models._common import SERVER_KEY, extra_field
from tests.helpers import decode_result

TEHRAN = ZoneInfo("Asia/Tehran")
UTC = timezone.utc


@attrs.frozen(kw_only=True, repr=False)
class Sample(Record):
    id: str | None = None
    name: str | None = None
    count: int | None = None
    ratio: float | None = None
    enabled: bool | None = None
    when: datetime | None = None
    tags: list[str] | None = None
    step: RouteStep | None = None
    steps: list[RouteStep] | None = None
    hours: dict[str, list[int]] | None = None
    raw: Any = None
    try_: int | None = None
    odd: str | None = attrs.field(default=None, metadata={SERVER_KEY: "Odd Key"})
    extra: Mapping[str, Any] = extra_field()


def sample(**raw: Any) -> Sample:
    return decode(raw, Sample, tz=TEHRAN, endpoint="test.sample")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"count": "5060"}, {"count": 5060}),
        ({"count": 30}, {"count": 30}),
        ({"count": " 7 "}, {"count": 7}),
        ({"count": 3.0}, {"count": 3}),
        ({"count": {"$numberLong": "12"}}, {"count": 12}),
        ({"ratio": "0.25"}, {"ratio": 0.25}),
        ({"ratio": 2}, {"ratio": 2.0}),
        ({"enabled": "yes"}, {"enabled": True}),
        ({"enabled": "no"}, {"enabled": False}),
        ({"enabled": "True"}, {"enabled": True}),
        ({"enabled": 1}, {"enabled": True}),
        ({"enabled": 0}, {"enabled": False}),
        ({"enabled": False}, {"enabled": False}),
        ({"name": 101}, {"name": "101"}),
        ({"_id": {"$oid": "5c2dd8f5fbdbe25519496c09"}}, {"id": "5c2dd8f5fbdbe25519496c09"}),
        ({"_id": 2}, {"id": "2"}),
        ({"try": "3"}, {"try_": 3}),
        ({"Odd Key": "x"}, {"odd": "x"}),
        ({"tags": ["a", "b"]}, {"tags": ["a", "b"]}),
        ({"hours": {"1": ["10", "11"]}}, {"hours": {"1": [10, 11]}}),
        ({"raw": {"any": ["thing"]}}, {"raw": {"any": ["thing"]}}),
    ],
)
def test_values_are_coerced_by_field_type(raw: dict[str, Any], expected: dict[str, Any]) -> None:
    record = sample(**raw)
    for name, value in expected.items():
        assert getattr(record, name) == value
        assert type(getattr(record, name)) is type(value)


@pytest.mark.parametrize(
    "name", ["name", "count", "ratio", "enabled", "when", "tags", "step", "hours", "id"]
)
@pytest.mark.parametrize("empty", ["", None])
def test_empty_strings_and_nulls_become_none(name: str, empty: str | None) -> None:
    key = "_id" if name == "id" else name
    assert getattr(sample(**{key: empty}), name) is None


def test_dates_use_the_time_zone_of_each_decode_call() -> None:
    raw = {"when": "1401-06-20 22:43:21"}
    tehran = decode(raw, Sample, tz=TEHRAN)
    utc = decode(raw, Sample, tz=UTC)
    assert tehran.when == datetime(2022, 9, 11, 22, 43, 21, tzinfo=TEHRAN)
    assert utc.when == datetime(2022, 9, 11, 22, 43, 21, tzinfo=UTC)
    assert tehran.when - utc.when == timedelta(hours=-4, minutes=-30)
    # Outside decode the converter falls back to the client's default zone.
    plain = converter.structure(raw, Sample)
    assert plain.when is not None
    assert plain.when.tzinfo == TEHRAN


def test_nested_records_and_mongo_dates() -> None:
    record = sample(
        step={
            "type": "Trunk",
            "duration": 1.632207,
            "date": {"$date": {"$numberLong": "1662920003890"}},
        },
        steps=[{"type": "AGI", "duration": "0.5", "future": 1}],
    )
    assert record.step == RouteStep(
        type="Trunk",
        duration=1.632207,
        date=datetime(2022, 9, 11, 18, 13, 23, 890000, tzinfo=UTC),
    )
    assert record.steps == [RouteStep(type="AGI", duration=0.5, extra={"future": 1})]


def test_unknown_keys_are_kept_verbatim_in_extra() -> None:
    record = sample(name="a", **{"NO ANSWER": 1, "new_field": {"$date": 5}, "list": [1, ""]})
    assert record.name == "a"
    assert record.extra == {"NO ANSWER": 1, "new_field": {"$date": 5}, "list": [1, ""]}
    assert sample(name="a").extra == {}


def test_batch_add_agent_echo_under_agents_decodes_into_agent() -> None:
    data = {
        "Data": [
            {
                "agents": "570",
                "message": "Added successfully",
                "ok": 1,
                "penalty": "",
                "queue": "10000",
            },
            {"agent": "553", "message": "Paused successfully", "ok": 1, "queue": "10000"},
        ],
        "ok": 1,
    }
    result = decode(data, BatchAgentResult, tz=TEHRAN)
    assert result == BatchAgentResult(
        ok=True,
        results=[
            AgentResult(agent="570", message="Added successfully", ok=True, queue="10000"),
            AgentResult(agent="553", message="Paused successfully", ok=True, queue="10000"),
        ],
    )


def test_users_add_non_envelope_answer_decodes_without_an_id() -> None:
    body = {"status": "success", "message": "User created successfully", "user_id": "999"}
    result = decode(body, AddResult, tz=TEHRAN, endpoint="pbx.users.add")
    assert result.id is None
    assert result.extra == body
    assert decode({"_id": None}, AddResult, tz=TEHRAN) == AddResult(id=None)


def test_lists_and_nothing_results() -> None:
    assert decode([{"_id": "u1", "name": "101"}], list[User], tz=TEHRAN) == [
        User(id="u1", name="101")
    ]
    assert decode("", list[User], tz=TEHRAN) == []
    assert decode(None, list[User], tz=TEHRAN) == []
    assert decode("", type(None), tz=TEHRAN) is None
    assert decode({"anything": 1}, type(None), tz=TEHRAN) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"hours": {"3": ["10", "x"]}},
            "test.sample: cannot decode Sample: field 'hours.3[1]' = 'x'",
        ),
        ({"tags": "a,b"}, "field 'tags' = 'a,b': expected a list, got str"),
        ({"step": [1]}, "field 'step' = [1]: expected a JSON object for RouteStep, got list"),
    ],
)
def test_undecodable_structures_raise_response_errors_naming_the_field(
    raw: dict[str, Any], message: str
) -> None:
    with pytest.raises(SimotelResponseError) as caught:
        sample(**raw)
    assert message in str(caught.value)
    assert caught.value.endpoint == "test.sample"
    assert caught.value.__cause__ is not None


@pytest.mark.parametrize(
    ("raw", "field", "reason"),
    [
        ({"count": "abc"}, "count", "not a whole number"),
        ({"enabled": "maybe"}, "enabled", "expected yes/no"),
        ({"when": "1400-12-30 10:00:00"}, "when", "invalid Jalali date '1400-12-30 10:00:00'"),
        ({"Odd Key": ["x"]}, "odd", "expected a string, got list"),
        ({"count": True}, "count", "expected a whole number, got bool"),
        ({"enabled": 2}, "enabled", "expected a boolean, got int"),
    ],
)
def test_an_undecodable_scalar_is_kept_in_extra_and_logged(
    raw: dict[str, Any], field: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG", logger="simotel_async")
    decoded = sample(name="kept", **raw)
    assert getattr(decoded, field) is None
    assert decoded.extra == raw
    assert decoded.name == "kept"
    (record,) = [r for r in caplog.records if r.name == "simotel_async"]
    key = next(iter(raw))
    assert record.getMessage().startswith(f"Sample.{key}: kept ")
    assert reason in record.getMessage()


def test_an_undecodable_scalar_in_a_nested_record_stays_in_that_record() -> None:
    decoded = sample(steps=[{"date": "1401-01-01"}, {"date": "1401-13-01", "name": "x"}])
    assert decoded.steps is not None
    assert decoded.steps[0].date == datetime(2022, 3, 21, tzinfo=TEHRAN)
    assert decoded.steps[1].date is None
    assert decoded.steps[1].extra == {"date": "1401-13-01"}
    assert decoded.steps[1].name == "x"


def test_errors_in_lists_of_records_name_the_index() -> None:
    records = [
        {"_id": "a", "start": "1401-06-20 22:43:21"},
        {"_id": "b", "route": "not a list"},
    ]
    with pytest.raises(SimotelResponseError) as caught:
        decode(records, list[Cdr], tz=TEHRAN, endpoint="reports.cdr.search")
    assert str(caught.value).startswith(
        "reports.cdr.search: cannot decode list[Cdr]: field '[1].route' = 'not a list'"
    )


@pytest.mark.parametrize(
    ("value", "cls", "message"),
    [
        ("oops", User, "cannot decode User from 'oops': expected a JSON object for User, got str"),
        ({"a": 1}, list[User], "cannot decode list[User] from {'a': 1}: expected a list, got dict"),
    ],
)
def test_wrong_shapes_raise_response_errors(value: Any, cls: Any, message: str) -> None:
    with pytest.raises(SimotelResponseError, match="^" + re.escape(f"pbx.users.search: {message}")):
        decode(value, cls, tz=TEHRAN, endpoint="pbx.users.search")


def test_to_dict_gives_server_keys_extra_and_iso_dates() -> None:
    box = decode(
        {"_id": "64b7", "Play_CID": "yes", "date": "1402-04-28 19:17:44", "unknown": "kept"},
        VoicemailBox,
        tz=TEHRAN,
    )
    exported = to_dict(box)
    assert exported["_id"] == "64b7"
    assert exported["Play_CID"] is True
    assert exported["date"] == "2023-07-19T19:17:44+03:30"
    assert exported["unknown"] == "kept"
    assert exported["name"] is None
    assert "id" not in exported
    assert "play_cid" not in exported
    assert "extra" not in exported


def test_to_dict_recurses_and_unstructure_handles_lists() -> None:
    record = sample(
        _id="1",
        steps=[{"type": "AGI", "date": {"$date": {"$numberLong": "1662920003890"}}}],
        **{"try": "2", "Odd Key": "o"},
    )
    exported = to_dict(record)
    assert exported["steps"] == [
        {"type": "AGI", "name": None, "duration": None, "date": "2022-09-11T22:43:23.890000+04:30"}
    ]
    assert exported["try"] == 2
    assert exported["Odd Key"] == "o"
    assert unstructure([record]) == [exported]
    with pytest.raises(TypeError, match="expected a model"):
        to_dict({"_id": "1"})


def test_trunk_manager_schedule_keeps_its_shape() -> None:
    manager = decode(
        {
            "_id": "t1",
            "trunk_id": {"$oid": "5f19"},
            "active_times": {"1": ["10", "11"]},
            "capacity": "5",
        },
        TrunkManager,
        tz=TEHRAN,
    )
    assert manager.trunk_id == "5f19"
    assert manager.active_times == {"1": ["10", "11"]}
    assert manager.capacity == 5


def test_models_are_frozen_keyword_only_and_repr_compactly() -> None:
    step = RouteStep(type="AGI", date=datetime(2022, 9, 11, 22, 43, tzinfo=TEHRAN))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        step.type = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        RouteStep("AGI")  # type: ignore[call-arg]
    assert repr(step) == "RouteStep(type='AGI', date=2022-09-11T22:43:00+04:30)"
    assert repr(AddResult(extra={"user_id": "999"})) == "AddResult(extra={'user_id': '999'})"
    assert not hasattr(step, "__dict__")
    # Hashable despite the dict in extra; equal records collapse in a set.
    assert len({AddResult(id="a"), AddResult(id="a"), AddResult(id="a", extra={"x": 1})}) == 2


def test_decode_result_unwraps_upload_names() -> None:
    data = {"filename": "file-20230719143541-90036-announcemp3_.wav"}
    assert decode_result("pbx.announcements.upload", data, tz=TEHRAN) == data["filename"]
    with pytest.raises(SimotelResponseError, match=r"^pbx\.faxes\.upload: expected data\.filename"):
        decode_result("pbx.faxes.upload", "", tz=TEHRAN)
    assert decode_result("pbx.users.search", [], tz=TEHRAN) == []
    assert decode_result("pbx.users.update", "", tz=TEHRAN) is None
