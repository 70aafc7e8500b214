"""Dialplan components: requests, the Exten/Trunk/IVR/refusal replies, DialplanRouter."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from simotel_async.webhooks import (
    DialplanReply,
    DialplanRequest,
    DialplanRouter,
    ExtenApiReply,
    IvrApiReply,
    RefusalReply,
    SmartApiReply,
    TrunkApiReply,
    parse_dialplan_request,
)

DIALPLAN = Path(__file__).resolve().parent.parent / "fixtures" / "dialplan"
REQUESTS = sorted(DIALPLAN.glob("*.request*.json"))


def sample(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DIALPLAN / name).read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("path", REQUESTS, ids=lambda path: path.name)
def test_request_fixture_parses_from_every_delivery_form(
    path: Path, encode_form: Callable[..., str]
) -> None:
    payload = json.loads(path.read_text(encoding="utf-8"))
    request = parse_dialplan_request(path.read_bytes())

    assert isinstance(request, DialplanRequest)
    assert request.app_name == payload["app_name"]
    assert request.src == payload["src"]
    assert request.data == payload["data"]
    assert request.extra == {}
    for form in (
        encode_form(payload),
        "?" + encode_form(payload),
        encode_form(payload, wrapper="app_data").encode(),
    ):
        assert parse_dialplan_request(form) == request


def test_request_fields() -> None:
    request = parse_dialplan_request(
        {
            "src": "09155441",
            "dst": "789",
            "data": "",
            "unique_id": "1610778618.378",
            "app_name": "s1",
            "originated_call_id": "orig.call.1703145054.787335",
            "new": "x",
        }
    )

    assert request == DialplanRequest(
        src="09155441",
        dst="789",
        data="",
        unique_id="1610778618.378",
        app_name="s1",
        originated_call_id="orig.call.1703145054.787335",
        extra={"new": "x"},
    )


def test_empty_unique_id_is_none_and_missing_data_is_empty() -> None:
    exten = parse_dialplan_request(sample("exten_api.request.json"))
    smart = parse_dialplan_request({"app_name": "s1"})

    assert exten.unique_id is None
    assert exten.app_name == "Extension API"
    assert smart.data == ""


@pytest.mark.parametrize(
    ("reply", "fixture"),
    [
        (ExtenApiReply("120"), "exten_api.response.json"),
        (ExtenApiReply(200), "exten_api.response.2.json"),
        (TrunkApiReply("NasimTrunk", "09151412541", call_limit=300), "trunk_api.response.json"),
        (IvrApiReply("3"), "ivr_api.response.json"),
        (RefusalReply(), "smart_api.response.nok.json"),
    ],
)
def test_replies_render_the_documented_bodies(reply: DialplanReply, fixture: str) -> None:
    assert reply.to_dict() == sample(fixture)


def test_trunk_reply_limit_forms() -> None:
    assert TrunkApiReply("T", "0915", call_limit=dt.timedelta(minutes=5)).call_limit == 300
    assert "call_limit" not in TrunkApiReply("T", "0915").to_dict()


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: ExtenApiReply(""), ValueError),
        (lambda: ExtenApiReply(None), TypeError),  # type: ignore[arg-type]
        (lambda: IvrApiReply(True), TypeError),
        (lambda: TrunkApiReply("T", " "), ValueError),
        (lambda: TrunkApiReply("T", "1", call_limit=0), ValueError),
        (lambda: TrunkApiReply("T", "1", call_limit="300"), TypeError),  # type: ignore[arg-type]
    ],
)
def test_invalid_replies_raise(build: Callable[[], object], error: type[Exception]) -> None:
    with pytest.raises(error):
        build()


async def test_router_routes_by_app_name() -> None:
    dialplan = DialplanRouter()
    seen: list[DialplanRequest] = []

    @dialplan.on("s1")
    async def menu(request: DialplanRequest) -> SmartApiReply:
        seen.append(request)
        return SmartApiReply().get_data("enter-data-file", 10, 1).exit("go-s2")

    @dialplan.on("s2")
    async def route(request: DialplanRequest) -> SmartApiReply:
        seen.append(request)
        return SmartApiReply().exit(f"go-{request.data}")

    first = await dialplan.dispatch(sample("smart_api.request.json"))
    second = await dialplan.dispatch(sample("smart_api.request.2.json"))

    assert first.to_dict() == {
        "ok": "1",
        "commands": "GetData('enter-data-file', 10, 1);Exit('go-s2')",
    }
    assert second.to_dict() == {"ok": "1", "commands": "Exit('go-2')"}
    assert [request.app_name for request in seen] == ["s1", "s2"]


async def test_app_names_match_ignoring_case_and_spaces() -> None:
    dialplan = DialplanRouter()

    @dialplan.on("extension api")
    async def lookup(request: DialplanRequest) -> ExtenApiReply:
        return ExtenApiReply("200")

    reply = await dialplan.dispatch(sample("exten_api.request.json"))

    assert reply.to_dict() == sample("exten_api.response.2.json")


async def test_catch_all_handler_and_missing_handler(caplog: pytest.LogCaptureFixture) -> None:
    plain = DialplanRouter()
    with_default = DialplanRouter()

    @with_default.on_any
    async def anything(request: DialplanRequest) -> IvrApiReply:
        return IvrApiReply(request.data)

    with caplog.at_level(logging.WARNING, logger="simotel_async.webhooks"):
        refused = await plain.dispatch({"app_name": "nobody", "data": "1"})
    answered = await with_default.dispatch({"app_name": "ivr1", "data": "2"})

    assert refused.to_dict() == {"ok": 0}
    assert "No dialplan handler for app_name 'nobody'" in caplog.text
    assert answered.to_dict() == {"ok": "1", "case": "2"}


async def test_slow_handler_gets_the_fallback_and_is_cancelled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    never = asyncio.Event()
    cancelled = asyncio.Event()
    dialplan = DialplanRouter(timeout=0.01, fallback=SmartApiReply().exit("busy"))

    @dialplan.on("s1")
    async def slow(request: DialplanRequest) -> SmartApiReply:
        try:
            await never.wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return SmartApiReply().exit("never")

    with caplog.at_level(logging.WARNING, logger="simotel_async.webhooks"):
        reply = await dialplan.dispatch({"app_name": "s1"})

    assert reply.to_dict() == {"ok": "1", "commands": "Exit('busy')"}
    assert cancelled.is_set()
    assert "took longer than 0.01s" in caplog.text


async def test_fallback_is_sent_at_the_deadline_even_if_the_handler_resists_cancellation(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Defect 10: a handler sleeping 5 s in ``except CancelledError`` delayed the reply."""
    finished = asyncio.Event()
    dialplan = DialplanRouter(timeout=0.2, fallback=SmartApiReply().exit("busy"))

    @dialplan.on("s1")
    async def stubborn(request: DialplanRequest) -> SmartApiReply:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await asyncio.sleep(0.6)  # cleanup that ignores the deadline
            finished.set()
        return SmartApiReply().exit("late")

    loop = asyncio.get_running_loop()
    with caplog.at_level(logging.WARNING, logger="simotel_async.webhooks"):
        start = loop.time()
        reply = await asyncio.wait_for(dialplan.dispatch({"app_name": "s1"}), 5)
        elapsed = loop.time() - start

        assert reply.to_dict() == {"ok": "1", "commands": "Exit('busy')"}
        assert elapsed < 0.2 + 0.15, f"fallback sent after {elapsed:.3f}s"
        assert dialplan.abandoned == 1
        await asyncio.wait_for(finished.wait(), 5)
        await asyncio.sleep(0)

    assert dialplan.abandoned == 0
    assert "took longer than 0.2s" in caplog.text
    assert "ignored its cancellation" in caplog.text


