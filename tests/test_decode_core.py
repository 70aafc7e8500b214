"""The decoding core: generated structure functions, required ids, cheap dates."""

from __future__ import annotations

import ast
import logging
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from simotel_async import SimotelResponseError
from simotel_async._convert import converter_for, decode, decoder
from simotel_async._dates import DateReader, reader_for
from simotel_async._decoding import _slot_builder
from simotel_async.models import (
    AddResult,
    AgentResult,
    CampaignStats,
    Cdr,
    Group,
    QueueDetail,
    RouteStep,
    User,
)
from simotel_async.models._common import EMPTY

TEHRAN = ZoneInfo("Asia/Tehran")
UTC = timezone.utc
PACKAGE = Path(__file__).resolve().parents[1] / "simotel_async"

RECORD_MODELS = [
    "User",
    "Trunk",
    "Queue",
    "MusicOnHold",
    "Announcement",
    "BlacklistEntry",
    "WhitelistEntry",
    "Fax",
    "Contact",
    "Campaign",
    "AutodialerAnnouncement",
    "TrunkManager",
    "AutodialerReport",
    "Cdr",
    "QueueDetail",
    "QueueStat",
    "AgentSession",
    "PollResult",
    "VoicemailBox",
    "VoicemailMessage",
]


# --- required ids --------------------------------------------------------------------


@pytest.mark.parametrize("name", RECORD_MODELS)
def test_records_the_server_identifies_have_a_required_str_id(name: str) -> None:
    import simotel_async.models as models

    cls = getattr(models, name)
    field = attrs.fields_dict(cls)["id"]
    assert field.type in (str, "str")
    assert field.default is attrs.NOTHING
    record = decode({"_id": {"$oid": "65bb"}}, cls, tz=TEHRAN)
    assert record.id == "65bb"


@pytest.mark.parametrize("raw", [{}, {"_id": None}, {"_id": ""}])
def test_a_record_without_its_id_is_a_protocol_violation(raw: dict[str, Any]) -> None:
    with pytest.raises(SimotelResponseError) as caught:
        decode(
            [{"_id": "a"}, {"name": "101", **raw}],
            list[User],
            tz=TEHRAN,
            endpoint="pbx.users.search",
        )
    message = str(caught.value)
    assert message.startswith("pbx.users.search: cannot decode list[User]: field '[1]._id' = ")
    assert caught.value.endpoint == "pbx.users.search"
    if not raw:
        assert "<missing>: missing (every User the server returns has one)" in message


def test_result_models_keep_their_optional_id() -> None:
    assert decode({"_id": None}, AddResult, tz=TEHRAN) == AddResult(id=None)
    # autodialer.groups.update answers with the stored group, without its _id.
    assert decode({"name": "g"}, Group, tz=TEHRAN) == Group(name="g")
    assert decode({}, CampaignStats, tz=TEHRAN).id is None


# --- generated structure functions ---------------------------------------------------


def test_extra_keeps_unknown_keys_in_server_order() -> None:
    raw = {"_id": "1", "z": 1, "src": "101", "ANSWERED": 1, "a": "", "outgoing": 1}
    record = decode(raw, Cdr, tz=TEHRAN)
    assert list(record.extra) == ["z", "ANSWERED", "a", "outgoing"]
    assert record.extra == {"z": 1, "ANSWERED": 1, "a": "", "outgoing": 1}
    assert decode({"_id": "1"}, Cdr, tz=TEHRAN).extra == {}


def test_extra_follows_each_record_s_own_key_order() -> None:
    # Unknown keys are remembered per key order ("shape"); each record keeps its own.
    first = {"_id": "1", "b": 2, "src": "101", "a": 1}
    again = {"_id": "2", "b": 3, "src": "102", "a": 4}
    swapped = {"a": 5, "_id": "3", "src": "103", "b": 6}
    plain = {"_id": "4", "src": "104"}
    for _ in range(2):
        records = decode([first, again, swapped, plain, first], list[Cdr], tz=TEHRAN)
        assert [list(r.extra.items()) for r in records] == [
            [("b", 2), ("a", 1)],
            [("b", 3), ("a", 4)],
            [("a", 5), ("b", 6)],
            [],
            [("b", 2), ("a", 1)],
        ]
        assert records[3].extra is attrs.fields(Cdr).extra.default


def _all_models() -> list[type[Any]]:
    import simotel_async.models as models

    return [m for m in vars(models).values() if isinstance(m, type) and attrs.has(m)]


