"""``AsyncSimotel(backend=...)``: the httpx and aiohttp pools behave the same over real sockets.

respx cannot mock aiohttp, so every case here talks to a server on 127.0.0.1: FakeSimotel
under uvicorn, or a raw socket that answers, resets, hangs or counts connections.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import struct
import sys
from typing import Any

import httpx
import pytest

from simotel_async import (
    AsyncSimotel,
    RetryPolicy,
    ServerError,
    SimotelConnectionError,
    SimotelTimeoutError,
)
from simotel_async.testing import FakeSimotel
from tests.reliability.conftest import BACKENDS, HAS_AIOHTTP
from tests.reliability.fake_server import FakeServer
from tests.reliability.hostile_server import ENVELOPE, HostileServer, head, json_reply

KEY = "KEY-backend-1234"
FAST = RetryPolicy(attempts=3, backoff_initial=0, backoff_max=0)
SEARCH = ("reports.cdr.search", {"alike": "true", "conditions": {}})
ORIGINATE = ("call.originate", {"caller": "101", "callee": "102"})
needs_aiohttp = pytest.mark.skipif(not HAS_AIOHTTP, reason="httpx-aiohttp is not installed")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def loopback() -> Any:
    with FakeServer() as server:
        yield server


async def test_a_fake_simotel_over_loopback(backend, loopback) -> None:
    fake = FakeSimotel(seed=3, cdr=120)
    url = loopback.mount(fake.asgi_app)
    async with AsyncSimotel(url, username="api", password="secret", backend=backend) as simotel:
        assert simotel.backend == backend
        await simotel.ping()
        records = await simotel.reports.cdr.search(
            date_from="2000-01-01 00:00", date_to="2100-01-01 00:00", page_size=25, concurrency=4
        ).to_list()
        assert len(records) == 120
        assert len({r.id for r in records}) == 120
        uploaded = await simotel.request_multipart(
            "pbx.announcements.upload", {"file": ("hello.wav", b"RIFF" + bytes(64), "audio/wav")}
        )
        assert uploaded
        status = simotel.pool
        assert status.connections is not None and 1 <= status.connections <= 4
        assert (status.calls_in_flight, status.permits_in_use, status.connections_in_use) == (
            0,
            0,
            0,
        )
    assert simotel.pool.connections == 0


async def test_the_request_on_the_wire(backend) -> None:
    async with (
        HostileServer(lambda r, w: _ok(w)) as server,
        AsyncSimotel(
            server.url.replace("http://", "http://api:s3cret@"), api_key=KEY, backend=backend
        ) as simotel,
    ):
        assert await simotel.request("pbx.users.add", {"name": "Ali", "number": "101"}) == {"ok": 1}
    raw = server.bodies[0]
    head_, _, body = raw.partition(b"\r\n\r\n")
    lines = head_.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    assert lines[0] == "POST /api/v4/pbx/users/add HTTP/1.1"
    assert headers["authorization"] == "Basic YXBpOnMzY3JldA=="
    assert headers["x-apikey"] == KEY
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert headers["accept-encoding"] == "gzip, deflate"
    assert headers["user-agent"].startswith("simotel-async/")
    assert f" {backend}/" in headers["user-agent"]
    assert body == b'{"name":"Ali","number":"101"}'
    assert "cookie" not in headers


async def _ok(writer: asyncio.StreamWriter) -> None:
    writer.write(head(length=len(ENVELOPE)) + ENVELOPE)


def scripted(*answers: bytes | None) -> Any:
    """Answers in turn (the last one repeats); ``None`` resets the connection instead."""
    queue = list(answers)

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if answer is None:
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return
        writer.write(answer)

    return behaviour


UNAVAILABLE = json_reply(503, {"success": 0, "message": "busy"})
OK = head(length=len(ENVELOPE)) + ENVELOPE


async def test_a_503_search_is_retried_and_an_add_is_not(backend) -> None:
    async with (
        HostileServer(scripted(UNAVAILABLE, UNAVAILABLE, OK)) as server,
        AsyncSimotel(server.url, api_key=KEY, retry=FAST, backend=backend) as simotel,
    ):
        assert await simotel.request(*SEARCH) == {"ok": 1}
        assert simotel.retries == 2
    async with (
        HostileServer(scripted(UNAVAILABLE, OK)) as server,
        AsyncSimotel(server.url, api_key=KEY, retry=FAST, backend=backend) as simotel,
    ):
        with pytest.raises(ServerError) as info:
            await simotel.request("pbx.users.add", {})
    assert server.requests == 1
    assert info.value.outcome_unknown


async def test_a_refused_connection_is_retried_and_says_so(backend) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # bound, not listening: refused
    port = sock.getsockname()[1]
    try:
        async with AsyncSimotel(
            f"http://127.0.0.1:{port}", api_key=KEY, retry=FAST, backend=backend
        ) as simotel:
            with pytest.raises(SimotelConnectionError) as info:
                await simotel.request(*ORIGINATE)
            assert simotel.retries == 2, "nothing was sent: retried even for originate"
    finally:
        sock.close()
    assert "could not reach the server: " in str(info.value)
    assert not info.value.outcome_unknown
    assert type(info.value) is SimotelConnectionError


async def test_a_reset_is_retried_for_a_search_only(backend) -> None:
    async with (
        HostileServer(scripted(None, OK)) as server,
        AsyncSimotel(server.url, api_key=KEY, retry=FAST, backend=backend) as simotel,
    ):
        assert await simotel.request(*SEARCH) == {"ok": 1}
    assert server.requests == 2
    async with (
        HostileServer(scripted(None, OK)) as server,
        AsyncSimotel(server.url, api_key=KEY, retry=FAST, backend=backend) as simotel,
    ):
        with pytest.raises(SimotelConnectionError) as info:
            await simotel.request(*ORIGINATE)
    assert server.requests == 1
    assert info.value.outcome_unknown
    assert "the connection failed before a complete answer" in str(info.value)
    assert "the server may have placed the call; check before retrying" in str(info.value)


async def test_a_read_timeout_is_retried_for_a_search_only(backend) -> None:
    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.Event().wait()

    options: dict[str, Any] = {"api_key": KEY, "retry": FAST, "backend": backend}
    async with HostileServer(hang) as server:
        async with AsyncSimotel(server.url, timeout=0.2, **options) as simotel:
            with pytest.raises(SimotelTimeoutError, match=r"timed out \(ReadTimeout") as info:
                await simotel.request(*SEARCH)
        assert server.requests == 3
        assert not info.value.outcome_unknown
        async with AsyncSimotel(server.url, timeout=0.2, **options) as simotel:
            with pytest.raises(SimotelTimeoutError) as info:
                await simotel.request(*ORIGINATE)
        assert server.requests == 4
        assert info.value.outcome_unknown


async def test_a_gzip_reply_is_inflated(backend) -> None:
    body = gzip.compress(json.dumps({"success": 1, "message": "", "data": [1, 2]}).encode())
    reply = head(length=len(body), extra="Content-Encoding: gzip") + body
    async with (
        HostileServer(scripted(reply)) as server,
        AsyncSimotel(server.url, api_key=KEY, backend=backend) as simotel,
    ):
        assert await simotel.request(*SEARCH) == [1, 2]


async def test_connections_are_kept_alive_then_expire(backend) -> None:
    limits = httpx.Limits(max_connections=5, keepalive_expiry=0.3)
    async with (
        HostileServer(scripted(OK), keep_alive=True) as server,
        AsyncSimotel(server.url, api_key=KEY, limits=limits, backend=backend) as simotel,
    ):
        for _ in range(3):
            await simotel.ping()
        assert server.connections == 1
        assert simotel.pool.connections == 1
        await asyncio.sleep(1.2)
        await simotel.ping()
        assert server.connections == 2, "an idle connection past keepalive_expiry is not reused"


async def test_the_connection_cap_holds(backend) -> None:
    in_flight = peak = 0

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        writer.write(OK)

    limits = httpx.Limits(max_connections=3, keepalive_expiry=2)
    async with (
        HostileServer(slow, keep_alive=True) as server,
        AsyncSimotel(server.url, api_key=KEY, limits=limits, backend=backend) as simotel,
    ):
        await asyncio.gather(*(simotel.ping() for _ in range(20)))
        assert simotel.pool.permits == 3
    assert peak <= 3
    assert server.connections <= 3


async def test_a_download_streams(backend) -> None:
    audio = b"RIFF" + bytes(range(256)) * 512
    reply = (
        f"HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: {len(audio)}\r\n\r\n"
    ).encode() + audio
    async with (
        HostileServer(scripted(reply)) as server,
        AsyncSimotel(server.url, api_key=KEY, backend=backend) as simotel,
    ):
        async with simotel.stream("reports.audio.download", {"file": "a.wav"}) as response:
            assert simotel.pool.permits_in_use == 1
            got = b"".join([chunk async for chunk in response.aiter_bytes()])
        assert got == audio
        assert simotel.pool.permits_in_use == 0


# --- the switch itself -----------------------------------------------------------------------


def test_an_unknown_backend_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="backend must be 'httpx' or 'aiohttp', not 'curl'"):
        AsyncSimotel("https://pbx", api_key=KEY, backend="curl")  # type: ignore[arg-type]


def test_the_aiohttp_backend_is_the_clients_own_pool() -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(200))
    with pytest.raises(ValueError, match="chooses the client's own pool"):
        AsyncSimotel("https://pbx", api_key=KEY, backend="aiohttp", transport=transport)


def test_without_httpx_aiohttp_the_error_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "httpx_aiohttp", None)
    monkeypatch.delitem(sys.modules, "simotel_async._aiohttp", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'simotel-async\[speed\]'") as info:
        AsyncSimotel("https://pbx", api_key=KEY, backend="aiohttp")
    assert "backend='aiohttp' needs httpx-aiohttp" in str(info.value)


def test_the_default_is_httpx() -> None:
    simotel = AsyncSimotel("https://pbx", api_key=KEY)
    assert simotel.backend == "httpx"
    assert isinstance(simotel._pool, httpx.AsyncHTTPTransport)
    simotel._closed = True


def test_the_cli_uses_aiohttp_when_installed(monkeypatch) -> None:
    import importlib.util

    from simotel_async import _cliargs

    monkeypatch.setenv("SIMOTEL_URL", "https://pbx.example.com")
    monkeypatch.setenv("SIMOTEL_API_KEY", KEY)
    args = type("Args", (), {"url": None, "username": None, "password": None})()
    args.api_key = args.api_version = None
    expected = "aiohttp" if HAS_AIOHTTP else "httpx"
    simotel = _cliargs.client(args)
    assert simotel.backend == expected
    simotel._closed = True
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    simotel = _cliargs.client(args)
    assert simotel.backend == "httpx"
    simotel._closed = True


@needs_aiohttp
def test_aiohttp_failures_map_to_what_they_mean() -> None:
    import ssl

    import aiohttp
    from aiohttp.client_reqrep import ConnectionKey

    from simotel_async._aiohttp import translate

    key = ConnectionKey("pbx", 443, True, True, None, None, None)
    refused = ConnectionRefusedError(111, "Connection refused")
    untrusted = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] self-signed")
    cases: list[tuple[BaseException, type[Exception]]] = [
        (aiohttp.ClientConnectorError(key, refused), httpx.ConnectError),
        (aiohttp.ClientConnectorCertificateError(key, untrusted), httpx.ConnectError),
        (aiohttp.ConnectionTimeoutError("connect"), httpx.ConnectTimeout),
        (aiohttp.SocketTimeoutError("read"), httpx.ReadTimeout),
        (aiohttp.ServerDisconnectedError(), httpx.RemoteProtocolError),
        (aiohttp.ClientOSError(104, "Connection reset by peer"), httpx.ReadError),
        (aiohttp.ClientConnectionResetError("reset"), httpx.ReadError),
        (aiohttp.ClientPayloadError("Response payload is not completed"), httpx.ReadError),
        (aiohttp.ClientConnectionError("Connection closed"), httpx.ReadError),
    ]
    for error, expected in cases:
        found = translate(error)
        assert found is not None, error
        assert type(found[0]) is expected, (error, found)
    _, cause = translate(aiohttp.ClientConnectorCertificateError(key, untrusted)) or (
        None,
        None,
    )
    assert cause is untrusted, "the ssl error is chained, so the TLS advice applies"
    assert translate(ValueError("not a network failure")) is None
