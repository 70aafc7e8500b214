"""FakeSimotel: the HTTP face of the fake PBX (auth, errors, faults, latency, the log)."""

from __future__ import annotations

import asyncio
import copy
import hmac
import ipaddress
import random
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import attrs
import httpx

from ._calendar import TEHRAN, time_key, time_key_of_value
from ._catalog import ENDPOINTS, endpoint
from ._data import COLLECTIONS, DERIVED, Seeder
from ._faults import BEFORE_KINDS, DROPPING_KINDS, HUGE_RETRY_AFTER, KINDS, Fault, FaultKind
from ._files import StoredFile
from ._handlers import OriginatedCall, PageServed, Pbx
from ._http import (
    Answer,
    Dropped,
    Resolution,
    basic_matches,
    decode_body,
    envelope,
    error,
    file_answer,
    json_answer,
    not_found,
    resolve,
)
from ._protocol import Call, FileReply, Missing, Ok, OperationFailed, Raw
from ._store import Database

if TYPE_CHECKING:
    from ._asgi import FakeASGIApp

__all__ = ["AuthMode", "FakeSimotel", "LoggedRequest"]

AuthMode = Literal["basic", "apikey", "both"]

_DEFAULT_NOW = datetime(2024, 5, 1, 12, 0, tzinfo=TEHRAN)
_MISSING = "BasicAuth or ApiKey is missing"
_INVALID = "BasicAuth or ApiKey is invalid"
_NetworkList = list[ipaddress.IPv4Network | ipaddress.IPv6Network]


@attrs.frozen(kw_only=True)
class LoggedRequest:
    """One request the fake received, as :attr:`FakeSimotel.requests` records it.

    ``json`` is the decoded body (``None`` for uploads and bodies that are not JSON);
    ``status`` is ``None`` when an injected connection fault ate the response.
    """

    number: int
    method: str
    path: str
    api_version: str | None
    endpoint_id: str | None
    json: Any
    headers: httpx.Headers = attrs.field(repr=False)
    client_ip: str
    status: int | None
    fault: Fault | None = None


def _seconds(value: float | timedelta, name: str = "latency") -> float:
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    if seconds < 0:
        raise ValueError(f"{name} cannot be negative")
    return seconds


def _networks(values: Iterable[str] | None) -> _NetworkList | None:
    if values is None:
        return None
    if isinstance(values, str):
        raise TypeError("allowed_ips must be a collection of addresses, not one string")
    return [ipaddress.ip_network(v, strict=False) for v in values]


