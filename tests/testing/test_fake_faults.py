"""Injected faults, latency through an injected sleep, concurrency accounting."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
import pytest

from simotel_async.testing import FakeSimotel
from tests.testing.support import Api

USER = {"name": "Fault", "number": "4242", "secret": "x"}


async def test_status_fault_on_one_endpoint_fires_times_then_stops(
    fake: FakeSimotel, client: httpx.AsyncClient
) -> None:
    fault = fake.fail("reports.cdr.search", status=503, times=2, retry_after=7)
    ping = await client.post("setting/ping/act", json={})
    assert ping.status_code == 200
    for _ in range(2):
        failed = await client.post("reports/cdr/search", json={"alike": "true"})
        assert failed.status_code == 503
        assert failed.json() == {"success": 0, "message": "Service Unavailable", "data": None}
        assert failed.headers["retry-after"] == "7"
    assert (await client.post("reports/cdr/search", json={"alike": "true"})).status_code == 200
    assert fault.hits == 2
    assert fault.exhausted
    assert [r.fault is fault for r in fake.requests] == [False, True, True, False]


async def test_status_faults_do_not_do_the_work(
    fake: FakeSimotel, client: httpx.AsyncClient
) -> None:
    fake.fail(
        "pbx.users.add",
        status=429,
        message="Too many requests",
        retry_after="Wed, 21 Oct 2015 07:28:00 GMT",
    )
    response = await client.post("pbx/users/add", json=USER)
    assert response.status_code == 429
    assert response.json()["message"] == "Too many requests"
    assert response.headers["retry-after"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert all(u["number"] != "4242" for u in fake.records("pbx.users"))


async def test_status_fault_404_is_the_html_page(
    fake: FakeSimotel, client: httpx.AsyncClient
) -> None:
    fake.fail(status=404)
    response = await client.post("setting/ping/act", json={})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


async def test_fault_by_request_number(fake: FakeSimotel, client: httpx.AsyncClient) -> None:
    fake.fail(on_request=3, status=502)
    statuses = [(await client.post("setting/ping/act", json={})).status_code for _ in range(5)]
    assert statuses == [200, 200, 502, 200, 200]


async def test_forever_fault_until_cleared(fake: FakeSimotel, client: httpx.AsyncClient) -> None:
    fake.fail("setting.ping", status=500, times=None)
    assert [(await client.post("setting/ping/act", json={})).status_code for _ in range(3)] == [
        500
    ] * 3
    fake.clear_faults()
    assert (await client.post("setting/ping/act", json={})).status_code == 200


async def test_connect_error_raises_and_does_nothing(
    api: Api, fake: FakeSimotel, client: httpx.AsyncClient
) -> None:
    fake.fail("pbx.users.add", kind="connect_error")
    with pytest.raises(httpx.ConnectError):
        await client.post("pbx/users/add", json=USER)
    assert all(u["number"] != "4242" for u in fake.records("pbx.users"))
    assert fake.requests[-1].status is None
    assert (await api("pbx/users/add", USER))["status"] == "success"


@pytest.mark.parametrize(
    ("kind", "error"),
    [("timeout", httpx.ReadTimeout), ("disconnect", httpx.RemoteProtocolError)],
)
async def test_late_connection_faults_happen_after_the_work(
    fake: FakeSimotel, client: httpx.AsyncClient, kind: str, error: type[Exception]
) -> None:
    fake.fail("call.originate", kind=kind)  # type: ignore[arg-type]
    body = {"caller": "100", "callee": "101", "context": "main_routing", "caller_id": "100"}
    with pytest.raises(error):
        await client.post("call/originate/act", json=body)
    assert len(fake.originated_calls) == 1


async def test_malformed_body_is_not_json(fake: FakeSimotel, client: httpx.AsyncClient) -> None:
    fake.fail("pbx.users.search", kind="malformed")
    response = await client.post("pbx/users/search", json={"alike": "true"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()
    fake.fail("reports.audio.download", kind="malformed", status=502)
    fake.add_file("a.mp3", b"ID3")
    broken = await client.post("reports/audio/download", json={"file": "a.mp3"})
    assert broken.status_code == 502
    assert broken.content == b'{"success": 1, "mess'


def test_fail_validates_its_arguments(fake: FakeSimotel) -> None:
    with pytest.raises(ValueError, match="unknown Simotel endpoint"):
        fake.fail("reports.cdr.serch")
    with pytest.raises(ValueError, match="fault kind"):
        fake.fail(kind="explode")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="times"):
        fake.fail(times=0)


async def test_a_fault_on_an_alias_matches_the_shared_route(
    fake: FakeSimotel, client: httpx.AsyncClient
) -> None:
    fake.fail("voicemails.inbox.download", status=503)
    response = await client.post("reports/audio/download", json={"file": "x.wav"})
    assert response.status_code == 503


async def test_latency_goes_through_the_injected_sleep() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    fake = FakeSimotel(cdr=0, latency=0.05, sleep=sleep)
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url="http://pbx/api/v4/", auth=("api", "secret")
    ) as c:
        await c.post("setting/ping/act", json={})
        fake.latency = timedelta(milliseconds=250)
        await c.post("setting/ping/act", json={})
        fake.latency = 0
        await c.post("setting/ping/act", json={})
    assert slept == [0.05, 0.25]
    with pytest.raises(ValueError):
        fake.latency = -1


async def test_max_in_flight_counts_concurrent_requests() -> None:
    release = asyncio.Event()
    waiting = 0

    async def sleep(seconds: float) -> None:
        nonlocal waiting
        waiting += 1
        if waiting == 3:
            release.set()
        await release.wait()

    fake = FakeSimotel(cdr=0, latency=1, sleep=sleep)
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url="http://pbx/api/v4/", auth=("api", "secret")
    ) as c:
        responses = await asyncio.gather(*(c.post("setting/ping/act", json={}) for _ in range(3)))
        assert fake.max_in_flight == 3
        assert fake.in_flight == 0
        await c.post("setting/ping/act", json={})
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert fake.max_in_flight == 3
