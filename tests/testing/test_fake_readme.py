"""The README's "Testing your integration" example, kept runnable."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from simotel_async import AsyncSimotel, OperationFailedError, RetryPolicy
from simotel_async.testing import FakeSimotel


async def call_back(simotel: AsyncSimotel, extension: str, customer: str) -> str:
    """The code under test: ring an extension, then connect it to a customer."""
    result = await simotel.call.originate(
        caller=extension, callee=customer, context="main_routing", caller_id=extension
    )
    return result.originated_call_id


@pytest.fixture
def fake() -> FakeSimotel:
    return FakeSimotel(seed=1)  # seeded users, queues, 500 CDRs, ...


@pytest.fixture
async def simotel(fake: FakeSimotel) -> AsyncIterator[AsyncSimotel]:
    async with AsyncSimotel(
        fake.url,
        username="api",
        password="secret",
        retry=RetryPolicy(backoff_initial=0),  # retry at once in tests
        transport=fake.transport(),
    ) as client:
        yield client


async def test_call_back_places_one_call(simotel: AsyncSimotel, fake: FakeSimotel) -> None:
    call_id = await call_back(simotel, "101", "09120000000")

    (placed,) = fake.originated_calls
    assert placed.originated_call_id == call_id
    assert (placed.caller, placed.callee) == ("101", "09120000000")
    assert fake.requests[-1].endpoint_id == "call.originate"


async def test_duplicate_extension_is_refused(simotel: AsyncSimotel) -> None:
    await simotel.pbx.users.add(name="Reception", number="150", secret="s3cret")
    with pytest.raises(OperationFailedError, match="already exists"):
        await simotel.pbx.users.add(name="Reception 2", number="150", secret="s3cret")


async def test_export_survives_a_flaky_server(simotel: AsyncSimotel, fake: FakeSimotel) -> None:
    fake.fail("reports.cdr.search", status=503, times=2)

    calls = [
        record
        async for record in simotel.reports.cdr.search(
            date_from="2024-02-01 00:00", date_to="2024-05-01 12:00"
        )
    ]

    assert len(calls) == len(fake.records("reports.cdr"))
    assert [r.status for r in fake.requests[:3]] == [503, 503, 200]
