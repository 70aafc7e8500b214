"""EventRouter: async handlers per event class, run one after another, failures isolated."""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeAlias, TypeVar, overload

import attrs

from ._decode import resolve_timezone
from ._events import Event, UnknownEvent
from ._parse import Payload, event_type, normalise_name, parse_event

__all__ = ["EventHandler", "EventRouter"]

logger = logging.getLogger("simotel_async.webhooks")

EventT = TypeVar("EventT", bound=Event)

EventHandler: TypeAlias = Callable[[EventT], Awaitable[object]]
"""An async function taking an event; its return value is ignored."""


@attrs.frozen
class _Route:
    event_type: type[Event]
    unknown_name: str | None
    handler: Callable[[Any], Awaitable[object]]

    def matches(self, event: Event) -> bool:
        if not isinstance(event, self.event_type):
            return False
        return self.unknown_name is None or normalise_name(event.name) == self.unknown_name


def _describe(handler: object) -> str:
    return getattr(handler, "__qualname__", None) or repr(handler)


class EventRouter:
    """Routes webhook events to the async handlers registered for them.

    ```python
    router = EventRouter()

    @router.on(CdrEvent)
    async def store(event: CdrEvent) -> None: ...

    await router.dispatch(payload)
    ```

    A handler registered for a class receives every event that is an instance of it:
    ``router.on(Event)`` (or ``router.on_any``) catches every event, ``UnknownEvent``
    the ones this SDK does not know. Handlers run in registration order; one that
    raises is logged on the ``simotel_async.webhooks`` logger and the others still run.

    Args:
        timezone: Zone of Simotel's naive date-times (UTC unless the server's
            ``client_api_use_local_timezone`` is on): a ``tzinfo`` or an IANA name.
    """

    def __init__(self, *, timezone: dt.tzinfo | str | None = None) -> None:
        self._timezone = resolve_timezone(timezone)
        self._routes: list[_Route] = []

    @property
    def timezone(self) -> dt.tzinfo:
        """The zone naive date-times of events are read in."""
        return self._timezone

    def __repr__(self) -> str:
        return f"<EventRouter handlers={len(self._routes)} timezone={self._timezone}>"

    @overload
    def on(
        self, event: type[EventT], /
    ) -> Callable[[EventHandler[EventT]], EventHandler[EventT]]: ...

    @overload
    def on(self, event: str, /) -> Callable[[EventHandler[Event]], EventHandler[Event]]: ...

    def on(self, event: type[Event] | str, /) -> Callable[[Any], Any]:
        """Decorator registering a handler for an event class or an event name.

        A name is matched case-insensitively (``"Cdr"``, ``"CDR"``); a name this SDK does
        not know matches the ``UnknownEvent`` carrying that name.
        """

        def register(handler: Any) -> Any:
            self.add(event, handler)
            return handler

        return register

    def on_any(self, handler: EventHandler[Event]) -> EventHandler[Event]:
        """Decorator registering a handler for every event."""
        self.add(Event, handler)
        return handler

    def add(self, event: type[EventT] | str, handler: EventHandler[EventT]) -> None:
        """Register ``handler`` for an event class or name (the non-decorator form)."""
        if not callable(handler):
            raise TypeError(f"event handler must be callable, not {handler!r}")
        if isinstance(event, str):
            known = event_type(event)
            if known is None:
                self._routes.append(_Route(UnknownEvent, normalise_name(event), handler))
            else:
                self._routes.append(_Route(known, None, handler))
        elif isinstance(event, type) and issubclass(event, Event):
            self._routes.append(_Route(event, None, handler))
        else:
            raise TypeError(f"expected an Event subclass or an event name, not {event!r}")

    def parse(self, payload: Payload, *, path: str | None = None) -> Event:
        """``parse_event`` with this router's time zone."""
        return parse_event(payload, path=path, timezone=self._timezone)

    async def dispatch(self, payload: Payload | Event, *, path: str | None = None) -> Event:
        """Parse ``payload`` (unless it is already an event) and run its handlers.

        Returns the event. Handler exceptions are logged, never raised; a payload that
        cannot be decoded at all raises ``WebhookPayloadError``.
        """
        event = payload if isinstance(payload, Event) else self.parse(payload, path=path)
        matched = [route for route in self._routes if route.matches(event)]
        if not matched:
            logger.debug("No handler for %s event", event.name or "unnamed")
        for route in matched:
            try:
                result = route.handler(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.exception(
                    "Webhook handler %s failed for %r", _describe(route.handler), event
                )
        return event
