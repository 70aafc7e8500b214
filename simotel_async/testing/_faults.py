"""Injected failures: error statuses, broken connections, hangs and broken bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

import attrs

__all__ = ["Fault", "FaultKind", "InjectedConnectionError"]

FaultKind = Literal[
    "status",
    "rate_limited",
    "connect_error",
    "reset_before",
    "close_before",
    "hang_before",
    "timeout",
    "reset_after",
    "close_after",
    "disconnect",
    "hang_after",
    "truncate",
    "drip",
    "malformed",
]

KINDS: frozenset[str] = frozenset(get_args(FaultKind))
#: Kinds that hit before the PBX does anything: the request was not processed.
BEFORE_KINDS = frozenset(
    {"status", "rate_limited", "connect_error", "reset_before", "close_before", "hang_before"}
)
#: Kinds that hit after the PBX did the work: the client just never hears back properly.
PROCESSED_KINDS = KINDS - BEFORE_KINDS
#: Kinds that end without any HTTP response.
DROPPING_KINDS = frozenset(
    {
        "connect_error",
        "reset_before",
        "close_before",
        "hang_before",
        "timeout",
        "reset_after",
        "close_after",
        "disconnect",
        "hang_after",
    }
)
#: ``Retry-After`` of a ``"rate_limited"`` fault when none is given: one day.
HUGE_RETRY_AFTER = 86400


class InjectedConnectionError(Exception):
    """Raised inside the ASGI app for a connection fault it cannot act out itself.

    Under uvicorn the app resets, closes or holds the real connection instead. Under
    other ASGI servers (``httpx.ASGITransport``, which re-raises it) it raises this.
    Through ``fake.transport()`` the client sees the matching ``httpx`` exception.
    """

    def __init__(self, fault: Fault) -> None:
        super().__init__(f"injected {fault.kind} fault")
        self.fault = fault


@attrs.define(kw_only=True)
class Fault:
    """One armed failure, as returned by :meth:`FakeSimotel.fail`.

    It fires on requests that match ``endpoint_id`` (``None``: any request) once the
    fake has received ``on_request`` requests (``None``: straight away), ``times``
    times (``None``: for ever). ``hits`` counts how often it fired.

    Before the work (the PBX does nothing; safe to send again):

    - ``"status"``: answer ``status`` (default 503) with an error envelope, plus
      ``Retry-After`` when ``retry_after`` is given;
    - ``"rate_limited"``: answer 429 with a huge ``Retry-After``: ``retry_after``
      seconds (default 86400), a ``datetime`` sent as an HTTP date (e.g. 2099), or a
      string sent as is;
    - ``"connect_error"``: the client gets ``httpx.ConnectError`` (over real HTTP the
      connection is reset before anything is read, as ``"reset_before"``);
    - ``"reset_before"``: the connection is reset (TCP RST): ``httpx.ReadError``;
    - ``"close_before"``: the server closes the connection without an answer:
      ``httpx.RemoteProtocolError``;
    - ``"hang_before"``: no answer, ever: the client's read timeout (or its own
      deadline) ends the call.

    After the work (the request was processed; the client cannot know it):

    - ``"timeout"``: through ``fake.transport()`` ``httpx.ReadTimeout`` at once; over
      real HTTP the same as ``"hang_after"``;
    - ``"reset_after"``: the connection is reset: ``httpx.ReadError``;
    - ``"close_after"`` (alias ``"disconnect"``): closed without an answer:
      ``httpx.RemoteProtocolError``;
    - ``"hang_after"``: no answer, ever (see ``"hang_before"``);
    - ``"truncate"``: the status and headers, with the full ``Content-Length``, then
      half of the body, then the connection closes: ``httpx.RemoteProtocolError``
      ("peer closed connection without sending complete message body");
    - ``"drip"``: the status and headers at once, then the body one byte every
      ``interval`` seconds (through the fake's ``sleep``);
    - ``"malformed"``: the answer (status default 200) is cut in half, with a
      matching ``Content-Length``, so it is not valid JSON.
    """

    kind: FaultKind
    endpoint_id: str | None
    status: int
    times: int | None
    on_request: int | None
    retry_after: float | str | datetime | None
    message: str | None
    interval: float = 1.0
    hits: int = 0

    @property
    def exhausted(self) -> bool:
        """Whether it has fired as many times as it was asked to."""
        return self.times is not None and self.hits >= self.times

    @property
    def processed(self) -> bool:
        """Whether the PBX does the work before this fault hits."""
        return self.kind in PROCESSED_KINDS

    def matches(self, number: int, endpoint_ids: tuple[str, ...]) -> bool:
        """Whether request ``number`` to one of ``endpoint_ids`` triggers it."""
        if self.exhausted or (self.on_request is not None and number < self.on_request):
            return False
        return self.endpoint_id is None or self.endpoint_id in endpoint_ids
