"""FastAPI integration: one ``APIRouter`` that receives every Simotel webhook.

```python
from fastapi import FastAPI
from simotel_async.webhooks import DialplanRouter, EventRouter
from simotel_async.webhooks.fastapi import simotel_router

events, dialplan = EventRouter(), DialplanRouter()
app = FastAPI()
app.include_router(simotel_router(events=events, dialplan=dialplan, prefix="/simotel"))
```

Point Simotel's event API address (G mode, or Rest mode: ``<address>/<EventName>``) and
the dialplan components' API address at ``https://your.host/simotel``. Needs the
``[fastapi]`` extra.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import email.message
import email.parser
import email.policy
import email.utils
import json
import logging
import re
import secrets
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.requests import ClientDisconnect

from ._dialplan import DialplanReply, DialplanRouter, RefusalReply, is_dialplan_request
from ._events import Event
from ._parse import WebhookPayloadError, count_fields, decode_payload, payload_from_pairs
from ._router import EventRouter

__all__ = ["SimotelRouter", "simotel_router"]

logger = logging.getLogger("simotel_async.webhooks")

_METHODS = ["GET", "POST"]

_MAX_BODY_BYTES = 1024 * 1024
_MAX_FORM_FIELDS = 1000
_BODY_TIMEOUT = 10.0
_MAX_CONCURRENT_EVENTS = 64
_MAX_PENDING_EVENTS = 1000

# A dialplan request is a few hundred bytes: a sender without credentials (allowed only
# for dialplan requests) never gets more than this read.
_UNAUTHENTICATED_BYTES = 16 * 1024
# Bodies above this are parsed in a worker thread, so the event loop keeps answering.
_INLINE_BYTES = 16 * 1024
_JSON_START = re.compile(rb"\s*[\[{]")


def _json(
    body: dict[str, Any], status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    # ASCII-escaped JSON is what the vendor's own libraries send (PHP json_encode).
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=status_code,
        media_type="application/json; charset=utf-8",
        headers=headers,
    )


def _unauthorized() -> Response:
    return _json(
        {"detail": "invalid or missing Simotel API credentials"},
        status_code=401,
        headers={"WWW-Authenticate": 'Basic realm="simotel"'},
    )


class _Refused(Exception):
    """A request answered with ``response`` before its body was parsed."""

    def __init__(self, response: Response, reason: str) -> None:
        super().__init__(reason)
        self.response = response
        self.reason = reason

    @classmethod
    def status(cls, status_code: int, detail: str) -> _Refused:
        return cls(_json({"detail": detail}, status_code=status_code), detail)


def _positive(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return value


def _timeout(value: float | dt.timedelta | None) -> float | None:
    if isinstance(value, dt.timedelta):
        value = value.total_seconds()
    if value is not None and not value > 0:
        raise ValueError(f"body_timeout must be positive seconds or None, got {value!r}")
    return value


def _media_type(request: Request) -> tuple[str, str]:
    content_type = request.headers.get("content-type", "")
    return content_type.partition(";")[0].strip().lower(), content_type


def _multipart_parts(body: bytes, content_type: str) -> int:
    header = email.message.Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise WebhookPayloadError("multipart webhook body has no boundary in its Content-Type")
    return max(body.count(b"--" + boundary.encode("latin-1")) - 1, 0)


def _multipart_fields(body: bytes, content_type: str) -> list[tuple[str, str]]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: list[tuple[str, str]] = []
    for part in message.walk():
        name = part.get_param("name", header="content-disposition")
        if part.is_multipart() or not name or part.get_filename() is not None:
            continue  # the container, or an uploaded file: not a webhook field
        value = part.get_payload(decode=True)
        if isinstance(value, bytes):
            fields.append((email.utils.collapse_rfc2231_value(name), _text(value, part)))
    return fields


def _text(value: bytes, part: email.message.Message) -> str:
    try:
        return value.decode(part.get_content_charset() or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return value.decode("utf-8", errors="replace")


def _payload(
    body: bytes, media_type: str, content_type: str, query: list[tuple[str, str]]
) -> dict[str, Any]:
    if not body.strip():
        return payload_from_pairs(query)
    if media_type == "multipart/form-data":
        return payload_from_pairs([*query, *_multipart_fields(body, content_type)])
    decoded = decode_payload(body)
    return {**payload_from_pairs(query), **decoded} if query else decoded


class _Backlog:
    """Accepted events: at most ``concurrency`` dispatched at once, ``limit`` unfinished."""

    def __init__(
        self, dispatch: Callable[[Event], Awaitable[object]], *, concurrency: int, limit: int
    ) -> None:
        self._dispatch = dispatch
        self.concurrency = concurrency
        self.limit = limit
        self._waiting: deque[Event] = deque()
        self._workers: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        return len(self._waiting) + self._running()

    def _running(self) -> int:
        # A worker that has returned stays in the set until its done callback runs.
        return sum(1 for task in self._workers if not task.done())

    def offer(self, event: Event) -> bool:
        """Take ``event`` unless ``limit`` events are already unfinished."""
        if self.pending >= self.limit:
            return False
        self._waiting.append(event)
        self._start_workers()
        return True

    def _start_workers(self) -> None:
        while self._waiting and self._running() < self.concurrency:
            event = self._waiting.popleft()
            task = asyncio.create_task(
                self._work(event), name=f"simotel-event-{event.name or 'unnamed'}"
            )
            # The loop keeps only weak references to tasks: hold them until they finish.
            self._workers.add(task)
            task.add_done_callback(self._finished)

    async def _work(self, event: Event) -> None:
        while True:
            try:
                await self._dispatch(event)
            except Exception:
                logger.exception("Webhook event dispatch failed for %r", event)
            if not self._waiting:
                return
            event = self._waiting.popleft()

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._workers.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("Webhook event dispatch failed", exc_info=task.exception())
        self._start_workers()

    async def drain(self, timeout: float | None) -> None:
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while running := {task for task in self._workers if not task.done()}:
            remaining = None if deadline is None else max(deadline - loop.time(), 0)
            _, late = await asyncio.wait(running, timeout=remaining)
            if late:
                self._give_up(late, timeout)
                await asyncio.wait(late)
                return

    def _give_up(self, late: set[asyncio.Task[None]], timeout: float | None) -> None:
        if self._waiting:
            logger.error(
                "%d queued webhook events dropped: drain() timed out after %ss before "
                "their handlers ran",
                len(self._waiting),
                timeout,
            )
            self._waiting.clear()
        for task in late:
            task.cancel()


class SimotelRouter(APIRouter):
    """The ``APIRouter`` built by ``simotel_router``; see there.

    Event handlers run as background tasks after the 2xx reply; ``drain()`` waits for
    them (call it when the application shuts down).
    """

    def __init__(
        self,
        *,
        events: EventRouter | None,
        dialplan: DialplanRouter | None,
        username: str | None,
        password: str | None,
        prefix: str,
        authenticate_dialplan: bool,
        include_in_schema: bool,
        max_body_bytes: int = _MAX_BODY_BYTES,
        max_form_fields: int = _MAX_FORM_FIELDS,
        body_timeout: float | dt.timedelta | None = _BODY_TIMEOUT,
        max_concurrent_events: int = _MAX_CONCURRENT_EVENTS,
        max_pending_events: int = _MAX_PENDING_EVENTS,
    ) -> None:
        super().__init__()
        if events is None and dialplan is None:
            raise ValueError("pass events=EventRouter(...), dialplan=DialplanRouter(...) or both")
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise ValueError(f"prefix must start with '/' and not end with it, got {prefix!r}")
        self._events = events
        self._dialplan = dialplan
        self._credentials: tuple[bytes, bytes] | None = None
        if username is not None or password is not None:
            self._credentials = ((username or "").encode(), (password or "").encode())
        self._authenticate_dialplan = authenticate_dialplan
        self._max_body_bytes = _positive("max_body_bytes", max_body_bytes)
        self._max_form_fields = _positive("max_form_fields", max_form_fields)
        self._body_timeout = _timeout(body_timeout)
        self._backlog = _Backlog(
            events.dispatch if events is not None else _ignore,
            concurrency=_positive("max_concurrent_events", max_concurrent_events),
            limit=_positive("max_pending_events", max_pending_events),
        )
        # One route per method: a shared route would give GET and POST one OpenAPI id.
        slug = re.sub(r"\W+", "_", prefix).strip("_") or "root"
        for method in _METHODS:
            self.add_api_route(
                prefix or "/",
                self._receive,
                methods=[method],
                operation_id=f"simotel_webhook_{slug}_{method.lower()}",
                include_in_schema=include_in_schema,
                summary="Simotel webhook (G mode events and dialplan components)",
            )
            self.add_api_route(
                f"{prefix}/{{name}}",
                self._receive_named,
                methods=[method],
                operation_id=f"simotel_webhook_{slug}_named_{method.lower()}",
                include_in_schema=include_in_schema,
                summary="Simotel webhook (Rest mode: the event name is the last path segment)",
            )

    @property
    def pending(self) -> int:
        """Events accepted whose handlers have not finished (running or queued)."""
        return self._backlog.pending

    @property
    def max_pending_events(self) -> int:
        """Accepted, unfinished events beyond which new events get ``503``."""
        return self._backlog.limit

    @property
    def max_concurrent_events(self) -> int:
        """Events whose handlers run at the same time; the others wait in the queue."""
        return self._backlog.concurrency

    async def drain(self, timeout: float | dt.timedelta | None = None) -> None:
        """Wait for the accepted events' handlers, queued ones included.

        After ``timeout`` the running handlers are cancelled and the events still
        queued are dropped (logged as an ERROR).
        """
        if isinstance(timeout, dt.timedelta):
            timeout = timeout.total_seconds()
        await self._backlog.drain(timeout)

    async def _receive(self, request: Request) -> Response:
        return await self._handle(request, None)

    async def _receive_named(self, request: Request, name: str) -> Response:
        return await self._handle(request, name)

    def _authorized(self, request: Request) -> bool:
        if self._credentials is None:
            return True
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(token.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        username, separator, password = decoded.partition(b":")
        # Both comparisons always run, so the timing tells nothing about which failed.
        user_ok = secrets.compare_digest(username, self._credentials[0])
        password_ok = secrets.compare_digest(password, self._credentials[1])
        return bool(separator) and user_ok and password_ok

    async def _handle(self, request: Request, name: str | None) -> Response:
        # Credentials come first: nothing of the body is read for a sender that needs
        # them and has none.
        authorized = self._authorized(request)
        if not authorized and self._authenticate_dialplan:
            return _unauthorized()
        try:
            data, event = await self._read(request, name, authorized)
        except _Refused as refused:
            client = request.client.host if request.client else "unknown"
            logger.warning(
                "Webhook from %s refused (%s): %s",
                client,
                refused.response.status_code,
                refused.reason,
            )
            return refused.response
        except WebhookPayloadError as exc:
            return _json({"detail": str(exc)}, status_code=400)
        if is_dialplan_request(data):
            return _json((await self._reply(data)).to_dict())
        if not authorized:
            return _unauthorized()
        return self._accept_event(event)

    async def _read(
        self, request: Request, name: str | None, authorized: bool
    ) -> tuple[dict[str, Any], Event | None]:
        """The request's payload, and its event when it is one this router should take."""
        raw_query = request.scope.get("query_string", b"")
        fields = count_fields(raw_query)
        body = b"" if request.method == "GET" else await self._body(request, authorized)
        media_type, content_type = _media_type(request)
        if media_type == "multipart/form-data" and body.strip():
            fields += _multipart_parts(body, content_type)
        elif not _JSON_START.match(body):
            fields += count_fields(body)
        if fields > self._max_form_fields:
            raise _Refused.status(
                413,
                f"webhook form has more than {self._max_form_fields} fields; raise "
                "max_form_fields= of simotel_router(...) if Simotel really sends this many",
            )
        query = list(request.query_params.multi_items())

        def parse() -> tuple[dict[str, Any], Event | None]:
            data = _payload(body, media_type, content_type, query)
            if not authorized or self._events is None or is_dialplan_request(data):
                return data, None
            return data, self._events.parse(data, path=name)

        if len(body) <= _INLINE_BYTES:
            return parse()
        return await asyncio.to_thread(parse)

    async def _body(self, request: Request, authorized: bool) -> bytes:
        """The body, read only up to the size limit and within the body timeout."""
        limit = (
            self._max_body_bytes
            if authorized
            else min(self._max_body_bytes, _UNAUTHENTICATED_BYTES)
        )
        declared = request.headers.get("content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                raise _Refused.status(400, f"invalid Content-Length header {declared!r}") from None
            if length > limit:
                raise self._too_large(length, authorized)
        try:
            return await asyncio.wait_for(
                self._stream(request, limit, authorized), self._body_timeout
            )
        except asyncio.TimeoutError:
            raise _Refused.status(
                408, f"webhook body was not received within {self._body_timeout:g} s (body_timeout)"
            ) from None
        except ClientDisconnect:
            raise _Refused.status(
                400, "the sender disconnected before its body was complete"
            ) from None

    async def _stream(self, request: Request, limit: int, authorized: bool) -> bytes:
        # Counted while streaming: a missing or lying Content-Length changes nothing.
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise self._too_large(None, authorized)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, size: int | None, authorized: bool) -> _Refused:
        if not authorized:
            # Too big for a dialplan request, so it is an event: those need credentials.
            return _Refused(
                _unauthorized(), "no credentials and a body too big for a dialplan request"
            )
        of = f" of {size} bytes" if size is not None else ""
        return _Refused.status(
            413,
            f"webhook body{of} is over the limit of {self._max_body_bytes} bytes; raise "
            "max_body_bytes= of simotel_router(...) if Simotel really sends such bodies",
        )

    async def _reply(self, data: dict[str, Any]) -> DialplanReply:
        if self._dialplan is None:
            logger.warning("Dialplan request for %r but no DialplanRouter", data.get("app_name"))
            return RefusalReply()
        return await self._dialplan.dispatch(data)

    def _accept_event(self, event: Event | None) -> Response:
        if event is None:
            logger.warning("Webhook event received but no EventRouter; ignored")
            return _json({"status": "ignored"})
        if not self._backlog.offer(event):
            unique_id = getattr(event, "unique_id", None)
            logger.error(
                "Webhook %s event%s dropped (503): %d events are pending, the most "
                "max_pending_events=%d allows; Simotel does not send it again",
                event.name or "unnamed",
                f" {unique_id}" if unique_id else "",
                self._backlog.pending,
                self._backlog.limit,
            )
            return _json(
                {
                    "detail": f"too many webhook events pending ({self._backlog.limit}, "
                    f"max_pending_events); event {event.name or 'unnamed'} was not accepted"
                },
                status_code=503,
                headers={"Retry-After": "1"},
            )
        return _json({"status": "accepted", "event": event.name})


