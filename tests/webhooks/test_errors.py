"""Webhook errors: their place in the SDK's tree, and reasons that say what went wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simotel_async import SimotelError
from simotel_async.webhooks import (
    CdrEvent,
    CdrQueueEvent,
    SmartApiCommandError,
    SmartApiReply,
    WebhookPayloadError,
    parse_event,
)

EVENTS = Path(__file__).resolve().parent.parent / "fixtures" / "events"


def sample(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("error", [WebhookPayloadError, SmartApiCommandError])
def test_webhook_errors_are_simotel_errors_and_value_errors(error: type[Exception]) -> None:
    assert issubclass(error, SimotelError)
    assert issubclass(error, ValueError)
    assert isinstance(error("reason"), SimotelError)
    assert str(error("reason")) == "reason"


def test_a_bad_payload_is_caught_as_either_base() -> None:
    with pytest.raises(SimotelError, match="not valid JSON"):
        parse_event(b"{oops")
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_event(b"{oops")


def test_a_bad_command_is_caught_as_either_base() -> None:
    with pytest.raises(SimotelError, match="quotes"):
        SmartApiReply().exit("it's")
    with pytest.raises(ValueError, match="quotes"):
        SmartApiReply().exit("it's")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{oops", "Expecting property name"),
        (b'{"event_name": "Cdr",', "Expecting"),
        (b"[1, 2", "Expecting"),
        (b"[" * 200_000, "recursion"),
        (b'{"a": "\xff"}', "UTF-8"),
    ],
    ids=["bad-key", "cut-off", "open-array", "nested-too-deep", "not-utf8"],
)
def test_an_invalid_body_names_the_parse_error(body: bytes, reason: str) -> None:
    with pytest.raises(WebhookPayloadError) as caught:
        parse_event(body)

    message = str(caught.value)
    assert reason.casefold() in message.casefold()
    assert not message.rstrip().endswith(":"), message


def test_a_json_body_that_is_not_an_object_says_so() -> None:
    with pytest.raises(WebhookPayloadError, match="not an object"):
        parse_event(b"[1, 2]")


def large_cdr(size: int) -> dict[str, Any]:
    """A valid Cdr event of about ``size`` bytes of JSON."""
    payload = sample("Cdr.json")
    payload["userfield"] = "x" * size
    return payload


@pytest.mark.parametrize("size", [70_000, 900_000])
def test_valid_json_over_64_kib_is_parsed(size: int) -> None:
    """Defect 9: a 70 KB Cdr was rejected with an empty reason and lost."""
    body = json.dumps(large_cdr(size)).encode()

    event = parse_event(body)

    assert isinstance(event, CdrEvent)
    assert event.unique_id == "1610778618.378"
    assert event.extra["userfield"] == "x" * size


def test_a_large_form_wrapped_json_event_is_unwrapped() -> None:
    """The older ``api_data=<json>`` form delivery, with a value over 64 KiB."""
    payload = sample("CdrQueue.json")
    payload["userfield"] = "y" * 70_000

    event = parse_event({"api_data": json.dumps(payload)})

    assert isinstance(event, CdrQueueEvent)
    assert event.extra["userfield"] == "y" * 70_000
