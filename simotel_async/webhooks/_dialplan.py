"""Dialplan API components: requests, replies and routing by ``app_name``."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any, Protocol, TypeVar, runtime_checkable

import attrs

from ._decode import decode, register, wire
from ._parse import NAME_KEYS, Payload, decode_payload

__all__ = [
    "DialplanReply",
    "DialplanRequest",
    "DialplanRouter",
    "ExtenApiReply",
    "IvrApiReply",
    "RefusalReply",
    "TrunkApiReply",
    "is_dialplan_request",
    "parse_dialplan_request",
]

logger = logging.getLogger("simotel_async.webhooks")

_UTC = dt.timezone.utc


@attrs.frozen(kw_only=True)
class DialplanRequest:
    """What Simotel sends when a call reaches a Smart, Exten, Trunk or IVR API component.

    ``app_name`` is the component's name in the dialplan; ``data`` holds digits the
    caller entered earlier in the call (``""`` when none).
    """

    src: str | None = None
    dst: str | None = None
    data: Annotated[str, wire("data", keep_blank=True)] = ""
    unique_id: Annotated[str | None, wire("unique_id", "cuid")] = None
    app_name: str | None = None
    originated_call_id: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)


register(DialplanRequest)


def parse_dialplan_request(payload: Payload) -> DialplanRequest:
    """Parse a dialplan component request from any delivery form (JSON, form, query).

    Raises:
        WebhookPayloadError: the body cannot be decoded at all.
    """
    return decode(DialplanRequest, decode_payload(payload), _UTC)


def is_dialplan_request(data: Mapping[str, Any]) -> bool:
    """Component requests carry ``app_name``; events carry ``event_name`` or ``event``."""
    return "app_name" in data and not any(key in data for key in NAME_KEYS)


@runtime_checkable
class DialplanReply(Protocol):
    """Anything that renders a dialplan reply body."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON object Simotel reads."""
        ...


def _value(value: str | int) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"expected a string or an int, not {type(value).__name__}")
    text = str(value)
    if not text.strip():
        raise ValueError("a dialplan reply value must not be empty")
    return text


def _limit(value: int | dt.timedelta | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        value = int(value.total_seconds())
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"call_limit must be seconds (int or timedelta), not {value!r}")
    if value < 1:
        raise ValueError(f"call_limit must be at least 1 second, got {value}")
    return value


@attrs.frozen
class ExtenApiReply:
    """Exten API reply: ring ``extension`` (``{"ok": "1", "extension": "120"}``)."""

    extension: str = attrs.field(converter=_value)

    def to_dict(self) -> dict[str, Any]:
        """The JSON reply body."""
        return {"ok": "1", "extension": self.extension}


@attrs.frozen
class TrunkApiReply:
    """Trunk API reply: dial ``extension`` on ``trunk``, cut the call after ``call_limit`` s."""

    trunk: str = attrs.field(converter=_value)
    extension: str = attrs.field(converter=_value)
    call_limit: int | None = attrs.field(default=None, converter=_limit)

    def to_dict(self) -> dict[str, Any]:
        """The JSON reply body (``call_limit`` only when set)."""
        body = {"ok": "1", "trunk": self.trunk, "extension": self.extension}
        if self.call_limit is not None:
            body["call_limit"] = str(self.call_limit)
        return body


@attrs.frozen
class IvrApiReply:
    """IVR API reply: leave through the output whose Case is ``case``."""

    case: str = attrs.field(converter=_value)

    def to_dict(self) -> dict[str, Any]:
        """The JSON reply body."""
        return {"ok": "1", "case": self.case}


@attrs.frozen
class RefusalReply:
    """Refuse the request (``{"ok": 0}``, the vendor libraries' form).

    A Smart API component then leaves through its error output ``e``.
    """

    def to_dict(self) -> dict[str, Any]:
        """The JSON reply body."""
        return {"ok": 0}


DialplanHandler = Callable[[DialplanRequest], Awaitable[DialplanReply]]
HandlerT = TypeVar("HandlerT", bound=DialplanHandler)


@attrs.frozen
class _Route:
    handler: DialplanHandler
    fallback: DialplanReply | None


async def _call(handler: DialplanHandler, request: DialplanRequest) -> object:
    return await handler(request)


def _key(app_name: str) -> str:
    return app_name.strip().casefold()


def _seconds(timeout: float | dt.timedelta | None) -> float | None:
    if isinstance(timeout, dt.timedelta):
        timeout = timeout.total_seconds()
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    return timeout