@pytest.mark.parametrize("model", _all_models(), ids=lambda m: m.__name__)
def test_the_slot_builder_builds_what_init_builds(model: type[Any]) -> None:
    build = _slot_builder(model)
    assert build is not None  # every model qualifies (no validators, converters, hooks)
    values = {
        a.alias: (EMPTY if a.name == "extra" else f"v{i}")
        for i, a in enumerate(attrs.fields(model))
    }
    for kwargs in (
        values,
        {a.alias: values[a.alias] for a in attrs.fields(model) if a.name == "id"},
    ):
        built, expected = build(**kwargs), model(**kwargs)
        assert type(built) is model
        assert [getattr(built, a.name) for a in attrs.fields(model)] == [
            getattr(expected, a.name) for a in attrs.fields(model)
        ]
        assert built.extra is expected.extra
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            built.extra = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        build(nope=1)


def test_the_generated_structure_functions_use_the_slot_builder() -> None:
    # Guards the one assumption about cattrs' generated code (its ``__cl`` argument).
    hook = converter_for(TEHRAN).get_structure_hook(Cdr)
    cells = dict(zip(hook.__code__.co_freevars, hook.__closure__ or (), strict=False))
    fast = cells["fast"].cell_contents
    index = 2 - (fast.__code__.co_argcount - len(fast.__defaults__))
    assert fast.__code__.co_varnames[2] == "__cl"
    assert fast.__defaults__[index].__name__ == "build"
    assert fast({"_id": "1", "src": 7}, Cdr) == Cdr(id="1", src="7")


def test_a_class_whose_init_does_more_keeps_its_init() -> None:
    @attrs.frozen(kw_only=True)
    class Checked:
        a: int = attrs.field(default=0, validator=attrs.validators.instance_of(int))

    @attrs.frozen(kw_only=True)
    class Converted:
        a: int = attrs.field(default=0, converter=int)

    @attrs.frozen(kw_only=True)
    class Hooked:
        a: int = 0

        def __attrs_post_init__(self) -> None:
            pass

    @attrs.frozen(kw_only=True, cache_hash=True)
    class Cached:
        a: int = 0

    @attrs.frozen(kw_only=True)
    class Made:
        a: list[int] = attrs.field(factory=list)

    @attrs.define(kw_only=True, slots=False)
    class Plain:
        a: int = 0

    for cls in (Checked, Converted, Hooked, Cached, Made, Plain):
        assert _slot_builder(cls) is None, cls.__name__
    converter = converter_for(TEHRAN)
    with pytest.raises(SimotelResponseError):
        decode({"a": "x"}, Checked, tz=TEHRAN)
    assert decode({"a": "5"}, Converted, tz=TEHRAN) == Converted(a=5)
    assert converter.get_structure_hook(Cached)({"a": 1}, Cached).__hash__()


def test_subclass_records_decode_their_own_and_inherited_fields() -> None:
    record = decode(
        {"_id": "q", "qnum": 2000, "tries": "2", "start": "1402-11-12 23:53:43", "x": 1},
        QueueDetail,
        tz=TEHRAN,
    )
    assert (record.qnum, record.tries, record.extra) == ("2000", 2, {"x": 1})
    assert record.start == datetime(2024, 2, 1, 23, 53, 43, tzinfo=TEHRAN)


def test_an_alias_is_read_into_its_field_and_not_kept_in_extra() -> None:
    assert decode({"agents": "570", "ok": 1}, AgentResult, tz=TEHRAN) == AgentResult(
        agent="570", ok=True
    )
    # The server key wins over an alias.
    both = decode({"agent": "1", "agents": "2"}, AgentResult, tz=TEHRAN)
    assert both.agent == "1"
    assert both.extra == {}


def test_a_bad_scalar_warns_once_per_model_and_key(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="simotel_async")
    page = [{"_id": str(i), "billsec": "n/a", "wait": 3, "ANSWERED": 1} for i in range(50)]
    records = decode(page, list[Cdr], tz=TEHRAN, endpoint="reports.cdr.search")
    assert all(r.billsec is None and r.wait == 3 for r in records)
    assert all(r.extra == {"billsec": "n/a", "ANSWERED": 1} for r in records)
    ours = [r for r in caplog.records if "Cdr.billsec" in r.getMessage()]
    assert [r.levelno for r in ours].count(logging.WARNING) <= 1
    assert len(ours) == 50


