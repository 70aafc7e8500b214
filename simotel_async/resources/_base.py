"""What every generated resource shares: argument encoders, request bodies, and the calls.

A generated method hands its ``locals()`` to one of :class:`Resource`'s calls with its
endpoint id. The body is built from the endpoint's catalogue entry: each parameter is
checked by its encoder (``TypeError``/``ValueError`` naming it, before any request) and
written at its server path (``_id``, ``conditions.from``, ``date_range.to``). Nothing
here knows a path or a parameter name: the catalogue does.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from datetime import date, datetime, tzinfo
from typing import Any, Literal, Protocol, TypeVar

import httpx

from simotel_async._convert import decode, decoder, to_dict
from simotel_async._dates import format_request_datetime
from simotel_async._endpoints import Endpoint, get_endpoint
from simotel_async._errors import NotFoundError, SimotelResponseError, from_httpx
from simotel_async._files import Destination, Upload, check_destination, open_upload, save_stream
from simotel_async._pagination import AsyncCursor, AsyncPaginator
from simotel_async.models import ForwardPolicy

__all__ = [
    "AgentSpec",
    "Destination",
    "Extra",
    "Flag",
    "Number",
    "Resource",
    "Sender",
    "Sort",
    "Upload",
    "When",
]

T = TypeVar("T")

Extra = Mapping[str, Any] | None
"""Server parameters the SDK does not name yet, merged into the body (nested mappings
such as ``{"conditions": {...}}`` are merged key by key)."""

YesNo = Literal["yes", "no"]
Flag = bool | YesNo
"""A yes/no setting: ``True``/``False`` (sent as ``"yes"``/``"no"``) or the string itself."""

Number = int | str
"""A number the server wants as a string (``30`` is sent as ``"30"``)."""

When = datetime | date | str
"""A request date: a ``datetime`` (aware ones are converted to server time), a ``date``
(midnight), or the server's ``"YYYY-MM-DD HH:MM"``."""

Sort = Mapping[str, Literal[1, -1]]
"""``{"field": 1}`` ascending or ``{"field": -1}`` descending."""

AgentSpec = Mapping[str, "str | int"]
"""One agent of a batch call: ``{"queue": "2000", "agent": "101"}`` (plus ``source`` and
optionally ``penalty`` to add)."""


class Sender(Protocol):
    """What resources need from the client: :class:`AsyncSimotel` implements it."""

    @property
    def server_timezone(self) -> tzinfo:
        """The zone the server writes its local times in."""

    async def request(self, endpoint_id: str, body: Mapping[str, Any] | None = None) -> Any:
        """Send a JSON body; the envelope's ``data``."""

    async def request_multipart(self, endpoint_id: str, files: Mapping[str, Any]) -> Any:
        """Send a multipart upload; the envelope's ``data``."""

    def stream(
        self, endpoint_id: str, body: Mapping[str, Any] | None = None
    ) -> AbstractAsyncContextManager[httpx.Response]:
        """Send a JSON body and yield the binary answer, unread."""


def _kind(value: object) -> str:
    return type(value).__name__


def _text(name: str, value: Any, tz: tzinfo) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_kind(value)}")
    return value


def _number(name: str, value: Any, tz: tzinfo) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"{name} must be an int or a numeric str, not {_kind(value)}")


def _integer(name: str, value: Any, tz: tzinfo) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"{name} must be an int, not {_kind(value)}")


def _flag(name: str, value: Any, tz: tzinfo) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value in ("yes", "no"):
        return str(value)
    if isinstance(value, str):
        raise ValueError(f"{name} must be True, False, 'yes' or 'no', not {value!r}")
    raise TypeError(f"{name} must be a bool, not {_kind(value)}")


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {_kind(value)}")
    return value


def _truth(name: str, value: Any, tz: tzinfo) -> str:
    return "true" if _bool(name, value) else "false"


def _boolean(name: str, value: Any, tz: tzinfo) -> bool:
    return _bool(name, value)


def _strings(name: str, value: Any, tz: tzinfo) -> list[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of str, not {_kind(value)}")
    items = list(value)
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"{name}[{index}] must be a str, not {_kind(item)}")
    return items


def _moment(name: str, value: Any, tz: tzinfo) -> str:
    if not isinstance(value, (datetime, date, str)):
        raise TypeError(
            f"{name} must be a datetime, date or 'YYYY-MM-DD HH:MM' str, not {_kind(value)}"
        )
    try:
        return format_request_datetime(value, tz)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


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
        raise TypeError(f"{name} must be a ForwardPolicy or a mapping, not {_kind(value)}")
    policy: dict[str, str] = {}
    for key, target in value.items():
        server_key = _FORWARD_KEYS.get(key) or key
        if server_key not in _FORWARD_KEYS.values():
            raise ValueError(
                f"{name} has an unknown condition {key!r}; use busy, no_answer, unavailable, all"
            )
        if not isinstance(target, str):
            raise TypeError(f"{name}[{key!r}] must be a str, not {_kind(target)}")
        policy[server_key] = target
    return policy


