"""SmartApiReply: a validating builder of Smart API command strings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import attrs
import jdatetime

from simotel_async._errors import SimotelError

__all__ = ["SmartApiCommandError", "SmartApiReply"]

# Simotel documents no escape mechanism inside '...', so a quote, the ';' separator, a
# backslash (which a Python-style parser would read as an escape) or a control character
# (newline) cannot be expressed safely.
_UNSAFE = re.compile(r"['\\;\x00-\x1f\x7f]")
_DIGITS = re.compile(r"\d+")
_DURATION = re.compile(r"\d+\.\d{1,2}:\d{1,2}:\d{1,2}")
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CALENDARS = ("gregorian", "jalali", "hijri")


class SmartApiCommandError(SimotelError, ValueError):
    """A Smart API command argument that cannot be rendered into a safe command.

    A ``SimotelError``, and a ``ValueError`` as in earlier versions.
    """


def _text(command: str, argument: str, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise SmartApiCommandError(
            f"{command}: {argument} must be a string, not {type(value).__name__}"
        )
    text = str(value)
    if not text:
        raise SmartApiCommandError(f"{command}: {argument} must not be empty")
    bad = _UNSAFE.search(text)
    if bad:
        raise SmartApiCommandError(
            f"{command}: {argument} {text!r} contains {bad.group()!r}; Smart API commands "
            "cannot carry quotes, backslashes, ';' or line breaks"
        )
    return f"'{text}'"


def _integer(command: str, argument: str, value: object, *, minimum: int | None = 0) -> str:
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
        if not seconds.is_integer():
            raise SmartApiCommandError(f"{command}: {argument} must be whole seconds")
        value = int(seconds)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SmartApiCommandError(
            f"{command}: {argument} must be an int, not {type(value).__name__}"
        )
    if minimum is not None and value < minimum:
        raise SmartApiCommandError(f"{command}: {argument} must be >= {minimum}, got {value}")
    return str(value)


@attrs.frozen
class SmartApiReply:
    """The reply to a Smart API component: commands Simotel runs on the call in order.

    Each method returns a new reply with one more command, validated and rendered in the
    documented syntax (string arguments in ASCII single quotes, integers bare, commands
    joined with ``;``). ``exit`` must come last: nothing after it runs.

    ```python
    reply = (
        SmartApiReply()
        .play_announcement("welcome-file")
        .get_data("enter-data-file", timeout=10, max_digits=1)
        .exit("go-s2")
    )
    reply.render()
    # "PlayAnnouncement('welcome-file');GetData('enter-data-file', 10, 1);Exit('go-s2')"
    ```

    Raises:
        SmartApiCommandError: an argument would break the command string (a quote,
            ``;``, a line break), has the wrong type or range, or a command follows
            ``exit``.
    """

    commands: tuple[str, ...] = attrs.field(default=(), init=False)
    """The rendered commands, in order."""

    @property
    def exited(self) -> bool:
        """Whether the reply ends with ``Exit(...)``."""
        return bool(self.commands) and self.commands[-1].startswith("Exit(")

    def _then(self, name: str, *arguments: str) -> SmartApiReply:
        if self.exited:
            raise SmartApiCommandError(
                f"{name}: Exit(...) must be the last Smart API command; nothing after it runs"
            )
        reply = SmartApiReply()
        object.__setattr__(reply, "commands", (*self.commands, f"{name}({', '.join(arguments)})"))
        return reply

    def play_announcement(self, file: str) -> SmartApiReply:
        """``PlayAnnouncement('file')``: an uploaded announcement, by name or ``id:<id>``."""
        return self._then("PlayAnnouncement", _text("PlayAnnouncement", "file", file))

    def playback(self, file: str) -> SmartApiReply:
        """``Playback('file')``: one of the server's built-in sound files."""
        return self._then("Playback", _text("Playback", "file", file))

    def say_number(self, number: int) -> SmartApiReply:
        """``SayNumber(5201)``: speak a whole number."""
        return self._then("SayNumber", _integer("SayNumber", "number", number, minimum=None))

    def say_digit(self, digits: int | str) -> SmartApiReply:
        """``SayDigit(1239)``: speak digit by digit.

        A string of digits keeps its leading zeros (``"0912"``); it is rendered bare too.
        """
        if isinstance(digits, str):
            if not _DIGITS.fullmatch(digits):
                raise SmartApiCommandError(f"SayDigit: digits must be 0-9 only, got {digits!r}")
            return self._then("SayDigit", digits)
        return self._then("SayDigit", _integer("SayDigit", "digits", digits))

    def say_duration(self, duration: dt.timedelta | str) -> SmartApiReply:
        """``SayDuration('6.16:0:51')``: speak days, hours, minutes and seconds.

        A ``timedelta`` is rendered ``d.H:M:S`` (fractions of a second are dropped); a
        string must already have that form.
        """
        if isinstance(duration, dt.timedelta):
            if duration < dt.timedelta(0):
                raise SmartApiCommandError("SayDuration: duration must not be negative")
            hours, rest = divmod(duration.seconds, 3600)
            minutes, seconds = divmod(rest, 60)
            text = f"{duration.days}.{hours}:{minutes}:{seconds}"
        elif isinstance(duration, str) and _DURATION.fullmatch(duration):
            text = duration
        else:
            raise SmartApiCommandError(
                f"SayDuration: expected a timedelta or 'd.H:M:S', got {duration!r}"
            )
        return self._then("SayDuration", f"'{text}'")

    def say_clock(self, time: dt.time | str) -> SmartApiReply:
        """``SayClock('12:14:09')``: speak a time of day (a ``time`` or ``'HH:MM[:SS]'``)."""
        if isinstance(time, dt.time):
            text = f"{time.hour:02}:{time.minute:02}:{time.second:02}"
        elif isinstance(time, str) and _CLOCK.fullmatch(time):
            text = time
        else:
            raise SmartApiCommandError(f"SayClock: expected a time or 'HH:MM:SS', got {time!r}")
        return self._then("SayClock", f"'{text}'")

    def say_date(self, date: Any, calendar: str | None = None) -> SmartApiReply:
        """``SayDate('1395-02-21', 'jalali')``: speak a date in a calendar.

        Args:
            date: A ``datetime.date`` (Gregorian), a ``jdatetime.date`` (Jalali) or a
                ``'YYYY-MM-DD'`` string in ``calendar``.
            calendar: ``'gregorian'``, ``'jalali'`` or ``'hijri'``; required for a
                string, implied by a date object.
        """
        if isinstance(date, jdatetime.date):
            implied: str | None = "jalali"
            text = f"{date.year:04}-{date.month:02}-{date.day:02}"
        elif isinstance(date, dt.date):
            implied = "gregorian"
            text = date.strftime("%Y-%m-%d")
        elif isinstance(date, str) and _DATE.fullmatch(date):
            implied = None
            text = date
        else:
            raise SmartApiCommandError(
                f"SayDate: expected a date, a jdatetime.date or 'YYYY-MM-DD', got {date!r}"
            )
        chosen = calendar or implied
        if chosen not in _CALENDARS:
            raise SmartApiCommandError(
                f"SayDate: calendar must be one of {', '.join(_CALENDARS)}, got {chosen!r}"
            )
        if implied is not None and chosen != implied:
            raise SmartApiCommandError(
                f"SayDate: a {type(date).__name__} is a {implied} date, not {chosen}"
            )
        return self._then("SayDate", f"'{text}'", f"'{chosen}'")

    def get_data(
        self, file: str | Sequence[str], timeout: int | dt.timedelta, max_digits: int
    ) -> SmartApiReply:
        """``GetData('prompt', 10, 1)``: play prompt(s), collect up to ``max_digits`` DTMF digits.

        Several prompt files are joined with ``&``. The digits arrive in ``data`` of the
        next dialplan request of the call.
        """
        if isinstance(file, (list, tuple)):
            parts = list(file)
            for part in parts:
                if not isinstance(part, str) or not part or "&" in part:
                    raise SmartApiCommandError(
                        f"GetData: each prompt file must be a non-empty name without '&', "
                        f"got {part!r}"
                    )
            file = "&".join(parts)
        return self._then(
            "GetData",
            _text("GetData", "file", file),
            _integer("GetData", "timeout", timeout, minimum=1),
            _integer("GetData", "max_digits", max_digits, minimum=1),
        )

    def music_on_hold(self, class_name: str, duration: int | dt.timedelta) -> SmartApiReply:
        """``MusicOnHold('default', 60)``: play a music-on-hold class for some seconds."""
        return self._then(
            "MusicOnHold",
            _text("MusicOnHold", "class_name", class_name),
            _integer("MusicOnHold", "duration", duration, minimum=1),
        )

    def set_exten(self, exten: str | int) -> SmartApiReply:
        """``SetExten('200')``: the extension a following connect step rings."""
        return self._then("SetExten", _text("SetExten", "exten", exten))

    def set_limit_on_call(self, limit: int | dt.timedelta) -> SmartApiReply:
        """``SetLimitOnCall(150)``: a talk-time limit in seconds for the next call leg."""
        return self._then("SetLimitOnCall", _integer("SetLimitOnCall", "limit", limit, minimum=1))

    def clear_user_data(self) -> SmartApiReply:
        """``ClearUserData()``: forget digits collected earlier (the ``data`` field)."""
        return self._then("ClearUserData")

    def exit(self, case: str | int) -> SmartApiReply:
        """``Exit('3')``: leave the component through the output whose Case is ``case``."""
        return self._then("Exit", _text("Exit", "case", case))

    def render(self) -> str:
        """The ``commands`` string: the commands joined with ``;``."""
        return ";".join(self.commands)

    def to_dict(self) -> dict[str, Any]:
        """The JSON reply body: ``{"ok": "1", "commands": ...}``."""
        return {"ok": "1", "commands": self.render()}

    def __str__(self) -> str:
        return self.render()
