"""Every catalogued endpoint answers in v4 and v3, shaped like the documented samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from simotel_async.testing import FakeSimotel
from simotel_async.testing._catalog import ENDPOINTS

FIXTURES = Path(__file__).parent.parent / "fixtures"
CATALOG = json.loads((FIXTURES / "endpoints.json").read_text())


def _request_body(endpoint_id: str, version: str) -> Any:
    if (endpoint_id, version) == ("voicemails.inbox.download", "v4"):
        endpoint_id = "reports.audio.download"  # its v4 alias
    path = FIXTURES / ("v3" if version == "v3" else "") / f"{endpoint_id}.request.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()} if "_id" not in value else "record"
    if isinstance(value, list):
        return "list"
    return type(value).__name__ if value is not None else None


def test_the_fake_knows_the_whole_catalog() -> None:
    assert {e["id"] for e in CATALOG} == set(ENDPOINTS)


async def _send(fake: FakeSimotel, endpoint_id: str, version: str) -> httpx.Response:
    route = ENDPOINTS[endpoint_id].v4 if version == "v4" else ENDPOINTS[endpoint_id].v3
    assert route is not None
    kind = ENDPOINTS[endpoint_id].kind
    async with httpx.AsyncClient(transport=fake.transport(), auth=("api", "secret")) as client:
        url = f"http://pbx/api/{version}/{route.path}"
        if kind == "upload":
            return await client.request(route.method, url, files={"file": ("sample.wav", b"RIFF")})
        return await client.request(route.method, url, json=_request_body(endpoint_id, version))


ROUTES = [
    (endpoint_id, version)
    for endpoint_id in sorted(ENDPOINTS)
    for version in ("v4", "v3")
    if version == "v4" or ENDPOINTS[endpoint_id].v3 is not None
]


@pytest.mark.parametrize(("endpoint_id", "version"), ROUTES)
async def test_every_endpoint_answers(endpoint_id: str, version: str) -> None:
    endpoint = ENDPOINTS[endpoint_id]
    fake = FakeSimotel(seed=3, cdr=40)
    response = await _send(fake, endpoint_id, version)
    logged = fake.requests[-1]
    assert endpoint_id in (logged.endpoint_id, "voicemails.inbox.download")
    if endpoint.kind == "download":
        assert response.status_code == 404  # the samples name files that do not exist
        return
    assert response.status_code == 200, response.text
    body = response.json()
    if endpoint_id == "pbx.users.add":
        assert set(body) == {"status", "message", "user_id"}
    else:
        assert set(body) == {"success", "message", "data"}
        assert body["success"] in (0, 1)


SUCCESSFUL_SAMPLES = [
    e["id"]
    for e in CATALOG
    if e["kind"] in ("search", "ordered", "upload")
    or e["id"].endswith((".search", ".add"))
    or e["id"] in ("setting.ping", "call.originate", "reports.quick.info")
]


@pytest.mark.parametrize("endpoint_id", SUCCESSFUL_SAMPLES)
async def test_sample_requests_succeed_with_the_sample_response_shape(endpoint_id: str) -> None:
    fake = FakeSimotel(seed=3, cdr=40)
    if endpoint_id == "reports.quick.info":
        sample_cuid = _request_body(endpoint_id, "v4")["cuid"]
        fake.insert("reports.queue_details", cuid=sample_cuid)
    response = await _send(fake, endpoint_id, "v4")
    body = response.json()
    expected = json.loads((FIXTURES / f"{endpoint_id}.response.json").read_text())
    if endpoint_id == "pbx.users.add":
        assert set(body) == set(expected)
        return
    assert body["success"] == 1, body
    assert type(body["message"]) is type(expected["message"])
    if isinstance(expected["data"], dict) and isinstance(expected["data"].get("data"), list):
        assert set(body["data"]) == set(expected["data"])
        assert set(body["data"].get("pagination", {})) == set(
            expected["data"].get("pagination", {})
        )
    else:
        assert _shape(body["data"]) == _shape(expected["data"])


RECORD_SAMPLES = {
    "pbx.users": "pbx.users.search",
    "pbx.trunks": "pbx.trunks.search",
    "pbx.queues": "pbx.queues.search",
    "pbx.musiconholds": "pbx.musiconholds.search",
    "pbx.announcements": "pbx.announcements.search",
    "pbx.blacklists": "pbx.blacklists.search",
    "pbx.whitelists": "pbx.whitelists.search",
    "pbx.faxes": "pbx.faxes.search",
    "voicemails.voicemails": "voicemails.voicemails.search",
    "voicemails.inbox": "voicemails.inbox.search",
    "reports.cdr": "reports.cdr.ordered",
    "reports.queue": "reports.queue.ordered",
    "reports.queue_details": "reports.queue_details.ordered",
    "reports.agent": "reports.agent.search",
    "reports.poll": "reports.poll.search",
    "autodialer.trunks": "autodialer.trunks.search",
    "autodialer.announcements": "autodialer.announcements.search",
    "autodialer.contacts": "autodialer.contacts.search",
    "autodialer.groups": "autodialer.groups.search",
    "autodialer.campaigns": "autodialer.campaigns.search",
    "autodialer.reports": "autodialer.reports.ordered",
}
# Sample fields that only some real records carry and the generator leaves out.
RARE_FIELDS = {"details", "statistics", "hs", "queue_id", "data"}


@pytest.mark.parametrize(("collection", "sample"), sorted(RECORD_SAMPLES.items()))
def test_generated_records_carry_the_sample_fields(collection: str, sample: str) -> None:
    fake = FakeSimotel(seed=5, cdr=300)
    response = json.loads((FIXTURES / f"{sample}.response.json").read_text())["data"]
    samples = response if isinstance(response, list) else response["data"]
    documented = set().union(*(set(s) for s in samples))
    generated = set().union(*(set(r) for r in fake.records(collection)))
    dispositions = {
        "ANSWERED",
        "NO ANSWER",
        "BUSY",
        "FAILED",
        "MISSED",
        "LOST",
        "incoming",
        "outgoing",
        "local",
    }
    assert documented - generated - RARE_FIELDS - dispositions == set()
