"""Typed Simotel webhook events: one attrs class per event of the vendor's catalog.

Every field is optional (the vendor's samples and tables disagree about which are always
sent), phone numbers and call ids stay strings, counters are ``int``, date-times are
timezone-aware. Fields Simotel sends that a class does not know are kept in ``extra``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

import attrs

from ._decode import register, wire

__all__ = [
    "EVENT_TYPES",
    "AutoDialerReportEvent",
    "AutoDialerTry",
    "CdrEvent",
    "CdrQueueDetail",
    "CdrQueueEvent",
    "Event",
    "ExtenAddedEvent",
    "ExtenRemovedEvent",
    "FaxResult",
    "IncomingCallEvent",
    "IncomingFaxEvent",
    "NewStateEvent",
    "OutgoingCallEvent",
    "OutgoingFaxEvent",
    "PingEvent",
    "ReservedCallInFrontEvent",
    "SurveyEvent",
    "TransferEvent",
    "TrunkAddedEvent",
    "TrunkNewStateEvent",
    "TrunkRemovedEvent",
    "UnknownEvent",
    "VoiceMailEmailEvent",
    "VoiceMailEvent",
]


def _extra_last(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    # Base-class fields come first in attrs; a repr reads better with the leftovers last.
    return sorted(fields, key=lambda field: field.name == "extra")


def _extra() -> Any:
    # Excluded from hashing: a dict is unhashable, and equal records still hash equally.
    return attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class Event:
    """Base class of every webhook event.

    ``name`` is the event's canonical name (``"Cdr"``, ``"NewState"`` ...); ``extra``
    holds the payload's fields that the class does not model.
    """

    EVENT_NAME: ClassVar[str] = ""

    extra: Mapping[str, Any] = _extra()

    @property
    def name(self) -> str:
        """The canonical event name."""
        return self.EVENT_NAME


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class UnknownEvent(Event):
    """An event this SDK does not know (a newer Simotel, or no recognisable name).

    Every field of the payload except the name keys is in ``extra``.
    """

    event_name: Annotated[str, wire(keep_blank=True)] = ""

    @property
    def name(self) -> str:
        """The name Simotel sent (``""`` when there was none)."""
        return self.event_name


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class NewStateEvent(Event):
    """An extension changed state (Idle, Ringing, InUse, Pause, Unavailable)."""

    EVENT_NAME: ClassVar[str] = "NewState"

    exten: str | None = None
    state: str | None = None
    participant: str | None = None
    direction: str | None = None
    queue: str | None = None
    unique_id: Annotated[str | None, wire("unique_id", "cuid")] = None
    dialer: bool | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class TransferEvent(Event):
    """A user transferred an ongoing call to another number."""

    EVENT_NAME: ClassVar[str] = "Transfer"

    unique_id: Annotated[str | None, wire("unique_id", "cuid")] = None
    transferer: Annotated[str | None, wire("transferer", "transfer")] = None
    transferred_from: str | None = None
    transferred_to: str | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class IncomingCallEvent(Event):
    """A call entered Simotel from outside through ``entry_point``."""

    EVENT_NAME: ClassVar[str] = "IncomingCall"

    number: str | None = None
    unique_id: Annotated[str | None, wire("unique_id", "cuid")] = None
    entry_point: str | None = None
    originated_call_id: str | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class OutgoingCallEvent(Event):
    """A call left Simotel towards ``number`` through ``outgoing_point``."""

    EVENT_NAME: ClassVar[str] = "OutgoingCall"

    number: str | None = None
    unique_id: Annotated[str | None, wire("unique_id", "cuid")] = None
    outgoing_point: Annotated[str | None, wire("outgoing_point", "entry_point")] = None
    originated_call_id: str | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class ExtenAddedEvent(Event):
    """A new extension was defined."""

    EVENT_NAME: ClassVar[str] = "ExtenAdded"

    exten: str | None = None
    state: str | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class ExtenRemovedEvent(Event):
    """An extension was deleted."""

    EVENT_NAME: ClassVar[str] = "ExtenRemoved"

    exten: Annotated[str | None, wire("exten", "number")] = None
    state: str | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class FaxResult:
    """The fax engine's result variables (``description`` / ``info`` of fax events).

    ``error`` is ``None`` when the engine reports the literal ``'None'``.
    """

    status: Annotated[str | None, wire("FAXSTATUS")] = None
    status_string: Annotated[str | None, wire("FAXSTATUSSTRING")] = None
    error: Annotated[str | None, wire("FAXERROR")] = None
    remote_station_id: Annotated[str | None, wire("REMOTESTATIONID")] = None
    resolution: Annotated[str | None, wire("FAXRESOLUTION")] = None
    bit_rate: Annotated[int | None, wire("FAXBITRATE")] = None
    pages: Annotated[int | None, wire("FAXPAGES")] = None
    reason: Annotated[str | None, wire("REASON")] = None
    extra: Mapping[str, Any] = _extra()

    def __attrs_post_init__(self) -> None:
        if self.error == "None":
            object.__setattr__(self, "error", None)


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class IncomingFaxEvent(Event):
    """Reception of a fax finished; ``description`` holds the fax engine's result."""

    EVENT_NAME: ClassVar[str] = "IncomingFax"

    fax_id: str | None = None
    entry_point: str | None = None
    unique_id: Annotated[str | None, wire("unique_id", "cuid")] = None
    src: str | None = None
    dst: str | None = None
    state: str | None = None
    date: dt.datetime | None = None
    description: FaxResult | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class OutgoingFaxEvent(Event):
    """A fax sent by Simotel changed state; read the outcome from ``info.status``."""

    EVENT_NAME: ClassVar[str] = "OutgoingFax"

    fax_id: str | None = None
    state: str | None = None
    unique_id: Annotated[str | None, wire("unique_id", "cuid")] = None
    info: FaxResult | None = None
    date: dt.datetime | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class CdrQueueDetail:
    """One agent a queue call was offered to (an entry of ``CdrQueueEvent.detail``)."""

    src: str | None = None
    dst: str | None = None
    billsec: int | None = None
    wait: int | None = None
    disposition: str | None = None
    comment: str | None = None
    tries: int | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class CdrQueueEvent(Event):
    """Queue call record: a caller who waited in a queue reached an agent."""

    EVENT_NAME: ClassVar[str] = "CdrQueue"

    unique_id: Annotated[str | None, wire("unique_id", "cuid")] = None
    originated_call_id: str | None = None
    src: str | None = None
    dst: str | None = None
    queue: str | None = None
    billsec: int | None = None
    wait: int | None = None
    duration: int | None = None
    agent_wait: int | None = None
    disposition: str | None = None
    hangup: str | None = None
    queue_status: str | None = None
    comment: str | None = None
    record: str | None = None
    answered_time: Annotated[dt.datetime | None, wire("answeredtime", "answered_time")] = None
    ring_time: Annotated[dt.datetime | None, wire("ringtime", "ring_time")] = None
    start_time: Annotated[dt.datetime | None, wire("starttime", "start_time")] = None
    end_time: Annotated[dt.datetime | None, wire("endtime", "end_time")] = None
    detail: tuple[CdrQueueDetail, ...] = ()


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class VoiceMailEvent(Event):
    """A voicemail message was saved (``state="SUCCESS"``) or the attempt failed."""

    EVENT_NAME: ClassVar[str] = "VoiceMail"

    id: str | None = None
    number: str | None = None
    state: str | None = None
    date: dt.datetime | None = None
    message: str | None = None
    filename: str | None = None
    duration: int | None = None
    caller: str | None = None
    data: str | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class VoiceMailEmailEvent(Event):
    """Result of e-mailing a voicemail to ``receiver``."""

    EVENT_NAME: ClassVar[str] = "VoiceMailEmail"

    id: str | None = None
    number: str | None = None
    state: str | None = None
    date: dt.datetime | None = None
    message: str | None = None
    receiver: str | None = None
    active: bool | None = None
    attached_file: bool | None = None
    data: str | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class SurveyEvent(Event):
    """A caller rated a call in a Poll component (sent with the ``event`` key)."""

    EVENT_NAME: ClassVar[str] = "Survey"

    unique_id: Annotated[str | None, wire("unique_id", "cuid")] = None
    src: str | None = None
    dst: str | None = None
    queue: str | None = None
    date: dt.datetime | None = None
    point: int | None = None
    label: str | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class CdrEvent(Event):
    """Call detail record, sent after every call ends."""

    EVENT_NAME: ClassVar[str] = "Cdr"

    unique_id: Annotated[str | None, wire("unique_id", "cuid")] = None
    originated_call_id: str | None = None
    start_time: Annotated[dt.datetime | None, wire("starttime", "start_time")] = None
    end_time: Annotated[dt.datetime | None, wire("endtime", "end_time")] = None
    src: str | None = None
    dst: str | None = None
    type: str | None = None
    disposition: str | None = None
    duration: int | None = None
    billsec: int | None = None
    wait: int | None = None
    record: str | None = None
    poll_point: int | None = None
    poll_label: Annotated[str | None, wire("poll_lable", "poll_label")] = None
    entry_point: str | None = None
    outgoing_point: str | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class TrunkNewStateEvent(Event):
    """A trunk's state changed (``Ok``, ``Unavailable``, ``Deactivate``)."""

    EVENT_NAME: ClassVar[str] = "TrunkNewState"

    trunk_name: str | None = None
    trunk_type: str | None = None
    state: str | None = None
    last_time: Annotated[dt.datetime | None, wire("last_time", unix=True)] = None
    last_time_sec: int | None = None
    date: Annotated[dt.datetime | None, wire("date", unix=True)] = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class TrunkAddedEvent(Event):
    """A trunk was added."""

    EVENT_NAME: ClassVar[str] = "TrunkAdded"

    trunk_name: str | None = None
    trunk_type: str | None = None
    state: str | None = None
    last_time: Annotated[dt.datetime | None, wire("last_time", unix=True)] = None
    last_time_sec: int | None = None
    date: Annotated[dt.datetime | None, wire("date", unix=True)] = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class TrunkRemovedEvent(Event):
    """A trunk was removed."""

    EVENT_NAME: ClassVar[str] = "TrunkRemoved"

    trunk_name: str | None = None
    date: Annotated[dt.datetime | None, wire("date", unix=True)] = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class AutoDialerTry:
    """One try of an auto-dialer call (an entry of ``AutoDialerReportEvent.tries``)."""

    cdr_id: str | None = None
    cause: int | None = None
    cause_text: Annotated[str | None, wire("cause-txt", "cause_txt")] = None
    start_time: Annotated[dt.datetime | None, wire("starttime", "start_time")] = None
    disposition: str | None = None
    wait: int | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class AutoDialerReportEvent(Event):
    """Result of one contact's call in an auto-dialer campaign.

    ``try_count`` is the payload's ``try`` (a Python keyword).
    """

    EVENT_NAME: ClassVar[str] = "AutoDialerReport"

    campaign_id: str | None = None
    campaign: str | None = None
    number: str | None = None
    disposition: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    interface_context: str | None = None
    interface_text: str | None = None
    try_count: Annotated[int | None, wire("try")] = None
    repeat: int | None = None
    billsec: int | None = None
    wait: int | None = None
    tries: tuple[AutoDialerTry, ...] = ()


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class ReservedCallInFrontEvent(Event):
    """A call entered a queue whose call-reservation option is on."""

    EVENT_NAME: ClassVar[str] = "ReservedCallInFront"

    queue_name: str | None = None
    caller_id: str | None = None
    date: dt.datetime | None = None


@attrs.frozen(kw_only=True, field_transformer=_extra_last)
class PingEvent(Event):
    """Connectivity test sent after the REST ping API when the Ping event is enabled."""

    EVENT_NAME: ClassVar[str] = "Ping"


_KNOWN: tuple[type[Event], ...] = (
    NewStateEvent,
    TransferEvent,
    IncomingCallEvent,
    OutgoingCallEvent,
    ExtenAddedEvent,
    ExtenRemovedEvent,
    IncomingFaxEvent,
    OutgoingFaxEvent,
    CdrQueueEvent,
    VoiceMailEvent,
    VoiceMailEmailEvent,
    SurveyEvent,
    CdrEvent,
    TrunkNewStateEvent,
    TrunkAddedEvent,
    TrunkRemovedEvent,
    AutoDialerReportEvent,
    ReservedCallInFrontEvent,
    PingEvent,
)

EVENT_TYPES: Mapping[str, type[Event]] = {cls.EVENT_NAME: cls for cls in _KNOWN}
"""Canonical event name -> event class, for the 19 events of the vendor's catalog."""

register(FaxResult, CdrQueueDetail, AutoDialerTry, UnknownEvent, *_KNOWN)