def test_a_bad_nested_shape_names_the_whole_path() -> None:
    page = [{"_id": "a", "route": [{"type": "x"}, {"date": {"$date": [1]}, "type": "y"}]}]
    decoded = decode(page, list[Cdr], tz=TEHRAN, endpoint="reports.cdr.search")
    # An undecodable date is a scalar: kept in the route step's extra.
    assert decoded[0].route is not None
    assert decoded[0].route[1].extra == {"date": {"$date": [1]}}
    with pytest.raises(
        SimotelResponseError, match=r"field '\[0\]\.route\[1\]' = 7: expected a JSON"
    ):
        decode([{"_id": "a", "route": [{}, 7]}], list[Cdr], tz=TEHRAN, endpoint="e")


def test_decoder_is_decode_resolved_once() -> None:
    one = decoder(Cdr, tz=TEHRAN, endpoint="reports.cdr.search")
    raw = {"_id": "1", "start": "1401-06-20 22:43:21", "route": [{"duration": "1.5"}]}
    assert one(raw) == decode(raw, Cdr, tz=TEHRAN)
    with pytest.raises(SimotelResponseError, match="^reports.cdr.search: cannot decode Cdr"):
        one({"route": []})
    many = decoder(list[Cdr], tz=TEHRAN)
    assert many("") == []
    assert many([raw]) == [one(raw)]


def test_one_converter_per_zone() -> None:
    assert converter_for(TEHRAN) is converter_for(ZoneInfo("Asia/Tehran"))
    assert converter_for(UTC) is not converter_for(TEHRAN)
    raw = {"_id": "1", "date": "2022-09-11 10:00"}
    assert decode(raw, User, tz=UTC).date == datetime(2022, 9, 11, 10, tzinfo=UTC)
    assert decode(raw, User, tz=TEHRAN).date == datetime(2022, 9, 11, 10, tzinfo=TEHRAN)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.add("." * node.level + (node.module or ""))
    return found


def test_the_decoding_core_does_not_import_models() -> None:
    for name in ("_decoding.py", "_dates.py", "_convert.py"):
        assert not any("models" in module for module in _imports(PACKAGE / name)), name


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1401-06-20 22:43:21",
        "1401-06-20 22:43",
        "1401-06-20",
        "2022-09-11 22:43:22",
        "2022-09-11 00:00",
        "1399-12-30 23:59:59",
        "1400-01-01 00:00:00",
        "2024-02-29",
        "1400-06-31 12:00:00",
        "1400-07-01 12:00:00",
    ],
)
@pytest.mark.parametrize("tz", [TEHRAN, UTC, ZoneInfo("America/New_York")])
def test_fast_date_path_agrees_with_the_general_one(text: str, tz: Any) -> None:
    reader = DateReader(tz)
    fast = reader.text(text)
    general = reader._general(text)
    assert fast == general
    assert fast is not None
    assert fast.tzinfo is tz
    assert fast.utcoffset() == general.utcoffset()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1400-12-30 10:00:00", "invalid Jalali date '1400-12-30 10:00:00'"),
        ("2022-09-11 25:00", "invalid Gregorian date '2022-09-11 25:00'"),
        ("2022-09-11 22:4x", "not a date"),
        ("2022-09-11 ٢٢:43", "not a date"),
    ],
)
def test_fast_date_path_falls_back_to_the_general_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message):
        reader_for(TEHRAN).text(text)


@pytest.mark.parametrize("tz", [TEHRAN, ZoneInfo("America/New_York"), UTC])
def test_cached_hours_agree_with_the_general_path(tz: Any) -> None:
    # Iran's last DST year: 1400-01-02 00:00 did not exist, 1400-06-30 23:xx happened twice.
    reader = DateReader(tz)
    days = ["1400-01-01", "1400-01-02", "1400-06-30", "1400-06-31", "2021-03-14", "2021-11-07"]
    clocks = ["00:00:00", "00:30:15", "01:59:59", "02:30", "23:00", "23:59:59", "12:07:41"]
    for _ in range(2):  # the second round reads every hour from the cache
        for day in days:
            for clock in clocks:
                text = f"{day} {clock}"
                moment, general = reader.text(text), reader._general(text)
                assert moment == general and moment is not None, text
                assert (moment.tzinfo, moment.fold) == (tz, 0), text
                assert moment.utcoffset() == general.utcoffset(), text  # type: ignore[union-attr]
    assert reader._hours  # the hours were cached


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1401-06-20 22:60:00", "invalid Jalali date"),
        ("1401-06-20 22:43:60", "invalid Jalali date"),
        ("1401-06-20 22:4x:00", "not a date"),
        ("1401-06-20 22:43:0x", "not a date"),
        ("1401-06-20 22-43-00", "not a date"),
    ],
)
def test_a_cached_hour_does_not_accept_a_bad_clock(text: str, message: str) -> None:
    reader = DateReader(TEHRAN)
    assert reader.text("1401-06-20 22:00:00") is not None
    with pytest.raises(ValueError, match=message):
        reader.text(text)


