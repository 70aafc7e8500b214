"""Every non-idempotent endpoint under every fault, over real HTTP (uvicorn on 127.0.0.1).

The endpoints are the catalogue's ``idempotent=False`` entries (adds, updates, removes,
agent and batch agent operations, originate, uploads), each called through its typed
method with valid arguments on a FakeSimotel of its own. The server's state after the
call is compared with a fault-free run of the same call on an identical fake:

- a fault after the work (reset, close, truncated or malformed body, a 5xx, a hang or a
  drip past the read timeout): the server saw the request once, did the work once, and
  the error has ``outcome_unknown=True`` and says to check before retrying;
- a fault that breaks the connection after the request was written but before the work
  (the fake's ``connect_error``, ``reset_before``, ``close_before``) or a 503: the SDK
  cannot know that nothing happened, so it does not re-send: seen once, not done,
  ``outcome_unknown=True``;
- a 429, or a connection refused before any byte was sent (a port that does not listen
  yet): retried, and the server sees the work once.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import io
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from typing import Any

import attrs
import httpx
import pytest

from simotel_async import (
    AsyncSimotel,
    RetryPolicy,
    ServerError,
    SimotelConnectionError,
    SimotelError,
    SimotelResponseError,
    SimotelTimeoutError,
)
from simotel_async._endpoints import CATALOGUE, get_endpoint
from simotel_async.testing import FakeSimotel
from tests.e2e.test_every_endpoint import ADDS, REMOVABLE, UPDATES, UPLOADS
from tests.reliability.fake_server import App, FakeServer, Receive, Scope, Send

UNSAFE = tuple(e.id for e in CATALOGUE if not e.idempotent)
SEED = 3
READ_TIMEOUT = 0.5
#: One TLS context for every client (plain http never uses it): loading the CA bundle
#: for each of the 48 clients of a case would take most of the case's time.
TLS = ssl.create_default_context()
NO_BACKOFF = RetryPolicy(attempts=4, backoff_initial=0, backoff_max=0, retry_after_max=1)

#: Resuming an agent that is not paused changes nothing: only the log shows the call.
NO_CHANGE = frozenset({"pbx.queues.resumeagent", "pbx.queues.batchresumeagent"})

Arguments = tuple[tuple[Any, ...], dict[str, Any]]


#: Small collections: every case snapshots the whole server three times.
SMALL = {
    "voicemails.inbox": 2,
    "pbx.faxes": 2,
    "reports.agent": 2,
    "autodialer.contacts": 3,
    "autodialer.reports": 2,
}


def new_fake() -> FakeSimotel:
    return FakeSimotel(seed=SEED, cdr=10, counts=SMALL)


# -- valid arguments for every unsafe endpoint ---------------------------------------------


def ids(fake: FakeSimotel, collection: str) -> list[str]:
    return [doc["_id"] for doc in fake.records(collection)]


def members(fake: FakeSimotel, count: int) -> tuple[str, list[str]]:
    """A seeded queue with at least ``count`` agents, and ``count`` of them."""
    by_queue: dict[str, list[str]] = {}
    for user in fake.records("pbx.users"):
        for queue in user["queues"]:
            by_queue.setdefault(queue, []).append(user["number"])
    return next((q, m[:count]) for q, m in sorted(by_queue.items()) if len(m) >= count)


def outsiders(fake: FakeSimotel, queue: str, count: int) -> list[str]:
    return [u["number"] for u in fake.records("pbx.users") if queue not in u["queues"]][:count]


def originate(fake: FakeSimotel) -> Arguments:
    return (), {
        "caller": "101",
        "callee": "09123456789",
        "context": "main_routing",
        "caller_id": "02191001000",
        "trunk_name": "t1541",
        "timeout": 30,
    }


def add_sound(fake: FakeSimotel) -> Arguments:
    fake.add_file("greeting.wav", b"RIFF\x00\x00WAVE" + b"\x02" * 500)
    return (), {"name": "greeting", "filename": "greeting.wav"}


def add_fax(fake: FakeSimotel) -> Arguments:
    fake.add_file("invoice.tiff", b"II*\x00" + b"\x03" * 300)
    return (), {
        "file": "invoice.tiff",
        "to": "02188776655",
        "ext": "101",
        "trunk_name": "t1541",
        "sender_id": "101",
    }


def add_group(fake: FakeSimotel) -> Arguments:
    fake.add_file("vip.csv", b"09120000001\n09120000002\n")
    return (), {"name": "vip callers", "filename": "vip.csv", "description": "from csv"}


def add_campaign(fake: FakeSimotel) -> Arguments:
    return (), {
        "name": "spring sale",
        "trunk_manager_id": ids(fake, "autodialer.trunks")[0],
        "numbers": ["09120000001", "09120000002"],
        "groups": [ids(fake, "autodialer.groups")[0]],
        "start": datetime(2024, 6, 1, 9, 0),
        "end": datetime(2024, 6, 2, 18, 30),
        "try_": 2,
        "try_interval": 600,
    }


def add_agent(fake: FakeSimotel) -> Arguments:
    queue, _ = members(fake, 1)
    [agent] = outsiders(fake, queue, 1)
    return (), {"queue": queue, "source": agent, "agent": agent, "penalty": 1}


def agent_op(fake: FakeSimotel) -> Arguments:
    queue, [agent] = members(fake, 1)
    return (), {"queue": queue, "agent": agent}


def batch_add_agents(fake: FakeSimotel) -> Arguments:
    queue, _ = members(fake, 1)
    agents = outsiders(fake, queue, 2)
    return (), {"agents": [{"queue": queue, "source": a, "agent": a} for a in agents]}


def batch_agent_op(fake: FakeSimotel) -> Arguments:
    queue, agents = members(fake, 2)
    return (), {"agents": [{"queue": queue, "agent": a} for a in agents]}


def simple_add(resource: str) -> Callable[[FakeSimotel], Arguments]:
    return lambda fake: ((), dict(ADDS[resource][0]))


def update(resource: str) -> Callable[[FakeSimotel], Arguments]:
    return lambda fake: ((), {"id": ids(fake, resource)[1], **UPDATES[resource][0]})


def remove(resource: str) -> Callable[[FakeSimotel], Arguments]:
    return lambda fake: ((), {"id": ids(fake, resource)[-1]})


def upload(resource: str) -> Callable[[FakeSimotel], Arguments]:
    filename, content, _ = UPLOADS[resource]
    return lambda fake: ((io.BytesIO(content),), {"filename": filename})


CALLS: dict[str, Callable[[FakeSimotel], Arguments]] = {
    "call.originate": originate,
    **{f"{r}.add": simple_add(r) for r in ADDS},
    "pbx.announcements.add": add_sound,
    "autodialer.announcements.add": add_sound,
    "pbx.faxes.add": add_fax,
    "autodialer.groups.add": add_group,
    "autodialer.campaigns.add": add_campaign,
    **{f"{r}.update": update(r) for r in UPDATES},
    "autodialer.groups.update": lambda fake: (
        (),
        {"id": ids(fake, "autodialer.groups")[0], "numbers": ["09121234567"], "description": "x"},
    ),
    "autodialer.campaigns.update": lambda fake: (
        (),
        {
            "id": ids(fake, "autodialer.campaigns")[0],
            "name": "renamed campaign",
            "start": datetime(2024, 7, 1, 8, 15),
        },
    ),
    **{f"{r}.remove": remove(r) for r in REMOVABLE},
    "pbx.queues.addagent": add_agent,
    "pbx.queues.pauseagent": agent_op,
    "pbx.queues.resumeagent": agent_op,
    "pbx.queues.removeagent": agent_op,
    "pbx.queues.batchaddagent": batch_add_agents,
    "pbx.queues.batchpauseagent": batch_agent_op,
    "pbx.queues.batchresumeagent": batch_agent_op,
    "pbx.queues.batchremoveagent": batch_agent_op,
    **{f"{r}.upload": upload(r) for r in UPLOADS},
}


def method(simotel: AsyncSimotel, endpoint_id: str) -> Any:
    """The typed method of an endpoint, e.g. ``simotel.pbx.queues.add_agent``."""
    target: Any = simotel
    for part in get_endpoint(endpoint_id).method.split("."):
        target = getattr(target, part)
    return target


async def call(simotel: AsyncSimotel, endpoint_id: str, fake: FakeSimotel) -> Any:
    args, kwargs = CALLS[endpoint_id](fake)
    return await method(simotel, endpoint_id)(*args, **kwargs)


# -- the server's state ----------------------------------------------------------------------


@attrs.frozen
class State:
    """Everything a call can change on the fake: records, files, placed calls."""

    records: dict[str, list[dict[str, Any]]]
    members: dict[str, Any]
    files: dict[str, tuple[int, str]]
    originated: list[str]

    @classmethod
    def of(cls, fake: FakeSimotel) -> State:
        return cls(
            records={name: fake.records(name) for name in fake.collections},
            # Queue agents and their pause state: the fake has no public view of them.
            members=copy.deepcopy(fake._db.members),
            files={
                name: (f.size, hashlib.sha1(f.content()).hexdigest() if f.size < 2**16 else "")
                for name, f in fake.files.items()
            },
            originated=[repr(c) for c in fake.originated_calls],
        )

    def differences(self, other: State) -> list[str]:
        changed = [n for n in self.records if self.records[n] != other.records.get(n)]
        if self.members != other.members:
            changed.append("queue members")
        if self.files != other.files:
            changed.append("files")
        if self.originated != other.originated:
            changed.append("originated calls")
        return changed


@pytest.fixture(scope="module")
def states() -> dict[str, tuple[State, State]]:
    """Per endpoint: the state before, and after one fault-free call (in-process)."""

    async def run(endpoint_id: str) -> tuple[State, State]:
        fake = new_fake()
        CALLS[endpoint_id](fake)  # the files some calls need, as in the real runs
        before = State.of(fake)
        async with AsyncSimotel(
            fake.url, username="api", password="secret", transport=fake.transport()
        ) as simotel:
            await call(simotel, endpoint_id, fake)
        assert [r.status for r in fake.requests] == [200], endpoint_id
        after = State.of(fake)
        if endpoint_id not in NO_CHANGE:
            assert after.differences(before), f"{endpoint_id} changed nothing on the server"
        return before, after

    async def run_all() -> dict[str, tuple[State, State]]:
        return {e: await run(e) for e in UNSAFE}

    return asyncio.run(run_all())


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


def test_every_unsafe_endpoint_has_valid_arguments() -> None:
    assert len(UNSAFE) == 48
    assert set(CALLS) == set(UNSAFE)
    kinds = {get_endpoint(e).kind for e in UNSAFE}
    assert kinds == {"action", "upload"}


# -- faults --------------------------------------------------------------------------------


class GatewayError:
    """The fake does the work; the proxy in front then answers 502 with its HTML page."""

    PAGE = b"<html><body><h1>502 Bad Gateway</h1><p>The proxy server received an invalid response"

    def __init__(self, fake: FakeSimotel) -> None:
        self.fake = fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def swallow(message: Any) -> None:
            pass

        await self.fake.asgi_app(scope, receive, swallow)
        headers = [(b"content-type", b"text/html"), (b"content-length", b"%d" % len(self.PAGE))]
        await send({"type": "http.response.start", "status": 502, "headers": headers})
        await send({"type": "http.response.body", "body": self.PAGE})


@attrs.frozen
class Case:
    """A fault and what an unsafe call must see under it."""

    arm: Callable[[FakeSimotel, str], App]
    error: type[SimotelError] | None  # None: the call succeeds
    done: bool  # whether the server did the work
    logged: int = 1  # requests the server logged for the endpoint
    short_read: bool = False


def fault(**arguments: Any) -> Callable[[FakeSimotel, str], App]:
    def arm(fake: FakeSimotel, endpoint_id: str) -> App:
        fake.fail(endpoint_id, **arguments)
        return fake.asgi_app

    return arm


AFTER = {
    "reset_after": Case(fault(kind="reset_after"), SimotelConnectionError, True),
    "close_after": Case(fault(kind="close_after"), SimotelConnectionError, True),
    "disconnect": Case(fault(kind="disconnect"), SimotelConnectionError, True),
    "truncate": Case(fault(kind="truncate"), SimotelConnectionError, True),
    "malformed": Case(fault(kind="malformed"), SimotelResponseError, True),
    "malformed_500": Case(fault(kind="malformed", status=500), ServerError, True),
    "gateway_502": Case(lambda fake, _: GatewayError(fake), ServerError, True),
    "hang_after": Case(fault(kind="hang_after"), SimotelTimeoutError, True, short_read=True),
    "timeout": Case(fault(kind="timeout"), SimotelTimeoutError, True, short_read=True),
    "drip": Case(fault(kind="drip", interval=5), SimotelTimeoutError, True, short_read=True),
}
#: Written, then broken before the work: the SDK cannot tell, so it does not re-send.
SENT_NOT_DONE = {
    "connect_error": Case(fault(kind="connect_error"), SimotelConnectionError, False),
    "reset_before": Case(fault(kind="reset_before"), SimotelConnectionError, False),
    "close_before": Case(fault(kind="close_before"), SimotelConnectionError, False),
    "status_503": Case(fault(kind="status", status=503), ServerError, False),
}
#: Refused by the server: safe to send again, and sent again.
RETRIED = {
    "rate_limited": Case(fault(kind="rate_limited", retry_after=0.01), None, True, logged=2),
}


async def settle(fake: FakeSimotel, endpoint_id: str, logged: int) -> list[Any]:
    """The fake's log of ``endpoint_id`` once it holds ``logged`` requests (or after 3 s)."""
    deadline = time.monotonic() + 3
    while True:
        seen = [r for r in fake.requests if r.endpoint_id == endpoint_id]
        if len(seen) >= logged or time.monotonic() > deadline:
            await asyncio.sleep(0.05)  # anything more would show now
            return [r for r in fake.requests if r.endpoint_id == endpoint_id]
        await asyncio.sleep(0.01)


