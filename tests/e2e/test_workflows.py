"""Realistic flows through the real client against FakeSimotel: staffing a queue, a full
CDR export (concurrent pages, then the resumable cursor), and a 1 MB sound round trip."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from simotel_async import AsyncSimotel, OperationFailedError
from simotel_async.testing import FakeSimotel

MB = 1024 * 1024


@pytest.fixture
def fake() -> FakeSimotel:
    return FakeSimotel(seed=23, cdr=60)


@pytest.fixture
async def simotel(fake: FakeSimotel) -> AsyncIterator[AsyncSimotel]:
    async with AsyncSimotel(
        fake.url, api_key="KEY", username="api", password="secret", transport=fake.transport()
    ) as client:
        yield client


async def agents_of(simotel: AsyncSimotel, queue: str) -> list[str]:
    """The extensions whose ``queues`` list ``queue``, read through the API."""
    return sorted(
        str(u.number) for u in await simotel.pbx.users.search() if queue in (u.queues or [])
    )


async def test_staff_a_new_queue(fake: FakeSimotel, simotel: AsyncSimotel) -> None:
    queues = simotel.pbx.queues
    created = await queues.add(name="Retention", number="960", strategy="rrmemory", timeout=25)
    [queue] = await queues.search(number="960", alike=False)
    assert (queue.id, queue.name, queue.strategy, queue.timeout) == (
        created.id,
        "Retention",
        "rrmemory",
        25,
    )

    agents = ["101", "102", "103"]
    roster: list[dict[str, str | int]] = [
        {"queue": "960", "source": a, "agent": a, "penalty": 1} for a in agents
    ]
    added = await queues.batch_add_agent(
        agents=[*roster, {"queue": "960", "source": "101", "agent": "101"}]
    )
    # One call, one answer per agent: the repeated 101 is refused, the others are in.
    assert added.ok is False
    assert added.results is not None
    assert [(r.agent, r.ok) for r in added.results] == [
        ("101", True),
        ("102", True),
        ("103", True),
        ("101", False),
    ]
    assert added.results[-1].message == "Agent already exists in this queue"
    assert await agents_of(simotel, "960") == agents

    paused = await queues.pause_agent(queue="960", agent="101")
    assert (paused.ok, paused.message) == (True, "Paused successfully")
    resumed = await queues.resume_agent(queue="960", agent="101")
    assert (resumed.ok, resumed.message) == (True, "UnPaused successfully")
    both = [{"queue": "960", "agent": a} for a in ("102", "103")]
    assert (await queues.batch_pause_agent(agents=both)).ok is True
    assert (await queues.batch_resume_agent(agents=both)).ok is True

    removed = await queues.remove_agent(queue="960", agent="101")
    assert (removed.ok, removed.message) == (True, "Removed successfully")
    assert await agents_of(simotel, "960") == ["102", "103"]
    with pytest.raises(OperationFailedError, match="Agent not found in this queue"):
        await queues.pause_agent(queue="960", agent="101")

    cleared = await queues.batch_remove_agent(agents=both)
    assert cleared.results is not None
    assert [(r.agent, r.ok) for r in cleared.results] == [("102", True), ("103", True)]
    assert await agents_of(simotel, "960") == []

    await queues.remove(id=str(created.id))
    assert await queues.search(number="960", alike=False) == []
    assert [r.endpoint_id for r in fake.requests if r.status != 200] == []


def overlapping_fake(cdr: int) -> FakeSimotel:
    """A fake whose requests overlap: each yields to the loop once before it is handled."""

    async def yield_once(_: float) -> None:
        await asyncio.sleep(0)

    return FakeSimotel(seed=29, cdr=cdr, latency=1.0, sleep=yield_once)


async def export_cdr(fake: FakeSimotel, concurrency: int) -> list[str]:
    async with (
        AsyncSimotel(
            fake.url, username="api", password="secret", transport=fake.transport()
        ) as simotel,
        simotel.reports.cdr.search(
            date_from="2024-01-01 00:00",
            date_to="2024-05-02 00:00",
            page_size=50,
            concurrency=concurrency,
        ) as pager,
    ):
        ids = [str(cdr.id) async for cdr in pager]
        assert (pager.total, pager.total_changed) == (len(ids), False)
    return ids


async def test_a_concurrent_cdr_export_matches_the_sequential_one() -> None:
    fake = overlapping_fake(cdr=1000)
    stored = [doc["_id"] for doc in fake.records("reports.cdr")]

    sequential = await export_cdr(fake, concurrency=1)
    assert fake.max_in_flight == 1
    fake.max_in_flight = 0
    fake.requests.clear()
    concurrent = await export_cdr(fake, concurrency=8)

    assert fake.max_in_flight > 1  # pages really were fetched side by side
    assert len(concurrent) == len(set(concurrent)) == len(stored) == 1000
    assert set(concurrent) == set(stored)
    assert concurrent == sequential
    starts = sorted(r.json["pagination"]["start"] for r in fake.requests)
    assert starts == list(range(0, 1000, 50))  # every page asked for once


async def test_an_export_stopped_early_resumes_from_next_start() -> None:
    fake = overlapping_fake(cdr=200)
    period: dict[str, Any] = {"date_from": "2024-01-01 00:00", "date_to": "2024-05-02 00:00"}
    async with AsyncSimotel(
        fake.url, username="api", password="secret", transport=fake.transport()
    ) as simotel:
        full = [str(c.id) async for c in simotel.reports.cdr.search(**period, page_size=20)]
        pager = simotel.reports.cdr.search(**period, page_size=20, concurrency=8)
        first: list[str] = []
        async with pager:
            async for cdr in pager:
                first.append(str(cdr.id))
                if len(first) == 33:
                    break
        assert pager.next_start == 33
        # Leaving the walk cancelled the page requests still in flight.
        assert [t for t in asyncio.all_tasks() if t.get_name().startswith("simotel")] == []
        resumed = simotel.reports.cdr.search(**period, page_size=20, concurrency=8, start=33)
        rest = [str(c.id) async for c in resumed]
    assert first + rest == full


async def test_calls_made_during_an_offset_walk_are_not_yielded_twice(
    fake: FakeSimotel, simotel: AsyncSimotel
) -> None:
    stored = {doc["_id"] for doc in fake.records("reports.cdr")}
    fake.insert_during_pagination("reports.cdr.search", after_page=1, count=3)
    pager = simotel.reports.cdr.search(
        date_from="2024-01-01 00:00", date_to="2024-05-02 00:00", page_size=10
    )
    ids = [str(c.id) async for c in pager]
    # The three newest calls pushed every record three places down: page 2 repeated
    # three records already yielded, which the paginator dropped.
    assert len(ids) == len(set(ids))
    assert set(ids) == stored
    assert (pager.total, pager.total_changed) == (63, True)


async def test_the_ordered_cursor_walks_every_cdr_once_and_resumes(
    fake: FakeSimotel, simotel: AsyncSimotel
) -> None:
    stored = sorted(doc["_id"] for doc in fake.records("reports.cdr"))

    walked = [str(cdr.id) async for cdr in simotel.reports.cdr.ordered()]
    assert walked == stored

    cursor = simotel.reports.cdr.ordered()
    first: list[str] = []
    async with cursor:
        async for cdr in cursor:
            first.append(str(cdr.id))
            if len(first) == 25:
                break
    saved = cursor.last_id
    assert saved == first[-1]

    fake.requests.clear()
    rest = [str(c.id) async for c in simotel.reports.cdr.ordered(after_id=saved)]
    assert first + rest == stored
    assert fake.requests[0].json == {"_id": saved}


async def test_the_cursor_picks_up_calls_made_during_the_walk(
    fake: FakeSimotel, simotel: AsyncSimotel
) -> None:
    fake.insert_during_pagination("reports.cdr.ordered", after_page=1, count=3)
    walked = [str(cdr.id) async for cdr in simotel.reports.cdr.ordered()]
    stored = sorted(doc["_id"] for doc in fake.records("reports.cdr"))
    assert len(stored) == 63
    assert walked == stored


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def test_a_1_mb_announcement_round_trip(
    fake: FakeSimotel, simotel: AsyncSimotel, tmp_path: Path
) -> None:
    sound = tmp_path / "Welcome Message.wav"
    sound.write_bytes(b"RIFF" + bytes(i * 7 % 256 for i in range(MB - 4)))

    name = await simotel.pbx.announcements.upload(sound)
    added = await simotel.pbx.announcements.add(name="welcome-2024", filename=name)
    [found] = await simotel.pbx.announcements.search(name="welcome-2024", alike=False)
    assert (found.id, found.filename) == (added.id, name)

    # Announcements have no download endpoint; the recordings one serves any stored
    # sound by file name.
    copy = tmp_path / "copy.wav"
    size = await simotel.reports.audio.download(file=name, dest=copy)
    assert size == MB
    assert sha256(copy.read_bytes()) == sha256(sound.read_bytes())
    upload = next(r for r in fake.requests if r.endpoint_id == "pbx.announcements.upload")
    assert upload.headers["content-type"].startswith("multipart/form-data")


async def test_a_1_mb_fax_round_trip(simotel: AsyncSimotel, tmp_path: Path) -> None:
    document = tmp_path / "contract.pdf"
    document.write_bytes(b"%PDF-1.4\n" + bytes(i * 13 % 256 for i in range(MB - 9)))

    stored = await simotel.pbx.faxes.upload(document)
    fax = await simotel.pbx.faxes.add(file=stored, to="02188776655", ext="101")

    async with simotel.pbx.faxes.stream(id=str(fax.id)) as response:
        assert response.headers["content-length"] == str(MB)
        digest = hashlib.sha256()
        async for chunk in response.aiter_bytes():
            digest.update(chunk)
    assert digest.hexdigest() == sha256(document.read_bytes())
