"""SmartApiReply renders the 13 documented commands exactly and refuses unsafe arguments."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jdatetime
import pytest

from simotel_async.webhooks import SmartApiCommandError, SmartApiReply

DIALPLAN = Path(__file__).resolve().parent.parent / "fixtures" / "dialplan"
CATALOG = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "webhooks.json").read_text("utf-8")
)

# One call per catalogued command, with the arguments of the doc's example.
CALLS: dict[str, Callable[[SmartApiReply], SmartApiReply]] = {
    "PlayAnnouncement": lambda r: r.play_announcement("id:5be6a5f294c28e3f068b4575"),
    "Playback": lambda r: r.playback("hello-world"),
    "SayNumber": lambda r: r.say_number(5201),
    "SayDigit": lambda r: r.say_digit(1239),
    "SayDuration": lambda r: r.say_duration("6.16:0:51"),
    "SayClock": lambda r: r.say_clock("12:14:09"),
    "SayDate": lambda r: r.say_date("1395-02-21", "jalali"),
    "GetData": lambda r: r.get_data("filename-please-enter-number", 10, 1),
    "MusicOnHold": lambda r: r.music_on_hold("default", 60),
    "SetExten": lambda r: r.set_exten("200"),
    "SetLimitOnCall": lambda r: r.set_limit_on_call(150),
    "ClearUserData": lambda r: r.clear_user_data(),
    "Exit": lambda r: r.exit("3"),
}


def test_every_catalogued_command_has_a_method() -> None:
    assert {command["name"] for command in CATALOG["smart_api_commands"]} == set(CALLS)


@pytest.mark.parametrize(
    "command", CATALOG["smart_api_commands"], ids=lambda command: command["name"]
)
def test_command_renders_as_documented(command: dict[str, Any]) -> None:
    reply = CALLS[command["name"]](SmartApiReply())
    # The docs end each example with ';' and quote MusicOnHold/SetExten typographically;
    # the catalog's canonical form says ASCII quotes, commands joined by ';'.
    documented = command["rendered_example"] or command["canonical"]
    documented = documented.replace("\u2018", "'").replace("\u2019", "'").removesuffix(";")

    assert reply.commands == (documented,)
    assert reply.render() == documented


@pytest.mark.parametrize(
    ("build", "rendered"),
    [
        (lambda r: r.play_announcement("filename-nasim"), "PlayAnnouncement('filename-nasim')"),
        (lambda r: r.get_data(["filename01", "filename03", "filename03"], 10, 1),
         "GetData('filename01&filename03&filename03', 10, 1)"),
        (lambda r: r.get_data("a&b", dt.timedelta(seconds=5), 4), "GetData('a&b', 5, 4)"),
        (lambda r: r.say_digit("09121234567"), "SayDigit(09121234567)"),
        (lambda r: r.say_number(-3), "SayNumber(-3)"),
        (lambda r: r.say_duration(dt.timedelta(days=6, hours=16, seconds=51)),
         "SayDuration('6.16:0:51')"),
        (lambda r: r.say_clock(dt.time(9, 5)), "SayClock('09:05:00')"),
        (lambda r: r.say_clock("14:00"), "SayClock('14:00')"),
        (lambda r: r.say_date(dt.date(2016, 5, 10)), "SayDate('2016-05-10', 'gregorian')"),
        (lambda r: r.say_date(jdatetime.date(1395, 2, 21)), "SayDate('1395-02-21', 'jalali')"),
        (lambda r: r.say_date("1437-08-03", "hijri"), "SayDate('1437-08-03', 'hijri')"),
        (lambda r: r.music_on_hold("moh", dt.timedelta(minutes=1)), "MusicOnHold('moh', 60)"),
        (lambda r: r.set_exten(200), "SetExten('200')"),
        (lambda r: r.set_limit_on_call(dt.timedelta(minutes=2, seconds=30)), "SetLimitOnCall(150)"),
        (lambda r: r.exit(3), "Exit('3')"),
    ],
)  # fmt: skip
def test_argument_forms(build: Callable[[SmartApiReply], SmartApiReply], rendered: str) -> None:
    assert build(SmartApiReply()).render() == rendered


def test_scenario_reply_matches_the_docs_exactly() -> None:
    documented = json.loads((DIALPLAN / "smart_api.response.2.json").read_text("utf-8"))
    reply = (
        SmartApiReply()
        .play_announcement("welcome-file")
        .get_data("enter-data-file", 10, 1)
        .exit("go-s2")
    )

    assert reply.to_dict() == documented
    assert json.loads(json.dumps(reply.to_dict())) == documented
    assert reply.exited


def test_component_page_reply_matches_up_to_separators() -> None:
    documented = json.loads((DIALPLAN / "smart_api.response.json").read_text("utf-8"))
    reply = SmartApiReply().play_announcement("announce01").say_number(5201)
    reply = reply.play_announcement("announce02")

    assert reply.to_dict()["ok"] == documented["ok"] == "1"
    assert reply.render() == documented["commands"].replace("; ", ";").removesuffix(";")


def test_exit_only_reply() -> None:
    documented = json.loads((DIALPLAN / "smart_api.response.3.json").read_text("utf-8"))

    assert SmartApiReply().exit("go-b").render() + ";" == documented["commands"]


def test_builder_is_immutable() -> None:
    base = SmartApiReply().play_announcement("a")
    first = base.exit("1")
    second = base.exit("2")

    assert base.commands == ("PlayAnnouncement('a')",)
    assert not base.exited
    assert (first.render(), second.render()) == (
        "PlayAnnouncement('a');Exit('1')",
        "PlayAnnouncement('a');Exit('2')",
    )
    assert str(first) == first.render()
    assert SmartApiReply().render() == ""


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda r: r.play_announcement("it's"), "contains \"'\""),
        (lambda r: r.play_announcement("a;Exit('x')"), "contains"),
        (lambda r: r.playback("line\nbreak"), "contains '\\\\n'"),
        (lambda r: r.playback("carriage\rreturn"), "contains"),
        (lambda r: r.set_exten("back\\slash"), "contains"),
        (lambda r: r.exit("go'"), "contains"),
        (lambda r: r.music_on_hold("default;", 60), "contains"),
        (lambda r: r.get_data("prompt'", 10, 1), "contains"),
        (lambda r: r.play_announcement(""), "must not be empty"),
        (lambda r: r.play_announcement(None), "must be a string"),
        (lambda r: r.exit(True), "must be a string"),
        (lambda r: r.say_number("5201"), "must be an int"),
        (lambda r: r.say_number(5.5), "must be an int"),
        (lambda r: r.say_number(True), "must be an int"),
        (lambda r: r.say_digit(-1), "must be >= 0"),
        (lambda r: r.say_digit("12a"), "0-9 only"),
        (lambda r: r.get_data("prompt", 0, 1), "timeout must be >= 1"),
        (lambda r: r.get_data("prompt", 10, 0), "max_digits must be >= 1"),
        (lambda r: r.get_data(["a", "b&c"], 10, 1), "without '&'"),
        (lambda r: r.get_data("prompt", dt.timedelta(seconds=1.5), 1), "whole seconds"),
        (lambda r: r.get_data(dt.timedelta(seconds=1), 10, 1), "file must be a string"),
        (lambda r: r.set_limit_on_call(dt.timedelta(seconds=1.5)), "whole seconds"),
        (lambda r: r.set_limit_on_call(-5), "must be >= 1"),
        (lambda r: r.music_on_hold("default", 0), "must be >= 1"),
        (lambda r: r.say_duration("6 days"), "d.H:M:S"),
        (lambda r: r.say_duration(dt.timedelta(seconds=-1)), "negative"),
        (lambda r: r.say_clock("noon"), "HH:MM:SS"),
        (lambda r: r.say_clock("12:14:09');Exit('x"), "HH:MM:SS"),
        (lambda r: r.say_date("1395-02-21"), "calendar must be one of"),
        (lambda r: r.say_date("1395-02-21", "persian"), "calendar must be one of"),
        (lambda r: r.say_date("21/02/1395", "jalali"), "YYYY-MM-DD"),
        (lambda r: r.say_date(dt.date(2020, 1, 1), "jalali"), "is a gregorian date"),
        (lambda r: r.exit("a").play_announcement("b"), "must be the last"),
        (lambda r: r.exit("a").exit("b"), "must be the last"),
    ],
)  # fmt: skip
def test_invalid_arguments_raise(
    build: Callable[[SmartApiReply], SmartApiReply], message: str
) -> None:
    with pytest.raises(SmartApiCommandError, match=message):
        build(SmartApiReply())


def test_command_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Smart API commands cannot carry"):
        SmartApiReply().exit("x;y")
