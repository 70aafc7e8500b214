"""What every resource shares: argument checks, request bodies, and the calls that send them.

A resource method declares its keyword arguments, hands them to a :class:`Schema` that
checks each one and writes it where the documented body wants it (``_id``, nested
``conditions`` and ``date_range``, yes/no strings, numeric strings), and sends the body
through the client. Nothing here knows an endpoint's path: the client's table does.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

import attrs
import httpx

from simotel_async._convert import decode
from simotel_async._dates import format_request_datetime
from simotel_async._errors import (
    NotFoundError,
    SimotelConnectionError,
    SimotelResponseError,
    SimotelTimeoutError,
)
from simotel_async._files import Destination, Upload, check_destination, open_upload, save_stream
from simotel_async._pagination import AsyncCursor, AsyncPaginator

if TYPE_CHECKING:
    from simotel_async._client import AsyncSimotel

__all__ = [
    "BY_ID",
    "ID",
    "AudioDownloads",
    "Extra",
    "Flag",
    "Number",
    "Removable",
    "Resource",
    "Schema",
    "Sort",
    "Uploads",
    "When",
    "boolean",
    "condition",
    "constant",
    "filters",
    "flag",
    "integer",
    "moment",
    "number",
    "strings",
    "text",
    "truth",
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

Encode = Callable[[str, Any, tzinfo], Any]

_UNSET: Any = object()


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


@attrs.frozen
class Param:
    """How one keyword argument goes into the body.

    ``key`` is the server's dotted path (``"conditions.from"``; default: the argument's
    name); ``default`` is sent when the argument is ``None`` (the documented samples send
    ``""`` for every unused search condition); otherwise ``None`` is left out.
    """

    encode: Encode
    key: str | None = None
    default: Any = _UNSET


def text(key: str | None = None) -> Param:
    """A string."""
    return Param(_text, key)


def number(key: str | None = None) -> Param:
    """A number sent as a string; accepts ``int`` or ``str``."""
    return Param(_number, key)


def integer(key: str | None = None) -> Param:
    """A number sent as a JSON number."""
    return Param(_integer, key)


def flag(key: str | None = None) -> Param:
    """A yes/no setting; accepts ``bool`` or ``"yes"``/``"no"``."""
    return Param(_flag, key)


def truth(key: str | None = None) -> Param:
    """A ``bool`` sent as the string ``"true"``/``"false"`` (how most pages send ``alike``)."""
    return Param(_truth, key)


def boolean(key: str | None = None) -> Param:
    """A ``bool`` sent as a JSON boolean."""
    return Param(_boolean, key)


def strings(key: str | None = None) -> Param:
    """A list of strings (a bare ``str`` is refused: it is almost always a mistake)."""
    return Param(_strings, key)


def moment(key: str | None = None) -> Param:
    """A request date, sent as Gregorian ``YYYY-MM-DD HH:MM`` in server time."""
    return Param(_moment, key)


def condition(key: str | None = None) -> Param:
    """A search filter under ``conditions``; ``""`` (ignore) when not given."""
    return Param(_text, f"conditions.{key}" if key else None, "")


def constant(value: Any, key: str) -> Param:
    """A value the documented body always carries and no argument sets."""
    return Param(_text, key, value)


ID = text("_id")
"""The record id, an argument named ``id`` and always sent as ``_id`` (the docs' tables
say ``id_``; every sample sends ``_id``)."""


def _put(body: dict[str, Any], key: str, value: Any) -> None:
    *parents, leaf = key.split(".")
    for part in parents:
        body = body.setdefault(part, {})
    body[leaf] = value


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


class Schema:
    """The documented body of an endpoint, keyed by the method's argument names.

    ``build`` checks every argument (``TypeError``/``ValueError`` naming it, before any
    request), leaves out the ones that are ``None`` so only what the caller passed is
    sent, and places the rest at their server keys.
    """

    def __init__(self, *, required: Iterable[str] = (), **params: Param) -> None:
        self.params: dict[str, Param] = params
        self.required = frozenset(required)

    def extend(self, *, required: Iterable[str] = (), **params: Param) -> Schema:
        """A schema with ``params`` first, then these; only ``required`` is required."""
        return Schema(required=required, **params, **self.params)

    def requiring(self, *names: str) -> Schema:
        """The same fields with ``names`` required: an ``add``."""
        return self.extend(required=names)

    def with_id(self) -> Schema:
        """``id`` (required, sent as ``_id``) and the same fields, all optional: an ``update``."""
        return self.extend(required=("id",), id=ID)

    def build(
        self, values: Mapping[str, Any], *, tz: tzinfo, extra: Extra = None
    ) -> dict[str, Any]:
        """The JSON body for ``values`` (argument name -> value)."""
        unknown = set(values) - set(self.params)
        if unknown:
            raise TypeError(f"unexpected arguments: {', '.join(sorted(unknown))}")
        body: dict[str, Any] = {}
        for name, param in self.params.items():
            value = values.get(name)
            if value is None:
                if name in self.required:
                    raise TypeError(f"{name} is required; got None")
                if param.default is _UNSET:
                    continue
                encoded = copy.deepcopy(param.default)
            else:
                encoded = param.encode(name, value, tz)
            _put(body, param.key or name, encoded)
        return merge(body, extra)


BY_ID = Schema(required=("id",), id=ID)
"""A body of just the record id."""


def filters(
    *conditions: str,
    period: bool = False,
    alike: Param | None = None,
    required: Iterable[str] = ("alike",),
    **params: Param,
) -> Schema:
    """A search body.

    ``alike`` (the string ``"true"``/``"false"`` most pages send, unless another
    ``alike`` param is given), then ``params``, then each of ``conditions`` under
    ``conditions`` (always sent, ``""`` when not given: the samples' "ignore"), and with
    ``period`` a ``date_range`` from ``date_from``/``date_to`` (``{}`` when neither is
    given, as the docs send for a search without a period).
    """
    fields = {"alike": alike or truth(), **params, **{name: condition(name) for name in conditions}}
    if period:
        fields["date_range"] = constant({}, "date_range")
        fields["date_from"] = moment("date_range.from")
        fields["date_to"] = moment("date_range.to")
    return Schema(required=required, **fields)


_NOT_BODY = frozenset({"self", "extra", "dest"})
_PAGING = frozenset({"page_size", "concurrency", "limit", "sort", "start"})


def arguments(frame_locals: Mapping[str, Any], *, paging: bool = False) -> dict[str, Any]:
    """A method's body arguments from its ``locals()``: all but ``self``, ``extra``,
    ``dest`` and, for searches, the paging options."""
    skip = _NOT_BODY | _PAGING if paging else _NOT_BODY
    return {name: value for name, value in frame_locals.items() if name not in skip}


class Resource:
    """Base of every resource (``simotel.pbx.users``...): sends bodies through the client.

    Methods pass their ``locals()`` (taken before any other local exists) with the
    endpoint's :class:`Schema`: the schema names exactly the method's arguments, so an
    argument without a schema entry fails loudly instead of being dropped.
    """

    __slots__ = ("_client",)

    def __init__(self, client: AsyncSimotel) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    def _body(
        self, schema: Schema, args: Mapping[str, Any], *, paging: bool = False
    ) -> dict[str, Any]:
        values = arguments(args, paging=paging)
        return schema.build(values, tz=self._client.server_timezone, extra=args.get("extra"))

    def _decoder(self, endpoint_id: str, record: type[T]) -> Callable[[Any], T]:
        tz = self._client.server_timezone

        def decode_record(value: Any) -> T:
            return decode(value, record, tz=tz, endpoint=endpoint_id)

        return decode_record

    async def _act(
        self, endpoint_id: str, into: type[T], schema: Schema, args: Mapping[str, Any]
    ) -> T:
        data = await self._client.request(endpoint_id, self._body(schema, args))
        return decode(data, into, tz=self._client.server_timezone, endpoint=endpoint_id)

    async def _act_quietly(self, endpoint_id: str, schema: Schema, args: Mapping[str, Any]) -> None:
        # Updates and removes answer data "" (or null): nothing worth decoding.
        await self._client.request(endpoint_id, self._body(schema, args))

    def _search(
        self, endpoint_id: str, record: type[T], schema: Schema, args: Mapping[str, Any]
    ) -> AsyncPaginator[T]:
        return AsyncPaginator(
            self._client,
            endpoint_id,
            self._body(schema, args, paging=True),
            decode=self._decoder(endpoint_id, record),
            page_size=args["page_size"],
            concurrency=args["concurrency"],
            limit=args["limit"],
            sort=args["sort"],
            start=args["start"],
        )

    def _ordered(
        self, endpoint_id: str, record: type[T], after_id: str | None, extra: Extra
    ) -> AsyncCursor[T]:
        if after_id is not None and not isinstance(after_id, str):
            raise TypeError(f"after_id must be a str, not {_kind(after_id)}")
        return AsyncCursor(
            self._client,
            endpoint_id,
            decode=self._decoder(endpoint_id, record),
            after_id=after_id,
            body=merge({}, extra),
        )

    async def _upload(
        self, endpoint_id: str, file: Upload, filename: str | None, content_type: str | None
    ) -> str:
        client = self._client
        with open_upload(file, filename=filename, content_type=content_type) as part:
            data = await client._call(client.endpoint(endpoint_id), files={"file": part})
        stored = data.get("filename") if isinstance(data, Mapping) else None
        if not isinstance(stored, str) or not stored:
            raise SimotelResponseError(
                f"the upload answer has no 'filename' in its data: {data!r:.80}",
                endpoint=endpoint_id,
            )
        return stored

    @asynccontextmanager
    async def _stream(
        self, endpoint_id: str, schema: Schema, args: Mapping[str, Any], what: str
    ) -> AsyncIterator[httpx.Response]:
        client = self._client
        body = self._body(schema, args)
        async with AsyncExitStack() as stack:
            try:
                response = await stack.enter_async_context(
                    client._stream(client.endpoint(endpoint_id), body)
                )
            except NotFoundError as exc:
                raise NotFoundError(
                    f"no such file on the server: {what}",
                    status_code=404,
                    endpoint=endpoint_id,
                    response=exc.response,
                ) from exc
            yield response

    async def _download(
        self, endpoint_id: str, schema: Schema, args: Mapping[str, Any], what: str
    ) -> int:
        target = check_destination(args["dest"])
        async with self._stream(endpoint_id, schema, args, what) as response:
            try:
                return await save_stream(response, target)
            except httpx.TimeoutException as exc:
                raise SimotelTimeoutError(
                    f"download of {what} timed out: {type(exc).__name__}", endpoint=endpoint_id
                ) from exc
            except httpx.TransportError as exc:
                raise SimotelConnectionError(
                    f"download of {what} interrupted: {exc or type(exc).__name__}",
                    endpoint=endpoint_id,
                ) from exc


class Removable(Resource):
    """A resource whose records are deleted by id: ``remove(id=...)``."""

    __slots__ = ()

    _prefix: ClassVar[str]
    """The endpoint id prefix, e.g. ``"pbx.users"``."""

    async def remove(self, *, id: str, extra: Extra = None) -> None:
        """Delete the record with this ``id`` (as returned by search).

        Args:
            id: the record's id (sent as ``_id``). Required.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such record).
            TypeError: ``id`` is missing or not a str (nothing was sent).
        """
        await self._act_quietly(f"{self._prefix}.remove", BY_ID, locals())


_AUDIO_FILE = Schema(required=("file",), file=text())


class AudioDownloads(Resource):
    """A resource that downloads recordings by file name: ``download`` and ``stream``."""

    __slots__ = ()

    _download_id: ClassVar[str]
    """The download endpoint id, e.g. ``"reports.audio.download"``."""

    async def download(self, *, file: str, dest: Destination, extra: Extra = None) -> int:
        """Download a recording to ``dest``, streamed (never held in memory).

        A path is written through a temporary file beside it, fsynced and renamed into
        place only when complete: an interrupted download never leaves a truncated file
        under ``dest``'s name.

        Args:
            file: the recording's file name with its extension (a CDR's ``record``, a
                voicemail's ``filename``). Required.
            dest: a file path, or a binary file object open for writing.
            extra: more server parameters, merged into the body.

        Returns:
            The number of bytes written.

        Raises:
            NotFoundError: the server has no such file (404); the message names it.
            SimotelConnectionError: the transfer broke off; ``dest`` is left as it was.
            TypeError: a wrong argument or ``dest`` (nothing was sent).
        """
        return await self._download(self._download_id, _AUDIO_FILE, locals(), repr(file))

    @asynccontextmanager
    async def stream(self, *, file: str, extra: Extra = None) -> AsyncIterator[httpx.Response]:
        """``async with ....stream(file=...) as response``: the recording, unread.

        Iterate ``response.aiter_bytes()`` (``response.headers`` has the type and
        length); the connection is released when the block exits.

        Raises:
            NotFoundError: the server has no such file (404); the message names it.
        """
        async with self._stream(self._download_id, _AUDIO_FILE, locals(), repr(file)) as r:
            yield r


class Uploads(Resource):
    """A resource that takes file uploads: ``upload(file)`` returns the stored name."""

    __slots__ = ()

    _upload_id: ClassVar[str]
    """The upload endpoint id, e.g. ``"pbx.announcements.upload"``."""

    async def upload(
        self, file: Upload, *, filename: str | None = None, content_type: str | None = None
    ) -> str:
        """Upload a file as multipart field ``file``, streamed (never read whole).

        Args:
            file: a path, the bytes, or a binary file object (read in chunks).
            filename: the name sent to the server (default: the path's or file
                object's name, else ``"upload"``).
            content_type: the part's type (default: guessed from the name).

        Returns:
            The name the server stored the file under (it may convert it, e.g. an
            ``.mp3`` to ``..._.wav``); pass it to this resource's ``add``.

        Raises:
            TypeError: ``file`` is not a path, bytes or binary file (nothing was sent).
            FileNotFoundError: the path does not exist.
            OperationFailedError: the server refused the file.
        """
        return await self._upload(self._upload_id, file, filename, content_type)