@pytest.mark.parametrize(
    "value",
    [
        "1401-06-20 22:43:21",
        "2022-09-11 22:43",
        "",
        None,
        {"$date": {"$numberLong": "1662920002254"}},
        {"$date": {"$numberLong": " 1662920002254 "}},
        {"$date": {"$numberLong": "1632252600000"}},  # 2021-09-21 23:30 +04:30, before a fold
        {"$date": {"$numberLong": "-5"}},
        {"$date": 1662920002254},
        {"$date": "2022-09-11T18:13:22Z"},
        1662920002.5,
    ],
)
def test_the_date_hook_agrees_with_the_general_reader(value: Any) -> None:
    hook, reader = reader_for(TEHRAN).hook(), DateReader(TEHRAN)
    for _ in range(2):
        moment, general = hook(value, datetime), reader.value(value)
        assert moment == general
        assert getattr(moment, "tzinfo", None) is getattr(general, "tzinfo", None)
        assert getattr(moment, "fold", None) == getattr(general, "fold", None)


@pytest.mark.parametrize(
    "value",
    [
        {"$date": {"$numberLong": "x"}},
        {"$date": {"$numberLong": 5}},
        {"$date": {"$numberLong": "1", "x": 1}},
        {"$date": None},
        {"$date": 1, "x": 1},
        {"date": 1},
        [],
    ],
)
def test_the_date_hook_raises_what_the_general_reader_raises(value: Any) -> None:
    with pytest.raises(ValueError) as general:
        DateReader(TEHRAN).value(value)
    with pytest.raises(ValueError, match="^" + re.escape(str(general.value)) + "$"):
        reader_for(TEHRAN).hook()(value, datetime)


def _exact(ms: int, tz: Any) -> datetime:
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)).astimezone(tz)


@pytest.mark.parametrize("tz", [TEHRAN, ZoneInfo("America/New_York"), ZoneInfo("Europe/London")])
def test_epoch_table_matches_the_zone_around_every_transition(tz: Any) -> None:
    reader = DateReader(tz)
    # Every 7 minutes and 13.5 seconds over 2021 (Iran's last DST year) and 2023.
    for year in (2021, 2023):
        start = int(datetime(year, 1, 1, tzinfo=UTC).timestamp() * 1000)
        for ms in range(start, start + 366 * 86_400_000, 433_500):
            moment = reader.epoch_ms(ms)
            exact = _exact(ms, tz)
            assert moment == exact
            assert (moment.utcoffset(), moment.fold, moment.tzinfo) == (
                exact.utcoffset(),
                exact.fold,
                tz,
            ), exact


def test_tehran_dst_offsets_of_mongo_dates() -> None:
    summer = reader_for(TEHRAN).mongo({"$numberLong": str(1_625_140_800_000)})  # 2021-07-01
    winter = reader_for(TEHRAN).mongo({"$numberLong": str(1_609_502_400_000)})  # 2021-01-01
    now = reader_for(TEHRAN).mongo(1_688_169_600_000)  # 2023-07-01
    assert summer is not None and winter is not None and now is not None
    assert summer.utcoffset() == timedelta(hours=4, minutes=30)
    assert winter.utcoffset() == timedelta(hours=3, minutes=30)
    assert now.utcoffset() == timedelta(hours=3, minutes=30)


def test_repeated_hour_keeps_its_fold() -> None:
    # 2021-09-21 23:30 happened twice in Tehran (+04:30, then +03:30).
    first = int(datetime(2021, 9, 21, 19, 0, tzinfo=UTC).timestamp() * 1000)
    second = first + 3_600_000
    a, b = reader_for(TEHRAN).epoch_ms(first), reader_for(TEHRAN).epoch_ms(second)
    assert (a.hour, a.minute, a.fold) == (23, 30, 0)
    assert (b.hour, b.minute, b.fold) == (23, 30, 1)
    assert b - a == timedelta(0)  # wall-clock difference; the instants differ by an hour
    assert b.timestamp() - a.timestamp() == 3600


def test_steps_keep_their_route_dates() -> None:
    step = decode({"date": {"$date": {"$numberLong": "1662920003890"}}}, RouteStep, tz=TEHRAN)
    assert step.date == datetime(2022, 9, 11, 18, 13, 23, 890000, tzinfo=UTC)
    assert step.date is not None and step.date.tzinfo is TEHRAN
