"""Report rows of the ``reports`` group: CDRs, queue statistics and details, agent
sessions and poll results.

Dates are aware datetimes in the client's ``server_timezone`` whatever the server sent
(Jalali ``start``/``starttime``, Gregorian ``answer``, ``{"$date": ...}`` route dates).
Rows carry flag keys named after their disposition and type with value 1
(``"NO ANSWER": 1``, ``"incoming": 1``); they repeat ``disposition``/``type`` and stay
in ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from ._common import SERVER_KEY, Record, extra_field

__all__ = [
    "AgentSession",
    "Cdr",
    "CdrDetail",
    "PollResult",
    "QueueDetail",
    "QueueStat",
    "QueueTimes",
    "RouteStep",
]


@attrs.frozen(kw_only=True, repr=False)
class RouteStep(Record):
    """One dialplan component a call went through; ``duration`` in seconds."""

    type: str | None = None
    name: str | None = None
    duration: float | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class CdrDetail(Record):
    """One leg of a call that was retried or transferred (CDR ``details``)."""

    date: datetime | None = None
    billsec: int | None = None
    status: str | None = None
    exten: str | None = None
    comment: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class Cdr(Record):
    """A call detail record (``reports.cdr``, ``reports.quick``).

    ``cuid`` groups the records of one call; ``record`` is the recording's file name
    for ``reports.audio.download``. ``duration``, ``billsec`` and ``wait`` are
    seconds (also given as ``*_hhmmss`` text). ``type`` is ``incoming``,
    ``outgoing`` or ``local``; ``did``/``entry_point`` are set on incoming calls,
    ``outgoing_point`` on outgoing ones.
    """

    id: str
    type: str | None = None
    cuid: str | None = None
    uniqueid: str | None = None
    clid: str | None = None
    src: str | None = None
    dst: str | None = None
    did: str | None = None
    dcontext: str | None = None
    channel: str | None = None
    dstchannel: str | None = None
    lastapp: str | None = None
    lastdata: str | None = None
    start: datetime | None = None
    answer: datetime | None = None
    starttime: datetime | None = None
    endtime: datetime | None = None
    duration: int | None = None
    billsec: int | None = None
    wait: int | None = None
    disposition: str | None = None
    hangup: str | None = None
    amaflags: str | None = None
    accountcode: str | None = None
    userfield: str | None = None
    sequence: int | None = None
    comment: str | None = None
    v: int | None = None
    entry_point: str | None = None
    outgoing_point: str | None = None
    originated_call_id: str | None = None
    record: str | None = None
    route: list[RouteStep] | None = None
    details: list[CdrDetail] | None = None
    duration_hhmmss: str | None = None
    billsec_hhmmss: str | None = None
    wait_hhmmss: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class QueueDetail(Cdr):
    """A queue leg of a call (``type == "queue_report"``): one agent ringing.

    From ``reports.queue_details`` and ``reports.quick.info``. ``qnum`` is the queue
    number, ``queue_id`` the queue visit, ``dst_name`` the agent's name.
    """

    qnum: str | None = None
    queue_id: str | None = None
    tries: int | None = None
    last_try: datetime | None = None
    dst_name: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class QueueTimes(Record):
    """The milestones of a queue call (the ``data`` object of queue statistics)."""

    start_time: datetime | None = None
    ring_time: datetime | None = None
    answered_time: datetime | None = None
    end_time: datetime | None = None
    queue_status: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class QueueStat(Record):
    """One call's passage through a queue (``reports.queue``).

    ``disposition`` is e.g. ``ANSWERED`` or ``MISSED``; ``queue_status`` e.g.
    ``TIMEOUT``; ``hangup`` who hung up. ``times`` is the server's ``data`` object.
    """

    id: str
    cuid: str | None = None
    queue_id: str | None = None
    qnum: str | None = None
    src: str | None = None
    dst: str | None = None
    dst_name: str | None = None
    starttime: datetime | None = None
    ringtime: datetime | None = None
    answeredtime: datetime | None = None
    endtime: datetime | None = None
    duration: int | None = None
    billsec: int | None = None
    wait: int | None = None
    agent_wait: int | None = None
    caller_wait: int | None = None
    disposition: str | None = None
    queue_status: str | None = None
    hangup: str | None = None
    v: int | None = None
    times: QueueTimes | None = attrs.field(default=None, metadata={SERVER_KEY: "data"})
    duration_hhmmss: str | None = None
    billsec_hhmmss: str | None = None
    wait_hhmmss: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class AgentSession(Record):
    """A span of agent activity in a queue (``reports.agent``), e.g. ``type == "inout"``
    for a login session; the per-type counters (``inout``, ``inout_du``) are in ``extra``.
    """

    id: str
    type: str | None = None
    exten: str | None = None
    qnum: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    duration: int | None = None
    duration_hhmmss: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class PollResult(Record):
    """A caller's answer to a survey (``reports.poll``); ``point`` is the score.

    Link it to the call through ``uniqueid`` (not ``cuid``).
    """

    id: str
    uniqueid: str | None = None
    src: str | None = None
    dst: str | None = None
    qnum: str | None = None
    label: str | None = None
    point: int | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()
