"""``simotel.pbx``: extensions, trunks, queues, sounds, number lists and faxes.

Generated from simotel_async/_endpoints.py by scripts/gen_resources.py; do not edit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager

import httpx

from simotel_async._pagination import AsyncPaginator
from simotel_async.models import (
    AddResult,
    AgentResult,
    Announcement,
    BatchAgentResult,
    BlacklistEntry,
    Fax,
    ForwardPolicy,
    MusicOnHold,
    Queue,
    Trunk,
    User,
    WhitelistEntry,
)

from ._base import AgentSpec, Destination, Extra, Flag, Number, Resource, Sender, Sort, Upload, When
from ._types import JoinEmpty, MappedFilter, PeerType, Strategy, TrunkType, UserType

__all__ = [
    "Announcements",
    "Blacklists",
    "Faxes",
    "MusicOnHolds",
    "Pbx",
    "Queues",
    "Trunks",
    "Users",
    "Whitelists",
]


class Users(Resource):
    """``simotel.pbx.users``: extensions (SIP/IAX2 users)."""

    __slots__ = ()

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
            name: display name of the user. Required.
            number: the extension number. Required.
            secret: SIP/IAX registration password. Required.
            user_type: ``"SIP"`` or ``"IAX2"``.
            active: whether the extension is enabled.
            cid_number: caller id number the extension presents.
            call_record: record the extension's calls.
            push_notification: push-notification flag.
            deny: network/mask the extension may not register from, e.g. ``"0.0.0.0/0.0.0.0"``.
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
            forward_policy: call-forward targets: a :class:`ForwardPolicy` or a mapping with keys
                ``busy``, ``no_answer``, ``unavailable``, ``all`` (or the server's ``Busy``,
                ``No Answer``, ``UnAvailable``, ``All``).
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
        return await self._act("pbx.users.add", AddResult, locals())

    async def search(
        self,
        *,
        alike: bool = True,
        status: MappedFilter | None = None,
        name: str | None = None,
        number: str | None = None,
        mapped: str | None = None,
        extra: Extra = None,
    ) -> list[User]:
        """List extensions matching the filters (``pbx.users.search``; not paginated).

        Args:
            alike: substring match (``True``, the documented samples' choice) or exact match;
                required by the server, so always sent (as a JSON boolean, as this endpoint's docs
                do).
            status: ``"all"`` extensions or only those ``"mapped"`` to an operator. Recommended.
            name: extension name filter.
            number: extension number filter.
            mapped: mapped operator number filter.
            extra: more server parameters, merged into the body.

        Returns:
            The matching extensions (``secret`` comes back masked).
        """
        return await self._act("pbx.users.search", list[User], locals())

    async def update(
        self,
        *,
        id: str,
        user_type: UserType | None = None,
        active: Flag | None = None,
        name: str | None = None,
        number: str | None = None,
        cid_number: str | None = None,
        secret: str | None = None,
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
            id: the record's id, from a search (sent as ``_id``). Required.
            user_type: ``"SIP"`` or ``"IAX2"``.
            active: whether the extension is enabled.
            name: display name of the user.
            number: the extension number.
            cid_number: caller id number the extension presents.
            secret: SIP/IAX registration password.
            call_record: record the extension's calls.
            push_notification: push-notification flag.
            deny: network/mask the extension may not register from, e.g. ``"0.0.0.0/0.0.0.0"``.
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
            forward_policy: call-forward targets: a :class:`ForwardPolicy` or a mapping with keys
                ``busy``, ``no_answer``, ``unavailable``, ``all`` (or the server's ``Busy``,
                ``No Answer``, ``UnAvailable``, ``All``).
            more_options: extra raw Asterisk peer options, ``key=value`` lines.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such extension).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        await self._act_quietly("pbx.users.update", locals())

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
        await self._act_quietly("pbx.users.remove", locals())


class Trunks(Resource):
    """``simotel.pbx.trunks``: SIP/IAX2/DAHDI trunks."""

    __slots__ = ()

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
            name: trunk name (the ``trunk_name`` of other calls). Required.
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
        return await self._act("pbx.trunks.add", AddResult, locals())

    async def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        extra: Extra = None,
    ) -> list[Trunk]:
        """List trunks by name (``pbx.trunks.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: trunk name filter.
            extra: more server parameters, merged into the body.

        Returns:
            The matching trunks.
        """
        return await self._act("pbx.trunks.search", list[Trunk], locals())

    async def update(
        self,
        *,
        id: str,
        trunk_type: TrunkType | None = None,
        name: str | None = None,
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
            id: the record's id, from a search (sent as ``_id``). Required.
            trunk_type: ``"SIP"``, ``"IAX2"`` or ``"DAHDI"``.
            name: trunk name (the ``trunk_name`` of other calls).
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

        Raises:
            OperationFailedError: the server refused (e.g. no such trunk).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        await self._act_quietly("pbx.trunks.update", locals())

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
        await self._act_quietly("pbx.trunks.remove", locals())


class Queues(Resource):
    """``simotel.pbx.queues``: call queues, and adding/pausing/removing their agents."""

    __slots__ = ()

    async def add(
        self,
        *,
        name: str,
        number: str,
        strategy: Strategy | None = None,
        ringinuse: Flag | None = None,
        call_record: Flag | None = None,
        setinterfacevar: Flag | None = None,
        autofill: Flag | None = None,
        setqueuevar: Flag | None = None,
        setqueueentryvar: Flag | None = None,
        persistentmembers: Flag | None = None,
        shared_lastcall: Flag | None = None,
        announce_holdtime: Flag | None = None,
        announce_position: Flag | None = None,
        joinempty: JoinEmpty | None = None,
        leavewhenempty: Flag | None = None,
        reportholdtime: Flag | None = None,
        maxlen: Number | None = None,
        announce_frequency: Number | None = None,
        min_announce_frequency: Number | None = None,
        periodic_announce_frequency: Number | None = None,
        music: str | None = None,
        queue_callswaiting: str | None = None,
        queue_thankyou: str | None = None,
        queue_thereare: str | None = None,
        queue_youarenext: str | None = None,
        retry: Number | None = None,
        servicelevel: Number | None = None,
        timeout: Number | None = None,
        weight: Number | None = None,
        wrapuptime: Number | None = None,
        monitor_type: str | None = None,
        monitor_format: str | None = None,
        more_options: str | None = None,
        extra: Extra = None,
    ) -> AddResult:
        """Create a call queue (``pbx.queues.add``).

        ``name`` and ``number`` are required; the docs mark the other settings
        *recommended* (``more_options`` optional). They mirror Asterisk's
        ``queues.conf``; yes/no settings take ``True``/``False``, numbers ``int`` or
        ``str``, durations are seconds.

        Args:
            name: queue name. Required.
            number: the dialable queue number. Required.
            strategy: ring strategy, e.g. ``"ringall"`` or ``"rrmemory"``.
            ringinuse: ring agents already on a call.
            call_record: record queue calls.
            setinterfacevar: Asterisk ``setinterfacevar``.
            autofill: Asterisk ``autofill``.
            setqueuevar: Asterisk ``setqueuevar``.
            setqueueentryvar: Asterisk ``setqueueentryvar``.
            persistentmembers: keep dynamic members across restarts.
            shared_lastcall: Asterisk ``shared_lastcall``.
            announce_holdtime: announce the estimated hold time.
            announce_position: announce the caller's position.
            joinempty: ``"yes"``, ``"no"`` or ``"strict"``: may callers join without agents.
            leavewhenempty: drop waiting callers when no agents remain.
            reportholdtime: tell the agent how long the caller waited.
            maxlen: maximum waiting callers (0: unlimited).
            announce_frequency: seconds between position/hold-time announcements.
            min_announce_frequency: minimum seconds between announcements.
            periodic_announce_frequency: seconds between periodic announcements.
            music: music-on-hold class played to waiting callers.
            queue_callswaiting: sound of the "calls waiting" prompt.
            queue_thankyou: sound of the "thank you" prompt.
            queue_thereare: sound of the "there are" prompt.
            queue_youarenext: sound of the "you are next" prompt.
            retry: seconds before ringing agents again after a timeout.
            servicelevel: service-level threshold in seconds.
            timeout: seconds an agent rings before the next one.
            weight: priority relative to other queues.
            wrapuptime: an agent's rest after a call, in seconds.
            monitor_type: recording application, e.g. ``"MixMonitor"``.
            monitor_format: recording format, e.g. ``"wav"``.
            more_options: extra raw queue options.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the new queue's ``id``.

        Raises:
            OperationFailedError: the server refused (e.g. the queue exists).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        return await self._act("pbx.queues.add", AddResult, locals())

    async def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        number: str | None = None,
        extra: Extra = None,
    ) -> list[Queue]:
        """List queues by name or number (``pbx.queues.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: queue name filter.
            number: queue number filter.
            extra: more server parameters, merged into the body.

        Returns:
            The matching queues.
        """
        return await self._act("pbx.queues.search", list[Queue], locals())

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        number: str | None = None,
        strategy: Strategy | None = None,
        ringinuse: Flag | None = None,
        call_record: Flag | None = None,
        setinterfacevar: Flag | None = None,
        autofill: Flag | None = None,
        setqueuevar: Flag | None = None,
        setqueueentryvar: Flag | None = None,
        persistentmembers: Flag | None = None,
        shared_lastcall: Flag | None = None,
        announce_holdtime: Flag | None = None,
        announce_position: Flag | None = None,
        joinempty: JoinEmpty | None = None,
        leavewhenempty: Flag | None = None,
        reportholdtime: Flag | None = None,
        maxlen: Number | None = None,
        announce_frequency: Number | None = None,
        min_announce_frequency: Number | None = None,
        periodic_announce_frequency: Number | None = None,
        music: str | None = None,
        queue_callswaiting: str | None = None,
        queue_thankyou: str | None = None,
        queue_thereare: str | None = None,
        queue_youarenext: str | None = None,
        retry: Number | None = None,
        servicelevel: Number | None = None,
        timeout: Number | None = None,
        weight: Number | None = None,
        wrapuptime: Number | None = None,
        monitor_type: str | None = None,
        monitor_format: str | None = None,
        more_options: str | None = None,
        extra: Extra = None,
    ) -> None:
        """Change a queue (``pbx.queues.update``); only the arguments given are sent.

        Args:
            id: the record's id, from a search (sent as ``_id``). Required.
            name: queue name.
            number: the dialable queue number.
            strategy: ring strategy, e.g. ``"ringall"`` or ``"rrmemory"``.
            ringinuse: ring agents already on a call.
            call_record: record queue calls.
            setinterfacevar: Asterisk ``setinterfacevar``.
            autofill: Asterisk ``autofill``.
            setqueuevar: Asterisk ``setqueuevar``.
            setqueueentryvar: Asterisk ``setqueueentryvar``.
            persistentmembers: keep dynamic members across restarts.
            shared_lastcall: Asterisk ``shared_lastcall``.
            announce_holdtime: announce the estimated hold time.
            announce_position: announce the caller's position.
            joinempty: ``"yes"``, ``"no"`` or ``"strict"``: may callers join without agents.
            leavewhenempty: drop waiting callers when no agents remain.
            reportholdtime: tell the agent how long the caller waited.
            maxlen: maximum waiting callers (0: unlimited).
            announce_frequency: seconds between position/hold-time announcements.
            min_announce_frequency: minimum seconds between announcements.
            periodic_announce_frequency: seconds between periodic announcements.
            music: music-on-hold class played to waiting callers.
            queue_callswaiting: sound of the "calls waiting" prompt.
            queue_thankyou: sound of the "thank you" prompt.
            queue_thereare: sound of the "there are" prompt.
            queue_youarenext: sound of the "you are next" prompt.
            retry: seconds before ringing agents again after a timeout.
            servicelevel: service-level threshold in seconds.
            timeout: seconds an agent rings before the next one.
            weight: priority relative to other queues.
            wrapuptime: an agent's rest after a call, in seconds.
            monitor_type: recording application, e.g. ``"MixMonitor"``.
            monitor_format: recording format, e.g. ``"wav"``.
            more_options: extra raw queue options.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such queue).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        await self._act_quietly("pbx.queues.update", locals())

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
        await self._act_quietly("pbx.queues.remove", locals())

    async def add_agent(
        self,
        *,
        queue: str,
        source: str,
        agent: str,
        penalty: Number | None = None,
        extra: Extra = None,
    ) -> AgentResult:
        """Add one agent to a queue (``pbx.queues.addagent``).

        Args:
            queue: the queue number. Required.
            source: the extension (interface) to ring for the agent. Required.
            agent: the agent (operator) number. Required.
            penalty: the agent's penalty (priority) in the queue.
            extra: more server parameters, merged into the body.

        Returns:
            The outcome (``message`` such as ``"Added successfully"``, ``ok``).

        Raises:
            OperationFailedError: the server refused.
            TypeError: a missing or wrong argument (nothing was sent).
        """
        return await self._act("pbx.queues.addagent", AgentResult, locals())

    async def pause_agent(
        self,
        *,
        queue: str,
        agent: str,
        extra: Extra = None,
    ) -> AgentResult:
        """Pause an agent (a break) in a queue (``pbx.queues.pauseagent``).

        Args:
            queue: the queue number. Required.
            agent: the agent number. Required.
            extra: more server parameters, merged into the body.

        Returns:
            The outcome (``message`` such as ``"Paused successfully"``, ``ok``).
        """
        return await self._act("pbx.queues.pauseagent", AgentResult, locals())

    async def resume_agent(
        self,
        *,
        queue: str,
        agent: str,
        extra: Extra = None,
    ) -> AgentResult:
        """Take an agent off pause in a queue (``pbx.queues.resumeagent``).

        Args:
            queue: the queue number. Required.
            agent: the agent number. Required.
            extra: more server parameters, merged into the body.

        Returns:
            The outcome (``message`` such as ``"UnPaused successfully"``, ``ok``).
        """
        return await self._act("pbx.queues.resumeagent", AgentResult, locals())

    async def remove_agent(
        self,
        *,
        queue: str,
        agent: str,
        extra: Extra = None,
    ) -> AgentResult:
        """Remove an agent from a queue (``pbx.queues.removeagent``).

        Args:
            queue: the queue number. Required.
            agent: the agent number. Required.
            extra: more server parameters, merged into the body.

        Returns:
            The outcome (``message`` such as ``"Removed successfully"``, ``ok``).
        """
        return await self._act("pbx.queues.removeagent", AgentResult, locals())

    async def batch_add_agent(
        self,
        *,
        agents: Iterable[AgentSpec],
        extra: Extra = None,
    ) -> BatchAgentResult:
        """Add several agents to queues in one call (``pbx.queues.batchaddagent``).

        Args:
            agents: one mapping per agent with ``queue``, ``source`` and ``agent`` (required) and
                ``penalty`` (optional), sent as ``{"agents": [...]}``. Required.
            extra: more server parameters, merged into the body.

        Returns:
            One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).

        Raises:
            TypeError, ValueError: an agent misses a key or has a wrong value (nothing
                was sent).
        """
        return await self._act("pbx.queues.batchaddagent", BatchAgentResult, locals())

    async def batch_pause_agent(
        self,
        *,
        agents: Iterable[AgentSpec],
        extra: Extra = None,
    ) -> BatchAgentResult:
        """Pause several agents in one call (``pbx.queues.batchpauseagent``).

        Args:
            agents: one ``{"queue": ..., "agent": ...}`` mapping per agent. Required.
            extra: more server parameters, merged into the body.

        Returns:
            One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).
        """
        return await self._act("pbx.queues.batchpauseagent", BatchAgentResult, locals())

    async def batch_resume_agent(
        self,
        *,
        agents: Iterable[AgentSpec],
        extra: Extra = None,
    ) -> BatchAgentResult:
        """Take several agents off pause in one call (``pbx.queues.batchresumeagent``).

        Args:
            agents: one ``{"queue": ..., "agent": ...}`` mapping per agent. Required.
            extra: more server parameters, merged into the body.

        Returns:
            One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).
        """
        return await self._act("pbx.queues.batchresumeagent", BatchAgentResult, locals())

    async def batch_remove_agent(
        self,
        *,
        agents: Iterable[AgentSpec],
        extra: Extra = None,
    ) -> BatchAgentResult:
        """Remove several agents from queues in one call (``pbx.queues.batchremoveagent``).

        Args:
            agents: one ``{"queue": ..., "agent": ...}`` mapping per agent. Required.
            extra: more server parameters, merged into the body.

        Returns:
            One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).
        """
        return await self._act("pbx.queues.batchremoveagent", BatchAgentResult, locals())


class MusicOnHolds(Resource):
    """``simotel.pbx.musiconholds``: music-on-hold classes (search only)."""

    __slots__ = ()

    async def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        extra: Extra = None,
    ) -> list[MusicOnHold]:
        """List music-on-hold classes and their files (``pbx.musiconholds.search``).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: class name filter.
            extra: more server parameters, merged into the body.

        Returns:
            The matching classes, each with its ``musics`` files.
        """
        return await self._act("pbx.musiconholds.search", list[MusicOnHold], locals())


class Announcements(Resource):
    """``simotel.pbx.announcements``: named sound files played by the dialplan.

    ``upload`` a sound (it comes back converted to ``.wav``), then ``add`` it by the
    returned name.
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
        return await self._upload("pbx.announcements.upload", file, filename, content_type)

    async def add(
        self,
        *,
        name: str,
        filename: str,
        comment: str | None = None,
        extra: Extra = None,
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
        return await self._act("pbx.announcements.add", AddResult, locals())

    async def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        extra: Extra = None,
    ) -> list[Announcement]:
        """List announcements by name (``pbx.announcements.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: announcement name filter.
            extra: more server parameters, merged into the body.

        Returns:
            A list of :class:`Announcement`.
        """
        return await self._act("pbx.announcements.search", list[Announcement], locals())

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
            id: the record's id, from a search (sent as ``_id``). Required.
            name: announcement name.
            filename: the name :meth:`upload` returned.
            comment: free text.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("pbx.announcements.update", locals())

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
        await self._act_quietly("pbx.announcements.remove", locals())


