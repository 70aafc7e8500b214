"""Shared helpers: FakeSimotels served by uvicorn on 127.0.0.1, and seeded mixed faults.

``FakeServer`` runs one uvicorn in its own thread and event loop (as a real server runs
apart from its clients) and serves any number of ASGI apps, each under its own path
prefix, so a test can give every case its own fake without starting a server per case::

    with FakeServer() as server:
        url = server.mount(fake.asgi_app)          # http://127.0.0.1:PORT/m1
        async with AsyncSimotel(url, username="api", password="secret") as simotel: ...

``SeededFaults`` wraps a fake's ASGI app: a seeded share of the requests it receives
meets a fault drawn from a mix, armed through the fake's public ``fail()``.
"""

from __future__ import annotations

import collections
import random
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from typing import Any

import uvicorn

from simotel_async.testing import FakeSimotel, Fault

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Faults an idempotent read must ride out by retrying: (label, ``fake.fail`` arguments).
RETRYABLE: tuple[tuple[str, Mapping[str, Any]], ...] = (
    ("HTTP 502", {"kind": "status", "status": 502, "retry_after": 0}),
    ("HTTP 503", {"kind": "status", "status": 503, "retry_after": 0}),
    ("HTTP 504", {"kind": "status", "status": 504, "retry_after": 0}),
    ("HTTP 429", {"kind": "rate_limited", "retry_after": 0.01}),
    ("reset_before", {"kind": "reset_before"}),
    ("close_before", {"kind": "close_before"}),
    ("reset_after", {"kind": "reset_after"}),
    ("close_after", {"kind": "close_after"}),
    ("truncate", {"kind": "truncate"}),
    ("malformed", {"kind": "malformed"}),
)


class FakeServer:
    """uvicorn on 127.0.0.1 in a thread of its own, serving apps under ``/m1``, ``/m2``...

    Use it as a context manager; :meth:`mount` returns the base URL of an app.
    """

    def __init__(self) -> None:
        self._apps: dict[str, App] = {}
        # proto=IPPROTO_TCP, or asyncio leaves Nagle on for the accepted connections
        # (it sets TCP_NODELAY only on sockets that say they are TCP): 40 ms a request.
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        config = uvicorn.Config(
            self._dispatch,
            log_level="error",
            access_log=False,
            lifespan="off",
            loop="asyncio",
            interface="asgi3",
            proxy_headers=False,
            ws="none",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def mount(self, app: App) -> str:
        """Serve ``app`` under a fresh prefix; its base URL (for ``AsyncSimotel``)."""
        prefix = f"m{len(self._apps) + 1}"
        self._apps[prefix] = app
        return f"http://127.0.0.1:{self.port}/{prefix}"

    def __enter__(self) -> FakeServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            assert self._thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        prefix, _, rest = scope["path"][1:].partition("/")
        app = self._apps.get(prefix)
        if app is None or not rest:
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        path = "/" + rest
        inner = dict(scope, path=path, raw_path=path.encode("latin-1"))
        await app(inner, receive, send)


class SeededFaults:
    """``fake.asgi_app`` with a seeded ``rate`` of its requests meeting a fault from ``mix``.

    For each request received, a ``random.Random(seed)`` draw decides whether to arm
    one fault (``fake.fail(None, times=1, ...)``): the next request the fake handles
    meets it. Kinds are dealt from a shuffled deck of ``mix``, so any ``len(mix)``
    faults in a row are all different. :attr:`injected` counts the faults that fired.
    """

    def __init__(
        self,
        fake: FakeSimotel,
        *,
        rate: float,
        seed: int,
        mix: Sequence[tuple[str, Mapping[str, Any]]] = RETRYABLE,
    ) -> None:
        self.fake = fake
        self.rate = rate
        self.mix = tuple(mix)
        self._rng = random.Random(seed)
        self._armed: list[tuple[str, Fault]] = []
        self._deck: list[tuple[str, Mapping[str, Any]]] = []
        self.requests = 0
        """HTTP requests this wrapper received."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.requests += 1
            if self._rng.random() < self.rate:
                if not self._deck:
                    self._deck = list(self.mix)
                    self._rng.shuffle(self._deck)
                label, arguments = self._deck.pop()
                self._armed.append((label, self.fake.fail(None, times=1, **arguments)))
        await self.fake.asgi_app(scope, receive, send)

    @property
    def injected(self) -> collections.Counter[str]:
        """Faults that fired, by label."""
        return collections.Counter(label for label, fault in self._armed for _ in range(fault.hits))

    @property
    def total(self) -> int:
        """How many faults fired."""
        return sum(fault.hits for _, fault in self._armed)
