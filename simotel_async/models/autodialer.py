"""Records of the ``autodialer`` group (bulk calling): contacts, groups, campaigns,
announcements, trunk managers and per-number call reports.

Ids of other records (``trunk_manager_id``, ``campaign_id``, ``cdr_id``...) decode to
plain strings whether the server sends ``"..."`` or ``{"$oid": "..."}``. The server's
``try`` key is ``try_``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from ._common import SERVER_KEY, Record, extra_field

__all__ = [
    "AutodialerAnnouncement",
    "AutodialerCallInfo",
    "AutodialerReport",
    "Campaign",
    "CampaignStatistics",
    "CampaignStats",
    "Contact",
    "DialAttempt",
    "Group",
    "TrunkManager",
]


@attrs.frozen(kw_only=True, repr=False)
class Contact(Record):
    """A named number in the autodialer's address book (``autodialer.contacts``)."""

    id: str
    name: str | None = None
    number: str | None = None
    description: str | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class Group(Record):
    """A list of numbers to call (``autodialer.groups``).

    Searches give ``count`` but not ``numbers``; ``autodialer.groups.update`` answers
    with the stored group, numbers included.
    """

    id: str | None = None
    name: str | None = None
    description: str | None = None
    count: int | None = None
    numbers: list[str] | None = None
    filename: str | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class CampaignStats(Record):
    """Call statistics of a campaign, overall or for one group of calls.

    ``id`` is the group's key in ``CampaignStatistics.sep`` (``None`` overall);
    ``disposition`` maps each outcome to ``{"count": n}``; durations in seconds.
    """

    id: str | None = None
    count: int | None = None
    numbers: int | None = None
    answered: int | None = None
    success: int | None = None
    sum: int | None = None
    avg: float | None = None
    wait: int | None = None
    wait_avg: float | None = None
    try_: int | None = None
    try_avg: float | None = None
    min_date: datetime | None = None
    max_date: datetime | None = None
    disposition: dict[str, Any] | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class CampaignStatistics(Record):
    """The ``statistics`` of a finished campaign: ``all`` calls and per-group ``sep``."""

    all: CampaignStats | None = None
    sep: list[CampaignStats] | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class Campaign(Record):
    """A bulk-call campaign (``autodialer.campaigns``).

    ``start``/``end`` bound when it dials (also as ``iso_start``/``iso_end``, the
    server's ``isoStart``/``isoEnd``); ``try_`` is the attempts per number,
    ``try_interval`` the seconds between them; ``status`` e.g. ``waiting`` or
    ``completed``; ``statistics`` is set once it has run.
    """

    id: str
    name: str | None = None
    status: str | None = None
    trunk_manager_id: str | None = None
    announcement: str | None = None
    interface_context: str | None = None
    interface_text: str | None = None
    numbers: list[str] | None = None
    groups: list[str] | None = None
    try_interval: int | None = None
    try_: int | None = None
    count: int | None = None
    repeat: int | None = None
    hs: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    iso_start: datetime | None = attrs.field(default=None, metadata={SERVER_KEY: "isoStart"})
    iso_end: datetime | None = attrs.field(default=None, metadata={SERVER_KEY: "isoEnd"})
    description: str | None = None
    statistics: CampaignStatistics | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class AutodialerAnnouncement(Record):
    """A sound a campaign plays (``autodialer.announcements``)."""

    id: str
    name: str | None = None
    filename: str | None = None
    description: str | None = None
    file_data: str | None = attrs.field(default=None, metadata={SERVER_KEY: "fileData"})
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class TrunkManager(Record):
    """A trunk as the autodialer uses it (``autodialer.trunks``).

    ``active_times`` maps weekday numbers (``"1"``..``"7"``) to the hours (``"10"``)
    during which it may dial; ``capacity`` is concurrent calls.
    """

    id: str
    title: str | None = None
    trunk_id: str | None = None
    status: str | None = None
    active_times: dict[str, list[str]] | None = None
    capacity: int | None = None
    dial_interval: int | None = None
    wait_cache_length: int | None = None
    current_capacity: int | None = None
    current_wait_cache_length: int | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class DialAttempt(Record):
    """One dial of a number by a campaign; ``cause`` is the Q.850 code, if any."""

    cdr_id: str | None = None
    starttime: datetime | None = None
    disposition: str | None = None
    wait: int | None = None
    cause: int | None = None
    cause_text: str | None = attrs.field(default=None, metadata={SERVER_KEY: "cause-txt"})
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class AutodialerReport(Record):
    """A campaign's result for one number (``autodialer.reports``), with its ``tries``.

    ``try_`` is the attempts made, ``repeat`` the campaign round; ``input`` is what
    the callee keyed in, if anything.
    """

    id: str
    campaign_id: str | None = None
    campaign: str | None = None
    trunk_manager_id: str | None = None
    announcement: str | None = None
    interface_context: str | None = None
    interface_text: str | None = None
    number: str | None = None
    disposition: str | None = None
    status: str | None = None
    try_: int | None = None
    repeat: int | None = None
    billsec: int | None = None
    wait: int | None = None
    input: str | None = None
    tries: list[DialAttempt] | None = None
    start: datetime | None = None
    end: datetime | None = None
    date: datetime | None = None
    billsec_hhmmss: str | None = None
    wait_hhmmss: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class AutodialerCallInfo(Record):
    """Channel details of one autodialer call (``autodialer.reports.info``)."""

    dcontext: str | None = None
    amaflags: str | None = None
    channel: str | None = None
    duration: int | None = None
    wait: int | None = None
    extra: Mapping[str, Any] = extra_field()
