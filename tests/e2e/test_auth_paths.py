"""Every way a call fails, end to end: the fake's answer and the SDK's exception for it.

Authentication (Basic, API key, both), per-endpoint permissions, allowed IPs, the
protocol errors (400, 404, 405, 415, 501), retries of injected 5xx and 429 answers, and
broken connections and bodies -- all through the real client; requests the client would
never send are made by a :class:`Rewrite` transport between the client and the fake.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from simotel_async import (
    AsyncSimotel,
    AuthenticationError,
    BadRequestError,
    IPNotPermittedError,
    MethodNotAllowedError,
    NotFoundError,
    OperationFailedError,
    PermissionDeniedError,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    ServiceNotFoundError,
    SimotelConnectionError,
    SimotelResponseError,
    SimotelTimeoutError,
    UnsupportedMediaTypeError,
)
from simotel_async.testing import AuthMode, FakeSimotel

BASIC: dict[str, Any] = {"username": "api", "password": "secret"}
KEY: dict[str, Any] = {"api_key": "KEY"}
BOTH: dict[str, Any] = {**BASIC, **KEY}
# Retries without waiting: full jitter over a zero window.
NO_WAIT = RetryPolicy(backoff_initial=0)


class DroppingProxy(httpx.AsyncBaseTransport):
    """A proxy in front of the fake that strips headers, as a misconfigured one does."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *drop: str) -> None:
        self._inner = inner
        self._drop = drop

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for name in self._drop:
            request.headers.pop(name, None)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class Rewrite(httpx.AsyncBaseTransport):
    """Replaces the client's request line and body (keeping its credentials)."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        method: str,
        path: str,
        content: bytes,
        **headers: str,
    ) -> None:
        self._inner = inner
        self._method, self._path, self._content, self._headers = method, path, content, headers

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        headers = {k: v for k, v in request.headers.items() if k != "content-length"}
        rewritten = httpx.Request(
            self._method,
            request.url.copy_with(raw_path=self._path.encode()),
            headers={**headers, **self._headers},
            content=self._content,
        )
        return await self._inner.handle_async_request(rewritten)

    async def aclose(self) -> None:
        await self._inner.aclose()


@asynccontextmanager
async def client(
    fake: FakeSimotel,
    credentials: dict[str, Any] = BASIC,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    **options: Any,
) -> AsyncIterator[AsyncSimotel]:
    async with AsyncSimotel(
        fake.url, **credentials, transport=transport or fake.transport(), **options
    ) as simotel:
        yield simotel


def statuses(fake: FakeSimotel, endpoint_id: str | None = None) -> list[int | None]:
    """The statuses the fake answered (``None``: the connection broke), oldest first."""
    return [r.status for r in fake.requests if endpoint_id is None or r.endpoint_id == endpoint_id]


# -- authentication ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "credentials", "headers"),
    [
        ("basic", BASIC, {"authorization"}),
        ("apikey", KEY, {"x-apikey"}),
        ("both", BOTH, {"authorization", "x-apikey"}),
        # Sending both satisfies an account set to either.
        ("basic", BOTH, {"authorization", "x-apikey"}),
        ("apikey", BOTH, {"authorization", "x-apikey"}),
    ],
)
async def test_right_credentials_succeed(
    mode: AuthMode, credentials: dict[str, Any], headers: set[str]
) -> None:
    fake = FakeSimotel(auth=mode, cdr=60)
    async with client(fake, credentials) as simotel:
        await simotel.ping()
        users = await simotel.pbx.users.search()
    assert len(users) == len(fake.records("pbx.users"))
    sent = {name for name in ("authorization", "x-apikey") if name in fake.requests[0].headers}
    assert sent == headers
    assert statuses(fake) == [200, 200]


@pytest.mark.parametrize("mode", ["basic", "apikey", "both"])
async def test_missing_credentials(mode: AuthMode) -> None:
    fake = FakeSimotel(auth=mode, cdr=60)
    proxy = DroppingProxy(fake.transport(), "authorization", "x-apikey")
    async with client(fake, BOTH, transport=proxy) as simotel:
        with pytest.raises(AuthenticationError) as caught:
            await simotel.pbx.users.search()
    error = caught.value
    assert "missing" in error.message
    assert (error.status_code, error.endpoint) == (401, "pbx.users.search")
    assert "POST http://simotel.test/api/v4/pbx/users/search" in str(error)
    assert statuses(fake) == [401]  # never retried


@pytest.mark.parametrize(
    ("mode", "credentials"),
    [
        ("basic", {"username": "api", "password": "wrong"}),
        ("basic", {"username": "root", "password": "secret"}),
        ("basic", KEY),
        ("apikey", {"api_key": "WRONG"}),
        ("apikey", BASIC),
        ("both", BASIC),
        ("both", KEY),
        ("both", {**BASIC, "api_key": "WRONG"}),
        ("both", {"username": "api", "password": "wrong", **KEY}),
    ],
)
async def test_wrong_or_incomplete_credentials(mode: AuthMode, credentials: dict[str, Any]) -> None:
    fake = FakeSimotel(auth=mode, cdr=60)
    async with client(fake, credentials) as simotel:
        with pytest.raises(AuthenticationError) as caught:
            await simotel.ping()
    assert "invalid" in caught.value.message
    assert caught.value.status_code == 401
    assert statuses(fake) == [401]


async def test_a_password_in_the_url_never_shows_in_the_error() -> None:
    fake = FakeSimotel(cdr=60)
    async with AsyncSimotel(
        "http://api:hunter2@simotel.test", transport=fake.transport()
    ) as simotel:
        with pytest.raises(AuthenticationError) as caught:
            await simotel.ping()
    assert "hunter2" not in str(caught.value)
    assert "invalid" in caught.value.message
    async with AsyncSimotel("http://api:secret@simotel.test", transport=fake.transport()) as ok:
        await ok.ping()
    assert statuses(fake) == [401, 200]


# -- permissions and allowed IPs ---------------------------------------------------------


@pytest.mark.parametrize(("version", "path"), [("v4", "/pbx/trunks/search"), ("v3", "/pbx/trunks")])
async def test_an_endpoint_outside_the_account_permissions(version: str, path: str) -> None:
    fake = FakeSimotel(cdr=60, permissions={"pbx.users.search", "reports.cdr.ordered"})
    async with client(fake, api_version=version) as simotel:
        assert await simotel.pbx.users.search()
        with pytest.raises(PermissionDeniedError) as caught:
            await simotel.pbx.trunks.search()
        with pytest.raises(PermissionDeniedError):
            await simotel.reports.cdr.search(date_from="2024-01-01", date_to="2024-05-01").to_list()
        assert len(await simotel.reports.cdr.ordered().to_list()) == 60
    error = caught.value
    assert not isinstance(error, IPNotPermittedError)
    assert (error.status_code, error.endpoint) == (403, "pbx.trunks.search")
    assert path in error.message
    assert "permissions" in str(error)  # the hint says where to fix it
    assert statuses(fake, "pbx.trunks.search") == [403]


async def test_the_voicemail_permission_covers_its_shared_v4_route() -> None:
    fake = FakeSimotel(cdr=60, permissions={"voicemails.inbox.download"})
    name = next(m["filename"] for m in fake.records("voicemails.inbox") if m.get("filename"))
    async with client(fake) as simotel:
        dest = io.BytesIO()
        assert await simotel.voicemails.inbox.download(file=name, dest=dest) > 0
    assert dest.getvalue() == fake.files[name].content()


@pytest.mark.parametrize("client_ip", ["10.1.2.3", "192.168.1.7"])
async def test_an_allowed_ip_gets_in(client_ip: str) -> None:
    fake = FakeSimotel(cdr=60, allowed_ips=["10.0.0.0/8", "192.168.1.7"])
    async with client(fake, transport=fake.transport(client_ip=client_ip)) as simotel:
        await simotel.ping()
    assert [(r.client_ip, r.status) for r in fake.requests] == [(client_ip, 200)]


@pytest.mark.parametrize("client_ip", ["192.168.1.8", "172.16.0.1", "::1"])
async def test_a_foreign_ip_is_refused(client_ip: str) -> None:
    fake = FakeSimotel(cdr=60, allowed_ips=["10.0.0.0/8", "192.168.1.7"])
    async with client(fake, transport=fake.transport(client_ip=client_ip)) as simotel:
        with pytest.raises(IPNotPermittedError) as caught:
            await simotel.pbx.users.search()
    error = caught.value
    assert isinstance(error, PermissionDeniedError)
    assert (error.status_code, error.message) == (403, "IP is not permitted")
    assert "Allowed IPs" in str(error)
    assert statuses(fake) == [403]


# -- protocol errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "endpoint_id", "method", "path"),
    [
        ("v4", "pbx.users.search", "PUT", "/api/v4/pbx/users/search"),
        ("v3", "reports.quick.info", "DELETE", "/api/v3/reports/quick/info"),
    ],
)
async def test_a_method_override_the_server_refuses(
    version: str, endpoint_id: str, method: str, path: str
) -> None:
    fake = FakeSimotel(cdr=60)
    async with client(fake, api_version=version, methods={endpoint_id: method}) as simotel:
        with pytest.raises(MethodNotAllowedError) as caught:
            await simotel.request(endpoint_id, {"cuid": "1", "alike": True})
    assert (caught.value.status_code, caught.value.endpoint) == (405, endpoint_id)
    [logged] = fake.requests
    assert (logged.method, logged.path, logged.endpoint_id) == (method, path, None)


async def test_a_method_override_the_server_accepts() -> None:
    fake = FakeSimotel(cdr=60)
    async with client(fake, methods={"setting.ping": "PUT"}) as simotel:
        await simotel.setting.ping()
    [logged] = fake.requests
    assert (logged.method, logged.endpoint_id, logged.status) == ("PUT", "setting.ping", 200)


async def test_json_sent_to_an_upload_endpoint_is_unsupported_media() -> None:
    fake = FakeSimotel(cdr=60)
    async with client(fake) as simotel:
        with pytest.raises(UnsupportedMediaTypeError) as caught:
            await simotel.request("pbx.announcements.upload", {"file": "greeting.wav"})
    assert (caught.value.status_code, caught.value.message) == (415, "Unsupported Media Type")
    assert statuses(fake) == [415]


async def test_a_base_url_that_is_not_the_api_is_not_found() -> None:
    fake = FakeSimotel(cdr=60)
    async with AsyncSimotel(
        "http://simotel.test/panel", **BASIC, transport=fake.transport()
    ) as simotel:
        with pytest.raises(NotFoundError) as caught:
            await simotel.ping()
    assert caught.value.status_code == 404
    assert fake.requests[0].path == "/panel/api/v4/setting/ping/act"


@pytest.mark.parametrize(
    ("method", "path", "headers", "content", "status", "error", "message"),
    [
        (
            "POST",
            "/api/v4/pbx/users/search",
            {"content-type": "application/json"},
            b'{"alike": ',
            400,
            BadRequestError,
            "Unable to parse content",
        ),
        (
            "GET",
            "/api/v3/pbx/users",
            {"content-type": "application/json"},
            b"[1, 2]",
            400,
            BadRequestError,
            "Unable to parse content",
        ),
        (
            "POST",
            "/api/v4/pbx/users/search",
            {"content-type": "text/plain"},
            b"alike=true",
            415,
            UnsupportedMediaTypeError,
            "Unsupported Media Type",
        ),
        (
            "POST",
            "/api/v4/pbx/gateways/search",
            {"content-type": "application/json"},
            b"{}",
            501,
            ServiceNotFoundError,
            "Requested service dose not exist",
        ),
        (
            "GET",
            "/api/v3/pbx/gateways",
            {"content-type": "application/json"},
            b"{}",
            501,
            ServiceNotFoundError,
            "Requested service dose not exist",
        ),
        (
            "POST",
            "/api/v2/pbx/users/search",
            {"content-type": "application/json"},
            b"{}",
            404,
            NotFoundError,
            "not found",
        ),
    ],
)
async def test_raw_answers_map_to_their_errors(
    method: str,
    path: str,
    headers: dict[str, str],
    content: bytes,
    status: int,
    error: type[Exception],
    message: str,
) -> None:
    fake = FakeSimotel(cdr=60)
    rewrite = Rewrite(fake.transport(), method, path, content, **headers)
    async with client(fake, transport=rewrite) as simotel:
        with pytest.raises(error) as caught:
            await simotel.request("pbx.users.search", {"alike": True})
    assert message in str(caught.value)
    assert getattr(caught.value, "status_code", None) == status
    assert statuses(fake) == [status]


@pytest.mark.parametrize("version", ["v4", "v3"])
async def test_downloading_a_missing_file_names_it(version: str, tmp_path: Any) -> None:
    fake = FakeSimotel(cdr=60)
    dest = tmp_path / "call.mp3"
    async with client(fake, api_version=version) as simotel:
        with pytest.raises(NotFoundError) as caught:
            await simotel.reports.audio.download(file="20240501_gone.mp3", dest=dest)
        with pytest.raises(NotFoundError) as fax:
            await simotel.pbx.faxes.download(id="0123456789abcdef01234567", dest=io.BytesIO())
    assert "'20240501_gone.mp3'" in str(caught.value)
    assert caught.value.status_code == 404
    assert "'0123456789abcdef01234567'" in str(fax.value)
    assert list(tmp_path.iterdir()) == []  # nothing written under the destination's name
    assert statuses(fake) == [404, 404]  # a 404 is not retried


async def test_an_operation_the_server_refuses() -> None:
    fake = FakeSimotel(cdr=60)
    taken = fake.records("pbx.users")[0]["number"]
    async with client(fake) as simotel:
        with pytest.raises(OperationFailedError) as caught:
            await simotel.pbx.users.add(name="Twin", number=taken, secret="x")
    assert (caught.value.status_code, caught.value.message) == (200, "This number already exists")
    assert len(fake.records("pbx.users")) == 20


# -- retries -----------------------------------------------------------------------------


async def test_a_503_on_a_search_is_retried() -> None:
    fake = FakeSimotel(cdr=60)
    fault = fake.fail("pbx.users.search", status=503, times=2)
    async with client(fake, retry=NO_WAIT) as simotel:
        users = await simotel.pbx.users.search()
        assert simotel.retries == 2
    assert [u.id for u in users] == [d["_id"] for d in fake.records("pbx.users")]
    assert statuses(fake) == [503, 503, 200]
    assert fault.hits == 2


async def test_a_503_in_the_middle_of_a_paginated_walk_is_retried() -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail("reports.cdr.search", status=503, on_request=2, times=1)
    async with client(fake, retry=NO_WAIT) as simotel:
        pager = simotel.reports.cdr.search(
            date_from="2024-01-01 00:00", date_to="2024-05-02 00:00", page_size=25
        )
        records = await pager.to_list()
    assert len({r.id for r in records}) == len(records) == 60
    assert statuses(fake) == [200, 503, 200, 200]


async def test_a_503_that_persists_ends_with_server_error() -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail("pbx.users.search", status=503, times=None)
    async with client(fake, retry=RetryPolicy(attempts=3, backoff_initial=0)) as simotel:
        with pytest.raises(ServerError) as caught:
            await simotel.pbx.users.search()
    assert caught.value.status_code == 503
    assert statuses(fake) == [503, 503, 503]


async def test_a_503_on_an_add_is_not_retried() -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail("pbx.trunks.add", status=503)
    async with client(fake, retry=NO_WAIT) as simotel:
        with pytest.raises(ServerError) as caught:
            await simotel.pbx.trunks.add(name="backup")
        assert simotel.retries == 0
    assert (caught.value.status_code, caught.value.endpoint) == (503, "pbx.trunks.add")
    assert statuses(fake) == [503]
    assert "backup" not in [t["name"] for t in fake.records("pbx.trunks")]


async def test_a_429_on_an_add_is_retried_and_the_record_made_once() -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail("pbx.trunks.add", status=429, retry_after=0)
    async with client(fake, retry=NO_WAIT) as simotel:
        result = await simotel.pbx.trunks.add(name="backup")
    assert statuses(fake) == [429, 200]
    assert [t["_id"] for t in fake.records("pbx.trunks") if t["name"] == "backup"] == [result.id]


async def test_a_429_that_persists_ends_with_rate_limited() -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail("pbx.users.search", status=429, times=None, retry_after=0)
    async with client(fake, retry=RetryPolicy(attempts=2, backoff_initial=0)) as simotel:
        with pytest.raises(RateLimitedError) as caught:
            await simotel.pbx.users.search()
    assert (caught.value.status_code, caught.value.retry_after) == (429, 0.0)
    assert statuses(fake) == [429, 429]


async def test_a_503_on_a_download_is_retried(tmp_path: Any) -> None:
    fake = FakeSimotel(cdr=60)
    name = next(c["record"] for c in fake.records("reports.cdr") if c.get("record"))
    fake.fail("reports.audio.download", status=503)
    dest = tmp_path / "call.mp3"
    async with client(fake, retry=NO_WAIT) as simotel:
        size = await simotel.reports.audio.download(file=name, dest=dest)
    assert dest.read_bytes() == fake.files[name].content()
    assert size == fake.files[name].size
    assert statuses(fake) == [503, 200]


# -- broken connections and bodies -------------------------------------------------------

ORIGINATE: dict[str, Any] = {
    "caller": "101",
    "callee": "09123456789",
    "context": "main_routing",
    "caller_id": "02191001000",
}


@pytest.mark.parametrize(
    ("kind", "error"),
    [("disconnect", SimotelConnectionError), ("timeout", SimotelTimeoutError)],
)
async def test_a_broken_originate_is_never_resent(kind: Any, error: type[Exception]) -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail("call.originate", kind=kind)
    async with client(fake, retry=NO_WAIT) as simotel:
        with pytest.raises(error) as caught:
            await simotel.call.originate(**ORIGINATE)
        assert simotel.retries == 0
    if kind == "disconnect":
        assert not isinstance(caught.value, SimotelTimeoutError)
    assert caught.value.endpoint == "call.originate"  # type: ignore[attr-defined]
    assert statuses(fake) == [None]
    # The PBX placed the call before the connection broke: it rang exactly once.
    assert [c.callee for c in fake.originated_calls] == ["09123456789"]


async def test_an_originate_that_never_connected_is_sent_again() -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail("call.originate", kind="connect_error")
    async with client(fake, retry=NO_WAIT) as simotel:
        result = await simotel.call.originate(**ORIGINATE)
    assert statuses(fake) == [None, 200]
    assert [c.originated_call_id for c in fake.originated_calls] == [result.originated_call_id]


@pytest.mark.parametrize("kind", ["disconnect", "timeout", "connect_error"])
async def test_a_broken_search_is_retried(kind: Any) -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail("pbx.queues.search", kind=kind)
    async with client(fake, retry=NO_WAIT) as simotel:
        queues = await simotel.pbx.queues.search()
    assert len(queues) == 4
    assert statuses(fake) == [None, 200]


async def test_a_connection_that_never_comes_up() -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail(kind="connect_error", times=None)
    async with client(fake, retry=RetryPolicy(attempts=2, backoff_initial=0)) as simotel:
        with pytest.raises(SimotelConnectionError) as caught:
            await simotel.ping()
    assert not isinstance(caught.value, SimotelTimeoutError)
    assert "could not reach the server" in str(caught.value)
    assert statuses(fake) == [None, None]


async def test_a_malformed_body_is_retried_for_reads_and_never_for_writes() -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail("pbx.users.search", kind="malformed")
    fake.fail("pbx.trunks.add", kind="malformed")
    async with client(fake, retry=NO_WAIT) as simotel:
        users = await simotel.pbx.users.search()
        with pytest.raises(SimotelResponseError) as caught:
            await simotel.pbx.trunks.add(name="half-answered")
        retries = simotel.retries
    assert len(users) == len(fake.records("pbx.users"))
    assert retries == 1  # the search, once; the add is never re-sent
    assert caught.value.endpoint == "pbx.trunks.add"
    assert caught.value.outcome_unknown is True
    assert "check before retrying" in str(caught.value)
    # The add was done once; only its answer was broken.
    assert [t["name"] for t in fake.records("pbx.trunks")].count("half-answered") == 1


async def test_a_read_that_stays_malformed_is_a_response_error() -> None:
    fake = FakeSimotel(cdr=60)
    fake.fail("pbx.users.search", kind="malformed", times=None)
    async with client(fake, retry=NO_WAIT) as simotel:
        with pytest.raises(SimotelResponseError) as caught:
            await simotel.pbx.users.search()
    assert caught.value.endpoint == "pbx.users.search"
    assert caught.value.outcome_unknown is False
    assert len(statuses(fake)) == NO_WAIT.attempts


async def test_a_malformed_answer_to_a_download_is_a_response_error(tmp_path: Any) -> None:
    fake = FakeSimotel(cdr=60)
    name = next(c["record"] for c in fake.records("reports.cdr") if c.get("record"))
    fake.fail("reports.audio.download", kind="malformed", times=None)
    dest = tmp_path / "call.mp3"
    async with client(fake, retry=NO_WAIT) as simotel:
        with pytest.raises(SimotelResponseError) as caught:
            await simotel.reports.audio.download(file=name, dest=dest)
    assert caught.value.endpoint == "reports.audio.download"
    assert list(tmp_path.iterdir()) == []
    assert len(statuses(fake)) == NO_WAIT.attempts


async def test_credentials_go_through_a_callers_own_httpx_client() -> None:
    fake = FakeSimotel(auth="both", cdr=60)
    async with httpx.AsyncClient(transport=fake.transport()) as own:
        async with AsyncSimotel(fake.url, **BOTH, http_client=own) as simotel:
            await simotel.ping()
        async with AsyncSimotel(fake.url, **BASIC, http_client=own) as simotel:
            with pytest.raises(AuthenticationError):
                await simotel.ping()
        assert not own.is_closed  # the SDK never closes a client it was given
    assert statuses(fake) == [200, 401]
