"""HTTP as Simotel speaks it: routes of both API versions, envelopes and error answers."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping
from contextlib import aclosing
from datetime import datetime, timezone
from email.utils import format_datetime
from http import HTTPStatus
from typing import Any

import attrs

from ._catalog import ENDPOINTS, EXTRA_ROUTES
from ._files import StoredFile, Upload, media_type, parse_multipart
from ._protocol import Fragment

__all__ = [
    "Answer",
    "Body",
    "Dropped",
    "Resolution",
    "basic_matches",
    "body_chunks",
    "decode_body",
    "envelope",
    "error",
    "file_answer",
    "json_answer",
    "not_found",
    "resolve",
]

_API_PATH = re.compile(r"^/api/(v3|v4)/(.+)$")
_NOT_FOUND_PAGE = (
    b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
    b"<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
    b"<p>The requested URL was not found on this server.</p>\n</body></html>\n"
)


def _route_table() -> tuple[
    dict[tuple[str, str, str], tuple[str, ...]], dict[tuple[str, str], set[str]]
]:
    routes: dict[tuple[str, str, str], tuple[str, ...]] = {}
    methods: dict[tuple[str, str], set[str]] = {}

    def add(version: str, method: str, path: str, endpoint_id: str) -> None:
        key = (version, method, path)
        routes[key] = (*routes.get(key, ()), endpoint_id)
        methods.setdefault((version, path), set()).add(method)

    for endpoint in ENDPOINTS.values():
        add("v4", endpoint.v4.method, endpoint.v4.path, endpoint.id)
        if endpoint.v3 is not None:
            add("v3", endpoint.v3.method, endpoint.v3.path, endpoint.id)
    for version, method, path, endpoint_id in EXTRA_ROUTES:
        add(version, method, path, endpoint_id)
    # Of aliases, the endpoint named after the path comes first and is the one logged.
    for (version, method, path), ids in routes.items():
        routes[version, method, path] = tuple(
            sorted(ids, key=lambda i: i.replace(".", "/") != path)
        )
    return routes, methods


_ROUTES, _METHODS = _route_table()


@attrs.frozen
class Resolution:
    """Where a request lands: an API version, a service path and its endpoint ids.

    ``endpoint_ids`` is empty for an unknown service or method; several ids share one
    route when the catalog has aliases (``voicemails.inbox.download`` is
    ``reports.audio.download`` in v4).
    """

    api_version: str | None
    service: str | None
    endpoint_ids: tuple[str, ...] = ()
    known_service: bool = False


def resolve(method: str, path: str) -> Resolution:
    """Route ``method path`` (double slashes and a trailing slash are tolerated)."""
    normalised = re.sub(r"/{2,}", "/", path).rstrip("/")
    match = _API_PATH.match(normalised)
    if match is None:
        return Resolution(None, None)
    version, service = match.groups()
    ids = _ROUTES.get((version, method.upper(), service), ())
    return Resolution(version, service, ids, (version, service) in _METHODS)


@attrs.frozen
class Answer:
    """An HTTP response: status, headers and either bytes or a file to stream.

    ``cut_at`` (a ``"truncate"`` fault): the connection closes after that many body
    bytes. ``drip`` (a ``"drip"`` fault): seconds to wait before each byte.
    """

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""
    file: StoredFile | None = None
    cut_at: int | None = None
    drip: float | None = None

    @property
    def size(self) -> int:
        """The full length of the body, as ``Content-Length`` announces it."""
        return len(self.body) if self.file is None else self.file.size


async def body_chunks(
    answer: Answer, sleep: Callable[[float], Awaitable[object]]
) -> AsyncIterator[bytes]:
    """The body as it goes on the wire: whole, cut at ``cut_at``, or a byte per ``drip``."""
    sent = 0
    source = answer.file.chunks() if answer.file is not None else _once(answer.body)
    async with aclosing(source):
        async for whole in source:
            chunk = whole if answer.cut_at is None else whole[: answer.cut_at - sent]
            if answer.drip is None:
                if chunk:
                    yield chunk
            else:
                for index in range(len(chunk)):
                    await sleep(answer.drip)
                    yield chunk[index : index + 1]
            sent += len(chunk)
            if answer.cut_at is not None and sent >= answer.cut_at:
                return


async def _once(body: bytes) -> AsyncGenerator[bytes, None]:
    yield body


@attrs.frozen
class Dropped:
    """No HTTP response at all: the connection failed (an injected fault)."""

    kind: str


def json_answer(
    payload: Any, status: int = 200, *, extra: Mapping[str, str] | None = None
) -> Answer:
    """A JSON response; :class:`Fragment` values go in pre-encoded."""
    fragments: list[bytes] = []

    def splice(value: object) -> str:
        if not isinstance(value, Fragment):
            raise TypeError(f"cannot encode {type(value).__name__}")
        fragments.append(value.raw)
        return f"\x00{len(fragments) - 1}\x00"

    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=splice).encode()
    for index, raw in enumerate(fragments):
        # JSON escapes the NUL characters, so a marker cannot clash with real data.
        body = body.replace(f'"\\u0000{index}\\u0000"'.encode(), raw, 1)
    headers = [("content-type", "application/json"), ("content-length", str(len(body)))]
    headers.extend((extra or {}).items())
    return Answer(status, tuple(headers), body)


def envelope(success: int, message: str | None, data: Any, status: int = 200) -> Answer:
    """``{"success": ..., "message": ..., "data": ...}``."""
    return json_answer({"success": success, "message": message, "data": data}, status)


def error(
    status: int, message: str | None = None, *, retry_after: float | str | datetime | None = None
) -> Answer:
    """An error envelope (success 0); 404 is Apache's plain HTML page instead."""
    if status == 404:
        return not_found()
    if message is None:
        try:
            message = HTTPStatus(status).phrase
        except ValueError:
            message = "Error"
    extra = {} if retry_after is None else {"retry-after": _retry_after(retry_after)}
    return json_answer({"success": 0, "message": message, "data": None}, status, extra=extra)