async def run_case(
    server: FakeServer,
    endpoint_id: str,
    case: Case,
    expected: tuple[State, State],
    *,
    url_for: Callable[[str], str] = lambda url: url,
    retry: RetryPolicy = NO_BACKOFF,
    beside: Callable[[AsyncSimotel], Awaitable[None]] | None = None,
    backend: str = "httpx",
) -> tuple[list[str], int]:
    """Problems found (empty: as expected), and the client's retries."""
    fake = new_fake()
    CALLS[endpoint_id](fake)  # files some calls need, stored before the snapshot
    url = url_for(server.mount(case.arm(fake, endpoint_id)))
    timeout = httpx.Timeout(5.0, read=READ_TIMEOUT if case.short_read else 5.0)
    problems: list[str] = []
    outcome: Any = None
    async with AsyncSimotel(
        url,
        username="api",
        password="secret",
        timeout=timeout,
        retry=retry,
        verify=TLS,
        backend=backend,  # type: ignore[arg-type]
    ) as simotel:
        helper = None if beside is None else asyncio.create_task(beside(simotel))
        try:
            outcome = await call(simotel, endpoint_id, fake)
        except SimotelError as error:
            outcome = error
        finally:
            if helper is not None:
                helper.cancel()
                await asyncio.gather(helper, return_exceptions=True)
        retries = simotel.retries
    seen = await settle(fake, endpoint_id, case.logged)
    if case.error is None:
        if isinstance(outcome, BaseException):
            problems.append(f"raised {outcome!r}, expected success")
    elif type(outcome) is not case.error:
        problems.append(f"got {outcome!r}, expected {case.error.__name__}")
    else:
        text = str(outcome)
        if not outcome.outcome_unknown:
            problems.append("outcome_unknown is False")
        if "check before retrying" not in text or endpoint_id not in text:
            problems.append(f"message does not say to check {endpoint_id}: {text!r}")
        if "may have" not in text:
            problems.append(f"message does not say it may have happened: {text!r}")
    if len(seen) != case.logged:
        problems.append(f"server saw {len(seen)} requests, expected {case.logged}")
    before, after = expected
    state = State.of(fake)
    if case.done and (diff := state.differences(after)):
        problems.append(f"the work was not done exactly once: {diff} differ")
    if not case.done and (diff := state.differences(before)):
        problems.append(f"the server did work it should not have: {diff} changed")
    return [f"{endpoint_id}: {p}" for p in problems], retries


