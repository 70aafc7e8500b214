"""What every seed holds for the README's examples: queue 2000, extension 101, March calls."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from simotel_async import AsyncSimotel
from simotel_async.testing import FakeSimotel

SEEDS = [0, 1, 7, 12345]


@pytest.mark.parametrize("seed", SEEDS)
def test_queues_2000_up_and_a_free_agent_101(seed: int) -> None:
    fake = FakeSimotel(seed=seed)
    queues = [q["number"] for q in fake.records("pbx.queues")]
    users = [u["number"] for u in fake.records("pbx.users")]
    assert queues == ["2000", "2001", "2002", "2003"]
    assert users == [str(n) for n in range(100, 120)]
    assert all(u["queues"] == [] for u in fake.records("pbx.users") if u["number"] == "101")


@pytest.mark.parametrize("seed", SEEDS)
async def test_the_quickstart_runs_against_the_default_seed(seed: int) -> None:
    fake = FakeSimotel(seed=seed)
    async with AsyncSimotel(
        fake.url, username="api", password="secret", transport=fake.transport()
    ) as simotel:
        await simotel.ping()
        added = await simotel.pbx.queues.add_agent(queue="2000", source="101", agent="101")
        calls = [
            call
            async for call in simotel.reports.cdr.search(
                date_from="2024-03-01 00:00", date_to="2024-03-02 00:00"
            )
        ]
    assert added.message == "Added successfully"
    assert len(calls) >= 4
    assert {c.start.date() for c in calls if c.start} == {date(2024, 3, 1)}
    assert all(c.src and c.dst and c.disposition for c in calls)


@pytest.mark.parametrize("seed", SEEDS)
async def test_every_day_of_the_history_has_calls(seed: int) -> None:
    fake = FakeSimotel(seed=seed)
    async with AsyncSimotel(
        fake.url, username="api", password="secret", transport=fake.transport()
    ) as simotel:
        calls = await simotel.reports.cdr.search(
            date_from="2024-02-01 00:00", date_to="2024-05-01 12:00", page_size=500
        ).to_list()
    assert len(calls) == 500
    per_day = Counter(c.start.date() for c in calls if c.start)
    days = [date(2024, 2, 2) + timedelta(days=n) for n in range(89)]
    # 500 calls over 90 days, one in each 4.3-hour slice: at least 4 a calendar day.
    assert min(per_day[d] for d in days) >= 4
    assert 165 <= sum(per_day[date(2024, 3, d)] for d in range(1, 32)) <= 180
