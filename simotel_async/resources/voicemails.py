"""``simotel.voicemails``: voicemail boxes and the messages in them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simotel_async._pagination import AsyncPaginator
from simotel_async.models import AddResult, VoicemailBox, VoicemailMessage

from ._base import (
    AudioDownloads,
    Extra,
    Flag,
    Removable,
    Schema,
    Sort,
    When,
    filters,
    flag,
    text,
)

if TYPE_CHECKING:
    from simotel_async._client import AsyncSimotel

__all__ = ["Inbox", "Mailboxes", "Voicemails"]

_BOX = Schema(
    name=text(),
    number=text(),
    password=text(),
    email=text(),
    required_password=flag(),
    allow_change_password=flag(),
    send_email=flag(),
    attach_file_email=flag(),
    play_busy=flag(),
    play_unavailable=flag(),
    play_welcome=flag(),
    play_cid=flag("Play_CID"),
    play_envelope=flag("Play_Envelope"),
    delete_voicemail=flag("Delete_Voicemail"),
    more_options=text(),
)
_BOX_ADD = _BOX.requiring("name", "number", "password")
_BOX_UPDATE = _BOX.with_id()
_BOX_SEARCH = filters("name", "number")
_INBOX_SEARCH = filters("src", "number", period=True)


class Mailboxes(Removable):
    """``simotel.voicemails.voicemails``: voicemail boxes."""

    __slots__ = ()
    _prefix = "voicemails.voicemails"

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

        Returns:
            An :class:`AddResult` with the box's ``id``.

        Raises:
            OperationFailedError: the server refused (e.g. the number exists).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        return await self._act("voicemails.voicemails.add", AddResult, _BOX_ADD, locals())

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
        return await self._act(
            "voicemails.voicemails.search", list[VoicemailBox], _BOX_SEARCH, locals()
        )

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
            id: the box's id, from :meth:`search` (sent as ``_id``). Required.
            name: and the other settings: as for :meth:`add`, all optional.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such box).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        await self._act_quietly("voicemails.voicemails.update", _BOX_UPDATE, locals())


class Inbox(AudioDownloads):
    """``simotel.voicemails.inbox``: recorded voicemail messages and their audio.

    ``download``/``stream`` take a message's ``filename``; in v4 they go through
    ``reports/audio/download``, as the docs direct (v3 has its own path).
    """

    __slots__ = ()
    _download_id = "voicemails.inbox.download"

    def search(
        self,
        *,
        alike: bool = True,
        date_from: When | None = None,
        date_to: When | None = None,
        src: str | None = None,
        number: str | None = None,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[VoicemailMessage]:
        """Voicemail messages, page by page (``voicemails.inbox.search``); no I/O until iterated.

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; server time).
            date_to: end of the period.
            src: caller number filter.
            number: box number filter.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; the server's default is ``{"date": -1}``.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`VoicemailMessage` records; download a
            message's audio with ``download(file=message.filename, dest=...)``.

        Raises:
            TypeError, ValueError: a wrong argument (raised here, before any request).
        """
        return self._search("voicemails.inbox.search", VoicemailMessage, _INBOX_SEARCH, locals())


class Voicemails:
    """``simotel.voicemails``: boxes (``.voicemails``) and messages (``.inbox``)."""

    __slots__ = ("inbox", "voicemails")

    def __init__(self, client: AsyncSimotel) -> None:
        self.voicemails = Mailboxes(client)
        self.inbox = Inbox(client)