class FakeSimotel:
    """An in-memory, stateful Simotel server for tests, demos and benchmarks.

    Every catalogued endpoint works in v4 and v3 form, with Simotel's envelopes, error
    answers, pagination, cursors, uploads and downloads, over seeded realistic data::

        fake = FakeSimotel(seed=1, cdr=10_000)
        async with AsyncSimotel(fake.url, username="api", password="secret",
                                transport=fake.transport()) as simotel:
            ...

    Args:
        seed: seeds every generated record, id and file name.
        cdr, users, queues: how many CDR rows, extensions and queues to generate
            (queue, queue-detail and poll rows come from the queue calls in the CDR).
        counts: record counts for any other collection, by name (see ``collections``).
        days: how many days of call history before ``now`` to spread calls over.
        now: the server's clock at start (default 2024-05-01 12:00; naive means Tehran
            time); it moves one second per write.
        username, password, api_key: the API account's credentials.
        auth: what the account requires: ``"basic"``, ``"apikey"`` or ``"both"``.
        permissions: endpoint ids the account may call (``None``: all).
        allowed_ips: client addresses or networks allowed (``None``: all).
        latency: seconds (or ``timedelta``) every request waits before it is handled.
        sleep: the coroutine used for latency, drips and (through ``transport()``)
            hangs (inject a fake clock in tests).

    Faults (:meth:`fail`, details in :class:`Fault`) act alike through ``transport()``
    and over real HTTP (``asgi_app`` under uvicorn). Before the work, so the PBX did
    nothing: ``"status"`` (an error answer, 503 by default), ``"rate_limited"`` (429
    with a huge ``Retry-After``, in seconds or as an HTTP date), ``"connect_error"``,
    ``"reset_before"`` (TCP reset), ``"close_before"`` (closed without an answer),
    ``"hang_before"`` (no answer, ever). After the work, so the PBX did it but the
    client cannot tell: ``"timeout"``, ``"reset_after"``, ``"close_after"`` (alias
    ``"disconnect"``), ``"hang_after"``, ``"truncate"`` (headers with the full length,
    half the body, then the connection closes), ``"drip"`` (headers, then one byte
    every ``interval`` seconds) and ``"malformed"`` (a body that is not JSON).

    Seeded content the README's examples rely on, whatever the seed (with the default
    ``users`` and ``queues``): extensions ``100``..``119``, of which ``101`` is in no
    queue (ready for ``add_agent``); queues ``2000``..``2003``; and with the default
    ``now`` and ``days``, 500 calls spread evenly from 2024-02-01 12:00 to 2024-05-01
    12:00 server time: at least 4 on every day (about 172 in March 2024).
    """

    #: A base URL for clients; the fake answers on any host.
    url = "http://simotel.test"

    def __init__(
        self,
        *,
        seed: int = 0,
        cdr: int = 500,
        users: int = 20,
        queues: int = 4,
        counts: Mapping[str, int] | None = None,
        days: int = 90,
        now: datetime | None = None,
        username: str = "api",
        password: str = "secret",
        api_key: str = "KEY",
        auth: AuthMode = "basic",
        permissions: Collection[str] | None = None,
        allowed_ips: Collection[str] | None = None,
        latency: float | timedelta = 0.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        sizes = {**COLLECTIONS, "reports.cdr": cdr, "pbx.users": users, "pbx.queues": queues}
        for name, count in (counts or {}).items():
            if name not in COLLECTIONS or name in DERIVED:
                settable = sorted(set(COLLECTIONS) - DERIVED)
                raise ValueError(f"cannot set a count for {name!r}; choose from {settable}")
            sizes[name] = count
        if any(n < 0 for n in sizes.values()) or days < 1:
            raise ValueError("counts cannot be negative and days must be at least 1")
        start = now or _DEFAULT_NOW
        if start.tzinfo is None:
            start = start.replace(tzinfo=TEHRAN)
        self._db = Database(random.Random(seed), start.timestamp())
        self._seeder = Seeder(self._db, sizes, days)
        self._seeder.populate()
        self._pbx = Pbx(self._db, self._seeder)
        self.username = username
        self.password = password
        self.api_key = api_key
        self.auth = auth
        self.permissions = permissions
        self.allowed_ips = allowed_ips
        self.latency = latency
        self._sleep = sleep
        self._faults: list[Fault] = []
        #: Every request received, oldest first (clear it freely).
        self.requests: list[LoggedRequest] = []
        #: How many requests the fake has received.
        self.request_count = 0
        #: Requests being handled right now, and the most there ever were at once
        #: (requests only overlap while they wait out ``latency``).
        self.in_flight = 0
        self.max_in_flight = 0
        self._asgi: FakeASGIApp | None = None

    def __repr__(self) -> str:
        return f"<FakeSimotel auth={self._auth!r} requests={self.request_count}>"

    # -- account and knobs -----------------------------------------------------------

    @property
    def auth(self) -> AuthMode:
        """Which credentials the API account requires: basic, apikey or both."""
        return self._auth

    @auth.setter
    def auth(self, value: AuthMode) -> None:
        if value not in ("basic", "apikey", "both"):
            raise ValueError("auth must be 'basic', 'apikey' or 'both'")
        self._auth: AuthMode = value

    @property
    def permissions(self) -> frozenset[str] | None:
        """Endpoint ids the account may call; ``None`` allows everything."""
        return self._permissions

    @permissions.setter
    def permissions(self, value: Collection[str] | None) -> None:
        if value is not None:
            value = frozenset(endpoint(endpoint_id).id for endpoint_id in value)
        self._permissions = value

    @property
    def allowed_ips(self) -> tuple[str, ...] | None:
        """Client addresses or networks allowed in; ``None`` allows every address."""
        return None if self._networks is None else tuple(str(n) for n in self._networks)

    @allowed_ips.setter
    def allowed_ips(self, value: Collection[str] | None) -> None:
        self._networks = _networks(value)

    @property
    def latency(self) -> float:
        """Seconds each request waits (through the injected ``sleep``) before it is handled."""
        return self._latency

    @latency.setter
    def latency(self, value: float | timedelta) -> None:
        self._latency = _seconds(value)

    @property
    def max_page_size(self) -> int | None:
        """Cap on records per page of a paginated search (``None``: what was asked)."""
        return self._pbx.max_page_size

    @max_page_size.setter
    def max_page_size(self, value: int | None) -> None:
        if value is not None and value < 1:
            raise ValueError("max_page_size must be at least 1")
        self._pbx.max_page_size = value

    # -- adapters --------------------------------------------------------------------

    def transport(self, *, client_ip: str = "127.0.0.1") -> httpx.AsyncBaseTransport:
        """An httpx transport that calls the fake in-process (no sockets)."""
        from ._transport import FakeTransport

        return FakeTransport(self, client_ip=client_ip)

    @property
    def asgi_app(self) -> FakeASGIApp:
        """The fake as an ASGI application (for uvicorn or ``httpx.ASGITransport``)."""
        if self._asgi is None:
            from ._asgi import FakeASGIApp

            self._asgi = FakeASGIApp(self)
        return self._asgi

    # -- faults and pagination hooks -------------------------------------------------

    def fail(
        self,
        endpoint_id: str | None = None,
        *,
        status: int | None = None,
        times: int | None = 1,
        on_request: int | None = None,
        kind: FaultKind = "status",
        retry_after: float | str | datetime | None = None,
        message: str | None = None,
        interval: float | timedelta = 1.0,
    ) -> Fault:
        """Arm a failure; see :class:`Fault` for the kinds. Returns it (``.hits`` counts).

        ``fake.fail("reports.cdr.search", status=503, times=2)`` fails the next two CDR
        searches; ``fake.fail(on_request=3, kind="connect_error")`` breaks the third
        request the fake receives, whatever it is; ``fake.fail(kind="rate_limited",
        retry_after=datetime(2099, 1, 1, tzinfo=timezone.utc))`` answers 429 with
        ``Retry-After: Thu, 01 Jan 2099 00:00:00 GMT``; ``fake.fail("pbx.users.add",
        kind="truncate")`` adds the user, then cuts the answer off. ``interval`` is the
        pause before each byte of a ``"drip"``.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; choose from {sorted(KINDS)}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for ever)")
        default_status = {"malformed": 200, "rate_limited": 429}.get(kind, 503)
        if kind == "rate_limited" and retry_after is None:
            retry_after = HUGE_RETRY_AFTER
        fault = Fault(
            kind=kind,
            endpoint_id=None if endpoint_id is None else endpoint(endpoint_id).id,
            status=status if status is not None else default_status,
            times=times,
            on_request=on_request,
            retry_after=retry_after,
            message=message,
            interval=_seconds(interval, "interval"),
        )
        self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Disarm every injected failure."""
        self._faults.clear()

    def on_page(self, callback: Callable[[PageServed], None]) -> Callable[[PageServed], None]:
        """Call ``callback(page)`` after every page of a paginated search or cursor.

        The callback may change data (``fake.insert``, ``fake.delete``): the change
        shows from the next page on, as when records arrive during a walk.
        Returns the callback, so this works as a decorator.
        """
        self._pbx.page_hooks.append(callback)
        return callback

    def insert_during_pagination(
        self, endpoint_id: str, *, after_page: int = 1, count: int = 1
    ) -> None:
        """After page ``after_page`` of ``endpoint_id``, insert ``count`` new records.

        The records are the newest, so under the default newest-first sorting they
        push everything one place down: the next page repeats records already served
        and ``total`` grows.
        """
        spec = endpoint(endpoint_id)
        if spec.kind not in ("search", "ordered"):
            raise ValueError(f"{endpoint_id} is not a paginated search or cursor")
        seen = 0

        def insert(page: PageServed) -> None:
            nonlocal seen
            if page.endpoint_id != spec.id:
                return
            seen += 1
            if seen == after_page:
                self._pbx.page_hooks.remove(insert)
                for _ in range(count):
                    self.insert(page.collection)

        self._pbx.page_hooks.append(insert)

    # -- data ------------------------------------------------------------------------

    @property
    def collections(self) -> tuple[str, ...]:
        """Names of the record collections (``"pbx.users"``, ``"reports.cdr"``, ...)."""
        return tuple(COLLECTIONS)

    def _collection(self, name: str) -> str:
        if name not in COLLECTIONS:
            raise ValueError(f"unknown collection {name!r}; choose from {list(COLLECTIONS)}")
        return name

    def records(self, collection: str) -> list[dict[str, Any]]:
        """Copies of the stored records of a collection, oldest first (secrets unmasked)."""
        return copy.deepcopy(list(self._db[self._collection(collection)]))

    def insert(
        self, collection: str, record: Mapping[str, Any] | None = None, /, **fields: Any
    ) -> dict[str, Any]:
        """Store a record and return a copy with its ``_id``.

        Without ``record`` a realistic one is generated (the newest); ``fields`` then
        override its values. A given ``record`` is stored as is, plus ``fields`` and a
        fresh ``_id`` when it has none; its first date value places it in time for
        ``date_range`` filters.
        """
        name = self._collection(collection)
        when = self._db.tick()
        if record is None:
            stored = self._seeder.add(name, when)
            if fields:
                stored = {**stored, **fields, "_id": stored["_id"]}
                self._db[name].replace(stored)
            return copy.deepcopy(stored)
        doc = {**record, **fields}
        key = next((k for v in doc.values() if (k := time_key_of_value(v)) is not None), None)
        if "_id" not in doc:
            doc = {"_id": self._db.ids.new(when), **doc}
        stored = self._db[name].insert(doc, key or time_key(when))
        return copy.deepcopy(stored)

    def delete(self, collection: str, record_id: str) -> bool:
        """Remove a record; ``False`` when there was none."""
        return self._db[self._collection(collection)].delete(record_id)

    @property
    def files(self) -> Mapping[str, StoredFile]:
        """Files the server holds, by name (recordings, voicemails, faxes, uploads)."""
        return dict(self._db.files)

    def add_file(self, name: str, data_or_size: bytes | int) -> StoredFile:
        """Store a downloadable file: its bytes, or a size for generated filler."""
        stored = self._db.files[name] = StoredFile.of(name, data_or_size)
        return stored

    @property
    def originated_calls(self) -> list[OriginatedCall]:
        """Calls placed through ``call.originate``, oldest first."""
        return self._pbx.originated_calls

    # -- the core ----------------------------------------------------------------------

    async def _handle(
        self,
        method: str,
        path: str,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        client_ip: str,
    ) -> tuple[Answer | Dropped, Fault | None]:
        self.request_count += 1
        number = self.request_count
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self._latency:
                await self._sleep(self._latency)
            return self._respond(
                number, method, path, httpx.Headers(list(headers)), body, client_ip
            )
        finally:
            self.in_flight -= 1

    def _respond(
        self,
        number: int,
        method: str,
        path: str,
        headers: httpx.Headers,
        body: bytes,
        client_ip: str,
    ) -> tuple[Answer | Dropped, Fault | None]:
        path = path.split("?", 1)[0]
        where = resolve(method, path)
        fault = next((f for f in self._faults if f.matches(number, where.endpoint_ids)), None)
        parsed: list[Any] = [None]
        outcome: Answer | Dropped
        if fault is not None:
            fault.hits += 1
        if fault is not None and fault.kind in BEFORE_KINDS:
            if fault.kind in DROPPING_KINDS:
                outcome = Dropped(fault.kind)
            else:
                outcome = error(fault.status, fault.message, retry_after=fault.retry_after)
        else:
            outcome = self._answer(method, where, headers, body, client_ip, parsed)
            if fault is not None:
                outcome = _after_the_work(outcome, fault)
        self.requests.append(
            LoggedRequest(
                number=number,
                method=method.upper(),
                path=path,
                api_version=where.api_version,
                endpoint_id=where.endpoint_ids[0] if where.endpoint_ids else None,
                json=parsed[0],
                headers=headers,
                client_ip=client_ip,
                status=outcome.status if isinstance(outcome, Answer) else None,
                fault=fault,
            )
        )
        return outcome, fault

    def _authenticate(self, headers: httpx.Headers) -> str | None:
        authorization, key = headers.get("authorization"), headers.get("x-apikey")
        if not authorization and not key:
            return _MISSING
        basic_ok = basic_matches(authorization, self.username, self.password)
        key_ok = key is not None and hmac.compare_digest(key.encode(), self.api_key.encode())
        passed = {"basic": basic_ok, "apikey": key_ok, "both": basic_ok and key_ok}[self._auth]
        return None if passed else _INVALID

    def _ip_allowed(self, client_ip: str) -> bool:
        if self._networks is None:
            return True
        try:
            address = ipaddress.ip_address(client_ip)
        except ValueError:
            return False
        return any(address in network for network in self._networks)

    def _answer(
        self,
        method: str,
        where: Resolution,
        headers: httpx.Headers,
        body: bytes,
        client_ip: str,
        parsed: list[Any],
    ) -> Answer:
        if where.api_version is None or where.service is None:
            return not_found()
        if not self._ip_allowed(client_ip):
            return error(403, "IP is not permitted")
        problem = self._authenticate(headers)
        if problem is not None:
            return error(401, problem)
        if not where.known_service:
            return error(501, "Requested service dose not exist")
        if not where.endpoint_ids:
            return error(405, "Method not allowed")
        if self._permissions is not None and not self._permissions.intersection(where.endpoint_ids):
            return error(403, f'"/{where.service}";Access denied')
        spec = ENDPOINTS[where.endpoint_ids[0]]
        decoded = decode_body(spec.kind, headers, body)
        if isinstance(decoded, Answer):
            return decoded
        parsed[0] = decoded.json
        call = Call(spec.id, where.api_version, decoded.json or {}, decoded.uploads)
        try:
            reply = self._pbx.dispatch(call)
        except OperationFailed as failed:
            return envelope(0, failed.message, failed.data)
        if isinstance(reply, Ok):
            return envelope(1, reply.message, reply.data)
        if isinstance(reply, Raw):
            return json_answer(reply.payload)
        if isinstance(reply, FileReply):
            return file_answer(reply.file)
        assert isinstance(reply, Missing)
        return not_found()


def _after_the_work(answer: Answer, fault: Fault) -> Answer | Dropped:
    if fault.kind in DROPPING_KINDS:
        return Dropped(fault.kind)
    if fault.kind == "truncate":
        return attrs.evolve(answer, cut_at=answer.size // 2)
    if fault.kind == "drip":
        return attrs.evolve(answer, drip=fault.interval)
    return _malformed(answer, fault.status)


def _malformed(answer: Answer, status: int) -> Answer:
    body = answer.body[: len(answer.body) // 2] if answer.file is None else b""
    body = body or b'{"success": 1, "mess'
    return Answer(
        status, (("content-type", "application/json"), ("content-length", str(len(body)))), body
    )