def _agents_of(required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Encode:
    allowed = required + optional

    def encode(name: str, value: Any, tz: tzinfo) -> list[dict[str, str]]:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise TypeError(f"{name} must be a list of mappings, not {_kind(value)}")
        agents: list[dict[str, str]] = []
        for index, agent in enumerate(value):
            where = f"{name}[{index}]"
            if not isinstance(agent, Mapping):
                raise TypeError(f"{where} must be a mapping, not {_kind(agent)}")
            missing = [key for key in required if agent.get(key) is None]
            unknown = [key for key in agent if key not in allowed]
            if missing or unknown:
                problem = f"misses {missing}" if missing else f"has unknown keys {unknown}"
                raise ValueError(f"{where} {problem}; expected keys {list(allowed)}")
            entry: dict[str, str] = {}
            for key in allowed:
                item = agent.get(key)
                if item is None:
                    continue
                entry[key] = _number(f"{where}.{key}", item, tz)
            agents.append(entry)
        if not agents:
            raise ValueError(f"{name} is empty; pass at least one agent")
        return agents

    return encode


Encode = Callable[[str, Any, tzinfo], Any]

ENCODERS: Mapping[str, Encode] = {
    "text": _text,
    "number": _number,
    "integer": _integer,
    "flag": _flag,
    "truth": _truth,
    "boolean": _boolean,
    "strings": _strings,
    "moment": _moment,
    "forward_policy": _forward_policy,
    "agents": _agents_of(("queue", "agent")),
    "agents_add": _agents_of(("queue", "source", "agent"), ("penalty",)),
}
"""Each catalogue encoder name: checks a Python value and returns what the server wants."""


def _fresh(value: Any) -> Any:
    """A new copy of a constant body value (``{}``, ``""``): bodies never share state."""
    return {key: _fresh(item) for key, item in value.items()} if isinstance(value, dict) else value


def _put(body: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        body = body.setdefault(part, {})
    body[path[-1]] = value


def merge(body: dict[str, Any], extra: Extra) -> dict[str, Any]:
    """``body`` with ``extra`` merged in: nested mappings key by key, anything else replaced."""
    if extra is None:
        return body
    if not isinstance(extra, Mapping):
        raise TypeError(f"extra must be a mapping of server parameters, not {_kind(extra)}")
    for key, value in extra.items():
        current = body.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            body[key] = merge(dict(current), value)
        else:
            body[key] = value
    return body


class _Body:
    """An endpoint's request body, compiled once from its catalogue entry."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.fields = tuple(
            (p.name, ENCODERS[p.encoder], tuple(p.path.split(".")), p.blank, p.default is not None)
            for p in endpoint.params
        )
        self.constants = tuple((tuple(k.split(".")), v) for k, v in endpoint.constants.items())

    def build(self, args: Mapping[str, Any], tz: tzinfo) -> dict[str, Any]:
        """The JSON body for a method's ``locals()``."""
        body: dict[str, Any] = {}
        for path, value in self.constants:
            _put(body, path, _fresh(value))
        required = self.endpoint.required
        for name, encode, path, blank, always in self.fields:
            value = args[name]
            if value is None:
                if name in required or always:
                    raise TypeError(f"{name} is required; got None")
                if blank is not None:
                    _put(body, path, blank)
                continue
            _put(body, path, encode(name, value, tz))
        self._check(args, body)
        return merge(body, args.get("extra"))

    def _check(self, args: Mapping[str, Any], body: Mapping[str, Any]) -> None:
        rule = self.endpoint.rule
        if rule == "period_or_cuid" and args["cuid"] is None:
            if args["date_from"] is None or args["date_to"] is None:
                raise ValueError("pass date_from= and date_to=, or cuid= to look one call up")
        elif rule == "file_or_text" and (args["file"] is None) == (args["text"] is None):
            raise ValueError("pass file= (a name from upload()) or text=, exactly one of them")
        period = body.get("date_range")
        if isinstance(period, dict) and period.get("from", "") > period.get("to", "\uffff"):
            raise ValueError(
                f"date_from ({period['from']}) is after date_to ({period['to']}); "
                "swap them (nothing was sent)"
            )


_BODIES: dict[str, _Body] = {}


def body_for(endpoint_id: str, args: Mapping[str, Any], tz: tzinfo) -> dict[str, Any]:
    """The request body of ``endpoint_id`` for a method's arguments (its ``locals()``)."""
    compiled = _BODIES.get(endpoint_id)
    if compiled is None:
        compiled = _BODIES[endpoint_id] = _Body(get_endpoint(endpoint_id))
    return compiled.build(args, tz)


def call_body(
    endpoint_id: str, method: Callable[..., Any], given: Mapping[str, Any], tz: tzinfo
) -> dict[str, Any]:
    """The body ``method(**given)`` sends to ``endpoint_id``, with the same checks and
    encoding, but nothing built or sent (the CLI export and the dlt source walk it raw).

    Raises:
        TypeError, ValueError: what the method itself would raise for ``given``.
    """
    bound = inspect.signature(method).bind(**given)
    bound.apply_defaults()
    return body_for(endpoint_id, bound.arguments, tz)


def _described(endpoint: Endpoint, args: Mapping[str, Any]) -> str:
    value = args[endpoint.params[0].name] if endpoint.params else None
    return repr(value) if endpoint.noun == "file" else f"{endpoint.noun} {value!r}"


class Resource:
    """Base of every resource (``simotel.pbx.users``...): sends bodies through the client."""

    __slots__ = ("_client",)

    def __init__(self, client: Sender) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    def _body(self, endpoint_id: str, args: Mapping[str, Any]) -> dict[str, Any]:
        return body_for(endpoint_id, args, self._client.server_timezone)

    def _decoder(self, endpoint_id: str, record: type[T]) -> Callable[[Any], T]:
        return decoder(record, tz=self._client.server_timezone, endpoint=endpoint_id)

    async def _act(self, endpoint_id: str, into: type[T], args: Mapping[str, Any]) -> T:
        data = await self._client.request(endpoint_id, self._body(endpoint_id, args))
        return decode(data, into, tz=self._client.server_timezone, endpoint=endpoint_id)

    async def _act_quietly(self, endpoint_id: str, args: Mapping[str, Any]) -> None:
        # Updates and removes answer data "" (or null): nothing worth decoding.
        await self._client.request(endpoint_id, self._body(endpoint_id, args))

    def _search(
        self, endpoint_id: str, record: type[T], args: Mapping[str, Any]
    ) -> AsyncPaginator[T]:
        return AsyncPaginator(
            self._client,
            endpoint_id,
            self._body(endpoint_id, args),
            decode=self._decoder(endpoint_id, record),
            page_size=args["page_size"],
            concurrency=args["concurrency"],
            limit=args["limit"],
            sort=args["sort"],
            start=args["start"],
        )

    def _ordered(
        self, endpoint_id: str, record: type[T], args: Mapping[str, Any]
    ) -> AsyncCursor[T]:
        after_id = args["after_id"]
        if after_id is not None and not isinstance(after_id, str):
            raise TypeError(f"after_id must be a str, not {_kind(after_id)}")
        return AsyncCursor(
            self._client,
            endpoint_id,
            decode=self._decoder(endpoint_id, record),
            after_id=after_id,
            body=merge({}, args["extra"]),
        )

    async def _upload(
        self, endpoint_id: str, file: Upload, filename: str | None, content_type: str | None
    ) -> str:
        with open_upload(file, filename=filename, content_type=content_type) as part:
            data = await self._client.request_multipart(endpoint_id, {"file": part})
        stored = data.get("filename") if isinstance(data, Mapping) else None
        if not isinstance(stored, str) or not stored:
            raise SimotelResponseError(
                f"the upload answer has no 'filename' in its data: {data!r:.80}",
                endpoint=endpoint_id,
            )
        return stored

    @asynccontextmanager
    async def _stream(
        self, endpoint_id: str, args: Mapping[str, Any]
    ) -> AsyncIterator[httpx.Response]:
        body = self._body(endpoint_id, args)
        async with AsyncExitStack() as stack:
            try:
                response = await stack.enter_async_context(self._client.stream(endpoint_id, body))
            except NotFoundError as exc:
                endpoint = get_endpoint(endpoint_id)
                raise NotFoundError(
                    f"no such file on the server: {_described(endpoint, args)}",
                    status_code=404,
                    endpoint=endpoint_id,
                    response=exc.response,
                ) from exc
            yield response

    async def _download(self, endpoint_id: str, args: Mapping[str, Any]) -> int:
        target = check_destination(args["dest"])
        what = _described(get_endpoint(endpoint_id), args)
        async with self._stream(endpoint_id, args) as response:
            try:
                return await save_stream(response, target)
            except httpx.HTTPError as exc:
                raise from_httpx(exc, endpoint=endpoint_id, what=f"download of {what}") from exc
