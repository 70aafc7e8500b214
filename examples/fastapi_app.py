"""A FastAPI app that receives Simotel webhooks and calls the Simotel REST API.

What it does:

- Every CDR event is kept in an in-memory store (``GET /calls`` lists the latest).
- A Smart API IVR in two components: ``menu`` plays a welcome and reads one digit with
  ``GetData``, then leaves through its ``route`` output into the Smart API component
  ``route``, which sends the call on with ``Exit`` according to the digit.
- An Exten API component ``sticky-agent`` rings the agent who last answered this caller
  (looked up in the CDR store, so the reply stays far inside Simotel's 1-second budget).
- The SDK client, opened once in FastAPI's lifespan, checks the connection at start-up
  and serves ``GET /users/{number}``.

Run it::

    export SIMOTEL_URL=https://pbx.example.com SIMOTEL_USERNAME=api SIMOTEL_PASSWORD=...
    export SIMOTEL_WEBHOOK_USERNAME=hooks SIMOTEL_WEBHOOK_PASSWORD=...   # optional
    uvicorn examples.fastapi_app:app --host 0.0.0.0 --port 8000

then set Simotel's event "API Address" and the components' "API Address" to
``http://<this host>:8000/simotel`` (and the event API username/password to the
webhook credentials above).

The router's defaults already hold against hostile senders: wrong credentials get 401
before the body is read, bodies over 1 MiB get 413, forms of more than 1,000 fields
413, bodies slower than 10 s 408; 64 event handlers run at once and past 1,000 pending
events new ones get 503 (logged as ERROR). ``simotel_router(max_body_bytes=...,
max_form_fields=..., body_timeout=..., max_concurrent_events=...,
max_pending_events=...)`` changes them.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request

from simotel_async import AsyncSimotel
from simotel_async.webhooks import (
    CdrEvent,
    DialplanRequest,
    DialplanRouter,
    EventRouter,
    ExtenApiReply,
    SmartApiReply,
)
from simotel_async.webhooks.fastapi import simotel_router

OPERATOR = "100"
"""The extension that takes calls nobody else should."""

MENU = {"1": "sales", "2": "support"}
"""Digit pressed in the IVR -> Case of the ``route`` component's output."""


class CallStore:
    """The latest CDRs by call id (a database table in a real application)."""

    def __init__(self, limit: int = 10_000) -> None:
        self._calls: OrderedDict[str, CdrEvent] = OrderedDict()
        self._limit = limit

    def add(self, event: CdrEvent) -> None:
        key = event.unique_id or f"no-id-{len(self._calls)}"
        self._calls[key] = event
        self._calls.move_to_end(key)
        while len(self._calls) > self._limit:
            self._calls.popitem(last=False)

    def latest(self, count: int) -> list[CdrEvent]:
        return list(self._calls.values())[-count:][::-1]

    def last_agent_for(self, caller: str) -> str | None:
        """The extension that last answered ``caller``, if any."""
        for event in reversed(self._calls.values()):
            if event.src == caller and event.disposition == "ANSWERED" and event.dst:
                return event.dst
        return None


calls = CallStore()
events = EventRouter()
dialplan = DialplanRouter(timeout=0.8)


@events.on(CdrEvent)
async def keep_cdr(event: CdrEvent) -> None:
    calls.add(event)


@dialplan.on("menu", fallback=SmartApiReply().exit("operator"))
async def menu(request: DialplanRequest) -> SmartApiReply:
    return (
        SmartApiReply()
        .play_announcement("welcome")
        .get_data("menu-prompt", timeout=5, max_digits=1)
        .exit("route")
    )


@dialplan.on("route", fallback=SmartApiReply().exit("operator"))
async def route(request: DialplanRequest) -> SmartApiReply:
    # The digit collected by GetData in "menu" arrives in this request's data.
    case = MENU.get(request.data, "operator")
    return SmartApiReply().clear_user_data().exit(case)


@dialplan.on("sticky-agent", fallback=ExtenApiReply(OPERATOR))
async def sticky_agent(request: DialplanRequest) -> ExtenApiReply:
    return ExtenApiReply(calls.last_agent_for(request.src or "") or OPERATOR)


webhooks = simotel_router(
    events=events,
    dialplan=dialplan,
    username=os.environ.get("SIMOTEL_WEBHOOK_USERNAME"),
    password=os.environ.get("SIMOTEL_WEBHOOK_PASSWORD"),
    prefix="/simotel",
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with AsyncSimotel.from_env() as simotel:
        await simotel.ping()
        app.state.simotel = simotel
        yield
        # Let event handlers still running finish before the client closes.
        await webhooks.drain(timeout=5)


app = FastAPI(title="Simotel webhooks example", lifespan=lifespan)
app.include_router(webhooks)


@app.get("/calls")
async def latest_calls(count: int = 20) -> list[dict[str, Any]]:
    return [
        {
            "unique_id": event.unique_id,
            "src": event.src,
            "dst": event.dst,
            "disposition": event.disposition,
            "billsec": event.billsec,
            "start_time": event.start_time.isoformat() if event.start_time else None,
        }
        for event in calls.latest(count)
    ]


@app.get("/users/{number}")
async def find_user(number: str, request: Request) -> list[dict[str, Any]]:
    simotel: AsyncSimotel = request.app.state.simotel
    users = await simotel.pbx.users.search(number=number, alike=False)
    return [{"name": user.name, "number": user.number, "active": user.active} for user in users]