async def run_everywhere(
    server: FakeServer,
    case: Case,
    states: dict[str, tuple[State, State]],
    **options: Any,
) -> tuple[list[str], list[int], float]:
    started = time.perf_counter()
    results = await asyncio.gather(
        *(run_case(server, e, case, states[e], **options) for e in UNSAFE)
    )
    took = time.perf_counter() - started
    problems = [p for found, _ in results for p in found]
    return problems, [retries for _, retries in results], took


def show(name: str, problems: list[str], retries: list[int], took: float) -> None:
    wrong = {problem.split(":")[0] for problem in problems}
    print(
        f"\n{name}: {len(UNSAFE)} unsafe endpoints, {len(UNSAFE) - len(wrong)} as expected, "
        f"retries {sum(retries)}, {took:.2f} s"
    )


@pytest.mark.parametrize("kind", list(AFTER))
async def test_a_fault_after_the_work_is_seen_once_and_reported_unknown(
    server: FakeServer, states: dict[str, tuple[State, State]], kind: str, backend: str
) -> None:
    problems, retries, took = await run_everywhere(server, AFTER[kind], states, backend=backend)
    show(kind, problems, retries, took)
    assert not problems, "\n".join(problems)
    assert retries == [0] * len(UNSAFE), "an unsafe call is never re-sent after the work"