async def _ignore(event: Event) -> None:
    return None


def simotel_router(
    *,
    events: EventRouter | None = None,
    dialplan: DialplanRouter | None = None,
    username: str | None = None,
    password: str | None = None,
    prefix: str = "",
    authenticate_dialplan: bool = True,
    include_in_schema: bool = True,
    max_body_bytes: int = _MAX_BODY_BYTES,
    max_form_fields: int = _MAX_FORM_FIELDS,
    body_timeout: float | dt.timedelta | None = _BODY_TIMEOUT,
    max_concurrent_events: int = _MAX_CONCURRENT_EVENTS,
    max_pending_events: int = _MAX_PENDING_EVENTS,
) -> SimotelRouter:
    """An ``APIRouter`` receiving Simotel events and dialplan component requests.

    It serves ``{prefix}`` (G mode, and dialplan components) and ``{prefix}/{name}``
    (Rest mode, dispatched by the event name in the path, any case), each over GET
    (query string) and POST (JSON, form, and the older ``api_data[...]`` form keys).

    Events are answered ``200`` at once; their handlers then run in the background,
    ``max_concurrent_events`` at a time, the others queued. Once ``max_pending_events``
    are accepted and unfinished, new events get ``503`` and an ERROR log naming each
    (Simotel does not send them again). Dialplan requests (payloads with ``app_name``)
    are answered with the reply of the ``DialplanRouter``, which sends its fallback at
    its timeout so Simotel always gets an answer inside its one-second budget.

    Hostile or broken senders are answered before anything reaches a handler: wrong
    credentials get ``401`` before any byte of the body is read (a sender without
    credentials, allowed only for dialplan requests with ``authenticate_dialplan=False``,
    has at most 16 KiB read); a body over ``max_body_bytes`` gets ``413`` (counted
    while it streams in, whatever ``Content-Length`` says); a form or query string of
    more than ``max_form_fields`` fields gets ``413``; a body not complete within
    ``body_timeout`` gets ``408``; a body that cannot be decoded gets ``400`` naming
    the error. Bodies over 16 KiB are parsed in a worker thread, never on the event
    loop.

    Args:
        events: Receives the events.
        dialplan: Answers the dialplan components.
        username: Simotel's "API Username"; with ``password``, requests without these
            HTTP Basic credentials get ``401``.
        password: Simotel's "API Password".
        prefix: Path the routes live under, e.g. ``"/simotel"``.
        authenticate_dialplan: Whether dialplan requests need the credentials too
            (Simotel documents them for events only; set ``False`` if your components'
            requests arrive without them).
        include_in_schema: Whether the routes appear in the OpenAPI schema.
        max_body_bytes: Largest body read, in bytes (1 MiB by default).
        max_form_fields: Most fields of a form post or query string (1000 by default;
            Simotel's largest events have about a hundred).
        body_timeout: Seconds (or a ``timedelta``) the whole body may take to arrive
            (10 by default); ``None`` waits forever.
        max_concurrent_events: Event dispatches running at once (64 by default).
        max_pending_events: Accepted events not finished yet, running or queued, beyond
            which new ones get ``503`` (1000 by default).

    Raises:
        ValueError: no router given, a malformed ``prefix``, or a limit that is not
            positive.
    """
    return SimotelRouter(
        events=events,
        dialplan=dialplan,
        username=username,
        password=password,
        prefix=prefix,
        authenticate_dialplan=authenticate_dialplan,
        include_in_schema=include_in_schema,
        max_body_bytes=max_body_bytes,
        max_form_fields=max_form_fields,
        body_timeout=body_timeout,
        max_concurrent_events=max_concurrent_events,
        max_pending_events=max_pending_events,
    )
