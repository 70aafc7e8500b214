"""``simotel.autodialer``: bulk-call campaigns, their numbers, sounds, trunks and results.

Every endpoint here needs the autodialer module on the server (otherwise
``ServiceNotFoundError``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from simotel_async._pagination import AsyncCursor, AsyncPaginator
from simotel_async.models import (
    AddResult,
    AutodialerAnnouncement,
    AutodialerCallInfo,
    AutodialerReport,
    Campaign,
    Contact,
    Group,
    TrunkManager,
    UpdateResult,
)

from ._base import (
    BY_ID,
    ID,
    Extra,
    Number,
    Removable,
    Resource,
    Schema,
    Sort,
    Uploads,
    When,
    filters,
    integer,
    moment,
    number,
    strings,
    text,
)

if TYPE_CHECKING:
    from simotel_async._client import AsyncSimotel

__all__ = [
    "Autodialer",
    "AutodialerAnnouncements",
    "CampaignReports",
    "Campaigns",
    "Contacts",
    "Groups",
    "TrunkManagers",
]

_CONTACT = Schema(name=text(), number=text(), description=text())
_CONTACT_ADD = _CONTACT.requiring("name", "number")
_CONTACT_UPDATE = _CONTACT.with_id()
# status is in the table but never sent by the samples: sent only when given.
_CONTACT_SEARCH = filters("name", "number", "description", status=text("conditions.status"))

_GROUP_ADD = Schema(
    required=("name",), name=text(), numbers=strings(), filename=text(), description=text()
)
_GROUP_UPDATE = Schema(required=("id",), id=ID, name=text(), numbers=strings(), description=text())
_GROUP_SEARCH = filters("name", "description")

_CAMPAIGN = Schema(
    name=text(),
    trunk_manager_id=text(),
    interface_context=text(),
    interface_text=text(),
    numbers=strings(),
    groups=strings(),
    try_interval=number(),
    try_=number("try"),
    start=moment(),
    end=moment(),
    announcement=text(),
    description=text(),
    count=integer(),
)
_CAMPAIGN_ADD = _CAMPAIGN.requiring("name", "trunk_manager_id")
_CAMPAIGN_UPDATE = _CAMPAIGN.with_id()
_CAMPAIGN_SEARCH = filters("name", "description", "status")

_ANNOUNCEMENT = Schema(name=text(), filename=text(), description=text())
_ANNOUNCEMENT_ADD = _ANNOUNCEMENT.requiring("name", "filename")
_ANNOUNCEMENT_UPDATE = _ANNOUNCEMENT.with_id()
_ANNOUNCEMENT_SEARCH = filters("name")

_TRUNK_SEARCH = filters("title")
_TRUNK_UPDATE = Schema(
    required=("id",),
    id=ID,
    title=text(),
    status=text(),
    wait_cache_length=number(),
    capacity=number(),
    dial_interval=number(),
)

_REPORT_SEARCH = filters("disposition", "campaign_id", "number", period=True)


class Contacts(Removable):
    """``simotel.autodialer.contacts``: the autodialer's address book."""

    __slots__ = ()
    _prefix = "autodialer.contacts"

    async def add(
        self, *, name: str, number: str, description: str | None = None, extra: Extra = None
    ) -> AddResult:
        """Add a contact (``autodialer.contacts.add``).

        Args:
            name: contact name. Required.
            number: phone number. Required.
            description: free text.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult`; its ``id`` is ``None`` in the documented answer.
        """
        return await self._act("autodialer.contacts.add", AddResult, _CONTACT_ADD, locals())

    def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        number: str | None = None,
        description: str | None = None,
        status: str | None = None,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[Contact]:
        """Contacts, page by page (``autodialer.contacts.search``); no I/O until iterated.

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: name filter.
            number: number filter.
            description: description filter.
            status: status filter (documented, never used by the samples).
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; the server's default is ``{"name": 1}``.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.
        """
        return self._search("autodialer.contacts.search", Contact, _CONTACT_SEARCH, locals())

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        number: str | None = None,
        description: str | None = None,
        extra: Extra = None,
    ) -> None:
        """Change a contact (``autodialer.contacts.update``); sends only what is given.

        Args:
            id: the contact's id (sent as ``_id``). Required.
            name: contact name.
            number: phone number.
            description: free text.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("autodialer.contacts.update", _CONTACT_UPDATE, locals())


class Groups(Removable, Uploads):
    """``simotel.autodialer.groups``: lists of numbers for campaigns.

    Give the numbers directly, or ``upload`` a CSV (one number per row) and pass the
    returned name as ``filename``.
    """

    __slots__ = ()
    _prefix = "autodialer.groups"
    _upload_id = "autodialer.groups.upload"

    async def add(
        self,
        *,
        name: str,
        numbers: Sequence[str] | None = None,
        filename: str | None = None,
        description: str | None = None,
        extra: Extra = None,
    ) -> AddResult:
        """Create a group of numbers (``autodialer.groups.add``).

        Args:
            name: group name. Required.
            numbers: the phone numbers. Recommended (or ``filename``).
            filename: instead of ``numbers``, a CSV name :meth:`upload` returned.
            description: free text.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the group's ``id``.
        """
        return await self._act("autodialer.groups.add", AddResult, _GROUP_ADD, locals())

    def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        description: str | None = None,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[Group]:
        """Groups, page by page (``autodialer.groups.search``); no I/O until iterated.

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: name filter.
            description: description filter.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``, e.g. ``{"date": 1}``.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`Group` records (with ``count``, not
            the numbers).
        """
        return self._search("autodialer.groups.search", Group, _GROUP_SEARCH, locals())

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        numbers: Sequence[str] | None = None,
        description: str | None = None,
        extra: Extra = None,
    ) -> Group:
        """Change a group (``autodialer.groups.update``); sends only what is given.

        Args:
            id: the group's id (sent as ``_id``). Required.
            name: group name. Recommended.
            numbers: the new list of numbers (replaces the old one). Recommended.
            description: free text.
            extra: more server parameters, merged into the body.

        Returns:
            The stored group, numbers included (unlike other updates, this one answers
            with the record).
        """
        return await self._act("autodialer.groups.update", Group, _GROUP_UPDATE, locals())


class Campaigns(Removable):
    """``simotel.autodialer.campaigns``: bulk-call campaigns."""

    __slots__ = ()
    _prefix = "autodialer.campaigns"

    async def add(
        self,
        *,
        name: str,
        trunk_manager_id: str,
        numbers: Sequence[str] | None = None,
        groups: Sequence[str] | None = None,
        announcement: str | None = None,
        start: When | None = None,
        end: When | None = None,
        try_: Number | None = None,
        try_interval: Number | None = None,
        interface_context: str | None = None,
        interface_text: str | None = None,
        description: str | None = None,
        count: int | None = None,
        extra: Extra = None,
    ) -> AddResult:
        """Create a campaign over numbers and/or groups (``autodialer.campaigns.add``).

        ``name`` and ``trunk_manager_id`` are required; ``numbers``, ``groups``,
        ``announcement``, ``start``, ``end``, ``try_`` and ``try_interval`` are
        *recommended*. A one-number campaign whose ``interface_context``/
        ``interface_text`` lead to an "autodialer route" dialplan component is the
        documented way to originate a call whose outcome you can read back.

        Args:
            name: campaign name.
            trunk_manager_id: a trunk manager's id (``autodialer.trunks.search``).
            numbers: phone numbers to call.
            groups: ids of groups to call (``autodialer.groups.search``).
            announcement: id of the announcement to play.
            start: when dialling may begin (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; server time).
            end: when dialling stops.
            try_: attempts per number (the server's ``try``).
            try_interval: seconds between attempts.
            interface_context: context handed to the "autodialer route" component.
            interface_text: text handed to that component.
            description: free text.
            count: sent as ``3`` by every sample; its meaning is undocumented.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the campaign's ``id``.
        """
        return await self._act("autodialer.campaigns.add", AddResult, _CAMPAIGN_ADD, locals())

    def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        description: str | None = None,
        status: str | None = None,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[Campaign]:
        """Campaigns with status and statistics, page by page (``autodialer.campaigns.search``).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: name filter.
            description: description filter.
            status: status filter (e.g. ``"waiting"``, ``"completed"``).
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.
        """
        return self._search("autodialer.campaigns.search", Campaign, _CAMPAIGN_SEARCH, locals())

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        trunk_manager_id: str | None = None,
        numbers: Sequence[str] | None = None,
        groups: Sequence[str] | None = None,
        announcement: str | None = None,
        start: When | None = None,
        end: When | None = None,
        try_: Number | None = None,
        try_interval: Number | None = None,
        interface_context: str | None = None,
        interface_text: str | None = None,
        description: str | None = None,
        count: int | None = None,
        extra: Extra = None,
    ) -> UpdateResult:
        """Change a campaign (``autodialer.campaigns.update``); sends only what is given.

        The docs list no ``numbers``/``groups`` for updates (no sample sends them); they
        are accepted here and sent when given.

        Args:
            id: the campaign's id (sent as ``_id``). Required.
            name: and the other settings: as for :meth:`add`, all optional.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`UpdateResult` with the server's ``count``.
        """
        return await self._act(
            "autodialer.campaigns.update", UpdateResult, _CAMPAIGN_UPDATE, locals()
        )


class AutodialerAnnouncements(Removable, Uploads):
    """``simotel.autodialer.announcements``: sounds campaigns play.

    ``upload`` a sound (converted to ``.wav``), then ``add`` it by the returned name.
    """

    __slots__ = ()
    _prefix = "autodialer.announcements"
    _upload_id = "autodialer.announcements.upload"

    async def add(
        self, *, name: str, filename: str, description: str | None = None, extra: Extra = None
    ) -> AddResult:
        """Register an uploaded sound for campaigns (``autodialer.announcements.add``).

        Args:
            name: announcement name. Required.
            filename: the name :meth:`upload` returned. Required.
            description: free text.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the announcement's ``id``.
        """
        return await self._act(
            "autodialer.announcements.add", AddResult, _ANNOUNCEMENT_ADD, locals()
        )

    async def search(
        self, *, alike: bool = True, name: str | None = None, extra: Extra = None
    ) -> list[AutodialerAnnouncement]:
        """List campaign sounds (``autodialer.announcements.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: name filter.
            extra: more server parameters, merged into the body.
        """
        return await self._act(
            "autodialer.announcements.search",
            list[AutodialerAnnouncement],
            _ANNOUNCEMENT_SEARCH,
            locals(),
        )

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        filename: str | None = None,
        description: str | None = None,
        extra: Extra = None,
    ) -> None:
        """Change a campaign sound (``autodialer.announcements.update``).

        Only the arguments given are sent.

        Args:
            id: the announcement's id (sent as ``_id``). Required.
            name: announcement name. Recommended.
            filename: a name :meth:`upload` returned. Recommended.
            description: free text.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("autodialer.announcements.update", _ANNOUNCEMENT_UPDATE, locals())


class TrunkManagers(Resource):
    """``simotel.autodialer.trunks``: the trunks campaigns dial through, with capacity."""

    __slots__ = ()

    async def search(
        self, *, alike: bool = True, title: str | None = None, extra: Extra = None
    ) -> list[TrunkManager]:
        """List trunk managers (``autodialer.trunks.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            title: title filter.
            extra: more server parameters, merged into the body.
        """
        return await self._act(
            "autodialer.trunks.search", list[TrunkManager], _TRUNK_SEARCH, locals()
        )

    async def update(
        self,
        *,
        id: str,
        title: str | None = None,
        status: Literal["active", "inactive"] | None = None,
        capacity: Number | None = None,
        dial_interval: Number | None = None,
        wait_cache_length: Number | None = None,
        extra: Extra = None,
    ) -> None:
        """Change a trunk manager (``autodialer.trunks.update``); sends only what is given.

        The weekly ``active_times`` that search returns cannot be set here.

        Args:
            id: the trunk manager's id (sent as ``_id``). Required.
            title: its title. Recommended.
            status: ``"active"`` or ``"inactive"``. Recommended.
            capacity: maximum concurrent calls. Recommended.
            dial_interval: seconds between two dials. Recommended.
            wait_cache_length: numbers fetched from the database per round. Recommended.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("autodialer.trunks.update", _TRUNK_UPDATE, locals())


class CampaignReports(Resource):
    """``simotel.autodialer.reports``: each number's outcome in each campaign."""

    __slots__ = ()

    def search(
        self,
        *,
        alike: bool = True,
        date_from: When | None = None,
        date_to: When | None = None,
        campaign_id: str | None = None,
        number: str | None = None,
        disposition: str | None = None,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[AutodialerReport]:
        """Per-number campaign results, page by page (``autodialer.reports.search``).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; server time). Optional here.
            date_to: end of the period.
            campaign_id: a campaign's id.
            number: called number filter.
            disposition: call result filter.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`AutodialerReport` records, each with
            its ``tries`` (whose ``cdr_id`` feeds :meth:`info`).
        """
        return self._search("autodialer.reports.search", AutodialerReport, _REPORT_SEARCH, locals())

    def ordered(
        self, *, after_id: str | None = None, extra: Extra = None
    ) -> AsyncCursor[AutodialerReport]:
        """Every campaign result in insertion order (``autodialer.reports.ordered``).

        Args:
            after_id: resume after this record (a saved ``cursor.last_id``).
            extra: more server parameters, sent with every request.
        """
        return self._ordered("autodialer.reports.ordered", AutodialerReport, after_id, extra)

    async def info(self, *, id: str, extra: Extra = None) -> AutodialerCallInfo:
        """Channel details of one dial attempt (``autodialer.reports.info``).

        Args:
            id: the attempt's ``cdr_id`` (``report.tries[n].cdr_id``; sent as ``_id``).
                Required.
            extra: more server parameters, merged into the body.
        """
        return await self._act("autodialer.reports.info", AutodialerCallInfo, BY_ID, locals())


class Autodialer:
    """``simotel.autodialer``: contacts, groups, campaigns, sounds, trunks, results."""

    __slots__ = ("announcements", "campaigns", "contacts", "groups", "reports", "trunks")

    def __init__(self, client: AsyncSimotel) -> None:
        self.contacts = Contacts(client)
        self.groups = Groups(client)
        self.campaigns = Campaigns(client)
        self.announcements = AutodialerAnnouncements(client)
        self.trunks = TrunkManagers(client)
        self.reports = CampaignReports(client)
