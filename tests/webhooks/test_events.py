"""parse_event: every documented event, in every delivery form, into its typed class."""

from __future__ import annotations

import datetime as dt
import json
import logging
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from simotel_async.webhooks import (
    EVENT_TYPES,
    AutoDialerReportEvent,
    CdrEvent,
    CdrQueueEvent,
    Event,
    ExtenRemovedEvent,
    IncomingCallEvent,
    IncomingFaxEvent,
    NewStateEvent,
    OutgoingCallEvent,
    OutgoingFaxEvent,
    PingEvent,
    ReservedCallInFrontEvent,
    SurveyEvent,
    TransferEvent,
    TrunkNewStateEvent,
    UnknownEvent,
    VoiceMailEmailEvent,
    WebhookPayloadError,
    parse_event,
)

EVENTS = Path(__file__).resolve().parent.parent / "fixtures" / "events"
EVENT_FILES = sorted(EVENTS.glob("*.json"))
UTC = dt.timezone.utc


def sample(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return loaded


def expected_class(path: Path) -> type[Event]:
    return EVENT_TYPES[path.name.split(".")[0]]


def test_catalog_has_nineteen_events_and_every_one_has_a_fixture() -> None:
    assert len(EVENT_TYPES) == 19
    assert {path.name.split(".")[0] for path in EVENT_FILES} == set(EVENT_TYPES)


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda path: path.name)
def test_fixture_parses_into_its_class_from_every_delivery_form(
    path: Path, encode_form: Callable[..., str]
) -> None:
    payload = json.loads(path.read_text(encoding="utf-8"))
    from_json = parse_event(path.read_bytes())
    forms = {
        "mapping": parse_event(payload),
        "form": parse_event(encode_form(payload)),
        "query": parse_event("?" + encode_form(payload)),
        "api_data form": parse_event(encode_form(payload, wrapper="api_data").encode()),
    }

    assert type(from_json) is expected_class(path)
    assert from_json.name == expected_class(path).EVENT_NAME
    assert from_json.extra == {}
    for form, event in forms.items():
        assert event == from_json, form


def test_cdr_fields_are_typed() -> None:
    event = parse_event(sample("Cdr.json"))

    assert isinstance(event, CdrEvent)
    assert event.unique_id == "1610778618.378"
    assert event.start_time == dt.datetime(2021, 1, 16, 6, 30, 37, 471398, tzinfo=UTC)
    assert event.src == "991"
    assert (event.billsec, event.wait, event.duration) == (9, 11, None)
    assert event.record == "20210116_1610778618.378.mp3"
    assert event.disposition == "ANSWERED"


def test_counters_sent_as_strings_become_ints() -> None:
    event = parse_event(sample("CdrQueue.json"))

    assert isinstance(event, CdrQueueEvent)
    assert (event.billsec, event.wait, event.duration, event.agent_wait) == (31, 3, 34, 3)
    assert event.answered_time == dt.datetime(2021, 1, 16, 7, 29, 56, 819506, tzinfo=UTC)
    assert len(event.detail) == 1
    assert event.detail[0].dst == "993"
    assert event.detail[0].tries == 1
    assert event.comment is None


def test_identifiers_and_phone_numbers_stay_strings() -> None:
    transfer = parse_event(sample("Transfer.json"))
    incoming = parse_event("event_name=IncomingCall&number=09331112233&unique_id=1613906376.30")

    assert isinstance(transfer, TransferEvent)
    assert transfer.unique_id == "1613906376.30"
    assert isinstance(incoming, IncomingCallEvent)
    assert incoming.number == "09331112233"
    assert incoming.unique_id == "1613906376.30"


def test_python_bool_strings_become_bools() -> None:
    lower = parse_event(sample("VoiceMailEmail.json"))
    title = parse_event(sample("VoiceMailEmail.2.json"))

    assert isinstance(lower, VoiceMailEmailEvent)
    assert isinstance(title, VoiceMailEmailEvent)
    assert (lower.active, lower.attached_file) == (True, False)
    assert (title.active, title.attached_file) == (True, False)


def test_fax_results_are_nested_records() -> None:
    incoming = parse_event(sample("IncomingFax.2.json"))
    outgoing = parse_event(sample("OutgoingFax.json"))

    assert isinstance(incoming, IncomingFaxEvent)
    assert incoming.description is not None
    assert incoming.description.status == "SUCCESS"
    assert incoming.description.error is None  # the literal string 'None'
    assert (incoming.description.pages, incoming.description.bit_rate) == (1, 14400)
    assert isinstance(outgoing, OutgoingFaxEvent)
    assert outgoing.info is not None
    assert outgoing.info.error == "INIT_ERROR"
    assert outgoing.info.remote_station_id is None
    assert outgoing.info.bit_rate is None


