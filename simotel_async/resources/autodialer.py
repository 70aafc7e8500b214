"""``simotel.autodialer``: contacts, groups, campaigns, sounds, trunks, results.

Generated from simotel_async/_endpoints.py by scripts/gen_resources.py; do not edit."""

from __future__ import annotations

from collections.abc import Sequence

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

from ._base import Extra, Number, Resource, Sender, Sort, Upload, When
from ._types import TrunkStatus

__all__ = [
    "Autodialer",
    "AutodialerAnnouncements",
    "CampaignReports",
    "Campaigns",
    "Contacts",
    "Groups",
    "TrunkManagers",
]


class Contacts(Resource):
    """``simotel.autodialer.contacts``: the autodialer's address book."""

    __slots__ = ()

    async def add(
        self,
        *,
        name: str,
        number: str,
        description: str | None = None,
        extra: Extra = None,
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
        return await self._act("autodialer.contacts.add", AddResult, locals())

    def search(
        self,
        *,
        alike: bool = True,
        status: str | None = None,
        name: str | None = None,
        number: str | None = None,
        description: str | None = None,
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
            status: status filter (documented, never used by the samples).
            name: name filter.
            number: number filter.
            description: description filter.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`Contact` records; no I/O until iterated.
        """
        return self._search("autodialer.contacts.search", Contact, locals())

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
            id: the record's id, from a search (sent as ``_id``). Required.
            name: contact name.
            number: phone number.
            description: free text.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("autodialer.contacts.update", locals())

    async def remove(
        self,
        *,
        id: str,
        extra: Extra = None,
    ) -> None:
        """Delete the record with this ``id`` (as returned by search).

        Args:
            id: the record's id, from a search (sent as ``_id``). Required.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such record).
            TypeError: ``id`` is missing or not a str (nothing was sent).
        """
        await self._act_quietly("autodialer.contacts.remove", locals())


class Groups(Resource):
    """``simotel.autodialer.groups``: lists of numbers for campaigns.

    Give the numbers directly, or ``upload`` a CSV (one number per row) and pass the
    returned name as ``filename``.
    """

    __slots__ = ()

    async def upload(
        self,
        file: Upload,
        *,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> str:
        """Upload a file as multipart field ``file``, streamed (never read whole).

        Args:
            file: a path, the bytes, or a binary file object (read in chunks).
            filename: the name sent to the server (default: the path's or file object's name, else
                ``"upload"``).
            content_type: the part's type (default: guessed from the name).

        Returns:
            The name the server stored the file under (it may convert it, e.g. an
            ``.mp3`` to ``..._.wav``); pass it to this resource's ``add``.

        Raises:
            TypeError: ``file`` is not a path, bytes or binary file (nothing was sent).
            FileNotFoundError: the path does not exist.
            OperationFailedError: the server refused the file.
        """
        return await self._upload("autodialer.groups.upload", file, filename, content_type)

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
        return await self._act("autodialer.groups.add", AddResult, locals())

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
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`Group` records (with ``count``, not
            the numbers).
        """
        return self._search("autodialer.groups.search", Group, locals())

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
        return await self._act("autodialer.groups.update", Group, locals())

    async def remove(
        self,
        *,
        id: str,
        extra: Extra = None,
    ) -> None:
        """Delete the record with this ``id`` (as returned by search).

        Args:
            id: the record's id, from a search (sent as ``_id``). Required.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such record).
            TypeError: ``id`` is missing or not a str (nothing was sent).
        """
        await self._act_quietly("autodialer.groups.remove", locals())


class Campaigns(Resource):
    """``simotel.autodialer.campaigns``: bulk-call campaigns."""

    __slots__ = ()

    async def add(
        self,
        *,
        name: str,
        trunk_manager_id: str,
        interface_context: str | None = None,
        interface_text: str | None = None,
        numbers: Sequence[str] | None = None,
        groups: Sequence[str] | None = None,
        try_interval: Number | None = None,
        try_: Number | None = None,
        start: When | None = None,
        end: When | None = None,
        announcement: str | None = None,
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
            name: campaign name. Required.
            trunk_manager_id: a trunk manager's id (``autodialer.trunks.search``). Required.
            interface_context: context handed to the "autodialer route" component.
            interface_text: text handed to that component.
            numbers: phone numbers to call.
            groups: ids of groups to call (``autodialer.groups.search``).
            try_interval: seconds between attempts.
            try_: attempts per number (the server's ``try``).
            start: when dialling may begin (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; server time).
            end: when dialling stops.
            announcement: id of the announcement to play.
            description: free text.
            count: sent as ``3`` by every sample; its meaning is undocumented.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the campaign's ``id``.
        """
        return await self._act("autodialer.campaigns.add", AddResult, locals())

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
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`Campaign` records; no I/O until iterated.
        """
        return self._search("autodialer.campaigns.search", Campaign, locals())

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        trunk_manager_id: str | None = None,
        interface_context: str | None = None,
        interface_text: str | None = None,
        numbers: Sequence[str] | None = None,
        groups: Sequence[str] | None = None,
        try_interval: Number | None = None,
        try_: Number | None = None,
        start: When | None = None,
        end: When | None = None,
        announcement: str | None = None,
        description: str | None = None,
        count: int | None = None,
        extra: Extra = None,
    ) -> UpdateResult:
        """Change a campaign (``autodialer.campaigns.update``); sends only what is given.

        The docs list no ``numbers``/``groups`` for updates (no sample sends them); they
        are accepted here and sent when given.

        Args:
            id: the record's id, from a search (sent as ``_id``). Required.
            name: campaign name.
            trunk_manager_id: a trunk manager's id (``autodialer.trunks.search``).
            interface_context: context handed to the "autodialer route" component.
            interface_text: text handed to that component.
            numbers: phone numbers to call.
            groups: ids of groups to call (``autodialer.groups.search``).
            try_interval: seconds between attempts.
            try_: attempts per number (the server's ``try``).
            start: when dialling may begin (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; server time).
            end: when dialling stops.
            announcement: id of the announcement to play.
            description: free text.
            count: sent as ``3`` by every sample; its meaning is undocumented.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`UpdateResult` with the server's ``count``.
        """
        return await self._act("autodialer.campaigns.update", UpdateResult, locals())

    async def remove(
        self,
        *,
        id: str,
        extra: Extra = None,
    ) -> None:
        """Delete the record with this ``id`` (as returned by search).

        Args:
            id: the record's id, from a search (sent as ``_id``). Required.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such record).
            TypeError: ``id`` is missing or not a str (nothing was sent).
        """
        await self._act_quietly("autodialer.campaigns.remove", locals())


class AutodialerAnnouncements(Resource):
    """``simotel.autodialer.announcements``: sounds campaigns play.

    ``upload`` a sound (converted to ``.wav``), then ``add`` it by the returned name.
    """

    __slots__ = ()

    async def upload(
        self,
        file: Upload,
        *,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> str:
        """Upload a file as multipart field ``file``, streamed (never read whole).

        Args:
            file: a path, the bytes, or a binary file object (read in chunks).
            filename: the name sent to the server (default: the path's or file object's name, else
                ``"upload"``).
            content_type: the part's type (default: guessed from the name).

        Returns:
            The name the server stored the file under (it may convert it, e.g. an
            ``.mp3`` to ``..._.wav``); pass it to this resource's ``add``.

        Raises:
            TypeError: ``file`` is not a path, bytes or binary file (nothing was sent).
            FileNotFoundError: the path does not exist.
            OperationFailedError: the server refused the file.
        """
        return await self._upload("autodialer.announcements.upload", file, filename, content_type)

    async def add(
        self,
        *,
        name: str,
        filename: str,
        description: str | None = None,
        extra: Extra = None,
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
        return await self._act("autodialer.announcements.add", AddResult, locals())

    async def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        extra: Extra = None,
    ) -> list[AutodialerAnnouncement]:
        """List campaign sounds (``autodialer.announcements.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: name filter.
            extra: more server parameters, merged into the body.

        Returns:
            A list of :class:`AutodialerAnnouncement`.
        """
        return await self._act(
            "autodialer.announcements.search", list[AutodialerAnnouncement], locals()
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
            id: the record's id, from a search (sent as ``_id``). Required.
            name: announcement name.
            filename: the name :meth:`upload` returned.
            description: free text.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("autodialer.announcements.update", locals())

    async def remove(
        self,
        *,
        id: str,
        extra: Extra = None,
    ) -> None:
        """Delete the record with this ``id`` (as returned by search).

        Args:
            id: the record's id, from a search (sent as ``_id``). Required.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such record).
            TypeError: ``id`` is missing or not a str (nothing was sent).
        """
        await self._act_quietly("autodialer.announcements.remove", locals())


class TrunkManagers(Resource):
    """``simotel.autodialer.trunks``: the trunks campaigns dial through, with capacity."""

    __slots__ = ()

    async def search(
        self,
        *,
        alike: bool = True,
        title: str | None = None,
        extra: Extra = None,
    ) -> list[TrunkManager]:
        """List trunk managers (``autodialer.trunks.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            title: title filter.
            extra: more server parameters, merged into the body.

        Returns:
            A list of :class:`TrunkManager`.
        """
        return await self._act("autodialer.trunks.search", list[TrunkManager], locals())

    async def update(
        self,
        *,
        id: str,
        title: str | None = None,
        status: TrunkStatus | None = None,
        wait_cache_length: Number | None = None,
        capacity: Number | None = None,
        dial_interval: Number | None = None,
        extra: Extra = None,
    ) -> None:
        """Change a trunk manager (``autodialer.trunks.update``); sends only what is given.

        The weekly ``active_times`` that search returns cannot be set here.

        Args:
            id: the trunk manager's id (sent as ``_id``). Required.
            title: its title. Recommended.
            status: ``"active"`` or ``"inactive"``. Recommended.
            wait_cache_length: numbers fetched from the database per round. Recommended.
            capacity: maximum concurrent calls. Recommended.
            dial_interval: seconds between two dials. Recommended.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("autodialer.trunks.update", locals())


class CampaignReports(Resource):
    """``simotel.autodialer.reports``: each number's outcome in each campaign."""

    __slots__ = ()

    def search(
        self,
        *,
        alike: bool = True,
        disposition: str | None = None,
        campaign_id: str | None = None,
        number: str | None = None,
        date_from: When | None = None,
        date_to: When | None = None,
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
            disposition: call result filter.
            campaign_id: a campaign's id.
            number: called number filter.
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time).
            date_to: end of the period.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`AutodialerReport` records, each with
            its ``tries`` (whose ``cdr_id`` feeds :meth:`info`).
        """
        return self._search("autodialer.reports.search", AutodialerReport, locals())

    def ordered(
        self,
        *,
        after_id: str | None = None,
        extra: Extra = None,
    ) -> AsyncCursor[AutodialerReport]:
        """Every campaign result in insertion order (``autodialer.reports.ordered``).

        Args:
            after_id: resume after this record id (a previous cursor's ``last_id``).
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AsyncCursor` of :class:`AutodialerReport` records; no I/O until iterated.
        """
        return self._ordered("autodialer.reports.ordered", AutodialerReport, locals())

    async def info(
        self,
        *,
        id: str,
        extra: Extra = None,
    ) -> AutodialerCallInfo:
        """Channel details of one dial attempt (``autodialer.reports.info``).

        Args:
            id: the attempt's ``cdr_id`` (``report.tries[n].cdr_id``; sent as ``_id``). Required.
            extra: more server parameters, merged into the body.

        Returns:
            A :class:`AutodialerCallInfo`.
        """
        return await self._act("autodialer.reports.info", AutodialerCallInfo, locals())


class Autodialer:
    """``simotel.autodialer``: contacts, groups, campaigns, sounds, trunks, results.

    Every endpoint here needs the autodialer module on the server (otherwise
    ``ServiceNotFoundError``).
    """

    __slots__ = ("announcements", "campaigns", "contacts", "groups", "reports", "trunks")

    def __init__(self, client: Sender) -> None:
        self.contacts = Contacts(client)
        """``simotel.autodialer.contacts``: the autodialer's address book."""
        self.groups = Groups(client)
        """``simotel.autodialer.groups``: lists of numbers for campaigns."""
        self.campaigns = Campaigns(client)
        """``simotel.autodialer.campaigns``: bulk-call campaigns."""
        self.announcements = AutodialerAnnouncements(client)
        """``simotel.autodialer.announcements``: sounds campaigns play."""
        self.trunks = TrunkManagers(client)
        """``simotel.autodialer.trunks``: the trunks campaigns dial through, with capacity."""
        self.reports = CampaignReports(client)
        """``simotel.autodialer.reports``: each number's outcome in each campaign."""
