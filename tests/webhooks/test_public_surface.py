"""The public names of simotel_async.webhooks, and its independence from FastAPI."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import simotel_async.webhooks as webhooks

ROOT = Path(__file__).resolve().parents[2]


EXPECTED = {
    "EVENT_TYPES", "Event", "UnknownEvent", "EventHandler", "EventRouter", "parse_event",
    "WebhookPayloadError",
    "AutoDialerReportEvent", "CdrEvent", "CdrQueueEvent", "ExtenAddedEvent",
    "ExtenRemovedEvent", "IncomingCallEvent", "IncomingFaxEvent", "NewStateEvent",
    "OutgoingCallEvent", "OutgoingFaxEvent", "PingEvent", "ReservedCallInFrontEvent",
    "SurveyEvent", "TransferEvent", "TrunkAddedEvent", "TrunkNewStateEvent",
    "TrunkRemovedEvent", "VoiceMailEmailEvent", "VoiceMailEvent",
    "AutoDialerTry", "CdrQueueDetail", "FaxResult",
    "DialplanRequest", "parse_dialplan_request", "DialplanRouter", "DialplanReply",
    "SmartApiReply", "SmartApiCommandError", "ExtenApiReply", "TrunkApiReply", "IvrApiReply",
    "RefusalReply",
}  # fmt: skip


def test_public_names() -> None:
    public = {name for name in vars(webhooks) if not name.startswith("_")}

    assert set(webhooks.__all__) == EXPECTED
    assert len(webhooks.__all__) == len(EXPECTED)
    # Besides __all__ only the submodules are visible.
    assert public - EXPECTED <= {"fastapi"}


def test_public_classes_report_the_public_module() -> None:
    assert webhooks.CdrEvent.__module__ == "simotel_async.webhooks"
    assert webhooks.parse_event.__module__ == "simotel_async.webhooks"
    assert repr(webhooks.SmartApiReply) == "<class 'simotel_async.webhooks.SmartApiReply'>"


def test_every_public_name_has_a_docstring() -> None:
    for name in webhooks.__all__:
        obj = getattr(webhooks, name)
        if callable(obj) and name != "EventHandler":
            assert obj.__doc__, name


def test_importing_webhooks_does_not_need_fastapi() -> None:
    code = textwrap.dedent(
        """
        import sys
        sys.modules["fastapi"] = None
        sys.modules["starlette"] = None
        import simotel_async.webhooks as webhooks
        event = webhooks.parse_event('{"event_name": "Ping"}')
        assert type(event).__name__ == "PingEvent"
        assert not any(name.startswith(("fastapi", "starlette")) and sys.modules[name]
                       for name in sys.modules)
        try:
            import simotel_async.webhooks.fastapi
        except ImportError:
            print("fastapi-missing")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "fastapi-missing"
