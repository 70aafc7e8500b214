"""Receive Simotel webhooks: typed events, dialplan component replies, routing.

```python
from simotel_async.webhooks import CdrEvent, EventRouter

router = EventRouter()

@router.on(CdrEvent)
async def on_cdr(event: CdrEvent) -> None:
    print(event.unique_id, event.billsec)

await router.dispatch(request_body)
```

The FastAPI/Starlette integration lives in ``simotel_async.webhooks.fastapi`` (extra
``[fastapi]``); this module never imports FastAPI.
"""

from simotel_async._public import publish as _publish

from ._dialplan import (
    DialplanReply,
    DialplanRequest,
    DialplanRouter,
    ExtenApiReply,
    IvrApiReply,
    RefusalReply,
    TrunkApiReply,
    parse_dialplan_request,
)
from ._events import (
    EVENT_TYPES,
    AutoDialerReportEvent,
    AutoDialerTry,
    CdrEvent,
    CdrQueueDetail,
    CdrQueueEvent,
    Event,
    ExtenAddedEvent,
    ExtenRemovedEvent,
    FaxResult,
    IncomingCallEvent,
    IncomingFaxEvent,
    NewStateEvent,
    OutgoingCallEvent,
    OutgoingFaxEvent,
    PingEvent,
    ReservedCallInFrontEvent,
    SurveyEvent,
    TransferEvent,
    TrunkAddedEvent,
    TrunkNewStateEvent,
    TrunkRemovedEvent,
    UnknownEvent,
    VoiceMailEmailEvent,
    VoiceMailEvent,
)
from ._parse import WebhookPayloadError, parse_event
from ._router import EventHandler, EventRouter
from ._smart_api import SmartApiCommandError, SmartApiReply

__all__ = [
    "EVENT_TYPES",
    "AutoDialerReportEvent",
    "AutoDialerTry",
    "CdrEvent",
    "CdrQueueDetail",
    "CdrQueueEvent",
    "DialplanReply",
    "DialplanRequest",
    "DialplanRouter",
    "Event",
    "EventHandler",
    "EventRouter",
    "ExtenAddedEvent",
    "ExtenApiReply",
    "ExtenRemovedEvent",
    "FaxResult",
    "IncomingCallEvent",
    "IncomingFaxEvent",
    "IvrApiReply",
    "NewStateEvent",
    "OutgoingCallEvent",
    "OutgoingFaxEvent",
    "PingEvent",
    "RefusalReply",
    "ReservedCallInFrontEvent",
    "SmartApiCommandError",
    "SmartApiReply",
    "SurveyEvent",
    "TransferEvent",
    "TrunkAddedEvent",
    "TrunkApiReply",
    "TrunkNewStateEvent",
    "TrunkRemovedEvent",
    "UnknownEvent",
    "VoiceMailEmailEvent",
    "VoiceMailEvent",
    "WebhookPayloadError",
    "parse_dialplan_request",
    "parse_event",
]

_publish(globals(), __all__, __name__)
