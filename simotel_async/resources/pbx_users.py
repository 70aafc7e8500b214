"""``simotel.pbx.users`` (extensions) and ``simotel.pbx.trunks``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any, Literal

from simotel_async._convert import to_dict
from simotel_async.models import AddResult, ForwardPolicy, Trunk, User

from ._base import (
    Extra,
    Flag,
    Number,
    Param,
    Removable,
    Schema,
    boolean,
    filters,
    flag,
    number,
    text,
)

__all__ = ["Trunks", "Users"]

# Python-style keys accepted for forward_policy, and the server's own.
_FORWARD_KEYS = {
    "busy": "Busy",
    "no_answer": "No Answer",
    "unavailable": "UnAvailable",
    "all": "All",
}


def _forward_policy(name: str, value: Any, tz: tzinfo) -> dict[str, str]:
    if isinstance(value, ForwardPolicy):
        return {key: item for key, item in to_dict(value).items() if item is not None}
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a ForwardPolicy or a mapping, not {type(value).__name__}")
    policy: dict[str, str] = {}
    for key, target in value.items():
        server_key = _FORWARD_KEYS.get(key) or key
        if server_key not in _FORWARD_KEYS.values():
            raise ValueError(
                f"{name} has an unknown condition {key!r}; use busy, no_answer, unavailable, all"
            )
        if not isinstance(target, str):
            raise TypeError(f"{name}[{key!r}] must be a str, not {type(target).__name__}")
        policy[server_key] = target
    return policy


_USER = Schema(
    user_type=text(),
    active=flag(),
    name=text(),
    number=text(),
    cid_number=text(),
    secret=text(),
    call_record=flag(),
    push_notification=flag(),
    deny=text(),
    permit=text(),
    dtmfmode=text(),
    canreinvite=flag(),
    directmedia=flag(),
    context=text(),
    host=text(),
    type=text(),
    nat=text(),
    port=number(),
    qualify=flag(),
    callgroup=number(),
    pickupgroup=number(),
    callcounter=flag(),
    faxdetect=flag(),
    call_limit=number(),
    trunk=flag(),
    transfer=flag(),
    email=text(),
    forward_policy=Param(_forward_policy),
    more_options=text(),
)
_USER_ADD = _USER.requiring("name", "number", "secret")
_USER_UPDATE = _USER.with_id()
# This page sends alike as a JSON boolean; the others send the string "true".
_USER_SEARCH = filters("name", "number", "mapped", alike=boolean(), status=text())

_TRUNK = Schema(
    trunk_type=text(),
    name=text(),
    register_string=text(),
    active=flag(),
    deny=text(),
    permit=text(),
    dtmfmode=text(),
    canreinvite=flag(),
    directmedia=flag(),
    context=text(),
    host=text(),
    type=text(),
    nat=text(),
    port=number(),
    qualify=flag(),
    insecure=text(),
    disallow=text(),
    allow=text(),
    more_options=text(),
    description=text(),
)
_TRUNK_ADD = _TRUNK.requiring("name")
_TRUNK_UPDATE = _TRUNK.with_id()
_TRUNK_SEARCH = filters("name")

UserType = Literal["SIP", "IAX2"]
PeerType = Literal["user", "peer", "friend"]
TrunkType = Literal["SIP", "IAX2", "DAHDI"]


class Users(Removable):
    """``simotel.pbx.users``: extensions (SIP/IAX2 users)."""

    __slots__ = ()
    _prefix = "pbx.users"

    async def add(
        self,
        *,
        name: str,
        number: str,
        secret: str,
        user_type: UserType | None = None,
        active: Flag | None = None,
        cid_number: str | None = None,
        call_record: Flag | None = None,
        push_notification: Flag | None = None,
        deny: str | None = None,
        permit: str | None = None,
        dtmfmode: str | None = None,
        canreinvite: Flag | None = None,
        directmedia: Flag | None = None,
        context: str | None = None,
        host: str | None = None,
        type: PeerType | None = None,
        nat: str | None = None,
        port: Number | None = None,
        qualify: Flag | None = None,
        callgroup: Number | None = None,
        pickupgroup: Number | None = None,
        callcounter: Flag | None = None,
        faxdetect: Flag | None = None,
        call_limit: Number | None = None,
        trunk: Flag | None = None,
        transfer: Flag | None = None,
        email: str | None = None,
        forward_policy: ForwardPolicy | Mapping[str, str] | None = None,
        more_options: str | None = None,
        extra: Extra = None,
    ) -> AddResult:
        """Create an extension (``pbx.users.add``).

        ``name``, ``number`` and ``secret`` are required; the docs mark every other
        setting *recommended* (sent only when given; the server's defaults apply
        otherwise), except ``email``, ``forward_policy`` and ``more_options`` (optional).
        Yes/no settings take ``True``/``False`` (or ``"yes"``/``"no"``); numbers take
        ``int`` or ``str``.

        Args:
            name: display name of the user.
            number: the extension number.
            secret: SIP/IAX registration password.
            user_type: ``"SIP"`` or ``"IAX2"``.
            active: whether the extension is enabled.
            cid_number: caller id number the extension presents.
            call_record: record the extension's calls.
            push_notification: push-notification flag.
            deny: network/mask the extension may not register from, e.g.
                ``"0.0.0.0/0.0.0.0"``.
            permit: network/mask it may register from.
            dtmfmode: DTMF mode, e.g. ``"rfc2833"``.
            canreinvite: Asterisk ``canreinvite``.
            directmedia: Asterisk ``directmedia``.
            context: dialplan context of the extension's calls, e.g. ``"main_routing"``.
            host: peer host; ``"dynamic"`` for registering phones.
            type: Asterisk peer type, ``"user"``, ``"peer"`` or ``"friend"``.
            nat: ``"yes"``, ``"no"`` or ``"force_rport,comedia"``.
            port: SIP port.
            qualify: probe the peer with OPTIONS keep-alives.
            callgroup: Asterisk call group(s).
            pickupgroup: Asterisk pickup group(s).
            callcounter: Asterisk ``callcounter``.
            faxdetect: detect fax tones.
            call_limit: maximum simultaneous calls (``""``: the default).
            trunk: trunk flag.
            transfer: allow call transfer.
            email: the user's e-mail address.
            forward_policy: call-forward targets: a :class:`ForwardPolicy` or a mapping
                with keys ``busy``, ``no_answer``, ``unavailable``, ``all`` (or the
                server's ``Busy``, ``No Answer``, ``UnAvailable``, ``All``).
            more_options: extra raw Asterisk peer options, ``key=value`` lines.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult`. The documented answer of this endpoint is not the
            usual envelope but ``{status, message, user_id}``: ``id`` is then ``None``
            and ``extra["user_id"]`` holds the extension number.

        Raises:
            OperationFailedError: the server refused (e.g. the number exists).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        return await self._act("pbx.users.add", AddResult, _USER_ADD, locals())

    async def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        number: str | None = None,
        mapped: str | None = None,
        status: Literal["all", "mapped"] | None = None,
        extra: Extra = None,
    ) -> list[User]:
        """List extensions matching the filters (``pbx.users.search``; not paginated).

        Args:
            alike: substring match (``True``, the documented samples' choice) or exact
                match; required by the server, so always sent (as a JSON boolean, as
                this endpoint's docs do).
            name: extension name filter.
            number: extension number filter.
            mapped: mapped operator number filter.
            status: ``"all"`` extensions or only those ``"mapped"`` to an operator.
                Recommended.
            extra: more server parameters, merged into the body.

        Returns:
            The matching extensions (``secret`` comes back masked).
        """
        return await self._act("pbx.users.search", list[User], _USER_SEARCH, locals())

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        number: str | None = None,
        secret: str | None = None,
        user_type: UserType | None = None,
        active: Flag | None = None,
        cid_number: str | None = None,
        call_record: Flag | None = None,
        push_notification: Flag | None = None,
        deny: str | None = None,
        permit: str | None = None,
        dtmfmode: str | None = None,
        canreinvite: Flag | None = None,
        directmedia: Flag | None = None,
        context: str | None = None,
        host: str | None = None,
        type: PeerType | None = None,
        nat: str | None = None,
        port: Number | None = None,
        qualify: Flag | None = None,
        callgroup: Number | None = None,
        pickupgroup: Number | None = None,
        callcounter: Flag | None = None,
        faxdetect: Flag | None = None,
        call_limit: Number | None = None,
        trunk: Flag | None = None,
        transfer: Flag | None = None,
        email: str | None = None,
        forward_policy: ForwardPolicy | Mapping[str, str] | None = None,
        more_options: str | None = None,
        extra: Extra = None,
    ) -> None:
        """Change an extension (``pbx.users.update``); only the arguments given are sent.

        The docs do not say whether settings left out are kept or cleared (their
        samples always send the whole record); send every setting you care about.

        Args:
            id: the extension's id, from :meth:`search` (sent as ``_id``). Required.
            name: and the other settings: as for :meth:`add`, all optional.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such extension).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        await self._act_quietly("pbx.users.update", _USER_UPDATE, locals())


class Trunks(Removable):
    """``simotel.pbx.trunks``: SIP/IAX2/DAHDI trunks."""

    __slots__ = ()
    _prefix = "pbx.trunks"

    async def add(
        self,
        *,
        name: str,
        trunk_type: TrunkType | None = None,
        register_string: str | None = None,
        active: Flag | None = None,
        deny: str | None = None,
        permit: str | None = None,
        dtmfmode: str | None = None,
        canreinvite: Flag | None = None,
        directmedia: Flag | None = None,
        context: str | None = None,
        host: str | None = None,
        type: PeerType | None = None,
        nat: str | None = None,
        port: Number | None = None,
        qualify: Flag | None = None,
        insecure: str | None = None,
        disallow: str | None = None,
        allow: str | None = None,
        more_options: str | None = None,
        description: str | None = None,
        extra: Extra = None,
    ) -> AddResult:
        """Create a trunk (``pbx.trunks.add``).

        ``name`` is required; the docs mark the other settings *recommended*, except
        ``more_options`` and ``description`` (optional).

        Args:
            name: trunk name (the ``trunk_name`` of other calls).
            trunk_type: ``"SIP"``, ``"IAX2"`` or ``"DAHDI"``.
            register_string: Asterisk register line, ``user:secret@host/contact``.
            active: whether the trunk is enabled.
            deny: network/mask denied for this peer.
            permit: network/mask permitted for this peer.
            dtmfmode: DTMF mode, e.g. ``"rfc2833"``.
            canreinvite: Asterisk ``canreinvite``.
            directmedia: Asterisk ``directmedia``.
            context: dialplan context of inbound calls, e.g. ``"from-pstn"``.
            host: the provider's host or IP.
            type: Asterisk peer type, ``"user"``, ``"peer"`` or ``"friend"``.
            nat: ``"yes"``, ``"no"`` or ``"force_rport,comedia"``.
            port: SIP port.
            qualify: probe the peer with OPTIONS keep-alives.
            insecure: ``"port"``, ``"invite"`` or ``"port,invite"``.
            disallow: codecs to disallow, e.g. ``"all"``.
            allow: codecs to allow, e.g. ``"ulaw,alaw"``.
            more_options: extra raw peer options, ``key=value`` lines.
            description: free text.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the new trunk's ``id``.

        Raises:
            OperationFailedError: the server refused (e.g. the trunk exists).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        return await self._act("pbx.trunks.add", AddResult, _TRUNK_ADD, locals())

    async def search(
        self, *, alike: bool = True, name: str | None = None, extra: Extra = None
    ) -> list[Trunk]:
        """List trunks by name (``pbx.trunks.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: trunk name filter.
            extra: more server parameters, merged into the body.

        Returns:
            The matching trunks.
        """
        return await self._act("pbx.trunks.search", list[Trunk], _TRUNK_SEARCH, locals())

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        trunk_type: TrunkType | None = None,
        register_string: str | None = None,
        active: Flag | None = None,
        deny: str | None = None,
        permit: str | None = None,
        dtmfmode: str | None = None,
        canreinvite: Flag | None = None,
        directmedia: Flag | None = None,
        context: str | None = None,
        host: str | None = None,
        type: PeerType | None = None,
        nat: str | None = None,
        port: Number | None = None,
        qualify: Flag | None = None,
        insecure: str | None = None,
        disallow: str | None = None,
        allow: str | None = None,
        more_options: str | None = None,
        description: str | None = None,
        extra: Extra = None,
    ) -> None:
        """Change a trunk (``pbx.trunks.update``); only the arguments given are sent.

        Args:
            id: the trunk's id, from :meth:`search` (sent as ``_id``). Required.
            name: and the other settings: as for :meth:`add`, all optional.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such trunk).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        await self._act_quietly("pbx.trunks.update", _TRUNK_UPDATE, locals())
