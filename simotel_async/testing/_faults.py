"""Injected failures: error statuses, broken connections and malformed bodies."""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["Fault", "FaultKind", "InjectedConnectionError"]

FaultKind = Literal["status", "connect_error", "timeout", "disconnect", "malformed"]

#: Kinds that hit after the PBX did the work: the client just never hears back properly.
PROCESSED_KINDS = frozenset({"timeout", "disconnect", "malformed"})
#: Kinds that never produce an HTTP response.
CONNECTION_KINDS = frozenset({"connect_error", "timeout", "disconnect"})


class InjectedConnectionError(Exception):
    """Raised inside the ASGI app for a connection fault (an ASGI app cannot drop a socket).

    Through ``fake.transport()`` the client sees the matching ``httpx`` exception instead.
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

    Kinds:

    - ``"status"``: answer ``status`` (default 503) with an error envelope, without
      doing the work;
    - ``"connect_error"``: the client gets ``httpx.ConnectError``; nothing was done;
    - ``"timeout"``: the work is done, then the client gets ``httpx.ReadTimeout``;
    - ``"disconnect"``: the work is done, then the client gets
      ``httpx.RemoteProtocolError`` (server closed the connection);
    - ``"malformed"``: the work is done, the answer (status default 200) is cut in half
      so it is not valid JSON.
    """

    kind: FaultKind
    endpoint_id: str | None
    status: int
    times: int | None
    on_request: int | None
    retry_after: float | str | None
    message: str | None
    hits: int = 0

    @property
    def exhausted(self) -> bool:
        """Whether it has fired as many times as it was asked to."""
        return self.times is not None and self.hits >= self.times

    def matches(self, number: int, endpoint_ids: tuple[str, ...]) -> bool:
        """Whether request ``number`` to one of ``endpoint_ids`` triggers it."""
        if self.exhausted or (self.on_request is not None and number < self.on_request):
            return False
        return self.endpoint_id is None or self.endpoint_id in endpoint_ids