@pytest.mark.parametrize("kind", list(SENT_NOT_DONE))
async def test_a_break_after_sending_is_not_resent_and_reported_unknown(
    server: FakeServer, states: dict[str, tuple[State, State]], kind: str, backend: str
) -> None:
    problems, retries, took = await run_everywhere(
        server, SENT_NOT_DONE[kind], states, backend=backend
    )
    show(kind, problems, retries, took)
    assert not problems, "\n".join(problems)
    assert retries == [0] * len(UNSAFE)


async def test_a_429_is_retried_and_the_work_done_once(
    server: FakeServer, states: dict[str, tuple[State, State]], backend: str
) -> None:
    problems, retries, took = await run_everywhere(
        server, RETRIED["rate_limited"], states, backend=backend
    )
    show("rate_limited", problems, retries, took)
    assert not problems, "\n".join(problems)
    assert retries == [1] * len(UNSAFE)


# -- a connection refused: provably nothing sent -------------------------------------------


class Gate:
    """A port that refuses connections (bound, not listening) until :meth:`open`, then
    forwards each connection to port ``target``."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self._server: asyncio.Server | None = None

    def url(self, url: str) -> str:
        """``url`` (of the target) through this gate."""
        return url.replace(f":{self.target}/", f":{self.port}/")

    async def open(self) -> None:
        self._server = await asyncio.start_server(self._forward, sock=self.sock)

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except OSError:
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def aclose(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self.sock.close()


async def test_a_refused_connection_is_retried_and_the_work_done_once(
    server: FakeServer, states: dict[str, tuple[State, State]], backend: str
) -> None:
    refused = Case(lambda fake, _: fake.asgi_app, None, True)
    patient = RetryPolicy(attempts=100, backoff_initial=0.01, backoff_max=0.01)

    async def through_gate(endpoint_id: str) -> tuple[list[str], int]:
        gate = Gate(server.port)

        async def open_when_retrying(simotel: AsyncSimotel) -> None:
            # Opened only once the client was refused at least once and is retrying.
            while simotel.retries < 1:
                await asyncio.sleep(0.005)
            await gate.open()

        try:
            return await run_case(
                server,
                endpoint_id,
                refused,
                states[endpoint_id],
                url_for=gate.url,
                retry=patient,
                beside=open_when_retrying,
                backend=backend,
            )
        finally:
            await gate.aclose()

    started = time.perf_counter()
    results = await asyncio.gather(*(through_gate(e) for e in UNSAFE))
    took = time.perf_counter() - started
    problems = [p for found, _ in results for p in found]
    retries = [r for _, r in results]
    show("connection refused", problems, retries, took)
    assert not problems, "\n".join(problems)
    assert all(r >= 1 for r in retries), retries
