"""EventRouter: handlers per class or name, catch-all, isolation of failing handlers."""

from __future__ import annotations

import datetime as dt
import json
import logging
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

from simotel_async.webhooks import (
    CdrEvent,
    Event,
    EventRouter,
    NewStateEvent,
    SurveyEvent,
    UnknownEvent,
    WebhookPayloadError,
)

EVENTS = Path(__file__).resolve().parent.parent / "fixtures" / "events"


def sample(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return loaded


async def test_dispatch_runs_the_handlers_of_the_event_class_in_order() -> None:
    router = EventRouter()
    calls: list[tuple[str, str | None]] = []

    @router.on(CdrEvent)
    async def store(event: CdrEvent) -> None:
        calls.append(("store", event.unique_id))

    @router.on(CdrEvent)
    async def notify(event: CdrEvent) -> None:
        calls.append(("notify", event.unique_id))

    @router.on(NewStateEvent)
    async def state(event: NewStateEvent) -> None:
        calls.append(("state", event.unique_id))

    event = await router.dispatch(sample("Cdr.json"))

    assert isinstance(event, CdrEvent)
    assert calls == [("store", "1610778618.378"), ("notify", "1610778618.378")]


async def test_catch_all_and_name_registration() -> None:
    router = EventRouter()
    seen: list[str] = []

    @router.on_any
    async def everything(event: Event) -> None:
        seen.append(f"any:{event.name}")

    @router.on("cdr")
    async def by_name(event: Event) -> None:
        seen.append(f"name:{event.name}")

    @router.on(Event)
    async def base_class(event: Event) -> None:
        seen.append(f"base:{event.name}")

    await router.dispatch(sample("Cdr.json"))
    await router.dispatch(sample("Survey.json"))

    assert seen == ["any:Cdr", "name:Cdr", "base:Cdr", "any:Survey", "base:Survey"]


async def test_unknown_events_reach_unknown_and_named_handlers() -> None:
    router = EventRouter()
    seen: list[tuple[str, str]] = []

    @router.on(UnknownEvent)
    async def unknown(event: UnknownEvent) -> None:
        seen.append(("unknown", event.name))

    @router.on("QueueFull")
    async def queue_full(event: Event) -> None:
        seen.append(("queue_full", event.name))

    await router.dispatch({"event_name": "QueueFull", "queue": "902"})
    await router.dispatch({"event_name": "Other"})

    assert seen == [("unknown", "QueueFull"), ("queue_full", "QueueFull"), ("unknown", "Other")]


async def test_failing_handler_is_logged_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    router = EventRouter()
    ran: list[str] = []

    @router.on(CdrEvent)
    async def broken(event: CdrEvent) -> None:
        raise RuntimeError("disk full")

    @router.on(CdrEvent)
    async def healthy(event: CdrEvent) -> None:
        ran.append("healthy")

    with caplog.at_level(logging.ERROR, logger="simotel_async.webhooks"):
        event = await router.dispatch(sample("Cdr.json"))

    assert ran == ["healthy"]
    assert isinstance(event, CdrEvent)
    [record] = caplog.records
    assert record.name == "simotel_async.webhooks"
    assert "broken" in record.getMessage()
    assert "1610778618.378" in record.getMessage()  # the event is in the message
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)


async def test_dispatch_passes_rest_path_and_accepts_parsed_events() -> None:
    router = EventRouter()
    seen: list[Event] = []

    @router.on(SurveyEvent)
    async def survey(event: SurveyEvent) -> None:
        seen.append(event)

    by_path = await router.dispatch("unique_id=1.2&point=4", path="/hooks/survey")
    parsed = router.parse(sample("Survey.json"))
    again = await router.dispatch(parsed)

    assert isinstance(by_path, SurveyEvent)
    assert by_path.point == 4
    assert again is parsed
    assert seen == [by_path, parsed]


async def test_router_time_zone_applies_to_parsed_events() -> None:
    router = EventRouter(timezone="Asia/Tehran")

    event = await router.dispatch(sample("Cdr.json"))

    assert router.timezone == zoneinfo.ZoneInfo("Asia/Tehran")
    assert isinstance(event, CdrEvent)
    assert event.start_time is not None
    assert event.start_time.utcoffset() == dt.timedelta(hours=3, minutes=30)


async def test_undecodable_payload_raises_from_dispatch() -> None:
    with pytest.raises(WebhookPayloadError):
        await EventRouter().dispatch(b"{broken")


def test_registration_errors() -> None:
    router = EventRouter()

    async def handler(event: Any) -> None:
        pass

    with pytest.raises(TypeError, match="Event subclass or an event name"):
        router.on(int)(handler)  # type: ignore[type-var]
    with pytest.raises(TypeError, match="callable"):
        router.add(CdrEvent, "not a function")  # type: ignore[arg-type]
    assert "handlers=0" in repr(router)