def test_trunk_unix_floats_become_exact_utc_datetimes() -> None:
    event = parse_event(sample("TrunkNewState.synthesized.json"))
    as_number = parse_event({"event_name": "TrunkNewState", "date": 1675683148.9241338})

    assert isinstance(event, TrunkNewStateEvent)
    assert event.last_time == dt.datetime(2023, 2, 6, 11, 32, 28, 922820, tzinfo=UTC)
    assert event.date == dt.datetime(2023, 2, 6, 11, 32, 28, 924133, tzinfo=UTC)
    assert event.last_time_sec == 0
    assert isinstance(as_number, TrunkNewStateEvent)
    assert as_number.date == event.date


def test_survey_is_named_by_the_event_key() -> None:
    event = parse_event(sample("Survey.json"))

    assert isinstance(event, SurveyEvent)
    assert event.point == 5
    assert event.extra == {}


def test_reserved_call_in_front_sends_both_name_keys() -> None:
    event = parse_event(sample("ReservedCallInFront.json"))

    assert isinstance(event, ReservedCallInFrontEvent)
    assert event.caller_id == "09123456789"
    assert event.extra == {}


def test_auto_dialer_report_is_recognised_by_shape() -> None:
    event = parse_event(sample("AutoDialerReport.json"))

    assert isinstance(event, AutoDialerReportEvent)
    assert event.try_count == 1
    assert event.end == dt.datetime(2023, 2, 10, 19, 9, tzinfo=UTC)
    assert event.tries[0].cause == 16
    assert event.tries[0].cause_text == "Normal Clearing"
    assert event.tries[0].start_time == dt.datetime(2023, 2, 7, 10, 39, 34, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "cls"),
    [("CDR", CdrEvent), ("cdr", CdrEvent), ("OutGoingCall", OutgoingCallEvent),
     ("CDRQueue", CdrQueueEvent), ("new_state", NewStateEvent)],
)  # fmt: skip
def test_event_names_match_any_spelling(name: str, cls: type[Event]) -> None:
    assert type(parse_event({"event_name": name})) is cls


@pytest.mark.parametrize(
    ("payload", "attribute", "value"),
    [
        ({"event_name": "NewState", "cuid": "1.2"}, "unique_id", "1.2"),
        ({"event_name": "Cdr", "start_time": "2021-01-16 06:30:37"}, "start_time",
         dt.datetime(2021, 1, 16, 6, 30, 37, tzinfo=UTC)),
        ({"event_name": "Cdr", "end_time": "2021-01-16 06:30:38"}, "end_time",
         dt.datetime(2021, 1, 16, 6, 30, 38, tzinfo=UTC)),
        ({"event_name": "Cdr", "poll_lable": "mypoll"}, "poll_label", "mypoll"),
        ({"event_name": "Cdr", "poll_label": "mypoll"}, "poll_label", "mypoll"),
        ({"event_name": "Transfer", "transfer": "553"}, "transferer", "553"),
        ({"event_name": "ExtenRemoved", "number": "77777"}, "exten", "77777"),
        ({"event_name": "OutgoingCall", "entry_point": "trunk1"}, "outgoing_point", "trunk1"),
    ],
)  # fmt: skip
def test_table_spellings_are_accepted(payload: dict[str, Any], attribute: str, value: Any) -> None:
    event = parse_event(payload)

    assert getattr(event, attribute) == value
    assert event.extra == {}


def test_sample_spelling_wins_over_the_alias() -> None:
    event = parse_event({"event_name": "NewState", "unique_id": "1.1", "cuid": "2.2"})

    assert isinstance(event, NewStateEvent)
    assert event.unique_id == "1.1"
    assert event.extra == {"cuid": "2.2"}


def test_unknown_fields_are_kept_in_extra() -> None:
    event = parse_event({"event_name": "ExtenRemoved", "exten": "1", "new_field": [1, 2]})

    assert isinstance(event, ExtenRemovedEvent)
    assert event.extra == {"new_field": [1, 2]}


def test_unknown_event_is_delivered_not_rejected() -> None:
    event = parse_event({"event_name": "QueueFull", "queue": "902"})

    assert isinstance(event, UnknownEvent)
    assert event.name == "QueueFull"
    assert event.extra == {"queue": "902"}


def test_payload_without_any_name_is_an_unnamed_unknown_event() -> None:
    event = parse_event({"foo": "bar"})

    assert isinstance(event, UnknownEvent)
    assert event.name == ""
    assert event.extra == {"foo": "bar"}


