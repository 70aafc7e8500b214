"""Records of the ``pbx`` group: extensions, trunks, queues, agents, announcements,
music on hold, black/white lists and faxes.

``yes``/``no`` settings decode to ``bool`` and numeric settings (ports, timeouts) to
``int``; empty strings decode to ``None``; ``date`` is the record's creation time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from ._common import ALIASES, SERVER_KEY, Record, extra_field

__all__ = [
    "AgentResult",
    "Announcement",
    "BatchAgentResult",
    "BlacklistEntry",
    "Fax",
    "ForwardPolicy",
    "MusicFile",
    "MusicOnHold",
    "Queue",
    "Trunk",
    "User",
    "WhitelistEntry",
]


@attrs.frozen(kw_only=True, repr=False)
class ForwardPolicy(Record):
    """Where an extension's calls are forwarded, per condition (numbers or extensions)."""

    busy: str | None = attrs.field(default=None, metadata={SERVER_KEY: "Busy"})
    no_answer: str | None = attrs.field(default=None, metadata={SERVER_KEY: "No Answer"})
    unavailable: str | None = attrs.field(default=None, metadata={SERVER_KEY: "UnAvailable"})
    all: str | None = attrs.field(default=None, metadata={SERVER_KEY: "All"})
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class User(Record):
    """An extension (``pbx.users``). ``secret`` comes back masked (``"******"``)."""

    id: str
    user_type: str | None = None
    active: bool | None = None
    call_record: bool | None = None
    push_notification: bool | None = None
    name: str | None = None
    number: str | None = None
    cid_number: str | None = None
    secret: str | None = None
    deny: str | None = None
    permit: str | None = None
    dtmfmode: str | None = None
    context: str | None = None
    host: str | None = None
    type: str | None = None
    port: int | None = None
    qualify: bool | None = None
    email: str | None = None
    forward_policy: ForwardPolicy | None = None
    more_options: str | None = None
    canreinvite: bool | None = None
    directmedia: bool | None = None
    nat: str | None = None
    callgroup: str | None = None
    pickupgroup: str | None = None
    callcounter: bool | None = None
    faxdetect: bool | None = None
    call_limit: int | None = None
    trunk: bool | None = None
    transfer: bool | None = None
    description: str | None = None
    date: datetime | None = None
    queues: list[Any] | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class Trunk(Record):
    """A SIP/IAX trunk (``pbx.trunks``)."""

    id: str
    trunk_type: str | None = None
    name: str | None = None
    register_string: str | None = None
    active: bool | None = None
    deny: str | None = None
    permit: str | None = None
    dtmfmode: str | None = None
    canreinvite: bool | None = None
    directmedia: bool | None = None
    context: str | None = None
    host: str | None = None
    type: str | None = None
    nat: str | None = None
    port: int | None = None
    qualify: bool | None = None
    insecure: str | None = None
    disallow: str | None = None
    allow: str | None = None
    more_options: str | None = None
    description: str | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class Queue(Record):
    """A call queue (``pbx.queues``); the settings mirror Asterisk's ``queues.conf``."""

    id: str
    name: str | None = None
    number: str | None = None
    strategy: str | None = None
    ringinuse: bool | None = None
    call_record: bool | None = None
    setinterfacevar: bool | None = None
    autofill: bool | None = None
    setqueuevar: bool | None = None
    setqueueentryvar: bool | None = None
    persistentmembers: bool | None = None
    shared_lastcall: bool | None = None
    announce_holdtime: bool | None = None
    announce_position: bool | None = None
    joinempty: str | None = None
    leavewhenempty: bool | None = None
    reportholdtime: bool | None = None
    maxlen: int | None = None
    announce_frequency: int | None = None
    min_announce_frequency: int | None = None
    periodic_announce_frequency: int | None = None
    music: str | None = None
    queue_callswaiting: str | None = None
    queue_thankyou: str | None = None
    queue_thereare: str | None = None
    queue_youarenext: str | None = None
    retry: int | None = None
    servicelevel: int | None = None
    timeout: int | None = None
    weight: int | None = None
    wrapuptime: int | None = None
    monitor_type: str | None = None
    monitor_format: str | None = None
    more_options: str | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class AgentResult(Record):
    """The outcome of one agent operation (add / pause / resume / remove).

    Single calls fill ``message`` and ``ok``; batch calls also echo ``queue`` and
    ``agent`` (``batchaddagent`` echoes the agent under ``agents``, decoded into
    ``agent`` too) and, for adds, ``source`` and ``penalty``.
    """

    queue: str | None = None
    agent: str | None = attrs.field(default=None, metadata={ALIASES: ("agents",)})
    source: str | None = None
    penalty: int | None = None
    message: str | None = None
    ok: bool | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class BatchAgentResult(Record):
    """The answer of a ``batch*agent`` call: one :class:`AgentResult` per agent.

    ``results`` is the server's ``Data`` list (capital D).
    """

    results: list[AgentResult] | None = attrs.field(default=None, metadata={SERVER_KEY: "Data"})
    ok: bool | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class MusicFile(Record):
    """One file of a music-on-hold class; ``size`` is human text such as ``"55.18 KB"``."""

    file: str | None = None
    size: str | None = None
    date: datetime | None = None
    type: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class MusicOnHold(Record):
    """A music-on-hold class and its files (``pbx.musiconholds``)."""

    id: str
    name: str | None = None
    path: str | None = None
    count: int | None = None
    musics: list[MusicFile] | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class Announcement(Record):
    """A PBX announcement: a named, uploaded sound file (``pbx.announcements``)."""

    id: str
    name: str | None = None
    filename: str | None = None
    comment: str | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class BlacklistEntry(Record):
    """A blocked number (``pbx.blacklists``)."""

    id: str
    number: str | None = None
    comment: str | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class WhitelistEntry(Record):
    """An allowed number and its labels (``pbx.whitelists``); numbers may come masked."""

    id: str
    number: str | None = None
    labels: list[str] | None = None
    comment: str | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class Fax(Record):
    """A sent or received fax (``pbx.faxes``); ``type`` is ``"outbox"`` or ``"inbox"``.

    Download the document with ``pbx.faxes.download(id=fax.id)``.
    """

    id: str
    type: str | None = None
    src: str | None = None
    dst: str | None = None
    status: str | None = None
    file: str | None = None
    description: str | None = None
    ext: str | None = None
    trunk: str | None = None
    channel: str | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()
