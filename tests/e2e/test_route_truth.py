"""The fake routes by the vendor's catalogue, so a route bug in the SDK fails end to end.

Each test gives the client a wrong route the way a bug in the SDK's endpoint table
would (a wrong method through ``methods=``, a wrong path through the client's public
``endpoint()`` lookup) and checks that the fake refuses it instead of serving it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest

from simotel_async import (
    AsyncSimotel,
    MethodNotAllowedError,
    ServiceNotFoundError,
    SimotelError,
)
from simotel_async.testing import FakeSimotel
from tests.e2e.test_every_endpoint import run_scenario

WRONG_PATHS = {
    ("pbx.users.search", "v4"): "pbx/user/search",
    ("reports.cdr.search", "v4"): "report/cdr/search",
    ("pbx.users.search", "v3"): "pbx/user",
    ("call.originate", "v3"): "call/originate",
}


@pytest.fixture
def wrong_path(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every lookup of a :data:`WRONG_PATHS` endpoint gets the wrong path; returns the ids."""
    looked_up: list[str] = []
    lookup = AsyncSimotel.endpoint

    def endpoint(self: AsyncSimotel, endpoint_id: str) -> Any:
        found = lookup(self, endpoint_id)
        path = WRONG_PATHS.get((endpoint_id, self.api_version))
        if path is None:
            return found
        looked_up.append(endpoint_id)
        version = self.api_version
        route = getattr(found, version)
        return attrs.evolve(found, **{version: attrs.evolve(route, path=path)})

    monkeypatch.setattr(AsyncSimotel, "endpoint", endpoint)
    return looked_up


@pytest.mark.parametrize(("endpoint_id", "version"), sorted(WRONG_PATHS))
async def test_a_wrong_path_is_not_served(
    endpoint_id: str, version: str, wrong_path: list[str]
) -> None:
    fake = FakeSimotel(cdr=20)
    async with AsyncSimotel(
        fake.url,
        username="api",
        password="secret",
        api_version=version,  # type: ignore[arg-type]
        transport=fake.transport(),
    ) as simotel:
        with pytest.raises(ServiceNotFoundError) as caught:
            await simotel.request(endpoint_id, {"alike": True})
    assert wrong_path == [endpoint_id], "the client no longer routes through endpoint()"
    assert caught.value.status_code == 501
    [logged] = fake.requests
    assert (logged.endpoint_id, logged.status) == (None, 501)
    assert fake.originated_calls == []


@pytest.mark.parametrize(
    ("endpoint_id", "version", "method"),
    [
        ("setting.ping", "v4", "GET"),
        ("reports.cdr.search", "v4", "GET"),
        ("pbx.users.add", "v4", "PUT"),
        ("call.originate", "v3", "POST"),
        ("reports.cdr.search", "v3", "DELETE"),
        ("setting.ping", "v3", "POST"),
    ],
)
async def test_a_wrong_method_is_not_served(endpoint_id: str, version: str, method: str) -> None:
    fake = FakeSimotel(cdr=20)
    users = len(fake.records("pbx.users"))
    async with AsyncSimotel(
        fake.url,
        username="api",
        password="secret",
        api_version=version,  # type: ignore[arg-type]
        methods={endpoint_id: method},  # type: ignore[dict-item]
        transport=fake.transport(),
    ) as simotel:
        with pytest.raises(MethodNotAllowedError):
            await simotel.request(endpoint_id, {"name": "x", "number": "777", "secret": "s"})
    [logged] = fake.requests
    assert (logged.method, logged.endpoint_id, logged.status) == (method, None, 405)
    assert len(fake.records("pbx.users")) == users


@pytest.mark.parametrize(("endpoint_id", "version"), sorted(WRONG_PATHS))
async def test_a_route_bug_fails_the_endpoint_suite(
    endpoint_id: str, version: str, wrong_path: list[str], tmp_path: Path
) -> None:
    with pytest.raises((SimotelError, AssertionError)):
        await run_scenario(endpoint_id, version, tmp_path, lambda fake: fake.transport())
    assert endpoint_id in wrong_path
