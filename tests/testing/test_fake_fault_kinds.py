"""Every fault kind, through ``fake.transport()`` and over real HTTP (uvicorn on 127.0.0.1).

For each kind: what the client sees, and whether the PBX did the work first (a user is
added, or not).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime, timezone

import httpx
import pytest
import uvicorn

from simotel_async.testing import FakeSimotel, Fault, FaultKind

AUTH = ("api", "secret")
USER = {"name": "Fault", "number": "4242", "secret": "x"}

# kind: (error through the transport, error over real HTTP, whether the work was done)
DROPPING: dict[str, tuple[type[Exception], type[Exception], bool]] = {
    "connect_error": (httpx.ConnectError, httpx.ReadError, False),
    "reset_before": (httpx.ReadError, httpx.ReadError, False),
    "close_before": (httpx.RemoteProtocolError, httpx.RemoteProtocolError, False),
    "hang_before": (httpx.ReadTimeout, httpx.ReadTimeout, False),
    "timeout": (httpx.ReadTimeout, httpx.ReadTimeout, True),
    "reset_after": (httpx.ReadError, httpx.ReadError, True),
    "close_after": (httpx.RemoteProtocolError, httpx.RemoteProtocolError, True),
    "disconnect": (httpx.RemoteProtocolError, httpx.RemoteProtocolError, True),
    "hang_after": (httpx.ReadTimeout, httpx.ReadTimeout, True),
}


def added(fake: FakeSimotel) -> bool:
    return any(u["number"] == USER["number"] for u in fake.records("pbx.users"))


@pytest.fixture
def fake() -> FakeSimotel:
    return FakeSimotel(seed=5, cdr=30)


@pytest.fixture(params=["transport", "http"])
def over(request: pytest.FixtureRequest) -> str:
    """Through ``fake.transport()`` or over real HTTP."""
    assert isinstance(request.param, str)
    return request.param


@pytest.fixture
async def client(fake: FakeSimotel, over: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the fake: in-process, or served by uvicorn on 127.0.0.1 in this loop."""
    if over == "transport":
        async with httpx.AsyncClient(
            transport=fake.transport(), base_url="http://pbx/api/v4/", auth=AUTH, timeout=0.3
        ) as client:
            yield client
        return
    config = uvicorn.Config(
        fake.asgi_app,
        host="127.0.0.1",
        port=0,
        log_level="critical",
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}/api/v4/", auth=AUTH, timeout=0.3
        ) as client:
            yield client
    finally:
        server.should_exit = True
        await task


@pytest.mark.parametrize("kind", sorted(DROPPING))
async def test_connection_faults(
    fake: FakeSimotel, client: httpx.AsyncClient, over: str, kind: FaultKind
) -> None:
    through_transport, over_http, processed = DROPPING[kind]
    fault = fake.fail("pbx.users.add", kind=kind)
    assert fault.processed is processed
    with pytest.raises(through_transport if over == "transport" else over_http):
        await client.post("pbx/users/add", json=USER)
    assert added(fake) is processed
    assert fake.requests[-1].status is None
    assert fault.hits == 1
    after = await client.post("setting/ping/act", json={})
    assert after.status_code == 200


async def test_truncate_sends_half_the_body_after_the_work(
    fake: FakeSimotel, client: httpx.AsyncClient, over: str
) -> None:
    fake.fail("pbx.users.add", kind="truncate")
    with pytest.raises(httpx.RemoteProtocolError, match="incomplete|complete message body"):
        await client.post("pbx/users/add", json=USER)
    assert added(fake)
    assert fake.requests[-1].status == 200


async def test_truncate_of_a_download_cuts_the_stream(
    fake: FakeSimotel, client: httpx.AsyncClient, over: str
) -> None:
    fake.add_file("call.mp3", 300_000)
    fake.fail("reports.audio.download", kind="truncate")
    received: list[bytes] = []

    async def download() -> None:
        async with client.stream("POST", "reports/audio/download", json={"file": "call.mp3"}) as r:
            assert r.headers["content-length"] == "300000"
            async for chunk in r.aiter_bytes():
                received.append(chunk)

    with pytest.raises(httpx.RemoteProtocolError):
        await download()
    assert len(b"".join(received)) == 150_000


