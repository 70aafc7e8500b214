"""Paginators against FakeSimotel: every ``search`` and ``ordered`` endpoint of the table,
offset drift, a page-size cap and a failing page, through a real ``AsyncSimotel``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from simotel_async import AsyncCursor, AsyncPaginator, AsyncSimotel, RetryPolicy
from simotel_async.testing import FakeSimotel
from simotel_async.testing._catalog import ENDPOINTS

SEARCHES = sorted(e.id for e in ENDPOINTS.values() if e.kind == "search")
CURSORS = sorted(e.id for e in ENDPOINTS.values() if e.kind == "ordered")


def test_the_table_has_12_searches_and_4_cursors() -> None:
    assert (len(SEARCHES), len(CURSORS)) == (12, 4)


@pytest.fixture
def fake() -> FakeSimotel:
    return FakeSimotel(seed=7, cdr=300)


@pytest.fixture
async def simotel(fake: FakeSimotel) -> AsyncIterator[AsyncSimotel]:
    async with AsyncSimotel(
        fake.url,
        username="api",
        password="secret",
        transport=fake.transport(),
        retry=RetryPolicy(backoff_initial=0),
    ) as client:
        yield client


def ids(records: list[dict[str, Any]]) -> list[str]:
    return [record["_id"] for record in records]


@pytest.mark.parametrize("endpoint_id", SEARCHES)
async def test_every_search_walks_completely(simotel: AsyncSimotel, endpoint_id: str) -> None:
    sequential = AsyncPaginator(simotel, endpoint_id, page_size=7)
    concurrent = AsyncPaginator(simotel, endpoint_id, page_size=7, concurrency=4)
    one = await sequential.to_list()
    four = await concurrent.to_list()
    assert one, f"the fake has no {endpoint_id} records"
    assert ids(four) == ids(one)
    assert len(set(ids(one))) == len(one) == sequential.total == concurrent.total


@pytest.mark.parametrize("endpoint_id", CURSORS)
async def test_every_cursor_exports_what_the_search_finds(
    simotel: AsyncSimotel, endpoint_id: str
) -> None:
    exported = await AsyncCursor(simotel, endpoint_id).to_list()
    searched = await AsyncPaginator(simotel, endpoint_id.replace(".ordered", ".search")).to_list()
    assert len(exported) > 20  # more than one cursor page
    assert sorted(ids(exported)) == sorted(ids(searched))
    assert ids(exported) == sorted(ids(exported))


async def test_cursor_resumes_after_a_checkpoint(simotel: AsyncSimotel) -> None:
    cursor = AsyncCursor(simotel, "reports.cdr.ordered")
    head = []
    async for record in cursor:
        head.append(record)
        if len(head) == 45:
            break
    rest = await AsyncCursor(simotel, "reports.cdr.ordered", after_id=cursor.last_id).to_list()
    everything = await AsyncCursor(simotel, "reports.cdr.ordered").to_list()
    assert ids(head + rest) == ids(everything)


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_inserts_during_the_walk_are_not_yielded_twice(
    fake: FakeSimotel, simotel: AsyncSimotel, concurrency: int
) -> None:
    before = {record["_id"] for record in fake.records("reports.cdr")}
    fake.insert_during_pagination("reports.cdr.search", after_page=2, count=5)
    paginator = AsyncPaginator(simotel, "reports.cdr.search", page_size=20, concurrency=concurrency)
    walked = ids(await paginator.to_list())
    assert len(walked) == len(set(walked))
    assert paginator.total_changed
    assert paginator.total == len(before) + 5
    if concurrency == 1:
        # Newest-first inserts only push records later: a sequential walk loses none.
        assert before <= set(walked)


async def test_server_page_size_cap(fake: FakeSimotel, simotel: AsyncSimotel) -> None:
    fake.max_page_size = 25
    expected = ids(await AsyncPaginator(simotel, "reports.cdr.search", page_size=25).to_list())
    fake.requests.clear()
    paginator = AsyncPaginator(simotel, "reports.cdr.search", page_size=100, concurrency=4)
    assert ids(await paginator.to_list()) == expected
    counts = [request.json["pagination"]["count"] for request in fake.requests]
    assert counts[:4] == [100] * 4  # the first wave, before the cap is known
    assert set(counts[4:]) == {25}


async def test_failing_page_is_retried(fake: FakeSimotel, simotel: AsyncSimotel) -> None:
    expected = ids(await AsyncPaginator(simotel, "reports.cdr.search", page_size=30).to_list())
    fake.fail("reports.cdr.search", status=503, times=2)
    paginator = AsyncPaginator(simotel, "reports.cdr.search", page_size=30, concurrency=4)
    assert ids(await paginator.to_list()) == expected
    assert simotel.retries == 2
