"""Reading a reply: the body within its size cap, then Simotel's ``{success, message, data}``.

:func:`read_reply` reads a body inside the transport's attempt, so a cut-off or broken
reply is retried like a reset; it counts decompressed bytes as they arrive and stops at
the cap, so neither a huge body nor a compression bomb can exhaust memory.
:func:`parse_envelope` turns the parsed body into ``data`` or the exception it means.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable
from typing import Any

import httpx

from ._errors import (
    MalformedReply,
    NotFoundError,
    ReplyCutOff,
    SimotelResponseError,
    api_error,
    reason,
)

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "ERROR_BODY_BYTES",
    "PAYLOAD",
    "parse_envelope",
    "read_reply",
]

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""64 MiB: the largest reply body (decompressed) read by default."""

ERROR_BODY_BYTES = 64 * 1024
"""How much of an error reply (status >= 400) is read for its message."""

PAYLOAD = "simotel_payload"
"""``response.extensions`` key of the body parsed by :func:`read_reply`."""

_NOT_JSON = object()
_CE = b"content-encoding"

_loads: Callable[[bytes], Any]
try:
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - the [speed] extra is optional
    _loads = json.loads

_TAGS = re.compile(r"<[^>]+>|\s+")


def _excerpt(content: bytes, limit: int = 120) -> str:
    text = _TAGS.sub(" ", content[: limit * 8].decode("utf-8", "replace")).strip()
    return text[:limit] + ("..." if len(text) > limit else "")


_INFLATE_STEP = 2**20


class _Inflater:
    """Decompresses ``gzip``/``deflate`` without ever producing more than it is allowed.

    Output comes in pieces of at most 1 MiB, so a compression bomb never makes zlib
    build one huge buffer.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        wbits = zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(wbits)
        self._first = True

    def _step(self, data: bytes) -> bytes:
        try:
            return self._zlib.decompress(data, _INFLATE_STEP)
        except zlib.error:
            if not (self._first and self.encoding == "deflate"):
                raise
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no zlib header
            return self._zlib.decompress(data, _INFLATE_STEP)
        finally:
            self._first = False

    def feed(self, data: bytes, room: int | None) -> list[bytes]:
        """The output for ``data``, stopping once it exceeds ``room`` bytes."""
        pieces: list[bytes] = []
        size = 0
        while data:
            piece = self._step(data)
            pieces.append(piece)
            size += len(piece)
            if room is not None and size > room:
                break
            data = self._zlib.unconsumed_tail
        return pieces

    def finish(self) -> None:
        if not self._zlib.eof:
            raise zlib.error("the compressed stream ends before its end marker")


def _too_large(limit: int, response: httpx.Response, request: httpx.Request | None) -> Exception:
    return SimotelResponseError(
        f"the reply is larger than max_response_bytes={limit} ({limit / 2**20:g} MiB); ask for "
        "less (a smaller page_size or a narrower filter) or raise max_response_bytes=",
        endpoint=(request.extensions.get("simotel_endpoint") if request is not None else None),
        request=request,
        status_code=response.status_code,
        outcome_unknown=request is not None and not request.extensions.get("simotel_idempotent"),
    )


def _framing(headers: httpx.Headers) -> tuple[str, str]:
    """``Content-Encoding`` (lowercase, ``identity`` when absent) and ``Content-Length``
    (``""``), in one pass over the raw headers instead of a lookup each."""
    encodings: list[bytes] = []
    lengths: list[bytes] = []
    for name, value in headers.raw:
        lowered = name.lower()
        if lowered == b"content-encoding":
            encodings.append(value)
        elif lowered == b"content-length":
            lengths.append(value)
    return (
        b", ".join(encodings).decode("latin-1").strip().lower() or "identity",
        b", ".join(lengths).decode("latin-1"),
    )


async def _read_body(
    response: httpx.Response, limit: int | None, *, truncate: bool, request: httpx.Request | None
) -> bytes:
    encoding, declared = _framing(response.headers)
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise MalformedReply(
            f"the reply is compressed with {encoding!r}, which the SDK did not ask for",
            response=response,
        )
    inflater = None if encoding in ("identity", "") else _Inflater(encoding)
    huge = limit is not None and declared.isdigit() and int(declared) > limit
    if inflater is None and huge and not truncate:
        raise _too_large(limit or 0, response, request)
    parts: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        room = None if limit is None else limit - size
        try:
            pieces = inflater.feed(raw, room) if inflater is not None else [raw]
        except zlib.error as exc:
            raise MalformedReply(
                f"the reply's {encoding} compression is broken: {reason(exc)}", response=response
            ) from exc
        for piece in pieces:
            if limit is not None and size + len(piece) > limit:
                if not truncate:
                    raise _too_large(limit, response, request)
                parts.append(piece[: limit - size])
                return b"".join(parts)
            parts.append(piece)
            size += len(piece)
    if inflater is not None:
        try:
            inflater.finish()
        except zlib.error as exc:
            raise ReplyCutOff(f"the compressed reply stops early: {reason(exc)}") from exc
    return b"".join(parts)


async def read_reply(
    response: httpx.Response,
    *,
    max_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
    request: httpx.Request | None = None,
) -> httpx.Response:
    """Read ``response``'s body within the cap and parse it; an in-memory response.

    A body that is not JSON on a status below 400 raises :class:`MalformedReply`; one
    that breaks off raises :class:`ReplyCutOff` (both retried for idempotent endpoints).
    Error replies (status >= 400) are read up to :data:`ERROR_BODY_BYTES` only.

    Raises:
        SimotelResponseError: the body is larger than ``max_bytes``.
    """
    failing = response.status_code >= 400
    limit = ERROR_BODY_BYTES if failing else max_bytes
    try:
        if response.is_closed:
            body = response.content
            if limit is not None and len(body) > limit:
                if not failing:
                    raise _too_large(limit, response, request)
                body = body[:limit]
        else:
            body = await _read_body(response, limit, truncate=failing, request=request)
    except httpx.TimeoutException:
        raise
    except (httpx.TransportError, httpx.StreamError) as exc:
        if isinstance(exc, ReplyCutOff):
            raise
        if failing:
            body = b""
        else:
            raise ReplyCutOff(reason(exc)) from exc
    finally:
        await response.aclose()
    payload: Any
    try:
        payload = _loads(body)
    except ValueError as exc:
        if not failing and body.lstrip()[:1] in (b"{", b"["):
            raise MalformedReply(
                "expected a Simotel envelope, got a non-envelope body (the reply was cut off or is "
                f"broken JSON: {reason(exc)})",
                response=response,
            ) from exc
        payload = _NOT_JSON
    # Raw (bytes) pairs: httpx.Headers takes them as they are, no re-encoding.
    headers = [(name, value) for name, value in response.headers.raw if name.lower() != _CE]
    extensions = {k: v for k, v in response.extensions.items() if k != "network_stream"}
    extensions[PAYLOAD] = payload
    read = httpx.Response(
        response.status_code, headers=headers, content=body, extensions=extensions
    )
    if request is not None:
        read.request = request
    return read


def _payload(response: httpx.Response) -> Any:
    if PAYLOAD in response.extensions:
        return response.extensions[PAYLOAD]
    try:
        return _loads(response.content)
    except ValueError:
        return _NOT_JSON


_SUCCESS = {1: True, "1": True, "true": True, 0: False, "0": False, "false": False}


def _succeeded(value: Any) -> bool | None:
    """True for 1/true/"1"/"true", False for 0/false/"0"/"false", None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _SUCCESS.get(value)
    if isinstance(value, str):
        return _SUCCESS.get(value.strip().lower())
    return None