class Blacklists(Resource):
    """``simotel.pbx.blacklists``: blocked numbers."""

    __slots__ = ()

    async def add(
        self,
        *,
        number: str,
        comment: str | None = None,
        extra: Extra = None,
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
        return await self._act("pbx.blacklists.add", AddResult, locals())

    async def search(
        self,
        *,
        alike: bool = True,
        number: str | None = None,
        extra: Extra = None,
    ) -> list[BlacklistEntry]:
        """List blocked numbers (``pbx.blacklists.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            number: number filter.
            extra: more server parameters, merged into the body.

        Returns:
            A list of :class:`BlacklistEntry`.
        """
        return await self._act("pbx.blacklists.search", list[BlacklistEntry], locals())

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
            id: the record's id, from a search (sent as ``_id``). Required.
            number: the number to block.
            comment: free text.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("pbx.blacklists.update", locals())

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
        await self._act_quietly("pbx.blacklists.remove", locals())


class Whitelists(Resource):
    """``simotel.pbx.whitelists``: allowed numbers with labels."""

    __slots__ = ()

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
        return await self._act("pbx.whitelists.add", AddResult, locals())

    async def search(
        self,
        *,
        alike: bool = True,
        number: str | None = None,
        extra: Extra = None,
    ) -> list[WhitelistEntry]:
        """List allowed numbers (``pbx.whitelists.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            number: number filter.
            extra: more server parameters, merged into the body.

        Returns:
            A list of :class:`WhitelistEntry`.
        """
        return await self._act("pbx.whitelists.search", list[WhitelistEntry], locals())

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
            id: the record's id, from a search (sent as ``_id``). Required.
            number: the number to allow.
            labels: label strings for the entry. Recommended.
            comment: free text.
            extra: more server parameters, merged into the body.
        """
        await self._act_quietly("pbx.whitelists.update", locals())

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
        await self._act_quietly("pbx.whitelists.remove", locals())


class Faxes(Resource):
    """``simotel.pbx.faxes``: send faxes, list and download them.

    To fax a document, ``upload`` it (it comes back as a TIFF name) and ``add`` a fax
    with ``file=`` that name.
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
        return await self._upload("pbx.faxes.upload", file, filename, content_type)

    async def add(
        self,
        *,
        sender_id: str | None = None,
        to: str | None = None,
        ext: str | None = None,
        trunk_name: str | None = None,
        file: str | None = None,
        text: str | None = None,
        description: str | None = None,
        extra: Extra = None,
    ) -> AddResult:
        """Queue an outgoing fax of an uploaded file or of plain text (``pbx.faxes.add``).

        Pass exactly one of ``file`` and ``text``: the docs say to leave ``text`` out
        when sending a file. The other arguments are *recommended* by the docs.

        Args:
            sender_id: the sending user.
            to: destination fax number.
            ext: destination internal extension.
            trunk_name: outgoing trunk.
            file: a name :meth:`upload` returned.
            text: plain text to fax instead of a file.
            description: free text.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the fax's ``id``.

        Raises:
            ValueError: both or neither of ``file`` and ``text`` (nothing was sent).
        """
        return await self._act("pbx.faxes.add", AddResult, locals())

    def search(
        self,
        *,
        alike: bool = True,
        src: str | None = None,
        dst: str | None = None,
        status: str | None = None,
        type: str | None = None,
        date_from: When | None = None,
        date_to: When | None = None,
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
            src: source number filter.
            dst: destination number filter.
            status: fax status filter.
            type: direction filter (``"inbox"``, ``"outbox"``).
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time).
            date_to: end of the period.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`Fax` records.

        Raises:
            TypeError, ValueError: a wrong argument (raised here, before any request).
        """
        return self._search("pbx.faxes.search", Fax, locals())

    async def download(
        self,
        *,
        id: str,
        dest: Destination,
        extra: Extra = None,
    ) -> int:
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
        return await self._download("pbx.faxes.download", locals())

    @asynccontextmanager
    async def stream(
        self,
        *,
        id: str,
        extra: Extra = None,
    ) -> AsyncIterator[httpx.Response]:
        """``async with ....stream(...) as response``: the file, unread.

        The streaming twin of :meth:`download` (``pbx.faxes.download``).
        Iterate ``response.aiter_bytes()`` (``response.headers`` has the type and
        length); the connection is released when the block exits.

        Args:
            id: the fax's id, from :meth:`search` (sent as ``_id``). Required.
            extra: more server parameters, merged into the body.

        Raises:
            NotFoundError: the server has no such fax (404).
            SimotelConnectionError: the transfer broke off; ``dest`` is left as it was.
        """
        async with self._stream("pbx.faxes.download", locals()) as response:
            yield response


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

    def __init__(self, client: Sender) -> None:
        self.users = Users(client)
        """``simotel.pbx.users``: extensions (SIP/IAX2 users)."""
        self.trunks = Trunks(client)
        """``simotel.pbx.trunks``: SIP/IAX2/DAHDI trunks."""
        self.queues = Queues(client)
        """``simotel.pbx.queues``: call queues, and adding/pausing/removing their agents."""
        self.musiconholds = MusicOnHolds(client)
        """``simotel.pbx.musiconholds``: music-on-hold classes (search only)."""
        self.announcements = Announcements(client)
        """``simotel.pbx.announcements``: named sound files played by the dialplan."""
        self.blacklists = Blacklists(client)
        """``simotel.pbx.blacklists``: blocked numbers."""
        self.whitelists = Whitelists(client)
        """``simotel.pbx.whitelists``: allowed numbers with labels."""
        self.faxes = Faxes(client)
        """``simotel.pbx.faxes``: send faxes, list and download them."""
