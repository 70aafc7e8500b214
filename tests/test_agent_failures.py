"""Agent operations say why they failed: the server's ``data.message`` reaches the user."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from simotel_async import AsyncSimotel, OperationFailedError
from simotel_async.testing import FakeSimotel


@pytest.fixture
async def simotel() -> AsyncIterator[AsyncSimotel]:
    fake = FakeSimotel()
    async with AsyncSimotel(
        "http://simotel.test", username="api", password="secret", transport=fake.transport()
    ) as client:
        yield client


async def test_adding_to_a_missing_queue_says_so(simotel: AsyncSimotel) -> None:
    with pytest.raises(OperationFailedError) as caught:
        await simotel.pbx.queues.add_agent(queue="9999", source="101", agent="101")
    error = caught.value
    assert error.message == "Requested operation failed"
    assert error.detail == "Queue not found"
    assert str(error).endswith("failed with HTTP 200: Requested operation failed (Queue not found)")


async def test_adding_twice_and_removing_a_stranger_say_why(simotel: AsyncSimotel) -> None:
    result = await simotel.pbx.queues.add_agent(queue="2000", source="101", agent="101")
    assert result.ok is True
    with pytest.raises(OperationFailedError) as twice:
        await simotel.pbx.queues.add_agent(queue="2000", source="101", agent="101")
    assert twice.value.detail == "Agent already exists in this queue"
    with pytest.raises(OperationFailedError) as stranger:
        await simotel.pbx.queues.remove_agent(queue="2000", agent="119")
    assert stranger.value.detail == "Agent not found in this queue"


async def test_batch_items_carry_their_own_reason(simotel: AsyncSimotel) -> None:
    result = await simotel.pbx.queues.batch_add_agent(
        agents=[
            {"queue": "2000", "source": "102", "agent": "102"},
            {"queue": "9999", "source": "103", "agent": "103"},
        ]
    )
    assert result.results is not None
    assert [(r.agent, r.ok, r.message) for r in result.results] == [
        ("102", True, "Added successfully"),
        ("103", False, "Queue not found"),
    ]


def test_detail_is_none_without_a_reason_and_not_repeated() -> None:
    plain = OperationFailedError("This number already exists", status_code=200)
    assert plain.detail is None
    same = OperationFailedError("Queue not found", status_code=200, detail="Queue not found")
    assert str(same).count("Queue not found") == 1
