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
import json
import logging
import re
import secrets
from typing import Any

from fastapi import APIRouter, Request, Response

from ._dialplan import DialplanReply, DialplanRouter, RefusalReply, is_dialplan_request
from ._parse import WebhookPayloadError, decode_payload, payload_from_pairs
from ._router import EventRouter

__all__ = ["SimotelRouter", "simotel_router"]

logger = logging.getLogger("simotel_async.webhooks")

_METHODS = ["GET", "POST"]


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


async def _read_payload(request: Request) -> dict[str, Any]:
    query = list(request.query_params.multi_items())
    if request.method == "GET":
        return payload_from_pairs(query)
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        form = await request.form()
        try:
            fields = [(key, value) for key, value in form.multi_items() if isinstance(value, str)]
        finally:
            await form.close()
        return payload_from_pairs([*query, *fields])
    body = await request.body()
    if not body.strip():
        return payload_from_pairs(query)
    decoded = decode_payload(body)
    return {**payload_from_pairs(query), **decoded} if query else decoded


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
        self._tasks: set[asyncio.Task[Any]] = set()
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
        """How many event dispatches are still running in the background."""
        return len(self._tasks)

    async def drain(self, timeout: float | dt.timedelta | None = None) -> None:
        """Wait for the background event handlers; cancel those left after ``timeout``."""
        if not self._tasks:
            return
        if isinstance(timeout, dt.timedelta):
            timeout = timeout.total_seconds()
        _, still_running = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in still_running:
            task.cancel()
        if still_running:
            await asyncio.wait(still_running)

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
        authorized = self._authorized(request)
        if not authorized and self._authenticate_dialplan:
            return self._unauthorized()
        try:
            data = await _read_payload(request)
        except WebhookPayloadError as exc:
            return _json({"detail": str(exc)}, status_code=400)
        if is_dialplan_request(data):
            return _json((await self._reply(data)).to_dict())
        if not authorized:
            return self._unauthorized()
        return self._accept_event(data, name)

    @staticmethod
    def _unauthorized() -> Response:
        return _json(
            {"detail": "invalid or missing Simotel API credentials"},
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="simotel"'},
        )

    async def _reply(self, data: dict[str, Any]) -> DialplanReply:
        if self._dialplan is None:
            logger.warning("Dialplan request for %r but no DialplanRouter", data.get("app_name"))
            return RefusalReply()
        return await self._dialplan.dispatch(data)

    def _accept_event(self, data: dict[str, Any], name: str | None) -> Response:
        if self._events is None:
            logger.warning("Webhook event received but no EventRouter; ignored")
            return _json({"status": "ignored"})
        event = self._events.parse(data, path=name)
        task = asyncio.create_task(
            self._events.dispatch(event), name=f"simotel-event-{event.name or 'unnamed'}"
        )
        # The loop keeps only weak references to tasks: hold them until they finish.
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return _json({"status": "accepted", "event": event.name})

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("Webhook event dispatch failed", exc_info=task.exception())


def simotel_router(
    *,
    events: EventRouter | None = None,
    dialplan: DialplanRouter | None = None,
    username: str | None = None,
    password: str | None = None,
    prefix: str = "",
    authenticate_dialplan: bool = True,
    include_in_schema: bool = True,
) -> SimotelRouter:
    """An ``APIRouter`` receiving Simotel events and dialplan component requests.

    It serves ``{prefix}`` (G mode, and dialplan components) and ``{prefix}/{name}``
    (Rest mode, dispatched by the event name in the path, any case), each over GET
    (query string) and POST (JSON, form, and the older ``api_data[...]`` form keys).

    Events are answered ``200`` at once; their handlers then run in the background.
    Dialplan requests (payloads with ``app_name``) are answered with the reply of the
    ``DialplanRouter``, which falls back after its timeout so Simotel always gets an
    answer inside its one-second budget.

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
    """
    return SimotelRouter(
        events=events,
        dialplan=dialplan,
        username=username,
        password=password,
        prefix=prefix,
        authenticate_dialplan=authenticate_dialplan,
        include_in_schema=include_in_schema,
    )
