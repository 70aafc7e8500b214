"""``simotel.pbx``: the PBX group, and its smaller resources (music on hold,
announcements, black/white lists, faxes). Extensions and trunks live in ``pbx_users``,
queues in ``pbx_queues``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import httpx

from simotel_async._files import Destination
from simotel_async._pagination import AsyncPaginator
from simotel_async.models import (
    AddResult,
    Announcement,
    BlacklistEntry,
    Fax,
    MusicOnHold,
    WhitelistEntry,
)

from ._base import (
    BY_ID,
    Extra,
    Removable,
    Resource,
    Schema,
    Sort,
    Uploads,
    When,
    constant,
    filters,
    strings,
    text,
)
from .pbx_queues import Queues
from .pbx_users import Trunks, Users

if TYPE_CHECKING:
    from simotel_async._client import AsyncSimotel

__all__ = ["Announcements", "Blacklists", "Faxes", "MusicOnHolds", "Pbx", "Whitelists"]

_BY_NAME = filters("name")
_BY_NUMBER = filters("number")

_ANNOUNCEMENT = Schema(name=text(), filename=text(), comment=text())
_ANNOUNCEMENT_ADD = _ANNOUNCEMENT.requiring("name", "filename")
_ANNOUNCEMENT_UPDATE = _ANNOUNCEMENT.with_id()

_BLACKLIST = Schema(number=text(), comment=text())
_BLACKLIST_ADD = _BLACKLIST.requiring("number")
_BLACKLIST_UPDATE = _BLACKLIST.with_id()
# The samples send an (unused) empty name condition; entries have no name.
_BLACKLIST_SEARCH = filters("number", unused_name=constant("", "conditions.name"))

_WHITELIST = Schema(number=text(), labels=strings(), comment=text())
_WHITELIST_ADD = _WHITELIST.requiring("number")
_WHITELIST_UPDATE = _WHITELIST.with_id()

_FAX_ADD = Schema(
    sender_id=text(),
    to=text(),
    ext=text(),
    trunk_name=text(),
    file=text(),
    text=text(),
    description=text(),
)
_FAX_SEARCH = filters("src", "dst", "status", "type", period=True)


class MusicOnHolds(Resource):
    """``simotel.pbx.musiconholds``: music-on-hold classes (search only)."""

    __slots__ = ()

    async def search(
        self, *, alike: bool = True, name: str | None = None, extra: Extra = None
    ) -> list[MusicOnHold]:
        """List music-on-hold classes and their files (``pbx.musiconholds.search``).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: class name filter.
            extra: more server parameters, merged into the body.

        Returns:
            The matching classes, each with its ``musics`` files.
        """
        return await self._act("pbx.musiconholds.search", list[MusicOnHold], _BY_NAME, locals())


class Announcements(Removable, Uploads):
    """``simotel.pbx.announcements``: named sound files played by the dialplan.

    ``upload`` a sound (it comes back converted to ``.wav``), then ``add`` it by the
    returned name.
    """

    __slots__ = ()
    _prefix = "pbx.announcements"
    _upload_id = "pbx.announcements.upload"

    async def add(
        self, *, name: str, filename: str, comment: str | None = None, extra: Extra = None
    ) -> AddResult:
        """Register an uploaded file as an announcement (``pbx.announcements.add``).

        Args:
            name: announcement name. Required.
            filename: the name :meth:`upload` returned. Required.
            comment: free text.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the announcement's ``id``.
        """
        return await self._act("pbx.announcements.add", AddResult, _ANNOUNCEMENT_ADD, locals())

    async def search(
        self, *, alike: bool = True, name: str | None = None, extra: Extra = None
    ) -> list[Announcement]:
        """List announcements by name (``pbx.announcements.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: announcement name filter.
            extra: more server parameters, merged into the body.
        """
        return await self._act("pbx.announcements.search", list[Announcement], _BY_NAME, locals())

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        filename: str | None = None,
        comment: str | None = None,
        extra: Extra = None,
    ) -> None:
        """Change an announcement (``pbx.announcements.update``); sends only what is given.

        Args:
            id: the announcement's id (sent as ``_id``). Required.
            name: announcement name. Recommended.
            filename: a name :meth:`upload` returned. Recommended.
            comment: free text.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("pbx.announcements.update", _ANNOUNCEMENT_UPDATE, locals())


class Blacklists(Removable):
    """``simotel.pbx.blacklists``: blocked numbers."""

    __slots__ = ()
    _prefix = "pbx.blacklists"

    async def add(
        self, *, number: str, comment: str | None = None, extra: Extra = None
    ) -> AddResult:
        """Block a number (``pbx.blacklists.add``).

        Args:
            number: the number to block. Required.
            comment: free text.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult`; its ``id`` is ``None`` in the documented answer (find
            the entry with :meth:`search`).
        """
        return await self._act("pbx.blacklists.add", AddResult, _BLACKLIST_ADD, locals())

    async def search(
        self, *, alike: bool = True, number: str | None = None, extra: Extra = None
    ) -> list[BlacklistEntry]:
        """List blocked numbers (``pbx.blacklists.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            number: number filter.
            extra: more server parameters, merged into the body.
        """
        return await self._act(
            "pbx.blacklists.search", list[BlacklistEntry], _BLACKLIST_SEARCH, locals()
        )

    async def update(
        self,
        *,
        id: str,
        number: str | None = None,
        comment: str | None = None,
        extra: Extra = None,
    ) -> None:
        """Change a blocked number (``pbx.blacklists.update``); sends only what is given.

        Args:
            id: the entry's id (sent as ``_id``). Required.
            number: the number to block. Recommended.
            comment: free text.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("pbx.blacklists.update", _BLACKLIST_UPDATE, locals())


class Whitelists(Removable):
    """``simotel.pbx.whitelists``: allowed numbers with labels."""

    __slots__ = ()
    _prefix = "pbx.whitelists"

    async def add(
        self,
        *,
        number: str,
        labels: Sequence[str] | None = None,
        comment: str | None = None,
        extra: Extra = None,
    ) -> AddResult:
        """Allow a number (``pbx.whitelists.add``).

        Args:
            number: the number to allow. Required.
            labels: label strings for the entry. Recommended.
            comment: free text.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult`; its ``id`` is ``None`` in the documented answer.
        """
        return await self._act("pbx.whitelists.add", AddResult, _WHITELIST_ADD, locals())

    async def search(
        self, *, alike: bool = True, number: str | None = None, extra: Extra = None
    ) -> list[WhitelistEntry]:
        """List allowed numbers (``pbx.whitelists.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            number: number filter.
            extra: more server parameters, merged into the body.
        """
        return await self._act("pbx.whitelists.search", list[WhitelistEntry], _BY_NUMBER, locals())

    async def update(
        self,
        *,
        id: str,
        number: str | None = None,
        labels: Sequence[str] | None = None,
        comment: str | None = None,
        extra: Extra = None,
    ) -> None:
        """Change an allowed number (``pbx.whitelists.update``); sends only what is given.

        Args:
            id: the entry's id (sent as ``_id``). Required.
            number: the number to allow. Recommended.
            labels: label strings (replace the old ones). Recommended.
            comment: free text.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("pbx.whitelists.update", _WHITELIST_UPDATE, locals())


class Faxes(Uploads):
    """``simotel.pbx.faxes``: send faxes, list and download them.

    To fax a document, ``upload`` it (it comes back as a TIFF name) and ``add`` a fax
    with ``file=`` that name.
    """

    __slots__ = ()
    _upload_id = "pbx.faxes.upload"

    async def add(
        self,
        *,
        to: str | None = None,
        ext: str | None = None,
        file: str | None = None,
        text: str | None = None,
        sender_id: str | None = None,
        trunk_name: str | None = None,
        description: str | None = None,
        extra: Extra = None,
    ) -> AddResult:
        """Queue an outgoing fax of an uploaded file or of plain text (``pbx.faxes.add``).

        Pass exactly one of ``file`` and ``text``: the docs say to leave ``text`` out
        when sending a file. The other arguments are *recommended* by the docs.

        Args:
            to: destination fax number.
            ext: destination internal extension.
            file: a name :meth:`upload` returned.
            text: plain text to fax instead of a file.
            sender_id: the sending user.
            trunk_name: outgoing trunk.
            description: free text.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the fax's ``id``.

        Raises:
            ValueError: both or neither of ``file`` and ``text`` (nothing was sent).
        """
        if (file is None) == (text is None):
            raise ValueError("pass file= (a name from upload()) or text=, exactly one of them")
        return await self._act("pbx.faxes.add", AddResult, _FAX_ADD, locals())

    def search(
        self,
        *,
        alike: bool = True,
        date_from: When | None = None,
        date_to: When | None = None,
        src: str | None = None,
        dst: str | None = None,
        status: str | None = None,
        type: str | None = None,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[Fax]:
        """Sent and received faxes, page by page (``pbx.faxes.search``); no I/O until iterated.

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; server time).
            date_to: end of the period.
            src: source number filter.
            dst: destination number filter.
            status: fax status filter.
            type: direction filter (``"inbox"``, ``"outbox"``).
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`Fax` records.

        Raises:
            TypeError, ValueError: a wrong argument (raised here, before any request).
        """
        return self._search("pbx.faxes.search", Fax, _FAX_SEARCH, locals())

    async def download(self, *, id: str, dest: Destination, extra: Extra = None) -> int:
        """Download a fax document to ``dest`` (``pbx.faxes.download``), streamed.

        A path is written through a temporary file beside it and replaced only when
        complete, so an interrupted download never leaves a truncated file.

        Args:
            id: the fax's id, from :meth:`search` (sent as ``_id``). Required.
            dest: a file path, or a binary file object open for writing.
            extra: more server parameters, merged into the body.

        Returns:
            The number of bytes written.

        Raises:
            NotFoundError: the server has no such fax (404).
            SimotelConnectionError: the transfer broke off; ``dest`` is left as it was.
        """
        return await self._download("pbx.faxes.download", BY_ID, locals(), f"fax {id!r}")

    @asynccontextmanager
    async def stream(self, *, id: str, extra: Extra = None) -> AsyncIterator[httpx.Response]:
        """``async with ....stream(id=...) as response``: the fax as an unread response.

        Read it with ``response.aiter_bytes()``; the connection is released on exit.

        Raises:
            NotFoundError: the server has no such fax (404).
        """
        async with self._stream("pbx.faxes.download", BY_ID, locals(), f"fax {id!r}") as r:
            yield r


class Pbx:
    """``simotel.pbx``: extensions, trunks, queues, sounds, number lists and faxes."""

    __slots__ = (
        "announcements",
        "blacklists",
        "faxes",
        "musiconholds",
        "queues",
        "trunks",
        "users",
        "whitelists",
    )

    def __init__(self, client: AsyncSimotel) -> None:
        self.users = Users(client)
        self.trunks = Trunks(client)
        self.queues = Queues(client)
        self.musiconholds = MusicOnHolds(client)
        self.announcements = Announcements(client)
        self.blacklists = Blacklists(client)
        self.whitelists = Whitelists(client)
        self.faxes = Faxes(client)