def _retry_after(value: float | str | datetime) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        return format_datetime(moment.astimezone(timezone.utc), usegmt=True)
    return str(int(value)) if float(value).is_integer() else str(value)


def not_found() -> Answer:
    """The web server's 404: HTML, no JSON envelope."""
    headers = (
        ("content-type", "text/html; charset=iso-8859-1"),
        ("content-length", str(len(_NOT_FOUND_PAGE))),
    )
    return Answer(404, headers, _NOT_FOUND_PAGE)


def file_answer(file: StoredFile) -> Answer:
    """A download: the raw bytes, streamed, with a length and a file name."""
    headers = (
        ("content-type", media_type(file.name)),
        ("content-length", str(file.size)),
        ("content-disposition", f'attachment; filename="{file.name}"'),
    )
    return Answer(200, headers, file=file)


def basic_matches(authorization: str | None, username: str, password: str) -> bool:
    """Whether an ``Authorization`` header carries these Basic credentials."""
    if not authorization:
        return False
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, colon, secret = decoded.partition(":")
    expected = f"{username}:{password}".encode()
    return bool(colon) and hmac.compare_digest(f"{user}:{secret}".encode(), expected)


@attrs.frozen
class Body:
    """A decoded request body: JSON for most endpoints, form parts for uploads."""

    json: Any = None
    uploads: tuple[Upload, ...] = ()


def decode_body(kind: str, headers: Mapping[str, str], body: bytes) -> Body | Answer:
    """Check the Content-Type and decode; an error answer (400, 415) when that fails.

    Uploads must be ``multipart/form-data``; everything else JSON, where an empty body
    counts as ``{}`` (curl pings send nothing at all).
    """
    content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind == "upload":
        if content_type != "multipart/form-data":
            return error(415, "Unsupported Media Type")
        parts = parse_multipart(headers["content-type"], body)
        if parts is None:
            return error(400, "Unable to parse content")
        return Body(uploads=tuple(parts))
    if content_type != "application/json" and (content_type or body.strip()):
        return error(415, "Unsupported Media Type")
    try:
        decoded = json.loads(body) if body.strip() else {}
    except (ValueError, UnicodeDecodeError):
        return error(400, "Unable to parse content")
    if not isinstance(decoded, dict):
        return error(400, "Unable to parse content")
    return Body(json=decoded)
