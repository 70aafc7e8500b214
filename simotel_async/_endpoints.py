"""The endpoint catalogue: every fact the SDK knows about each Simotel endpoint.

One :class:`Endpoint` per id of the vendor's catalog: its kind, v4 and v3 routes,
whether it is safe to send twice, the Python method that calls it, the record model
it returns, and each parameter (Python name, server key or body path, encoder,
whether it is required, one line of documentation). The client routes by it, the
request bodies are built from it, ``scripts/gen_resources.py`` writes ``resources/``
and ``docs/endpoints.md`` from it, and the CLI's ``export`` maps its options through
it. Nothing else in the package knows a path or a parameter.

To add an endpoint, add an :func:`E` entry here and run ``python scripts/gen_resources.py``.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = [
    "CATALOGUE",
    "GROUPS",
    "ENDPOINTS",
    "ENCODER_TYPES",
    "RESOURCES",
    "TYPE_ALIASES",
    "Endpoint",
    "Kind",
    "Method",
    "Param",
    "ResourceSpec",
    "Route",
    "get_endpoint",
]

Kind = Literal["action", "search", "ordered", "upload", "download"]
Method = Literal["GET", "POST", "PUT", "DELETE"]
Encoder = Literal[
    "text",
    "number",
    "integer",
    "flag",
    "truth",
    "boolean",
    "strings",
    "moment",
    "forward_policy",
    "agents",
    "agents_add",
]
Rule = Literal["period_or_cuid", "file_or_text"]

ENCODER_TYPES: Mapping[Encoder, str] = {
    "text": "str",
    "number": "Number",
    "integer": "int",
    "flag": "Flag",
    "truth": "bool",
    "boolean": "bool",
    "strings": "Sequence[str]",
    "moment": "When",
    "forward_policy": "ForwardPolicy | Mapping[str, str]",
    "agents": "Iterable[AgentSpec]",
    "agents_add": "Iterable[AgentSpec]",
}
"""The Python type each encoder accepts (a parameter's ``type`` narrows it)."""

TYPE_ALIASES: Mapping[str, str] = {
    "UserType": 'Literal["SIP", "IAX2"]',
    "PeerType": 'Literal["user", "peer", "friend"]',
    "TrunkType": 'Literal["SIP", "IAX2", "DAHDI"]',
    "Strategy": (
        'Literal["ringall", "leastrecent", "fewestcalls", "random", "rrmemory", "rrordered",'
        ' "linear", "wrandom"]'
    ),
    "JoinEmpty": 'Literal["yes", "no", "strict"]',
    "MappedFilter": 'Literal["all", "mapped"]',
    "TrunkStatus": 'Literal["active", "inactive"]',
}
"""Named parameter types, written into ``resources/_types.py``."""


@attrs.frozen
class Route:
    """One HTTP method and a path relative to ``/api/<version>/``."""

    method: Method
    path: str

    @classmethod
    def parse(cls, spec: str) -> Route:
        """Build a route from ``"METHOD path"``."""
        method, path = spec.split(" ", 1)
        return cls(method, path)  # type: ignore[arg-type]


@attrs.frozen
class Param:
    """One keyword argument of an endpoint method and where its value goes in the body.

    ``key`` is the server's dotted body path (``"conditions.from"``; default: ``name``).
    ``blank`` is sent when the argument is left out (the samples send ``""`` for every
    unused search condition); otherwise a left-out argument is not sent. ``default`` is
    the argument's Python default (``alike=True``), which is then always sent.
    """

    name: str
    encoder: Encoder = "text"
    key: str | None = None
    type: str | None = None
    doc: str = ""
    blank: Any = None
    default: Any = None

    @property
    def path(self) -> str:
        """Where the value goes: ``"_id"``, ``"conditions.from"``, ``"date_range.to"``."""
        return self.key or self.name

    @property
    def annotation(self) -> str:
        """The argument's type as written in the method's signature."""
        return self.type or ENCODER_TYPES[self.encoder]


@attrs.frozen
class Endpoint:
    """A catalogued endpoint: where it lives, how it is called, and what it returns."""

    id: str
    kind: Kind
    v4: Route
    v3: Route | None
    idempotent: bool
    method: str
    """The method's dotted path below the client, e.g. ``"pbx.queues.add_agent"``."""
    result: str | None = None
    """The record model (``"Cdr"``), a list of them (``"list[User]"``), or None."""
    params: tuple[Param, ...] = ()
    required: frozenset[str] = frozenset()
    constants: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    """Body values no argument sets (``{"date_range": {}}``)."""
    rule: Rule | None = None
    """A check across arguments, run before sending."""
    noun: str = "file"
    """What a download fetches, for messages (``"no such fax on the server"``)."""
    doc: str = ""
    returns: str = ""
    raises: str = ""

    def route(self, api_version: str) -> Route:
        """The route for ``"v4"`` or ``"v3"``; ``ValueError`` when v3 has none."""
        if api_version == "v4":
            return self.v4
        if self.v3 is None:
            raise ValueError(f"{self.id} has no v3 route; use api_version='v4'")
        return self.v3

    def with_method(self, method: Method, *, api_version: str = "v4") -> Endpoint:
        """A copy with another HTTP method for one version (e.g. ping over PUT)."""
        if api_version == "v4":
            return attrs.evolve(self, v4=Route(method, self.v4.path))
        return attrs.evolve(self, v3=Route(method, self.route("v3").path))

    @property
    def resource(self) -> str:
        """The resource the method lives on, e.g. ``"pbx.queues"`` (``"call"``)."""
        return self.method.rpartition(".")[0]

    @property
    def action(self) -> str:
        """The method's name, e.g. ``"add_agent"``."""
        return self.method.rpartition(".")[2]


@attrs.frozen
class ResourceSpec:
    """A resource class of the generated ``resources/``: its name and docstring."""

    name: str
    doc: str


_SNAKE = {
    f"{batch}{verb}agent": f"{batch}{'_' if batch else ''}{verb}_agent"
    for batch in ("", "batch")
    for verb in ("add", "pause", "resume", "remove")
}
_READS = frozenset({"search", "info", "ping"})


def E(
    id: str,
    kind: Kind,
    v4: str,
    v3: str | None,
    *,
    params: tuple[Param, ...] = (),
    required: tuple[str, ...] = (),
    idempotent: bool | None = None,
    method: str | None = None,
    doc: str = "",
    returns: str = "",
    raises: str = "",
    **options: Any,
) -> Endpoint:
    """One catalogue row. ``method`` defaults to the id with its action in snake_case;
    ``idempotent`` to True for reads (searches, cursors, info, ping, downloads)."""
    *resource, action = id.split(".")
    names = {param.name for param in params}
    missing = set(required) - names
    if missing:
        raise ValueError(f"{id}: required {sorted(missing)} are not parameters")
    if idempotent is None:
        idempotent = kind in ("search", "ordered", "download") or action in _READS
    if any(param.path.startswith("date_range.") for param in params):
        options["constants"] = {"date_range": {}, **options.get("constants", {})}
    return Endpoint(
        id,
        kind,
        Route.parse(v4),
        Route.parse(v3) if v3 else None,
        idempotent,
        method or ".".join([*resource, _SNAKE.get(action, action)]),
        params=params,
        required=frozenset(required),
        doc=inspect.cleandoc(doc),
        returns=inspect.cleandoc(returns),
        raises=inspect.cleandoc(raises),
        **options,
    )


P = Param


def C(name: str, key: str | None = None, *, doc: str = "") -> Param:
    """A search condition: sent under ``conditions``, ``""`` (ignore) when left out."""
    return Param(name, key=f"conditions.{key or name}", doc=doc, blank="")


ID = P("id", key="_id", doc="the record's id, from a search (sent as ``_id``).")
ALIKE = P(
    "alike",
    "truth",
    default=True,
    doc='substring (``True``) or exact match; always sent (as ``"true"``).',
)
SRC = C("src", "from", doc="caller (source) number filter (the server's ``conditions.from``).")
DST = C("dst", "to", doc="callee (destination) number filter (``conditions.to``).")
CUID = C("cuid", doc="call unique id filter.")
DATE_FROM = P(
    "date_from",
    "moment",
    key="date_range.from",
    doc=(
        'start of the period (a ``datetime``, ``date`` or the server\'s ``"YYYY-MM-DD HH:MM"``; '
        "aware datetimes are converted to server time)."
    ),
)
DATE_TO = P("date_to", "moment", key="date_range.to", doc="end of the period.")


def remove(resource: str, v3: str) -> Endpoint:
    """A ``remove`` row: delete a record by ``id`` (v4 ``POST <resource>/remove``)."""
    return E(
        f"{resource}.remove",
        "action",
        f"POST {resource.replace('.', '/')}/remove",
        v3,
        params=(ID,),
        required=("id",),
        doc="Delete the record with this ``id`` (as returned by search).",
        raises="""
            OperationFailedError: the server refused (e.g. no such record).
            TypeError: ``id`` is missing or not a str (nothing was sent).
        """,
    )


def upload(resource: str, v3: str | None) -> Endpoint:
    """An ``upload`` row: a multipart file (v4 ``POST <resource>/upload``)."""
    return E(
        f"{resource}.upload",
        "upload",
        f"POST {resource.replace('.', '/')}/upload",
        v3,
        doc="Upload a file as multipart field ``file``, streamed (never read whole).",
        returns="""
            The name the server stored the file under (it may convert it, e.g. an
            ``.mp3`` to ``..._.wav``); pass it to this resource's ``add``.
        """,
        raises="""
            TypeError: ``file`` is not a path, bytes or binary file (nothing was sent).
            FileNotFoundError: the path does not exist.
            OperationFailedError: the server refused the file.
        """,
    )


def recording(id: str, v4: str, v3: str) -> Endpoint:
    """A recording download row, by file name (v4 serves every recording at one path)."""
    return E(
        id,
        "download",
        v4,
        v3,
        params=(
            P(
                "file",
                doc=(
                    "the recording's file name with its extension (a CDR's ``record``, a "
                    "voicemail's ``filename``)."
                ),
            ),
        ),
        required=("file",),
        doc="""
            Download a recording to ``dest``, streamed (never held in memory).

            A path is written through a temporary file beside it, fsynced and renamed into
            place only when complete: an interrupted download never leaves a truncated file
            under ``dest``'s name.
        """,
        returns="The number of bytes written.",
        raises="""
            NotFoundError: the server has no such file (404); the message names it.
            SimotelConnectionError: the transfer broke off; ``dest`` is left as it was.
            TypeError: a wrong argument or ``dest`` (nothing was sent).
        """,
    )


_PBX_USERS = (
    P("user_type", type="UserType", doc='``"SIP"`` or ``"IAX2"``.'),
    P("active", "flag", doc="whether the extension is enabled."),
    P("name", doc="display name of the user."),
    P("number", doc="the extension number."),
    P("cid_number", doc="caller id number the extension presents."),
    P("secret", doc="SIP/IAX registration password."),
    P("call_record", "flag", doc="record the extension's calls."),
    P("push_notification", "flag", doc="push-notification flag."),
    P("deny", doc='network/mask the extension may not register from, e.g. ``"0.0.0.0/0.0.0.0"``.'),
    P("permit", doc="network/mask it may register from."),
    P("dtmfmode", doc='DTMF mode, e.g. ``"rfc2833"``.'),
    P("canreinvite", "flag", doc="Asterisk ``canreinvite``."),
    P("directmedia", "flag", doc="Asterisk ``directmedia``."),
    P("context", doc='dialplan context of the extension\'s calls, e.g. ``"main_routing"``.'),
    P("host", doc='peer host; ``"dynamic"`` for registering phones.'),
    P("type", type="PeerType", doc='Asterisk peer type, ``"user"``, ``"peer"`` or ``"friend"``.'),
    P("nat", doc='``"yes"``, ``"no"`` or ``"force_rport,comedia"``.'),
    P("port", "number", doc="SIP port."),
    P("qualify", "flag", doc="probe the peer with OPTIONS keep-alives."),
    P("callgroup", "number", doc="Asterisk call group(s)."),
    P("pickupgroup", "number", doc="Asterisk pickup group(s)."),
    P("callcounter", "flag", doc="Asterisk ``callcounter``."),
    P("faxdetect", "flag", doc="detect fax tones."),
    P("call_limit", "number", doc='maximum simultaneous calls (``""``: the default).'),
    P("trunk", "flag", doc="trunk flag."),
    P("transfer", "flag", doc="allow call transfer."),
    P("email", doc="the user's e-mail address."),
    P(
        "forward_policy",
        "forward_policy",
        doc=(
            "call-forward targets: a :class:`ForwardPolicy` or a mapping with keys ``busy``, "
            "``no_answer``, ``unavailable``, ``all`` (or the server's ``Busy``, ``No Answer``, "
            "``UnAvailable``, ``All``)."
        ),
    ),
    P("more_options", doc="extra raw Asterisk peer options, ``key=value`` lines."),
)

_PBX_TRUNKS = (
    P("trunk_type", type="TrunkType", doc='``"SIP"``, ``"IAX2"`` or ``"DAHDI"``.'),
    P("name", doc="trunk name (the ``trunk_name`` of other calls)."),
    P("register_string", doc="Asterisk register line, ``user:secret@host/contact``."),
    P("active", "flag", doc="whether the trunk is enabled."),
    P("deny", doc="network/mask denied for this peer."),
    P("permit", doc="network/mask permitted for this peer."),
    P("dtmfmode", doc='DTMF mode, e.g. ``"rfc2833"``.'),
    P("canreinvite", "flag", doc="Asterisk ``canreinvite``."),
    P("directmedia", "flag", doc="Asterisk ``directmedia``."),
    P("context", doc='dialplan context of inbound calls, e.g. ``"from-pstn"``.'),
    P("host", doc="the provider's host or IP."),
    P("type", type="PeerType", doc='Asterisk peer type, ``"user"``, ``"peer"`` or ``"friend"``.'),
    P("nat", doc='``"yes"``, ``"no"`` or ``"force_rport,comedia"``.'),
    P("port", "number", doc="SIP port."),
    P("qualify", "flag", doc="probe the peer with OPTIONS keep-alives."),
    P("insecure", doc='``"port"``, ``"invite"`` or ``"port,invite"``.'),
    P("disallow", doc='codecs to disallow, e.g. ``"all"``.'),
    P("allow", doc='codecs to allow, e.g. ``"ulaw,alaw"``.'),
    P("more_options", doc="extra raw peer options, ``key=value`` lines."),
    P("description", doc="free text."),
)

_PBX_QUEUES = (
    P("name", doc="queue name."),
    P("number", doc="the dialable queue number."),
    P("strategy", type="Strategy", doc='ring strategy, e.g. ``"ringall"`` or ``"rrmemory"``.'),
    P("ringinuse", "flag", doc="ring agents already on a call."),
    P("call_record", "flag", doc="record queue calls."),
    P("setinterfacevar", "flag", doc="Asterisk ``setinterfacevar``."),
    P("autofill", "flag", doc="Asterisk ``autofill``."),
    P("setqueuevar", "flag", doc="Asterisk ``setqueuevar``."),
    P("setqueueentryvar", "flag", doc="Asterisk ``setqueueentryvar``."),
    P("persistentmembers", "flag", doc="keep dynamic members across restarts."),
    P("shared_lastcall", "flag", doc="Asterisk ``shared_lastcall``."),
    P("announce_holdtime", "flag", doc="announce the estimated hold time."),
    P("announce_position", "flag", doc="announce the caller's position."),
    P(
        "joinempty",
        type="JoinEmpty",
        doc='``"yes"``, ``"no"`` or ``"strict"``: may callers join without agents.',
    ),
    P("leavewhenempty", "flag", doc="drop waiting callers when no agents remain."),
    P("reportholdtime", "flag", doc="tell the agent how long the caller waited."),
    P("maxlen", "number", doc="maximum waiting callers (0: unlimited)."),
    P("announce_frequency", "number", doc="seconds between position/hold-time announcements."),
    P("min_announce_frequency", "number", doc="minimum seconds between announcements."),
    P("periodic_announce_frequency", "number", doc="seconds between periodic announcements."),
    P("music", doc="music-on-hold class played to waiting callers."),
    P("queue_callswaiting", doc='sound of the "calls waiting" prompt.'),
    P("queue_thankyou", doc='sound of the "thank you" prompt.'),
    P("queue_thereare", doc='sound of the "there are" prompt.'),
    P("queue_youarenext", doc='sound of the "you are next" prompt.'),
    P("retry", "number", doc="seconds before ringing agents again after a timeout."),
    P("servicelevel", "number", doc="service-level threshold in seconds."),
    P("timeout", "number", doc="seconds an agent rings before the next one."),
    P("weight", "number", doc="priority relative to other queues."),
    P("wrapuptime", "number", doc="an agent's rest after a call, in seconds."),
    P("monitor_type", doc='recording application, e.g. ``"MixMonitor"``.'),
    P("monitor_format", doc='recording format, e.g. ``"wav"``.'),
    P("more_options", doc="extra raw queue options."),
)

_PBX_ANNOUNCEMENTS = (
    P("name", doc="announcement name."),
    P("filename", doc="the name :meth:`upload` returned."),
    P("comment", doc="free text."),
)

_VOICEMAILS_VOICEMAILS = (
    P("name", doc="box name."),
    P("number", doc="box number."),
    P("password", doc="the box's PIN."),
    P("email", doc="address that receives notifications."),
    P("required_password", "flag", doc="ask for the PIN when the box is opened."),
    P("allow_change_password", "flag", doc="let the owner change the PIN."),
    P("send_email", "flag", doc="e-mail new messages."),
    P("attach_file_email", "flag", doc="attach the recording to the e-mail."),
    P("play_busy", "flag", doc="play the busy greeting."),
    P("play_unavailable", "flag", doc="play the unavailable greeting."),
    P("play_welcome", "flag", doc="play the welcome greeting."),
    P(
        "play_cid",
        "flag",
        key="Play_CID",
        doc="say the caller's number (the server's ``Play_CID``).",
    ),
    P(
        "play_envelope",
        "flag",
        key="Play_Envelope",
        doc="play the message envelope (``Play_Envelope``).",
    ),
    P(
        "delete_voicemail",
        "flag",
        key="Delete_Voicemail",
        doc="delete a message once e-mailed (``Delete_Voicemail``).",
    ),
    P("more_options", doc="extra raw options."),
)

_PBX_BLACKLISTS = (
    P("number", doc="the number to block."),
    P("comment", doc="free text."),
)

_PBX_WHITELISTS = (
    P("number", doc="the number to allow."),
    P("labels", "strings", doc="label strings for the entry. Recommended."),
    P("comment", doc="free text."),
)

_AUTODIALER_CONTACTS = (
    P("name", doc="contact name."),
    P("number", doc="phone number."),
    P("description", doc="free text."),
)

_AUTODIALER_CAMPAIGNS = (
    P("name", doc="campaign name."),
    P("trunk_manager_id", doc="a trunk manager's id (``autodialer.trunks.search``)."),
    P("interface_context", doc='context handed to the "autodialer route" component.'),
    P("interface_text", doc="text handed to that component."),
    P("numbers", "strings", doc="phone numbers to call."),
    P("groups", "strings", doc="ids of groups to call (``autodialer.groups.search``)."),
    P("try_interval", "number", doc="seconds between attempts."),
    P("try_", "number", key="try", doc="attempts per number (the server's ``try``)."),
    P(
        "start",
        "moment",
        doc=(
            "when dialling may begin (a ``datetime``, ``date`` or the server's ``\"YYYY-MM-DD "
            'HH:MM"``; server time).'
        ),
    ),
    P("end", "moment", doc="when dialling stops."),
    P("announcement", doc="id of the announcement to play."),
    P("description", doc="free text."),
    P("count", "integer", doc="sent as ``3`` by every sample; its meaning is undocumented."),
)

_AUTODIALER_ANNOUNCEMENTS = (
    P("name", doc="announcement name."),
    P("filename", doc="the name :meth:`upload` returned."),
    P("description", doc="free text."),
)

_AGENT = (
    P("queue", doc="the queue number."),
    P("agent", doc="the agent number."),
)

CATALOGUE: tuple[Endpoint, ...] = (
    E(
        "setting.ping",
        "action",
        "POST setting/ping/act",
        # Assumption: the vendor documents no v3 ping; v3 serves every other ``act``
        # service with PUT, so ping gets the same form.
        "PUT setting/ping/act",
        doc="""
            Check that the server answers and accepts these credentials (``setting.ping``).

            The docs disagree on the HTTP method (PHP sample POST, JS/curl PUT); the SDK
            sends POST. A server that wants PUT: ``AsyncSimotel(...,
            methods={"setting.ping": "PUT"})``. If the Ping webhook event is enabled, the
            server also fires it.
        """,
        raises="""
            AuthenticationError: wrong or missing credentials.
            IPNotPermittedError: this client's IP is not in the allowed list.
            MethodNotAllowedError: the server wants the other HTTP method (see above).
            SimotelConnectionError: the server cannot be reached.
        """,
    ),
    E(
        "call.originate",
        "action",
        "POST call/originate/act",
        "PUT call/originate/act",
        result="OriginateResult",
        params=(
            P("caller", doc="first party to ring, an extension or an external number."),
            P("callee", doc="second party, dialled after the caller answers."),
            P(
                "context",
                doc=(
                    "the dialplan context (Outgoing Route) that reaches the callee, e.g. "
                    '``"main_routing"``.'
                ),
            ),
            P("caller_id", doc="caller id presented on the call."),
            P(
                "trunk_name",
                doc=(
                    "trunk that reaches the caller when the caller is an external number; leave "
                    "out for extensions. Recommended."
                ),
            ),
            P("timeout", "number", doc="seconds to wait for an answer (server default 30)."),
            P("call_limit", "number", doc="maximum call duration in seconds."),
        ),
        required=("caller", "callee", "context", "caller_id"),
        doc="""
            Ring ``caller`` first and, once answered, bridge to ``callee`` (``call.originate``).

            Never retried after it may have reached the server: a resent originate rings a
            real phone twice.
        """,
        returns="The result; its ``originated_call_id`` reappears in the call's CDR.",
        raises="""
            OperationFailedError: the server refused the call.
            TypeError: an argument is missing or of the wrong type (nothing was sent).
        """,
    ),
    E(
        "pbx.users.add",
        "action",
        "POST pbx/users/add",
        "POST pbx/users",
        result="AddResult",
        params=_PBX_USERS,
        required=("name", "number", "secret"),
        doc="""
            Create an extension (``pbx.users.add``).

            ``name``, ``number`` and ``secret`` are required; the docs mark every other
            setting *recommended* (sent only when given; the server's defaults apply
            otherwise), except ``email``, ``forward_policy`` and ``more_options`` (optional).
            Yes/no settings take ``True``/``False`` (or ``"yes"``/``"no"``); numbers take
            ``int`` or ``str``.
        """,
        returns="""
            An :class:`AddResult`. The documented answer of this endpoint is not the
            usual envelope but ``{status, message, user_id}``: ``id`` is then ``None``
            and ``extra["user_id"]`` holds the extension number.
        """,
        raises="""
            OperationFailedError: the server refused (e.g. the number exists).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """,
    ),
    E(
        "pbx.users.search",
        "action",
        "POST pbx/users/search",
        "GET pbx/users",
        result="list[User]",
        params=(
            P(
                "alike",
                "boolean",
                default=True,
                doc=(
                    "substring match (``True``, the documented samples' choice) or exact match; "
                    "required by the server, so always sent (as a JSON boolean, as this "
                    "endpoint's docs do)."
                ),
            ),
            P(
                "status",
                type="MappedFilter",
                doc='``"all"`` extensions or only those ``"mapped"`` to an operator. Recommended.',
            ),
            C("name", doc="extension name filter."),
            C("number", doc="extension number filter."),
            C("mapped", doc="mapped operator number filter."),
        ),
        doc="List extensions matching the filters (``pbx.users.search``; not paginated).",
        returns="The matching extensions (``secret`` comes back masked).",
    ),
    E(
        "pbx.users.update",
        "action",
        "POST pbx/users/update",
        "PUT pbx/users",
        params=(ID, *_PBX_USERS),
        required=("id",),
        doc="""
            Change an extension (``pbx.users.update``); only the arguments given are sent.

            The docs do not say whether settings left out are kept or cleared (their
            samples always send the whole record); send every setting you care about.
        """,
        raises="""
            OperationFailedError: the server refused (e.g. no such extension).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """,
    ),
    remove("pbx.users", "DELETE pbx/users"),
    E(
        "pbx.trunks.add",
        "action",
        "POST pbx/trunks/add",
        "POST pbx/trunks",
        result="AddResult",
        params=_PBX_TRUNKS,
        required=("name",),
        doc="""
            Create a trunk (``pbx.trunks.add``).

            ``name`` is required; the docs mark the other settings *recommended*, except
            ``more_options`` and ``description`` (optional).
        """,
        returns="An :class:`AddResult` with the new trunk's ``id``.",
        raises="""
            OperationFailedError: the server refused (e.g. the trunk exists).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """,
    ),
    E(
        "pbx.trunks.search",
        "action",
        "POST pbx/trunks/search",
        "GET pbx/trunks",
        result="list[Trunk]",
        params=(
            ALIKE,
            C("name", doc="trunk name filter."),
        ),
        doc="List trunks by name (``pbx.trunks.search``; not paginated).",
        returns="The matching trunks.",
    ),
    E(
        "pbx.trunks.update",
        "action",
        "POST pbx/trunks/update",
        "PUT pbx/trunks",
        params=(ID, *_PBX_TRUNKS),
        required=("id",),
        doc="Change a trunk (``pbx.trunks.update``); only the arguments given are sent.",
        raises="""
            OperationFailedError: the server refused (e.g. no such trunk).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """,
    ),
    remove("pbx.trunks", "DELETE pbx/trunks"),
    E(
        "pbx.queues.add",
        "action",
        "POST pbx/queues/add",
        "POST pbx/queues",
        result="AddResult",
        params=_PBX_QUEUES,
        required=("name", "number"),
        doc="""
            Create a call queue (``pbx.queues.add``).

            ``name`` and ``number`` are required; the docs mark the other settings
            *recommended* (``more_options`` optional). They mirror Asterisk's
            ``queues.conf``; yes/no settings take ``True``/``False``, numbers ``int`` or
            ``str``, durations are seconds.
        """,
        returns="An :class:`AddResult` with the new queue's ``id``.",
        raises="""
            OperationFailedError: the server refused (e.g. the queue exists).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """,
    ),
    E(
        "pbx.queues.search",
        "action",
        "POST pbx/queues/search",
        "GET pbx/queues",
        result="list[Queue]",
        params=(
            ALIKE,
            C("name", doc="queue name filter."),
            C("number", doc="queue number filter."),
        ),
        doc="List queues by name or number (``pbx.queues.search``; not paginated).",
        returns="The matching queues.",
    ),
    E(
        "pbx.queues.update",
        "action",
        "POST pbx/queues/update",
        "PUT pbx/queues",
        params=(ID, *_PBX_QUEUES),
        required=("id",),
        doc="Change a queue (``pbx.queues.update``); only the arguments given are sent.",
        raises="""
            OperationFailedError: the server refused (e.g. no such queue).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """,
    ),
    remove("pbx.queues", "DELETE pbx/queues"),
    E(
        "pbx.queues.addagent",
        "action",
        "POST pbx/queues/addagent",
        "PUT pbx/queues/addagent",
        result="AgentResult",
        params=(
            P("queue", doc="the queue number."),
            P("source", doc="the extension (interface) to ring for the agent."),
            P("agent", doc="the agent (operator) number."),
            P("penalty", "number", doc="the agent's penalty (priority) in the queue."),
        ),
        required=("queue", "source", "agent"),
        doc="Add one agent to a queue (``pbx.queues.addagent``).",
        returns='The outcome (``message`` such as ``"Added successfully"``, ``ok``).',
        raises="""
            OperationFailedError: the server refused.
            TypeError: a missing or wrong argument (nothing was sent).
        """,
    ),
    E(
        "pbx.queues.pauseagent",
        "action",
        "POST pbx/queues/pauseagent",
        "PUT pbx/queues/pauseagent",
        result="AgentResult",
        params=_AGENT,
        required=("queue", "agent"),
        doc="Pause an agent (a break) in a queue (``pbx.queues.pauseagent``).",
        returns='The outcome (``message`` such as ``"Paused successfully"``, ``ok``).',
    ),
    E(
        "pbx.queues.resumeagent",
        "action",
        "POST pbx/queues/resumeagent",
        "PUT pbx/queues/resumeagent",
        result="AgentResult",
        params=_AGENT,
        required=("queue", "agent"),
        doc="Take an agent off pause in a queue (``pbx.queues.resumeagent``).",
        returns='The outcome (``message`` such as ``"UnPaused successfully"``, ``ok``).',
    ),
    E(
        "pbx.queues.removeagent",
        "action",
        "POST pbx/queues/removeagent",
        "PUT pbx/queues/removeagent",
        result="AgentResult",
        params=_AGENT,
        required=("queue", "agent"),
        doc="Remove an agent from a queue (``pbx.queues.removeagent``).",
        returns='The outcome (``message`` such as ``"Removed successfully"``, ``ok``).',
    ),
    E(
        "pbx.queues.batchaddagent",
        "action",
        "POST pbx/queues/batchaddagent",
        "PUT pbx/queues/batchaddagent",
        result="BatchAgentResult",
        params=(
            P(
                "agents",
                "agents_add",
                doc=(
                    "one mapping per agent with ``queue``, ``source`` and ``agent`` (required) "
                    'and ``penalty`` (optional), sent as ``{"agents": [...]}``.'
                ),
            ),
        ),
        required=("agents",),
        doc="Add several agents to queues in one call (``pbx.queues.batchaddagent``).",
        returns="One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).",
        raises="""
            TypeError, ValueError: an agent misses a key or has a wrong value (nothing
                was sent).
        """,
    ),
    E(
        "pbx.queues.batchpauseagent",
        "action",
        "POST pbx/queues/batchpauseagent",
        "PUT pbx/queues/batchpauseagent",
        result="BatchAgentResult",
        params=(
            P("agents", "agents", doc='one ``{"queue": ..., "agent": ...}`` mapping per agent.'),
        ),
        required=("agents",),
        doc="Pause several agents in one call (``pbx.queues.batchpauseagent``).",
        returns="One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).",
    ),
    E(
        "pbx.queues.batchresumeagent",
        "action",
        "POST pbx/queues/batchresumeagent",
        "PUT pbx/queues/batchresumeagent",
        result="BatchAgentResult",
        params=(
            P("agents", "agents", doc='one ``{"queue": ..., "agent": ...}`` mapping per agent.'),
        ),
        required=("agents",),
        doc="Take several agents off pause in one call (``pbx.queues.batchresumeagent``).",
        returns="One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).",
    ),
    E(
        "pbx.queues.batchremoveagent",
        "action",
        "POST pbx/queues/batchremoveagent",
        "PUT pbx/queues/batchremoveagent",
        result="BatchAgentResult",
        params=(
            P("agents", "agents", doc='one ``{"queue": ..., "agent": ...}`` mapping per agent.'),
        ),
        required=("agents",),
        doc="Remove several agents from queues in one call (``pbx.queues.batchremoveagent``).",
        returns="One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).",
    ),
    E(
        "pbx.musiconholds.search",
        "action",
        "POST pbx/musiconholds/search",
        "GET pbx/musiconholds",
        result="list[MusicOnHold]",
        params=(
            ALIKE,
            C("name", doc="class name filter."),
        ),
        doc="List music-on-hold classes and their files (``pbx.musiconholds.search``).",
        returns="The matching classes, each with its ``musics`` files.",
    ),
    upload("pbx.announcements", "POST pbx/announcements/upload"),
    E(
        "pbx.announcements.add",
        "action",
        "POST pbx/announcements/add",
        "POST pbx/announcements",
        result="AddResult",
        params=_PBX_ANNOUNCEMENTS,
        required=("name", "filename"),
        doc="Register an uploaded file as an announcement (``pbx.announcements.add``).",
        returns="An :class:`AddResult` with the announcement's ``id``.",
    ),
    E(
        "pbx.announcements.search",
        "action",
        "POST pbx/announcements/search",
        "GET pbx/announcements",
        result="list[Announcement]",
        params=(
            ALIKE,
            C("name", doc="announcement name filter."),
        ),
        doc="List announcements by name (``pbx.announcements.search``; not paginated).",
    ),
    E(
        "pbx.announcements.update",
        "action",
        "POST pbx/announcements/update",
        "PUT pbx/announcements",
        params=(ID, *_PBX_ANNOUNCEMENTS),
        required=("id",),
        doc="Change an announcement (``pbx.announcements.update``); sends only what is given.",
    ),
    remove("pbx.announcements", "DELETE pbx/announcements"),
    E(
        "voicemails.voicemails.add",
        "action",
        "POST voicemails/voicemails/add",
        "POST voicemails/voicemails",
        result="AddResult",
        params=_VOICEMAILS_VOICEMAILS,
        required=("name", "number", "password"),
        doc="""
            Create a voicemail box (``voicemails.voicemails.add``).

            ``name``, ``number`` and ``password`` are required; the docs mark the yes/no
            settings and ``more_options`` *recommended*, ``email`` optional.
        """,
        returns="An :class:`AddResult` with the box's ``id``.",
        raises="""
            OperationFailedError: the server refused (e.g. the number exists).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """,
    ),
    E(
        "voicemails.voicemails.search",
        "action",
        "POST voicemails/voicemails/search",
        "GET voicemails/voicemails",
        result="list[VoicemailBox]",
        params=(
            ALIKE,
            C("name", doc="box name filter."),
            C("number", doc="box number filter."),
        ),
        doc="List voicemail boxes (``voicemails.voicemails.search``; not paginated).",
        returns="The matching boxes (their PINs in clear).",
    ),
    E(
        "voicemails.voicemails.update",
        "action",
        "POST voicemails/voicemails/update",
        "PUT voicemails/voicemails",
        params=(ID, *_VOICEMAILS_VOICEMAILS),
        required=("id",),
        doc="Change a voicemail box (``voicemails.voicemails.update``); sends only what is given.",
        raises="""
            OperationFailedError: the server refused (e.g. no such box).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """,
    ),
    remove("voicemails.voicemails", "DELETE voicemails/voicemails"),
    E(
        "voicemails.inbox.search",
        "search",
        "POST voicemails/inbox/search",
        "GET voicemails/inbox",
        result="VoicemailMessage",
        params=(
            ALIKE,
            C("src", doc="caller number filter."),
            C("number", doc="box number filter."),
            DATE_FROM,
            DATE_TO,
        ),
        doc="Voicemail messages, page by page (``voicemails.inbox.search``); no I/O yet.",
        returns="""
            An :class:`AsyncPaginator` of :class:`VoicemailMessage` records; download a
            message's audio with ``download(file=message.filename, dest=...)``.
        """,
        raises="TypeError, ValueError: a wrong argument (raised here, before any request).",
    ),
    recording(
        "voicemails.inbox.download", "POST reports/audio/download", "GET voicemails/audio/download"
    ),
    E(
        "pbx.blacklists.add",
        "action",
        "POST pbx/blacklists/add",
        "POST pbx/blacklists",
        result="AddResult",
        params=_PBX_BLACKLISTS,
        required=("number",),
        doc="Block a number (``pbx.blacklists.add``).",
        returns="""
            An :class:`AddResult`; its ``id`` is ``None`` in the documented answer (find
            the entry with :meth:`search`).
        """,
    ),
    E(
        "pbx.blacklists.search",
        "action",
        "POST pbx/blacklists/search",
        "GET pbx/blacklists",
        result="list[BlacklistEntry]",
        params=(
            ALIKE,
            C("number", doc="number filter."),
        ),
        constants={"conditions.name": ""},
        doc="List blocked numbers (``pbx.blacklists.search``; not paginated).",
    ),
    E(
        "pbx.blacklists.update",
        "action",
        "POST pbx/blacklists/update",
        "PUT pbx/blacklists",
        params=(ID, *_PBX_BLACKLISTS),
        required=("id",),
        doc="Change a blocked number (``pbx.blacklists.update``); sends only what is given.",
    ),
    remove("pbx.blacklists", "DELETE pbx/blacklists"),
    E(
        "pbx.whitelists.add",
        "action",
        "POST pbx/whitelists/add",
        "POST pbx/whitelists",
        result="AddResult",
        params=_PBX_WHITELISTS,
        required=("number",),
        doc="Allow a number (``pbx.whitelists.add``).",
        returns="An :class:`AddResult`; its ``id`` is ``None`` in the documented answer.",
    ),
    E(
        "pbx.whitelists.search",
        "action",
        "POST pbx/whitelists/search",
        "GET pbx/whitelists",
        result="list[WhitelistEntry]",
        params=(
            ALIKE,
            C("number", doc="number filter."),
        ),
        doc="List allowed numbers (``pbx.whitelists.search``; not paginated).",
    ),
    E(
        "pbx.whitelists.update",
        "action",
        "POST pbx/whitelists/update",
        "PUT pbx/whitelists",
        params=(ID, *_PBX_WHITELISTS),
        required=("id",),
        doc="Change an allowed number (``pbx.whitelists.update``); sends only what is given.",
    ),
    remove("pbx.whitelists", "DELETE pbx/whitelists"),
    upload("pbx.faxes", "POST pbx/faxes/upload"),
    E(
        "pbx.faxes.add",
        "action",
        "POST pbx/faxes/add",
        "POST pbx/faxes",
        result="AddResult",
        params=(
            P("sender_id", doc="the sending user."),
            P("to", doc="destination fax number."),
            P("ext", doc="destination internal extension."),
            P("trunk_name", doc="outgoing trunk."),
            P("file", doc="a name :meth:`upload` returned."),
            P("text", doc="plain text to fax instead of a file."),
            P("description", doc="free text."),
        ),
        rule="file_or_text",
        doc="""
            Queue an outgoing fax of an uploaded file or of plain text (``pbx.faxes.add``).

            Pass exactly one of ``file`` and ``text``: the docs say to leave ``text`` out
            when sending a file. The other arguments are *recommended* by the docs.
        """,
        returns="An :class:`AddResult` with the fax's ``id``.",
        raises="ValueError: both or neither of ``file`` and ``text`` (nothing was sent).",
    ),
    E(
        "pbx.faxes.search",
        "search",
        "POST pbx/faxes/search",
        "GET pbx/faxes",
        result="Fax",
        params=(
            ALIKE,
            C("src", doc="source number filter."),
            C("dst", doc="destination number filter."),
            C("status", doc="fax status filter."),
            C("type", doc='direction filter (``"inbox"``, ``"outbox"``).'),
            DATE_FROM,
            DATE_TO,
        ),
        doc="Sent and received faxes, page by page (``pbx.faxes.search``); no I/O until iterated.",
        returns="An :class:`AsyncPaginator` of :class:`Fax` records.",
        raises="TypeError, ValueError: a wrong argument (raised here, before any request).",
    ),
    E(
        "pbx.faxes.download",
        "download",
        "POST pbx/faxes/download",
        "GET pbx/faxes/download",
        params=(P("id", key="_id", doc="the fax's id, from :meth:`search` (sent as ``_id``)."),),
        required=("id",),
        noun="fax",
        doc="""
            Download a fax document to ``dest`` (``pbx.faxes.download``), streamed.

            A path is written through a temporary file beside it and replaced only when
            complete, so an interrupted download never leaves a truncated file.
        """,
        returns="The number of bytes written.",
        raises="""
            NotFoundError: the server has no such fax (404).
            SimotelConnectionError: the transfer broke off; ``dest`` is left as it was.
        """,
    ),
    E(
        "reports.quick.search",
        "search",
        "POST reports/quick/search",
        "GET reports/quick",
        result="Cdr",
        params=(
            ALIKE,
            SRC,
            DST,
            C("cuid", doc="the call's unique id."),
            DATE_FROM,
            DATE_TO,
        ),
        rule="period_or_cuid",
        doc="""
            Call records of a period, or one call by ``cuid`` (``reports.quick.search``).

            ``date_from`` and ``date_to`` are required, except when looking a call up by
            ``cuid``: the docs then send an empty ``date_range``, which leaving both out does.
            No I/O until iterated.
        """,
        returns="An :class:`AsyncPaginator` of :class:`Cdr` records.",
        raises="ValueError: no period and no ``cuid`` (raised here, before any request).",
    ),
    E(
        "reports.quick.info",
        "action",
        "POST reports/quick/info",
        "GET reports/quick/info",
        result="list[QueueDetail]",
        params=(P("cuid", doc="the call's unique id, from a record's ``cuid``."),),
        required=("cuid",),
        doc="""
            The queue legs (one per agent rung) of a queued call (``reports.quick.info``).

            Only meaningful for calls that entered a queue; for the call itself use
            :meth:`search` with ``cuid``.
        """,
    ),
    recording(
        "reports.audio.download", "POST reports/audio/download", "GET reports/audio/download"
    ),
    E(
        "reports.cdr.search",
        "search",
        "POST reports/cdr/search",
        "GET reports/cdr",
        result="Cdr",
        params=(
            ALIKE,
            SRC,
            DST,
            CUID,
            DATE_FROM,
            DATE_TO,
        ),
        required=("date_from", "date_to"),
        doc="""
            Call records of a period, page by page (``reports.cdr.search``); no I/O yet.

            For a complete export of a busy server use :meth:`ordered`: offsets shift
            when calls are recorded during the walk.
        """,
        returns="""
            An :class:`AsyncPaginator` of :class:`Cdr` records (``record`` is the
            recording's name for ``reports.audio.download``).
        """,
    ),
    E(
        "reports.cdr.ordered",
        "ordered",
        "POST reports/cdr/ordered/id",
        "GET reports/cdr/ordered/id",
        result="Cdr",
        doc="Every call record in insertion order, 20 a request (``reports.cdr.ordered``).",
        returns="An :class:`AsyncCursor` of :class:`Cdr` records; no I/O until iterated.",
    ),
    E(
        "reports.queue.search",
        "search",
        "POST reports/queue/search",
        "GET reports/queue",
        result="QueueStat",
        params=(
            ALIKE,
            SRC,
            DST,
            CUID,
            C("qnum", doc="queue number filter."),
            DATE_FROM,
            DATE_TO,
        ),
        required=("date_from", "date_to"),
        doc="Queued calls of a period, page by page (``reports.queue.search``); no I/O yet.",
    ),
    E(
        "reports.queue.ordered",
        "ordered",
        "POST reports/queue/ordered/id",
        "GET reports/queue/ordered/id",
        result="QueueStat",
        doc="Every queue statistic in insertion order (``reports.queue.ordered``).",
    ),
    E(
        "reports.queue_details.search",
        "search",
        "POST reports/queue_details/search",
        "GET reports/queue_details",
        result="QueueDetail",
        params=(
            ALIKE,
            SRC,
            DST,
            CUID,
            C("queue", doc="queue number filter."),
            C("queue_id", doc="queue-call unique id filter."),
            DATE_FROM,
            DATE_TO,
        ),
        required=("date_from", "date_to"),
        doc="Queue legs of a period, page by page (``reports.queue_details.search``).",
    ),
    E(
        "reports.queue_details.ordered",
        "ordered",
        "POST reports/queue_details/ordered/id",
        "GET reports/queue_details/ordered/id",
        result="QueueDetail",
        doc="Every queue leg in insertion order (``reports.queue_details.ordered``).",
    ),
    E(
        "reports.agent.search",
        "search",
        "POST reports/agent/search",
        "GET reports/agent",
        result="AgentSession",
        params=(
            ALIKE,
            SRC,
            DST,
            C("exten", doc="agent extension filter."),
            C("queue", doc="queue number filter."),
            DATE_FROM,
            DATE_TO,
        ),
        required=("date_from", "date_to"),
        doc="Agent sessions of a period, page by page (``reports.agent.search``).",
    ),
    E(
        "reports.poll.search",
        "search",
        "POST reports/poll/search",
        "GET reports/poll",
        result="PollResult",
        params=(
            ALIKE,
            SRC,
            DST,
            C("label", doc="the poll component's label in the dialplan."),
            C("queue", doc="queue number filter."),
            CUID,
            DATE_FROM,
            DATE_TO,
        ),
        required=("date_from", "date_to"),
        doc="Survey answers of a period, page by page (``reports.poll.search``).",
    ),
    E(
        "autodialer.contacts.add",
        "action",
        "POST autodialer/contacts/add",
        "POST autodialer/contacts",
        result="AddResult",
        params=_AUTODIALER_CONTACTS,
        required=("name", "number"),
        doc="Add a contact (``autodialer.contacts.add``).",
        returns="An :class:`AddResult`; its ``id`` is ``None`` in the documented answer.",
    ),
    E(
        "autodialer.contacts.search",
        "search",
        "POST autodialer/contacts/search",
        "GET autodialer/contacts",
        result="Contact",
        params=(
            ALIKE,
            P(
                "status",
                key="conditions.status",
                doc="status filter (documented, never used by the samples).",
            ),
            C("name", doc="name filter."),
            C("number", doc="number filter."),
            C("description", doc="description filter."),
        ),
        doc="Contacts, page by page (``autodialer.contacts.search``); no I/O until iterated.",
    ),
    E(
        "autodialer.contacts.update",
        "action",
        "POST autodialer/contacts/update",
        "PUT autodialer/contacts",
        params=(ID, *_AUTODIALER_CONTACTS),
        required=("id",),
        doc="Change a contact (``autodialer.contacts.update``); sends only what is given.",
    ),
    remove("autodialer.contacts", "DELETE autodialer/contacts"),
    upload("autodialer.groups", "POST autodialer/groups/upload"),
    E(
        "autodialer.groups.add",
        "action",
        "POST autodialer/groups/add",
        "POST autodialer/groups",
        result="AddResult",
        params=(
            P("name", doc="group name."),
            P("numbers", "strings", doc="the phone numbers. Recommended (or ``filename``)."),
            P("filename", doc="instead of ``numbers``, a CSV name :meth:`upload` returned."),
            P("description", doc="free text."),
        ),
        required=("name",),
        doc="Create a group of numbers (``autodialer.groups.add``).",
        returns="An :class:`AddResult` with the group's ``id``.",
    ),
    E(
        "autodialer.groups.search",
        "search",
        "POST autodialer/groups/search",
        "GET autodialer/groups",
        result="Group",
        params=(
            ALIKE,
            C("name", doc="name filter."),
            C("description", doc="description filter."),
        ),
        doc="Groups, page by page (``autodialer.groups.search``); no I/O until iterated.",
        returns="""
            An :class:`AsyncPaginator` of :class:`Group` records (with ``count``, not
            the numbers).
        """,
    ),
    E(
        "autodialer.groups.update",
        "action",
        "POST autodialer/groups/update",
        "PUT autodialer/groups",
        result="Group",
        params=(
            P("id", key="_id", doc="the group's id (sent as ``_id``)."),
            P("name", doc="group name. Recommended."),
            P(
                "numbers",
                "strings",
                doc="the new list of numbers (replaces the old one). Recommended.",
            ),
            P("description", doc="free text."),
        ),
        required=("id",),
        doc="Change a group (``autodialer.groups.update``); sends only what is given.",
        returns="""
            The stored group, numbers included (unlike other updates, this one answers
            with the record).
        """,
    ),
    remove("autodialer.groups", "DELETE autodialer/groups"),
    E(
        "autodialer.campaigns.add",
        "action",
        "POST autodialer/campaigns/add",
        "POST autodialer/campaigns",
        result="AddResult",
        params=_AUTODIALER_CAMPAIGNS,
        required=("name", "trunk_manager_id"),
        doc="""
            Create a campaign over numbers and/or groups (``autodialer.campaigns.add``).

            ``name`` and ``trunk_manager_id`` are required; ``numbers``, ``groups``,
            ``announcement``, ``start``, ``end``, ``try_`` and ``try_interval`` are
            *recommended*. A one-number campaign whose ``interface_context``/
            ``interface_text`` lead to an "autodialer route" dialplan component is the
            documented way to originate a call whose outcome you can read back.
        """,
        returns="An :class:`AddResult` with the campaign's ``id``.",
    ),
    E(
        "autodialer.campaigns.search",
        "search",
        "POST autodialer/campaigns/search",
        "GET autodialer/campaigns",
        result="Campaign",
        params=(
            ALIKE,
            C("name", doc="name filter."),
            C("description", doc="description filter."),
            C("status", doc='status filter (e.g. ``"waiting"``, ``"completed"``).'),
        ),
        doc="Campaigns with status and statistics, page by page (``autodialer.campaigns.search``).",
    ),
    E(
        "autodialer.campaigns.update",
        "action",
        "POST autodialer/campaigns/update",
        "PUT autodialer/campaigns",
        result="UpdateResult",
        params=(ID, *_AUTODIALER_CAMPAIGNS),
        required=("id",),
        doc="""
            Change a campaign (``autodialer.campaigns.update``); sends only what is given.

            The docs list no ``numbers``/``groups`` for updates (no sample sends them); they
            are accepted here and sent when given.
        """,
        returns="An :class:`UpdateResult` with the server's ``count``.",
    ),
    remove("autodialer.campaigns", "DELETE autodialer/campaigns"),
    upload("autodialer.announcements", "POST autodialer/announcements/upload"),
    E(
        "autodialer.announcements.add",
        "action",
        "POST autodialer/announcements/add",
        "POST autodialer/announcements",
        result="AddResult",
        params=_AUTODIALER_ANNOUNCEMENTS,
        required=("name", "filename"),
        doc="Register an uploaded sound for campaigns (``autodialer.announcements.add``).",
        returns="An :class:`AddResult` with the announcement's ``id``.",
    ),
    E(
        "autodialer.announcements.search",
        "action",
        "POST autodialer/announcements/search",
        "GET autodialer/announcements",
        result="list[AutodialerAnnouncement]",
        params=(
            ALIKE,
            C("name", doc="name filter."),
        ),
        doc="List campaign sounds (``autodialer.announcements.search``; not paginated).",
    ),
    E(
        "autodialer.announcements.update",
        "action",
        "POST autodialer/announcements/update",
        "PUT autodialer/announcements",
        params=(ID, *_AUTODIALER_ANNOUNCEMENTS),
        required=("id",),
        doc="""
            Change a campaign sound (``autodialer.announcements.update``).

            Only the arguments given are sent.
        """,
    ),
    remove("autodialer.announcements", "DELETE autodialer/announcements"),
    E(
        "autodialer.trunks.search",
        "action",
        "POST autodialer/trunks/search",
        "GET autodialer/trunks",
        result="list[TrunkManager]",
        params=(
            ALIKE,
            C("title", doc="title filter."),
        ),
        doc="List trunk managers (``autodialer.trunks.search``; not paginated).",
    ),
    E(
        "autodialer.trunks.update",
        "action",
        "POST autodialer/trunks/update",
        "PUT autodialer/trunks",
        params=(
            P("id", key="_id", doc="the trunk manager's id (sent as ``_id``)."),
            P("title", doc="its title. Recommended."),
            P("status", type="TrunkStatus", doc='``"active"`` or ``"inactive"``. Recommended.'),
            P(
                "wait_cache_length",
                "number",
                doc="numbers fetched from the database per round. Recommended.",
            ),
            P("capacity", "number", doc="maximum concurrent calls. Recommended."),
            P("dial_interval", "number", doc="seconds between two dials. Recommended."),
        ),
        required=("id",),
        doc="""
            Change a trunk manager (``autodialer.trunks.update``); sends only what is given.

            The weekly ``active_times`` that search returns cannot be set here.
        """,
    ),
    E(
        "autodialer.reports.search",
        "search",
        "POST autodialer/reports/search",
        "GET autodialer/reports",
        result="AutodialerReport",
        params=(
            ALIKE,
            C("disposition", doc="call result filter."),
            C("campaign_id", doc="a campaign's id."),
            C("number", doc="called number filter."),
            DATE_FROM,
            DATE_TO,
        ),
        doc="Per-number campaign results, page by page (``autodialer.reports.search``).",
        returns="""
            An :class:`AsyncPaginator` of :class:`AutodialerReport` records, each with
            its ``tries`` (whose ``cdr_id`` feeds :meth:`info`).
        """,
    ),
    E(
        "autodialer.reports.ordered",
        "ordered",
        "POST autodialer/reports/ordered/id",
        "GET autodialer/reports/ordered/id",
        result="AutodialerReport",
        doc="Every campaign result in insertion order (``autodialer.reports.ordered``).",
    ),
    E(
        "autodialer.reports.info",
        "action",
        "POST autodialer/reports/info",
        "GET autodialer/reports/info",
        result="AutodialerCallInfo",
        params=(
            P(
                "id",
                key="_id",
                doc="the attempt's ``cdr_id`` (``report.tries[n].cdr_id``; sent as ``_id``).",
            ),
        ),
        required=("id",),
        doc="Channel details of one dial attempt (``autodialer.reports.info``).",
    ),
)


def R(name: str, doc: str) -> ResourceSpec:
    """A resource class row: its name and docstring."""
    return ResourceSpec(name, inspect.cleandoc(doc))


RESOURCES: Mapping[str, ResourceSpec] = {
    "setting": R(
        "Setting", "``simotel.setting``: server settings; the API documents only ``ping``."
    ),
    "call": R("Call", "``simotel.call``: place calls."),
    "pbx.users": R("Users", "``simotel.pbx.users``: extensions (SIP/IAX2 users)."),
    "pbx.trunks": R("Trunks", "``simotel.pbx.trunks``: SIP/IAX2/DAHDI trunks."),
    "pbx.queues": R(
        "Queues", "``simotel.pbx.queues``: call queues, and adding/pausing/removing their agents."
    ),
    "pbx.musiconholds": R(
        "MusicOnHolds", "``simotel.pbx.musiconholds``: music-on-hold classes (search only)."
    ),
    "pbx.announcements": R(
        "Announcements",
        """
            ``simotel.pbx.announcements``: named sound files played by the dialplan.

            ``upload`` a sound (it comes back converted to ``.wav``), then ``add`` it by the
            returned name.
        """,
    ),
    "voicemails.voicemails": R("Mailboxes", "``simotel.voicemails.voicemails``: voicemail boxes."),
    "voicemails.inbox": R(
        "Inbox",
        """
            ``simotel.voicemails.inbox``: recorded voicemail messages and their audio.

            ``download``/``stream`` take a message's ``filename``; in v4 they go through
            ``reports/audio/download``, as the docs direct (v3 has its own path).
        """,
    ),
    "pbx.blacklists": R("Blacklists", "``simotel.pbx.blacklists``: blocked numbers."),
    "pbx.whitelists": R("Whitelists", "``simotel.pbx.whitelists``: allowed numbers with labels."),
    "pbx.faxes": R(
        "Faxes",
        """
            ``simotel.pbx.faxes``: send faxes, list and download them.

            To fax a document, ``upload`` it (it comes back as a TIFF name) and ``add`` a fax
            with ``file=`` that name.
        """,
    ),
    "reports.quick": R(
        "QuickReports", "``simotel.reports.quick``: the Quick Search report (call records)."
    ),
    "reports.audio": R(
        "Audio", "``simotel.reports.audio``: call recordings, by file name (a CDR's ``record``)."
    ),
    "reports.cdr": R("CdrReports", "``simotel.reports.cdr``: call detail records."),
    "reports.queue": R(
        "QueueReports", "``simotel.reports.queue``: queue statistics, one record per queued call."
    ),
    "reports.queue_details": R(
        "QueueDetailReports",
        "``simotel.reports.queue_details``: queue legs (each agent rung) of queued calls.",
    ),
    "reports.agent": R(
        "AgentReports", "``simotel.reports.agent``: queue agents' sessions (login, pause, in/out)."
    ),
    "reports.poll": R(
        "PollReports", "``simotel.reports.poll``: answers to dialplan surveys (poll components)."
    ),
    "autodialer.contacts": R(
        "Contacts", "``simotel.autodialer.contacts``: the autodialer's address book."
    ),
    "autodialer.groups": R(
        "Groups",
        """
            ``simotel.autodialer.groups``: lists of numbers for campaigns.

            Give the numbers directly, or ``upload`` a CSV (one number per row) and pass the
            returned name as ``filename``.
        """,
    ),
    "autodialer.campaigns": R(
        "Campaigns", "``simotel.autodialer.campaigns``: bulk-call campaigns."
    ),
    "autodialer.announcements": R(
        "AutodialerAnnouncements",
        """
            ``simotel.autodialer.announcements``: sounds campaigns play.

            ``upload`` a sound (converted to ``.wav``), then ``add`` it by the returned name.
        """,
    ),
    "autodialer.trunks": R(
        "TrunkManagers",
        "``simotel.autodialer.trunks``: the trunks campaigns dial through, with capacity.",
    ),
    "autodialer.reports": R(
        "CampaignReports", "``simotel.autodialer.reports``: each number's outcome in each campaign."
    ),
}
"""Each resource (``simotel.pbx.users``...; ``setting`` and ``call`` sit on the client)."""

GROUPS: Mapping[str, ResourceSpec] = {
    "pbx": R("Pbx", "``simotel.pbx``: extensions, trunks, queues, sounds, number lists and faxes."),
    "voicemails": R(
        "Voicemails", "``simotel.voicemails``: boxes (``.voicemails``) and messages (``.inbox``)."
    ),
    "reports": R(
        "Reports", "``simotel.reports``: the report searches, ordered cursors and recordings."
    ),
    "autodialer": R(
        "Autodialer",
        "``simotel.autodialer``: contacts, groups, campaigns, sounds, trunks, results.\n\n"
        "Every endpoint here needs the autodialer module on the server (otherwise\n"
        "``ServiceNotFoundError``).",
    ),
}
"""The groups below the client (``simotel.pbx``...) that hold resources."""

ENDPOINTS: Mapping[str, Endpoint] = {endpoint.id: endpoint for endpoint in CATALOGUE}
"""Every endpoint by id."""


def get_endpoint(endpoint_id: str) -> Endpoint:
    """Look an endpoint up by id, with a helpful error for a typo."""
    try:
        return ENDPOINTS[endpoint_id]
    except KeyError:
        close = difflib.get_close_matches(endpoint_id, ENDPOINTS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ValueError(f"unknown Simotel endpoint id {endpoint_id!r}{hint}") from None