def _detail(data: Any) -> str | None:
    """The reason a failure carries inside ``data`` (agent operations: ``data.message``)."""
    reason = data.get("message") if isinstance(data, dict) else None
    return reason.strip() or None if isinstance(reason, str) else None


def parse_envelope(
    response: httpx.Response, endpoint: str | None, *, idempotent: bool = True
) -> Any:
    """The envelope's ``data``, or the exception its status and ``success`` mean.

    ``success`` is a success only as ``1``/``true``/``"1"``/``"true"`` and a failure only as
    ``0``/``false``/``"0"``/``"false"``; anything else is a :class:`SimotelResponseError`.
    Also accepts the legacy ``{"status": "success", "message", ...}`` shape that
    ``pbx.users.add`` is documented to answer; its other keys become ``data``.
    """
    status = response.status_code
    payload = _payload(response)
    unknown = not idempotent
    if isinstance(payload, dict) and "success" not in payload and "status" in payload:
        ok = str(payload["status"]).lower() in {"success", "ok", "1", "true"}
        rest = {k: v for k, v in payload.items() if k not in {"status", "message"}}
        payload = {"success": int(ok), "message": payload.get("message"), "data": rest}
    if not isinstance(payload, dict) or "success" not in payload:
        if 300 <= status < 400:
            location = response.headers.get("location", "")
            raise SimotelResponseError(
                f"the server redirects to {location!r}, and the SDK does not follow redirects: "
                "put the final address in base_url (https:// instead of http://?)",
                endpoint=endpoint,
                response=response,
            )
        if status == 404:
            raise NotFoundError(
                "not found: no Simotel service at this URL, or no such file",
                status_code=404,
                endpoint=endpoint,
                response=response,
            )
        if status >= 400:
            raise api_error(
                status,
                _excerpt(response.content),
                endpoint=endpoint,
                response=response,
                idempotent=idempotent,
            )
        what = (
            "a JSON object without 'success'"
            if isinstance(payload, dict)
            else (
                f"a non-envelope body ({_excerpt(response.content, 60)!r})"
                if payload is _NOT_JSON
                else f"JSON {type(payload).__name__} instead of an envelope"
            )
        )
        raise SimotelResponseError(
            f"expected a Simotel envelope, got {what}",
            endpoint=endpoint,
            response=response,
            outcome_unknown=unknown,
        )
    message = payload.get("message") or ""
    if not isinstance(message, str):
        message = str(message)
    succeeded = _succeeded(payload["success"])
    if status >= 400 or succeeded is False:
        raise api_error(
            status,
            message,
            endpoint=endpoint,
            response=response,
            idempotent=idempotent,
            detail=_detail(payload.get("data")),
        )
    if succeeded is None:
        raise SimotelResponseError(
            f"the envelope's success is {payload['success']!r}, neither 1/true nor 0/false",
            endpoint=endpoint,
            response=response,
            outcome_unknown=unknown,
        )
    return payload.get("data")