async def test_dispatch_cancelled_by_the_server_cancels_the_handler() -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()
    dialplan = DialplanRouter(timeout=None)

    @dialplan.on("s1")
    async def slow(request: DialplanRequest) -> SmartApiReply:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return SmartApiReply().exit("never")

    dispatch = asyncio.create_task(dialplan.dispatch({"app_name": "s1"}))
    await started.wait()
    dispatch.cancel()
    with pytest.raises(asyncio.CancelledError):
        await dispatch

    await asyncio.wait_for(cancelled.wait(), 1)


async def test_a_handler_that_cancels_itself_gets_the_fallback() -> None:
    dialplan = DialplanRouter(fallback=ExtenApiReply("100"))

    @dialplan.on("s1")
    async def gives_up(request: DialplanRequest) -> ExtenApiReply:
        raise asyncio.CancelledError

    assert (await dialplan.dispatch({"app_name": "s1"})).to_dict() == {
        "ok": "1",
        "extension": "100",
    }


async def test_route_fallback_overrides_the_router_fallback() -> None:
    dialplan = DialplanRouter(timeout=dt.timedelta(milliseconds=10))

    @dialplan.on("exten", fallback=ExtenApiReply("100"))
    async def slow(request: DialplanRequest) -> ExtenApiReply:
        await asyncio.Event().wait()
        return ExtenApiReply("999")

    assert (await dialplan.dispatch({"app_name": "exten"})).to_dict() == {
        "ok": "1",
        "extension": "100",
    }


async def test_failing_handler_gets_the_fallback_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dialplan = DialplanRouter()

    @dialplan.on("s1")
    async def broken(request: DialplanRequest) -> SmartApiReply:
        raise RuntimeError("database down")

    @dialplan.on("s2")
    async def wrong(request: DialplanRequest) -> Any:
        return {"ok": "1"}

    with caplog.at_level(logging.WARNING, logger="simotel_async.webhooks"):
        broken_reply = await dialplan.dispatch({"app_name": "s1"})
        wrong_reply = await dialplan.dispatch({"app_name": "s2"})

    assert broken_reply == RefusalReply()
    assert wrong_reply == RefusalReply()
    assert "database down" in caplog.text
    assert "not a reply" in caplog.text


async def test_dispatch_accepts_a_parsed_request() -> None:
    dialplan = DialplanRouter()

    @dialplan.on("ivr1")
    async def ivr(request: DialplanRequest) -> IvrApiReply:
        return IvrApiReply(request.data)

    request = parse_dialplan_request(sample("ivr_api.request.synthesized.json"))

    assert (await dialplan.dispatch(request)).to_dict() == {"ok": "1", "case": "2"}


def test_router_configuration_errors() -> None:
    dialplan = DialplanRouter()

    @dialplan.on("s1")
    async def first(request: DialplanRequest) -> RefusalReply:
        return RefusalReply()

    with pytest.raises(ValueError, match="already registered"):
        dialplan.on("S1")(first)
    with pytest.raises(ValueError, match="non-empty"):
        dialplan.on(" ")
    with pytest.raises(ValueError, match="positive"):
        DialplanRouter(timeout=0)
    assert DialplanRouter(timeout=None).timeout is None
    assert DialplanRouter().timeout == 0.8
    assert DialplanRouter().fallback == RefusalReply()