async def test_drip_sends_headers_then_a_byte_per_interval(
    fake: FakeSimotel, client: httpx.AsyncClient, over: str
) -> None:
    normal = (await client.post("setting/ping/act", json={})).content
    fake.fail("setting.ping", kind="drip", interval=0.004)
    started = time.monotonic()
    async with client.stream("POST", "setting/ping/act", json={}) as response:
        headers_after = time.monotonic() - started
        chunks = [chunk async for chunk in response.aiter_raw()]
    elapsed = time.monotonic() - started
    assert b"".join(chunks) == normal
    assert headers_after < 0.5 * elapsed
    assert elapsed >= len(normal) * 0.004 * 0.9
    if over == "transport":
        assert {len(c) for c in chunks} == {1}


async def test_a_drip_slower_than_the_read_timeout_times_out(
    fake: FakeSimotel, client: httpx.AsyncClient, over: str
) -> None:
    fake.fail("pbx.users.add", kind="drip", interval=0.5)
    with pytest.raises(httpx.ReadTimeout):
        await client.post("pbx/users/add", json=USER, timeout=0.1)
    assert added(fake)


@pytest.mark.parametrize(
    ("retry_after", "header"),
    [
        (None, "86400"),
        (10**7, "10000000"),
        (datetime(2099, 1, 1, tzinfo=timezone.utc), "Thu, 01 Jan 2099 00:00:00 GMT"),
        (datetime(2099, 1, 1), "Thu, 01 Jan 2099 00:00:00 GMT"),
        ("Fri, 31 Dec 2100 23:59:59 GMT", "Fri, 31 Dec 2100 23:59:59 GMT"),
    ],
)
async def test_rate_limited_with_a_huge_retry_after(
    fake: FakeSimotel,
    client: httpx.AsyncClient,
    retry_after: float | datetime | str | None,
    header: str,
) -> None:
    fake.fail("pbx.users.add", kind="rate_limited", retry_after=retry_after)
    response = await client.post("pbx/users/add", json=USER)
    assert response.status_code == 429
    assert response.headers["retry-after"] == header
    assert response.json() == {"success": 0, "message": "Too Many Requests", "data": None}
    assert not added(fake)


async def test_malformed_over_both(fake: FakeSimotel, client: httpx.AsyncClient, over: str) -> None:
    fake.fail("pbx.users.add", kind="malformed")
    response = await client.post("pbx/users/add", json=USER)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert added(fake)


async def test_a_hang_without_a_read_timeout_lasts_until_cancelled(fake: FakeSimotel) -> None:
    fake.fail("setting.ping", kind="hang_after")
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url="http://pbx/api/v4/", auth=AUTH, timeout=None
    ) as client:
        with pytest.raises(asyncio.TimeoutError):  # TimeoutError itself from 3.11 on
            await asyncio.wait_for(client.post("setting/ping/act", json={}), 0.2)


async def test_hangs_and_drips_go_through_the_injected_sleep() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    fake = FakeSimotel(cdr=0, sleep=sleep)
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url="http://pbx/api/v4/", auth=AUTH, timeout=30
    ) as client:
        fake.fail("setting.ping", kind="hang_before")
        with pytest.raises(httpx.ReadTimeout):
            await client.post("setting/ping/act", json={})
        assert slept == [30]
        fake.fail("setting.ping", kind="drip", interval=0.5)
        body = (await client.post("setting/ping/act", json={})).content
    assert slept[1:] == [0.5] * len(body)


def test_fail_rejects_a_negative_interval_and_names_the_kinds(fake: FakeSimotel) -> None:
    with pytest.raises(ValueError, match="interval cannot be negative"):
        fake.fail(kind="drip", interval=-1)
    with pytest.raises(ValueError, match="truncate"):
        fake.fail(kind="explode")  # type: ignore[arg-type]


def test_every_kind_is_documented() -> None:
    doc = (Fault.__doc__ or "") + (FakeSimotel.__doc__ or "")
    for kind in FaultKind.__args__:  # type: ignore[attr-defined]
        assert f'``"{kind}"``' in doc, kind
