"""Records of the ``voicemails`` group: mailboxes and the messages in them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from ._common import SERVER_KEY, Record, extra_field

__all__ = ["VoicemailBox", "VoicemailMessage"]


@attrs.frozen(kw_only=True, repr=False)
class VoicemailBox(Record):
    """A voicemail box (``voicemails.voicemails``). ``password`` is the PIN, in clear.

    The server's capitalised ``Play_CID``, ``Play_Envelope`` and ``Delete_Voicemail``
    are ``play_cid``, ``play_envelope`` and ``delete_voicemail``.
    """

    id: str
    name: str | None = None
    number: str | None = None
    password: str | None = None
    email: str | None = None
    required_password: bool | None = None
    allow_change_password: bool | None = None
    send_email: bool | None = None
    attach_file_email: bool | None = None
    play_busy: bool | None = None
    play_unavailable: bool | None = None
    play_welcome: bool | None = None
    play_cid: bool | None = attrs.field(default=None, metadata={SERVER_KEY: "Play_CID"})
    play_envelope: bool | None = attrs.field(default=None, metadata={SERVER_KEY: "Play_Envelope"})
    delete_voicemail: bool | None = attrs.field(
        default=None, metadata={SERVER_KEY: "Delete_Voicemail"}
    )
    more_options: str | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, repr=False)
class VoicemailMessage(Record):
    """A message left in a voicemail box (``voicemails.inbox``).

    ``filename`` feeds ``voicemails.inbox.download`` / ``reports.audio.download``;
    when the recording failed there is no file and ``error`` says why.
    ``voice_mail_id`` is the box's id.
    """

    id: str
    number: str | None = None
    caller_id: str | None = None
    filename: str | None = None
    error: str | None = None
    voice_mail_id: str | None = None
    duration: int | None = None
    read: bool | None = None
    v: int | None = None
    date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()