@pytest.mark.parametrize("path", ["/call/NewState", "/call/newstate/", "NEWSTATE", "/x/new_state"])
def test_rest_mode_path_names_the_event(path: str) -> None:
    event = parse_event({"exten": "991", "state": "Idle"}, path=path)

    assert isinstance(event, NewStateEvent)
    assert event.exten == "991"


def test_payload_name_wins_over_the_path() -> None:
    assert isinstance(parse_event({"event_name": "Cdr"}, path="/hooks/NewState"), CdrEvent)


def test_unknown_path_name_becomes_the_unknown_event_name() -> None:
    event = parse_event({"a": "1"}, path="/hooks/QueueFull")

    assert isinstance(event, UnknownEvent)
    assert event.name == "QueueFull"


def test_local_time_setting_reads_naive_times_in_that_zone() -> None:
    tehran = zoneinfo.ZoneInfo("Asia/Tehran")
    event = parse_event(sample("Cdr.json"), timezone="Asia/Tehran")
    trunk = parse_event(sample("TrunkRemoved.synthesized.json"), timezone=tehran)

    assert isinstance(event, CdrEvent)
    assert event.start_time == dt.datetime(2021, 1, 16, 6, 30, 37, 471398, tzinfo=tehran)
    assert event.start_time.utcoffset() == dt.timedelta(hours=3, minutes=30)
    # Unix times name an instant: the zone setting does not shift them.
    assert trunk.date == dt.datetime(2023, 2, 6, 11, 15, 39, 85923, tzinfo=UTC)  # type: ignore[attr-defined]


def test_unknown_time_zone_is_rejected() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        parse_event({"event_name": "Ping"}, timezone="Mars/Olympus")


def test_undecodable_value_is_kept_in_extra_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="simotel_async.webhooks"):
        event = parse_event({"event_name": "Cdr", "billsec": "nine", "wait": "11"})

    assert isinstance(event, CdrEvent)
    assert (event.billsec, event.wait) == (None, 11)
    assert event.extra == {"billsec": "nine"}
    assert "billsec" in caplog.text


def test_empty_strings_become_none() -> None:
    event = parse_event("event_name=Cdr&billsec=&record=&starttime=")

    assert isinstance(event, CdrEvent)
    assert (event.billsec, event.record, event.start_time) == (None, None, None)


def test_nested_fields_sent_as_json_or_python_literal_strings() -> None:
    as_json = parse_event(
        {"event_name": "IncomingFax", "description": '{"FAXSTATUS": "SUCCESS", "FAXPAGES": "2"}'}
    )
    as_repr = parse_event(
        "event_name=CdrQueue&detail=" + "[{'src': '992', 'tries': '1'}]".replace(" ", "%20")
    )

    assert isinstance(as_json, IncomingFaxEvent)
    assert as_json.description is not None
    assert as_json.description.pages == 2
    assert isinstance(as_repr, CdrQueueEvent)
    assert as_repr.detail[0].tries == 1


def test_api_data_sent_as_one_json_form_field() -> None:
    event = parse_event({"api_data": json.dumps(sample("Cdr.json"))})

    assert event == parse_event(sample("Cdr.json"))


def test_a_single_object_where_an_array_is_documented_is_accepted() -> None:
    event = parse_event({"event_name": "CdrQueue", "detail": {"src": "992", "tries": "2"}})

    assert isinstance(event, CdrQueueEvent)
    assert [entry.tries for entry in event.detail] == [2]


def test_form_keys_with_append_brackets_deep_nesting_and_digit_names() -> None:
    appended = parse_event("event_name=CdrQueue&detail[][src]=1&detail[][src]=2")
    deep = "x" + "[a]" * 50
    odd = parse_event({"event_name": "Ping", deep: "1", "0": "a", "1": "b"})

    assert isinstance(appended, CdrQueueEvent)
    assert [entry.src for entry in appended.detail] == ["1", "2"]
    assert odd.extra == {deep: "1", "0": "a", "1": "b"}


def test_events_are_hashable_and_comparable() -> None:
    first = parse_event(sample("Cdr.json"))
    second = parse_event(sample("Cdr.json"))

    assert first == second
    assert hash(first) == hash(second)
    assert first != parse_event(sample("Cdr.2.json"))


def test_ping_event() -> None:
    assert isinstance(parse_event(b'{"event_name": "Ping"}'), PingEvent)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'["event_name"]', "not an object"),
        (b"\xff\xfe", "not UTF-8"),
        (42, "unsupported webhook payload type int"),
    ],
)
def test_undecodable_bodies_raise(payload: Any, message: str) -> None:
    with pytest.raises(WebhookPayloadError, match=message):
        parse_event(payload)
