from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from simotel_async.testing import FakeSimotel
from tests.testing.support import Api


@pytest.fixture
def fake() -> FakeSimotel:
    return FakeSimotel(seed=7)


@pytest.fixture
async def client(fake: FakeSimotel) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url="http://pbx/api/v4/", auth=("api", "secret")
    ) as client:
        yield client


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    async def post(path: str, body: Any = None, **kwargs: Any) -> Any:
        response = await client.post(path, json={} if body is None else body, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    return post