class DialplanRouter:
    """Answers dialplan component requests with the handler registered for ``app_name``.

    ```python
    dialplan = DialplanRouter()

    @dialplan.on("s1")
    async def menu(request: DialplanRequest) -> SmartApiReply:
        return SmartApiReply().get_data("menu", 10, 1).exit("next")
    ```

    Simotel waits about one second for the reply. A handler that has not answered
    within ``timeout`` is cancelled and the fallback is sent at once, even when the
    handler delays or ignores its cancellation (it then runs on in the background,
    counted by ``abandoned`` and logged when it ends); so is a handler that raises or
    returns something that is not a reply. The fallback is the one
    given to ``on(...)``, else the router's.

    Args:
        timeout: Seconds (or a ``timedelta``) a handler may take; ``None`` waits forever.
        fallback: The reply when no handler answers in time; ``RefusalReply()`` by default.
    """

    def __init__(
        self,
        *,
        timeout: float | dt.timedelta | None = 0.8,
        fallback: DialplanReply | None = None,
    ) -> None:
        self._timeout = _seconds(timeout)
        self._fallback: DialplanReply = fallback if fallback is not None else RefusalReply()
        self._routes: dict[str, _Route] = {}
        self._default: _Route | None = None
        self._abandoned: set[asyncio.Future[object]] = set()

    @property
    def timeout(self) -> float | None:
        """Seconds a handler may take before the fallback is sent."""
        return self._timeout

    @property
    def fallback(self) -> DialplanReply:
        """The router-wide fallback reply."""
        return self._fallback

    def __repr__(self) -> str:
        return f"<DialplanRouter apps={sorted(self._routes)} timeout={self._timeout}>"

    def on(
        self, app_name: str, *, fallback: DialplanReply | None = None
    ) -> Callable[[HandlerT], HandlerT]:
        """Decorator registering the handler of the component named ``app_name``.

        Names are matched ignoring case and surrounding spaces (``"Extension API"``).
        """
        if not isinstance(app_name, str) or not app_name.strip():
            raise ValueError(f"app_name must be a non-empty string, not {app_name!r}")

        def register_handler(handler: HandlerT) -> HandlerT:
            key = _key(app_name)
            if key in self._routes:
                raise ValueError(f"a handler for app_name {app_name!r} is already registered")
            self._routes[key] = _Route(handler, fallback)
            return handler

        return register_handler

    def on_any(self, handler: HandlerT) -> HandlerT:
        """Decorator registering the handler of every ``app_name`` without its own."""
        self._default = _Route(handler, None)
        return handler

    @property
    def abandoned(self) -> int:
        """Handlers cancelled at the deadline that have not finished yet.

        A handler that catches its ``CancelledError`` and carries on keeps running after
        the fallback went out; it is tracked here and logged when it ends.
        """
        return len(self._abandoned)

    def _abandon(self, task: asyncio.Future[object], app_name: str | None) -> None:
        def finished(task: asyncio.Future[object]) -> None:
            self._abandoned.discard(task)
            if task.cancelled():
                return
            error = task.exception()
            logger.warning(
                "Dialplan handler for %r ignored its cancellation at the deadline and %s "
                "after the fallback was sent",
                app_name,
                f"failed ({error!r})" if error is not None else "returned (reply discarded)",
            )

        if task.done():
            finished(task)
        else:
            self._abandoned.add(task)
            task.add_done_callback(finished)

    def parse(self, payload: Payload) -> DialplanRequest:
        """``parse_dialplan_request``."""
        return parse_dialplan_request(payload)

    async def dispatch(self, payload: Payload | DialplanRequest) -> DialplanReply:
        """Parse the request (unless already parsed) and return the reply to send.

        Never raises for a handler's failure or overrun: the fallback is returned and
        the problem logged on the ``simotel_async.webhooks`` logger.
        """
        request = (
            payload if isinstance(payload, DialplanRequest) else parse_dialplan_request(payload)
        )
        route = self._routes.get(_key(request.app_name or ""), self._default)
        if route is None:
            logger.warning("No dialplan handler for app_name %r", request.app_name)
            return self._fallback
        fallback = route.fallback if route.fallback is not None else self._fallback
        # A task of its own, so the deadline holds even for a handler that delays or
        # ignores its cancellation (wait_for would wait for it to finish).
        task = asyncio.ensure_future(_call(route.handler, request))
        try:
            await asyncio.wait({task}, timeout=self._timeout)
        except asyncio.CancelledError:
            task.cancel()
            self._abandon(task, request.app_name)
            raise
        if not task.done():
            task.cancel()
            await asyncio.sleep(0)  # one step to take the cancellation, no more
            self._abandon(task, request.app_name)
            logger.warning(
                "Dialplan handler for %r took longer than %ss; sent the fallback %r",
                request.app_name,
                self._timeout,
                fallback,
            )
            return fallback
        try:
            reply = task.result()
        except (Exception, asyncio.CancelledError):
            logger.exception(
                "Dialplan handler for %r failed on %r; sent the fallback", request.app_name, request
            )
            return fallback
        if not isinstance(reply, DialplanReply):
            logger.error(
                "Dialplan handler for %r returned %r, not a reply; sent the fallback",
                request.app_name,
                reply,
            )
            return fallback
        return reply
