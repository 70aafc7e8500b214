"""10,000-record pulls against FakeSimotel under uvicorn on 127.0.0.1 with seeded mixed faults.

At 10% faults (502/503/504 and 429 with a short Retry-After, resets and closes before and
after the work, truncated and malformed bodies) the retry policy rides every one out:
the records equal the server's, same set and same order. At 60% faults the typed error
escapes, and resuming from ``next_start`` (search) or ``last_id`` (cursor) until done
loses nothing and repeats nothing.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from simotel_async import (
    AsyncCursor,
    AsyncPaginator,
    AsyncSimotel,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    SimotelConnectionError,
    SimotelError,
    SimotelResponseError,
)
from simotel_async.models import Cdr
from simotel_async.testing import FakeSimotel
from tests.reliability.fake_server import RETRYABLE, FakeServer, SeededFaults

RECORDS = 10_000
SEEDS = (1, 2, 3)
PERIOD = {"date_from": date(2000, 1, 1), "date_to": date(2030, 1, 1)}
#: Every retryable fault ridden out: no backoff, and at 10% eight failures in a row on one
#: request (1e-8) never happen.
PATIENT = RetryPolicy(attempts=8, backoff_initial=0, backoff_max=0, retry_after_max=1)
#: Gives up after 3 attempts: at 60% faults, one request in five fails for good.
IMPATIENT = RetryPolicy(attempts=3, backoff_initial=0, backoff_max=0, retry_after_max=1)
#: What may escape a read at 60% faults (after the retries): each a ``SimotelError``.
ESCAPING = (ServerError, RateLimitedError, SimotelConnectionError, SimotelResponseError)

Key = tuple[str, str]


@pytest.fixture(scope="module")
def fake() -> FakeSimotel:
    return FakeSimotel(seed=7, cdr=RECORDS)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.fixture(scope="module")
def search_truth(fake: FakeSimotel) -> list[Key]:
    """The search's records as the server orders them: one fault-free 10,000-record page,
    read with plain httpx (not through the SDK's paginator)."""
    body = {
        "date_range": {"from": "2000-01-01 00:00", "to": "2030-01-01 00:00"},
        "alike": "true",
        "conditions": {},
        "pagination": {"start": 0, "count": RECORDS + 1, "sorting": {}},
    }
    with_transport = httpx.AsyncClient(transport=fake.transport(), auth=("api", "secret"))

    async def read() -> list[Key]:
        async with with_transport as client:
            reply = await client.post(f"{fake.url}/api/v4/reports/cdr/search", json=body)
        data = reply.json()["data"]
        assert data["pagination"]["total"] == RECORDS
        return [(r["_id"], r["cuid"]) for r in data["data"]]

    return asyncio.run(read())


@pytest.fixture(scope="module")
def cursor_truth(fake: FakeSimotel) -> list[Key]:
    """The cursor's records as the server orders them: by ``_id``."""
    return sorted((r["_id"], r["cuid"]) for r in fake.records("reports.cdr"))


@pytest.fixture(autouse=True)
def disarmed(fake: FakeSimotel) -> Iterator[None]:
    fake.clear_faults()
    yield
    fake.clear_faults()


def keys(records: list[Cdr]) -> list[Key]:
    return [(str(r.id), str(r.cuid)) for r in records]


def client(url: str, retry: RetryPolicy, backend: str = "httpx") -> AsyncSimotel:
    return AsyncSimotel(
        url,
        username="api",
        password="secret",
        retry=retry,
        backend=backend,  # type: ignore[arg-type]
    )


def report(name: str, figures: dict[str, Any], record_property: Any) -> None:
    for key, value in figures.items():
        record_property(key, value)
    print(f"\n{name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))


# -- 10% faults: the retries ride everything out ------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
async def test_search_pull_at_10_percent_faults_equals_the_server(
    fake: FakeSimotel,
    server: FakeServer,
    search_truth: list[Key],
    seed: int,
    record_property: Any,
    backend: str,
) -> None:
    faults = SeededFaults(fake, rate=0.10, seed=seed)
    started = time.perf_counter()
    async with client(server.mount(faults), PATIENT, backend) as simotel:
        pager = simotel.reports.cdr.search(**PERIOD, page_size=100, concurrency=8)
        records = await pager.to_list()
        retries = simotel.retries
    took = time.perf_counter() - started
    report(
        f"search seed={seed}",
        {
            "records": len(records),
            "requests": faults.requests,
            "faults": faults.total,
            "retries": retries,
            "seconds": round(took, 2),
            "by_kind": dict(sorted(faults.injected.items())),
        },
        record_property,
    )
    assert keys(records) == search_truth  # the same set, in the same order
    assert pager.next_start == pager.total == RECORDS
    assert retries == faults.total, "every fault costs exactly one retry"
    assert faults.requests == 100 + faults.total
    assert 0.05 * faults.requests <= faults.total <= 0.15 * faults.requests
    assert len(faults.injected) == min(faults.total, len(RETRYABLE)), "a mix of every kind"


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
async def test_cursor_pull_at_10_percent_faults_equals_the_server(
    fake: FakeSimotel,
    server: FakeServer,
    cursor_truth: list[Key],
    seed: int,
    record_property: Any,
    backend: str,
) -> None:
    # A cursor is sequential by nature: each request sends the previous page's last_id.
    faults = SeededFaults(fake, rate=0.10, seed=seed)
    started = time.perf_counter()
    async with client(server.mount(faults), PATIENT, backend) as simotel:
        cursor = simotel.reports.cdr.ordered()
        records = await cursor.to_list()
        retries = simotel.retries
    took = time.perf_counter() - started
    pages = RECORDS // 20 + 1  # 20 a page, then the empty page that ends the walk
    report(
        f"cursor seed={seed}",
        {
            "records": len(records),
            "requests": faults.requests,
            "faults": faults.total,
            "retries": retries,
            "seconds": round(took, 2),
            "by_kind": dict(sorted(faults.injected.items())),
        },
        record_property,
    )
    assert keys(records) == cursor_truth
    assert cursor.last_id == cursor_truth[-1][0]
    assert retries == faults.total
    assert faults.requests == pages + faults.total
    assert 0.05 * faults.requests <= faults.total <= 0.15 * faults.requests
    assert set(faults.injected) == {label for label, _ in RETRYABLE}


# -- 60% faults: the typed error escapes; resuming completes the pull ---------------------


def tally(errors: list[SimotelError]) -> dict[str, int]:
    return dict(sorted(collections.Counter(type(e).__name__ for e in errors).items()))


def check_escaped(errors: list[SimotelError]) -> None:
    assert errors, "at 60% faults some call must run out of attempts"
    for error in errors:
        assert isinstance(error, ESCAPING), repr(error)
        assert error.endpoint in ("reports.cdr.search", "reports.cdr.ordered")
        assert not error.outcome_unknown, "a read is safe to repeat"
        assert str(error)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS[:1])
async def test_search_at_60_percent_faults_resumes_from_next_start(
    fake: FakeSimotel,
    server: FakeServer,
    search_truth: list[Key],
    seed: int,
    record_property: Any,
    backend: str,
) -> None:
    faults = SeededFaults(fake, rate=0.60, seed=seed)
    records: list[Cdr] = []
    errors: list[SimotelError] = []
    started = time.perf_counter()
    async with client(server.mount(faults), IMPATIENT, backend) as simotel:
        start = 0
        while True:
            pager: AsyncPaginator[Cdr] = simotel.reports.cdr.search(
                **PERIOD, page_size=100, concurrency=8, start=start
            )
            try:
                async with pager:
                    async for record in pager:
                        records.append(record)
                break
            except SimotelError as error:
                errors.append(error)
                assert pager.next_start >= start
                start = pager.next_start
                assert start == len(records), "next_start is just past the last record"
        retries = simotel.retries
    took = time.perf_counter() - started
    report(
        f"search 60% seed={seed}",
        {
            "records": len(records),
            "resumes": len(errors),
            "requests": faults.requests,
            "faults": faults.total,
            "retries": retries,
            "seconds": round(took, 2),
            "escaped": tally(errors),
        },
        record_property,
    )
    check_escaped(errors)
    assert keys(records) == search_truth, "no record lost, repeated or out of order"


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS[:1])
async def test_cursor_at_60_percent_faults_resumes_from_last_id(
    fake: FakeSimotel,
    server: FakeServer,
    cursor_truth: list[Key],
    seed: int,
    record_property: Any,
    backend: str,
) -> None:
    faults = SeededFaults(fake, rate=0.60, seed=seed)
    records: list[Cdr] = []
    errors: list[SimotelError] = []
    started = time.perf_counter()
    async with client(server.mount(faults), IMPATIENT, backend) as simotel:
        after: str | None = None
        while True:
            cursor: AsyncCursor[Cdr] = simotel.reports.cdr.ordered(after_id=after)
            try:
                async with cursor:
                    async for record in cursor:
                        records.append(record)
                break
            except SimotelError as error:
                errors.append(error)
                after = cursor.last_id
                assert after == (str(records[-1].id) if records else None)
        retries = simotel.retries
    took = time.perf_counter() - started
    report(
        f"cursor 60% seed={seed}",
        {
            "records": len(records),
            "resumes": len(errors),
            "requests": faults.requests,
            "faults": faults.total,
            "retries": retries,
            "seconds": round(took, 2),
            "escaped": tally(errors),
        },
        record_property,
    )
    check_escaped(errors)
    assert keys(records) == cursor_truth, "no record lost, repeated or out of order"
