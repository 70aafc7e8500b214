"""``simotel.voicemails``: boxes (``.voicemails``) and messages (``.inbox``).

Generated from simotel_async/_endpoints.py by scripts/gen_resources.py; do not edit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from simotel_async._pagination import AsyncPaginator
from simotel_async.models import AddResult, VoicemailBox, VoicemailMessage

from ._base import Destination, Extra, Flag, Resource, Sender, Sort, When

__all__ = ["Inbox", "Mailboxes", "Voicemails"]


class Mailboxes(Resource):
    """``simotel.voicemails.voicemails``: voicemail boxes."""

    __slots__ = ()

    async def add(
        self,
        *,
        name: str,
        number: str,
        password: str,
        email: str | None = None,
        required_password: Flag | None = None,
        allow_change_password: Flag | None = None,
        send_email: Flag | None = None,
        attach_file_email: Flag | None = None,
        play_busy: Flag | None = None,
        play_unavailable: Flag | None = None,
        play_welcome: Flag | None = None,
        play_cid: Flag | None = None,
        play_envelope: Flag | None = None,
        delete_voicemail: Flag | None = None,
        more_options: str | None = None,
        extra: Extra = None,
    ) -> AddResult:
        """Create a voicemail box (``voicemails.voicemails.add``).

        ``name``, ``number`` and ``password`` are required; the docs mark the yes/no
        settings and ``more_options`` *recommended*, ``email`` optional.

        Args:
            name: box name. Required.
            number: box number. Required.
            password: the box's PIN. Required.
            email: address that receives notifications.
            required_password: ask for the PIN when the box is opened.
            allow_change_password: let the owner change the PIN.
            send_email: e-mail new messages.
            attach_file_email: attach the recording to the e-mail.
            play_busy: play the busy greeting.
            play_unavailable: play the unavailable greeting.
            play_welcome: play the welcome greeting.
            play_cid: say the caller's number (the server's ``Play_CID``).
            play_envelope: play the message envelope (``Play_Envelope``).
            delete_voicemail: delete a message once e-mailed (``Delete_Voicemail``).
            more_options: extra raw options.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the box's ``id``.

        Raises:
            OperationFailedError: the server refused (e.g. the number exists).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        return await self._act("voicemails.voicemails.add", AddResult, locals())

    async def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        number: str | None = None,
        extra: Extra = None,
    ) -> list[VoicemailBox]:
        """List voicemail boxes (``voicemails.voicemails.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: box name filter.
            number: box number filter.
            extra: more server parameters, merged into the body.

        Returns:
            The matching boxes (their PINs in clear).
        """
        return await self._act("voicemails.voicemails.search", list[VoicemailBox], locals())

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        number: str | None = None,
        password: str | None = None,
        email: str | None = None,
        required_password: Flag | None = None,
        allow_change_password: Flag | None = None,
        send_email: Flag | None = None,
        attach_file_email: Flag | None = None,
        play_busy: Flag | None = None,
        play_unavailable: Flag | None = None,
        play_welcome: Flag | None = None,
        play_cid: Flag | None = None,
        play_envelope: Flag | None = None,
        delete_voicemail: Flag | None = None,
        more_options: str | None = None,
        extra: Extra = None,
    ) -> None:
        """Change a voicemail box (``voicemails.voicemails.update``); sends only what is given.

        Args:
            id: the record's id, from a search (sent as ``_id``). Required.
            name: box name.
            number: box number.
            password: the box's PIN.
            email: address that receives notifications.
            required_password: ask for the PIN when the box is opened.
            allow_change_password: let the owner change the PIN.
            send_email: e-mail new messages.
            attach_file_email: attach the recording to the e-mail.
            play_busy: play the busy greeting.
            play_unavailable: play the unavailable greeting.
            play_welcome: play the welcome greeting.
            play_cid: say the caller's number (the server's ``Play_CID``).
            play_envelope: play the message envelope (``Play_Envelope``).
            delete_voicemail: delete a message once e-mailed (``Delete_Voicemail``).
            more_options: extra raw options.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such box).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        await self._act_quietly("voicemails.voicemails.update", locals())

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
        await self._act_quietly("voicemails.voicemails.remove", locals())


class Inbox(Resource):
    """``simotel.voicemails.inbox``: recorded voicemail messages and their audio.

    ``download``/``stream`` take a message's ``filename``; in v4 they go through
    ``reports/audio/download``, as the docs direct (v3 has its own path).
    """

    __slots__ = ()

    def search(
        self,
        *,
        alike: bool = True,
        src: str | None = None,
        number: str | None = None,
        date_from: When | None = None,
        date_to: When | None = None,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[VoicemailMessage]:
        """Voicemail messages, page by page (``voicemails.inbox.search``); no I/O yet.

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            src: caller number filter.
            number: box number filter.
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time).
            date_to: end of the period.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`VoicemailMessage` records; download a
            message's audio with ``download(file=message.filename, dest=...)``.

        Raises:
            TypeError, ValueError: a wrong argument (raised here, before any request).
        """
        return self._search("voicemails.inbox.search", VoicemailMessage, locals())

    async def download(
        self,
        *,
        file: str,
        dest: Destination,
        extra: Extra = None,
    ) -> int:
        """Download a recording to ``dest``, streamed (never held in memory).

        A path is written through a temporary file beside it, fsynced and renamed into
        place only when complete: an interrupted download never leaves a truncated file
        under ``dest``'s name.

        Args:
            file: the recording's file name with its extension (a CDR's ``record``, a voicemail's
                ``filename``). Required.
            dest: a file path, or a binary file object open for writing.
            extra: more server parameters, merged into the body.

        Returns:
            The number of bytes written.

        Raises:
            NotFoundError: the server has no such file (404); the message names it.
            SimotelConnectionError: the transfer broke off; ``dest`` is left as it was.
            TypeError: a wrong argument or ``dest`` (nothing was sent).
        """
        return await self._download("voicemails.inbox.download", locals())

    @asynccontextmanager
    async def stream(
        self,
        *,
        file: str,
        extra: Extra = None,
    ) -> AsyncIterator[httpx.Response]:
        """``async with ....stream(...) as response``: the file, unread.

        The streaming twin of :meth:`download` (``voicemails.inbox.download``).
        Iterate ``response.aiter_bytes()`` (``response.headers`` has the type and
        length); the connection is released when the block exits.

        Args:
            file: the recording's file name with its extension (a CDR's ``record``, a voicemail's
                ``filename``). Required.
            extra: more server parameters, merged into the body.

        Raises:
            NotFoundError: the server has no such file (404); the message names it.
            SimotelConnectionError: the transfer broke off; ``dest`` is left as it was.
            TypeError: a wrong argument or ``dest`` (nothing was sent).
        """
        async with self._stream("voicemails.inbox.download", locals()) as response:
            yield response


class Voicemails:
    """``simotel.voicemails``: boxes (``.voicemails``) and messages (``.inbox``)."""

    __slots__ = ("inbox", "voicemails")

    def __init__(self, client: Sender) -> None:
        self.voicemails = Mailboxes(client)
        """``simotel.voicemails.voicemails``: voicemail boxes."""
        self.inbox = Inbox(client)
        """``simotel.voicemails.inbox``: recorded voicemail messages and their audio."""
