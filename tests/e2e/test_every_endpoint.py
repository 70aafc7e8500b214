"""Every catalogued endpoint through its typed method, against FakeSimotel, in v4 and v3.

Each endpoint id has one scenario. A scenario prepares what it needs (an upload before a
download, a queue member before a pause), makes the call under test through
:class:`Run` -- which checks that the fake logged exactly that endpoint, with the HTTP
method and path of the API version, and answered 200 -- then checks the result's type
and the server's state (added records are found by search, updates read back, removed
records are gone, an originate reaches the PBX).

The expected routes come from the vendor's catalogue as the fake holds it, never from the
SDK's own table: a wrong method or path in the SDK fails here.
"""

from __future__ import annotations

import io
import math
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import attrs
import httpx
import pytest

from simotel_async import (
    AsyncCursor,
    AsyncPaginator,
    AsyncSimotel,
    CursorPage,
    OperationFailedError,
)
from simotel_async.models import (
    AddResult,
    AgentResult,
    AgentSession,
    Announcement,
    AutodialerAnnouncement,
    AutodialerCallInfo,
    AutodialerReport,
    BatchAgentResult,
    BlacklistEntry,
    Campaign,
    Cdr,
    Contact,
    Fax,
    Group,
    MusicOnHold,
    OriginateResult,
    PollResult,
    Queue,
    QueueDetail,
    QueueStat,
    Trunk,
    TrunkManager,
    UpdateResult,
    User,
    VoicemailBox,
    VoicemailMessage,
    WhitelistEntry,
)
from simotel_async.testing import FakeSimotel
from simotel_async.testing._catalog import ENDPOINTS, EXTRA_ROUTES

T = TypeVar("T")

TEHRAN = ZoneInfo("Asia/Tehran")
# The fake's calls span the 90 days before 2024-05-01.
PERIOD: dict[str, Any] = {"date_from": date(2024, 1, 1), "date_to": date(2024, 5, 2)}

# v4 serves voicemail downloads on reports/audio/download; the fake logs a route that
# two endpoints share under the one named after the path.
LOGGED_AS = {("voicemails.inbox.download", "v4"): "reports.audio.download"}

# Ping has no v3 route in the vendor's catalogue; the SDK and the fake assume PUT.
ASSUMED_V3 = {e: (m, p) for v, m, p, e in EXTRA_ROUTES if v == "v3"}

_ACTIONS = {
    f"{batch}{verb}agent": f"{batch}{'_' if batch else ''}{verb}_agent"
    for batch in ("", "batch")
    for verb in ("add", "pause", "resume", "remove")
}


def resolve(client: Any, dotted: str) -> Any:
    """The attribute of ``client`` that serves an endpoint id or resource, as documented.

    The README's rule: ``simotel.<group>.<resource>.<action>``, the action in snake_case
    (``pbx.queues.addagent`` is ``simotel.pbx.queues.add_agent``).
    """
    target = client
    for part in dotted.split("."):
        target = getattr(target, _ACTIONS.get(part, part))
    return target


def expected_route(endpoint_id: str, version: str) -> tuple[str, str]:
    """``(method, path)`` the vendor's catalogue gives ``endpoint_id`` in ``version``."""
    endpoint = ENDPOINTS[endpoint_id]
    route = endpoint.v4 if version == "v4" else endpoint.v3
    if route is None:
        return ASSUMED_V3[endpoint_id]
    return route.method, route.path


@attrs.define
class Run:
    """One endpoint in one API version: the client, the fake and the checked calls."""

    simotel: AsyncSimotel
    fake: FakeSimotel
    version: str
    endpoint_id: str
    tmp_path: Path
    checked: int = 0

    @property
    def prefix(self) -> str:
        """The endpoint's resource, e.g. ``"pbx.users"``."""
        return self.endpoint_id.rsplit(".", 1)[0]

    @property
    def method(self) -> Any:
        """The typed method under test."""
        return resolve(self.simotel, self.endpoint_id)

    def resource(self, prefix: str | None = None) -> Any:
        return resolve(self.simotel, prefix or self.prefix)

    def _check(self, before: int, requests: int) -> None:
        method, path = expected_route(self.endpoint_id, self.version)
        logged_as = LOGGED_AS.get((self.endpoint_id, self.version), self.endpoint_id)
        expected = (logged_as, self.version, method, f"/api/{self.version}/{path}", 200)
        seen = [
            (r.endpoint_id, r.api_version, r.method, r.path, r.status)
            for r in self.fake.requests[before:]
        ]
        assert seen == [expected] * requests
        self.checked += requests

    async def call(self, awaitable: Awaitable[T]) -> T:
        """Await a call that must send exactly one request to the endpoint under test."""
        before = len(self.fake.requests)
        result = await awaitable
        self._check(before, 1)
        return result

    async def walk(self, pager: AsyncPaginator[T], *, requests: int) -> list[T]:
        """Every record of a paginator, fetched in exactly ``requests`` page requests."""
        before = len(self.fake.requests)
        items = await pager.to_list()
        self._check(before, requests)
        return items

    async def first_page(self, cursor: AsyncCursor[T]) -> CursorPage[T]:
        """The first page of a cursor, one request."""
        before = len(self.fake.requests)
        async with aclosing(cursor.pages()) as pages:
            page = await anext(pages)
        self._check(before, 1)
        return page

    def records(self, collection: str) -> list[dict[str, Any]]:
        return self.fake.records(collection)

    def ids(self, collection: str) -> list[str]:
        return [doc["_id"] for doc in self.fake.records(collection)]

    def record(self, collection: str, record_id: str) -> dict[str, Any]:
        [doc] = [doc for doc in self.fake.records(collection) if doc["_id"] == record_id]
        return doc


async def everything(resource: Any) -> list[Any]:
    """All records of a resource through its typed search, paginated or not."""
    result = resource.search()
    if isinstance(result, AsyncPaginator):
        return await result.to_list()
    return list(await result)


def member(run: Run, *, agents: int = 1) -> tuple[str, list[str]]:
    """A seeded queue with at least ``agents`` members, and those members."""
    by_queue: dict[str, list[str]] = {}
    for user in run.records("pbx.users"):
        for queue in user["queues"]:
            by_queue.setdefault(queue, []).append(user["number"])
    queue, members = next((q, m) for q, m in sorted(by_queue.items()) if len(m) >= agents)
    return queue, members[:agents]


def outsiders(run: Run, queue: str, count: int = 1) -> list[str]:
    """Extensions that are not agents of ``queue``."""
    return [u["number"] for u in run.records("pbx.users") if queue not in u["queues"]][:count]


def queues_of(run: Run, number: str) -> list[str]:
    [user] = [u for u in run.records("pbx.users") if u["number"] == number]
    return list(user["queues"])


Scenario = Callable[[Run], Awaitable[None]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(*endpoint_ids: str) -> Callable[[Scenario], Scenario]:
    def register(function: Scenario) -> Scenario:
        for endpoint_id in endpoint_ids:
            assert endpoint_id not in SCENARIOS, endpoint_id
            SCENARIOS[endpoint_id] = function
        return function

    return register


# -- setting and call ------------------------------------------------------------------


@scenario("setting.ping")
async def ping(run: Run) -> None:
    await run.call(run.simotel.setting.ping())
    await run.call(run.simotel.ping())


@scenario("call.originate")
async def originate(run: Run) -> None:
    result = await run.call(
        run.simotel.call.originate(
            caller="101",
            callee="09123456789",
            context="main_routing",
            caller_id="02191001000",
            trunk_name="t1541",
            timeout=30,
        )
    )
    assert isinstance(result, OriginateResult)
    assert result.originated_call_id
    [placed] = run.fake.originated_calls
    assert placed.originated_call_id == result.originated_call_id
    assert (placed.caller, placed.callee, placed.context, placed.caller_id) == (
        "101",
        "09123456789",
        "main_routing",
        "02191001000",
    )
    assert (placed.trunk_name, placed.timeout) == ("t1541", "30")
    records = run.records("reports.cdr")
    assert [c["dst"] for c in records if c.get("originated_call_id") == placed.originated_call_id]


# -- generic CRUD ----------------------------------------------------------------------

# resource -> (add arguments, the field that finds the new record, AddResult.id is set)
ADDS: dict[str, tuple[dict[str, Any], str, bool]] = {
    "pbx.users": ({"name": "Nima Tester", "number": "777", "secret": "s3cret!"}, "number", False),
    "pbx.trunks": ({"name": "backup", "host": "10.0.0.9", "port": "5061"}, "name", True),
    "pbx.queues": ({"name": "Retention", "number": "950", "strategy": "rrmemory"}, "name", True),
    "voicemails.voicemails": (
        {"name": "night desk", "number": "499", "password": "4242"},
        "number",
        True,
    ),
    "pbx.blacklists": ({"number": "09350000000", "comment": "spam"}, "number", False),
    "pbx.whitelists": ({"number": "09121111111", "labels": ["vip"]}, "number", False),
    "autodialer.contacts": ({"name": "new_lead", "number": "09190000000"}, "name", False),
}


@scenario(*(f"{resource}.add" for resource in ADDS if resource != "pbx.users"))
async def add(run: Run) -> None:
    arguments, key, has_id = ADDS[run.prefix]
    result = await run.call(run.method(**arguments))
    assert isinstance(result, AddResult)
    [stored] = [d for d in run.records(run.prefix) if d.get(key) == arguments[key]]
    assert {name: stored[name] for name in arguments} == arguments
    if has_id:
        assert result.id == stored["_id"]
    else:
        assert result.id is None  # the documented answer carries no id
    found = [r for r in await everything(run.resource()) if r.id == stored["_id"]]
    assert [getattr(r, key) for r in found] == [arguments[key]]


@scenario("pbx.users.add")
async def add_user(run: Run) -> None:
    # pbx.users.add answers {"status": "success", "user_id": ...}, not an envelope.
    await add(run)
    [user] = await run.simotel.pbx.users.search(number="777", alike=False)
    assert user.secret == "******"
    assert user.name == "Nima Tester"


# resource -> (update arguments, stored fields, model attributes)
UPDATES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "pbx.users": (
        {"name": "Renamed Person", "active": False, "call_limit": 2},
        {"name": "Renamed Person", "active": "no", "call_limit": "2"},
        {"name": "Renamed Person", "active": False, "call_limit": 2},
    ),
    "pbx.trunks": (
        {"description": "moved to rack 2", "port": 5080},
        {"description": "moved to rack 2", "port": "5080"},
        {"description": "moved to rack 2", "port": 5080},
    ),
    "pbx.queues": (
        {"strategy": "leastrecent", "timeout": 45, "ringinuse": True},
        {"strategy": "leastrecent", "timeout": "45", "ringinuse": "yes"},
        {"strategy": "leastrecent", "timeout": 45, "ringinuse": True},
    ),
    "pbx.announcements": (
        {"comment": "spring promo"},
        {"comment": "spring promo"},
        {"comment": "spring promo"},
    ),
    "voicemails.voicemails": (
        {"email": "box@example.com", "play_cid": True},
        {"email": "box@example.com", "Play_CID": "yes"},
        {"email": "box@example.com", "play_cid": True},
    ),
    "pbx.blacklists": ({"comment": "robocaller"},) * 3,
    "pbx.whitelists": ({"labels": ["vip", "partner"]},) * 3,
    "autodialer.contacts": ({"name": "renamed_contact", "description": "mornings"},) * 3,
    "autodialer.announcements": ({"description": "new voice"},) * 3,
    "autodialer.trunks": (
        {"capacity": 7, "status": "inactive"},
        {"capacity": "7", "status": "inactive"},
        {"capacity": 7, "status": "inactive"},
    ),
}


@scenario(*(f"{resource}.update" for resource in UPDATES))
async def update(run: Run) -> None:
    arguments, stored, attributes = UPDATES[run.prefix]
    target = run.ids(run.prefix)[1]
    assert await run.call(run.method(id=target, **arguments)) is None
    record = run.record(run.prefix, target)
    assert {name: record[name] for name in stored} == stored
    [found] = [r for r in await everything(run.resource()) if r.id == target]
    assert {name: getattr(found, name) for name in attributes} == attributes


REMOVABLE = (
    "pbx.users",
    "pbx.trunks",
    "pbx.queues",
    "pbx.announcements",
    "voicemails.voicemails",
    "pbx.blacklists",
    "pbx.whitelists",
    "autodialer.contacts",
    "autodialer.groups",
    "autodialer.campaigns",
    "autodialer.announcements",
)


@scenario(*(f"{resource}.remove" for resource in REMOVABLE))
async def remove(run: Run) -> None:
    before = run.ids(run.prefix)
    victim = before[-1]
    assert await run.call(run.method(id=victim)) is None
    assert run.ids(run.prefix) == before[:-1]
    assert victim not in [r.id for r in await everything(run.resource())]
    with pytest.raises(OperationFailedError):
        await run.method(id=victim)


# resource -> (the field to filter on, the model)
LISTS: dict[str, tuple[str, type[Any]]] = {
    "pbx.users": ("number", User),
    "pbx.trunks": ("name", Trunk),
    "pbx.queues": ("name", Queue),
    "pbx.musiconholds": ("name", MusicOnHold),
    "pbx.announcements": ("name", Announcement),
    "voicemails.voicemails": ("number", VoicemailBox),
    "pbx.blacklists": ("number", BlacklistEntry),
    "pbx.whitelists": ("number", WhitelistEntry),
    "autodialer.announcements": ("name", AutodialerAnnouncement),
    "autodialer.trunks": ("title", TrunkManager),
}


@scenario(*(f"{resource}.search" for resource in LISTS if resource != "pbx.musiconholds"))
async def list_search(run: Run) -> None:
    key, model = LISTS[run.prefix]
    stored = run.records(run.prefix)
    found = await run.call(run.method())
    assert isinstance(found, list)
    assert all(type(r) is model for r in found)
    assert [r.id for r in found] == [d["_id"] for d in stored]
    wanted = stored[1][key]
    exact = await run.call(run.method(alike=False, **{key: wanted}))
    assert [r.id for r in exact] == [d["_id"] for d in stored if d[key] == wanted]
    assert {getattr(r, key) for r in exact} == {wanted}


@scenario("pbx.musiconholds.search")
async def music_on_hold_search(run: Run) -> None:
    await list_search(run)
    classes = await run.simotel.pbx.musiconholds.search()
    stored = {d["_id"]: d for d in run.records("pbx.musiconholds")}
    for moh in classes:
        assert moh.musics is not None
        assert [m.file for m in moh.musics] == [m["file"] for m in stored[str(moh.id)]["musics"]]
        assert all(m.file in run.fake.files for m in moh.musics)


# resource -> (collection, model, required filters)
PAGED: dict[str, tuple[str, type[Any], dict[str, Any]]] = {
    "voicemails.inbox": ("voicemails.inbox", VoicemailMessage, {}),
    "pbx.faxes": ("pbx.faxes", Fax, {}),
    "reports.quick": ("reports.cdr", Cdr, PERIOD),
    "reports.cdr": ("reports.cdr", Cdr, PERIOD),
    "reports.queue": ("reports.queue", QueueStat, PERIOD),
    "reports.queue_details": ("reports.queue_details", QueueDetail, PERIOD),
    "reports.agent": ("reports.agent", AgentSession, PERIOD),
    "reports.poll": ("reports.poll", PollResult, PERIOD),
    "autodialer.contacts": ("autodialer.contacts", Contact, {}),
    "autodialer.groups": ("autodialer.groups", Group, {}),
    "autodialer.campaigns": ("autodialer.campaigns", Campaign, {}),
    "autodialer.reports": ("autodialer.reports", AutodialerReport, {}),
}


@scenario(*(f"{resource}.search" for resource in PAGED))
async def paged_search(run: Run) -> None:
    collection, model, filters = PAGED[run.prefix]
    stored = run.ids(collection)
    limit, page_size = min(5, len(stored)), 2
    assert limit > 0
    pager = run.method(**filters, page_size=page_size, limit=limit)
    assert isinstance(pager, AsyncPaginator)
    assert run.fake.requests == []  # created without I/O
    items = await run.walk(pager, requests=math.ceil(limit / page_size))
    assert len(items) == limit
    assert all(type(r) is model for r in items)
    assert len({r.id for r in items}) == limit
    assert {r.id for r in items} <= set(stored)
    assert pager.total == len(stored)
    assert pager.next_start == limit


ORDERED: dict[str, type[Any]] = {
    "reports.cdr": Cdr,
    "reports.queue": QueueStat,
    "reports.queue_details": QueueDetail,
    "autodialer.reports": AutodialerReport,
}


@scenario(*(f"{resource}.ordered" for resource in ORDERED))
async def ordered(run: Run) -> None:
    model = ORDERED[run.prefix]
    stored = sorted(run.ids(run.prefix))
    assert len(stored) > 20
    cursor = run.method()
    assert isinstance(cursor, AsyncCursor)
    page = await run.first_page(cursor)
    assert all(type(r) is model for r in page.items)
    assert [r.id for r in page.items] == stored[:20]
    assert page.last_id == stored[19] == cursor.last_id
    resumed = await run.first_page(run.method(after_id=page.last_id))
    assert [r.id for r in resumed.items] == stored[20:40]


# resource -> (name sent, content, suffix of the stored name)
UPLOADS: dict[str, tuple[str, bytes, str]] = {
    "pbx.announcements": ("Welcome.mp3", b"ID3\x04" + bytes(range(256)) * 8, "_.wav"),
    "pbx.faxes": ("contract.pdf", b"%PDF-1.4\n" + b"x" * 3000, "_.tiff"),
    "autodialer.groups": ("leads.csv", b"09120000001\n09120000002\n09120000003\n", ".csv"),
    "autodialer.announcements": ("offer.wav", b"RIFF\x00\x00WAVE" + b"\x01" * 1000, "_.wav"),
}


@scenario(*(f"{resource}.upload" for resource in UPLOADS))
async def upload(run: Run) -> None:
    filename, content, suffix = UPLOADS[run.prefix]
    name = await run.call(run.method(io.BytesIO(content), filename=filename))
    assert isinstance(name, str)
    assert name.endswith(suffix)
    assert run.fake.files[name].content() == content
    assert run.fake.requests[-1].headers["content-type"].startswith("multipart/form-data")


# -- announcements, faxes, groups, campaigns -------------------------------------------


@scenario("pbx.announcements.add", "autodialer.announcements.add")
async def add_announcement(run: Run) -> None:
    sounds = run.resource()
    filename = await sounds.upload(b"RIFF\x00\x00WAVE" + b"\x02" * 500, filename="greeting.wav")
    result = await run.call(sounds.add(name="greeting", filename=filename))
    assert isinstance(result, AddResult)
    stored = run.record(run.prefix, str(result.id))
    assert (stored["name"], stored["filename"]) == ("greeting", filename)
    [found] = await sounds.search(name="greeting", alike=False)
    assert (found.id, found.filename) == (result.id, filename)


@scenario("pbx.faxes.add")
async def add_fax(run: Run) -> None:
    faxes = run.simotel.pbx.faxes
    document = await faxes.upload(b"%PDF-1.4\ninvoice", filename="invoice.pdf")
    result = await run.call(
        faxes.add(file=document, to="02188776655", ext="101", trunk_name="t1541", sender_id="101")
    )
    assert isinstance(result, AddResult)
    stored = run.record("pbx.faxes", str(result.id))
    assert (stored["type"], stored["file"], stored["dst"]) == ("outbox", document, "02188776655")
    [found] = await faxes.search(dst="02188776655", alike=False).to_list()
    assert (found.id, found.file, found.status) == (result.id, document, "SENDING")


@scenario("autodialer.groups.add")
async def add_group(run: Run) -> None:
    groups = run.simotel.autodialer.groups
    csv = await groups.upload(b"09120000001\n09120000002\n+989120000003\n", filename="vip.csv")
    result = await run.call(groups.add(name="vip callers", filename=csv, description="from csv"))
    assert isinstance(result, AddResult)
    stored = run.record("autodialer.groups", str(result.id))
    assert stored["numbers"] == ["09120000001", "09120000002", "+989120000003"]
    [found] = await groups.search(name="vip callers", alike=False).to_list()
    assert (found.id, found.count, found.description) == (result.id, 3, "from csv")


@scenario("autodialer.groups.update")
async def update_group(run: Run) -> None:
    target = run.ids("autodialer.groups")[0]
    numbers = ["09121234567", "09127654321"]
    group = await run.call(
        run.simotel.autodialer.groups.update(id=target, numbers=numbers, description="refreshed")
    )
    assert isinstance(group, Group)
    assert (group.numbers, group.count, group.description) == (numbers, 2, "refreshed")
    stored = run.record("autodialer.groups", target)
    assert (stored["numbers"], stored["count"]) == (numbers, 2)


@scenario("autodialer.campaigns.add")
async def add_campaign(run: Run) -> None:
    manager = run.ids("autodialer.trunks")[0]
    group = run.ids("autodialer.groups")[0]
    result = await run.call(
        run.simotel.autodialer.campaigns.add(
            name="spring sale",
            trunk_manager_id=manager,
            numbers=["09120000001", "09120000002"],
            groups=[group],
            start=datetime(2024, 6, 1, 9, 0),
            end=datetime(2024, 6, 2, 18, 30),
            try_=2,
            try_interval=600,
        )
    )
    assert isinstance(result, AddResult)
    stored = run.record("autodialer.campaigns", str(result.id))
    assert (stored["trunk_manager_id"], stored["groups"], stored["try"]) == (manager, [group], "2")
    [found] = await run.simotel.autodialer.campaigns.search(name="spring sale").to_list()
    assert found.id == result.id
    assert found.start == datetime(2024, 6, 1, 9, 0, tzinfo=TEHRAN)
    assert found.end == datetime(2024, 6, 2, 18, 30, tzinfo=TEHRAN)
    assert (found.try_, found.try_interval, found.status) == (2, 600, "waiting")


@scenario("autodialer.campaigns.update")
async def update_campaign(run: Run) -> None:
    target = run.ids("autodialer.campaigns")[0]
    result = await run.call(
        run.simotel.autodialer.campaigns.update(
            id=target, name="renamed campaign", start=datetime(2024, 7, 1, 8, 15)
        )
    )
    assert isinstance(result, UpdateResult)
    assert result.count == 0
    [found] = [c for c in await everything(run.resource()) if c.id == target]
    assert found.name == "renamed campaign"
    assert found.start == datetime(2024, 7, 1, 8, 15, tzinfo=TEHRAN)


# -- queue agents ----------------------------------------------------------------------


@scenario("pbx.queues.addagent")
async def add_agent(run: Run) -> None:
    queue, _ = member(run)
    [agent] = outsiders(run, queue)
    result = await run.call(
        run.simotel.pbx.queues.add_agent(queue=queue, source=agent, agent=agent, penalty=1)
    )
    assert isinstance(result, AgentResult)
    assert (result.ok, result.message) == (True, "Added successfully")
    assert queue in queues_of(run, agent)
    [user] = await run.simotel.pbx.users.search(number=agent, alike=False)
    assert user.queues is not None and queue in user.queues


@scenario("pbx.queues.pauseagent", "pbx.queues.resumeagent")
async def pause_or_resume_agent(run: Run) -> None:
    queue, [agent] = member(run)
    result = await run.call(run.method(queue=queue, agent=agent))
    assert isinstance(result, AgentResult)
    expected = "Paused" if run.endpoint_id.endswith("pauseagent") else "UnPaused"
    assert (result.ok, result.message) == (True, f"{expected} successfully")
    [stranger] = outsiders(run, queue)
    with pytest.raises(OperationFailedError, match="Agent not found in this queue"):
        await run.method(queue=queue, agent=stranger)


@scenario("pbx.queues.removeagent")
async def remove_agent(run: Run) -> None:
    queue, [agent] = member(run)
    result = await run.call(run.simotel.pbx.queues.remove_agent(queue=queue, agent=agent))
    assert isinstance(result, AgentResult)
    assert (result.ok, result.message) == (True, "Removed successfully")
    assert queue not in queues_of(run, agent)


@scenario("pbx.queues.batchaddagent")
async def batch_add_agent(run: Run) -> None:
    queue, _ = member(run)
    agents = outsiders(run, queue, 2)
    result = await run.call(
        run.simotel.pbx.queues.batch_add_agent(
            agents=[{"queue": queue, "source": a, "agent": a} for a in agents]
        )
    )
    assert isinstance(result, BatchAgentResult)
    assert result.ok is True
    assert result.results is not None
    assert all(type(r) is AgentResult for r in result.results)
    assert [(r.agent, r.queue, r.ok) for r in result.results] == [(a, queue, True) for a in agents]
    assert all(queue in queues_of(run, a) for a in agents)


@scenario(
    "pbx.queues.batchpauseagent", "pbx.queues.batchresumeagent", "pbx.queues.batchremoveagent"
)
async def batch_agents(run: Run) -> None:
    queue, agents = member(run, agents=2)
    result = await run.call(run.method(agents=[{"queue": queue, "agent": a} for a in agents]))
    assert isinstance(result, BatchAgentResult)
    assert result.ok is True
    assert result.results is not None
    assert [(r.agent, r.queue, r.ok) for r in result.results] == [(a, queue, True) for a in agents]
    still_members = [queue in queues_of(run, a) for a in agents]
    assert still_members == [not run.endpoint_id.endswith("removeagent")] * 2


# -- reports ---------------------------------------------------------------------------


@scenario("reports.quick.info")
async def quick_info(run: Run) -> None:
    details = run.records("reports.queue_details")
    cuid = details[0]["cuid"]
    legs = await run.call(run.simotel.reports.quick.info(cuid=cuid))
    assert isinstance(legs, list)
    assert all(type(leg) is QueueDetail for leg in legs)
    assert [leg.id for leg in legs] == [d["_id"] for d in details if d["cuid"] == cuid]
    assert {leg.cuid for leg in legs} == {cuid}


@scenario("autodialer.reports.info")
async def dialer_call_info(run: Run) -> None:
    report = run.records("autodialer.reports")[0]
    info = await run.call(run.simotel.autodialer.reports.info(id=report["_id"]))
    assert isinstance(info, AutodialerCallInfo)
    assert (info.dcontext, info.wait) == ("autodialer", report["wait"])
    assert info.duration == report["billsec"] + report["wait"]


# -- downloads -------------------------------------------------------------------------


@scenario("reports.audio.download")
async def download_recording(run: Run) -> None:
    name = next(c["record"] for c in run.records("reports.cdr") if c.get("record"))
    dest = run.tmp_path / "call.mp3"
    size = await run.call(run.simotel.reports.audio.download(file=name, dest=dest))
    assert size == run.fake.files[name].size > 0
    assert dest.read_bytes() == run.fake.files[name].content()
    assert list(run.tmp_path.iterdir()) == [dest]  # no temporary file left behind


@scenario("voicemails.inbox.download")
async def download_voicemail(run: Run) -> None:
    name = next(m["filename"] for m in run.records("voicemails.inbox") if m.get("filename"))
    dest = io.BytesIO()
    size = await run.call(run.simotel.voicemails.inbox.download(file=name, dest=dest))
    assert size == len(dest.getvalue()) == run.fake.files[name].size
    assert dest.getvalue() == run.fake.files[name].content()


@scenario("pbx.faxes.download")
async def download_fax(run: Run) -> None:
    faxes = run.simotel.pbx.faxes
    content = b"%PDF-1.4\n" + bytes(range(256)) * 40
    document = await faxes.upload(content, filename="scan.pdf")
    fax = await faxes.add(file=document, to="02100000000")
    dest = io.BytesIO()
    size = await run.call(faxes.download(id=str(fax.id), dest=dest))
    assert size == len(content)
    assert dest.getvalue() == content


# -- the parametrization ---------------------------------------------------------------

CASES = [
    pytest.param(endpoint_id, version, id=f"{endpoint_id}-{version}")
    for endpoint_id in ENDPOINTS
    for version in ("v4", "v3")
]


def test_every_endpoint_has_a_scenario() -> None:
    assert len(ENDPOINTS) == 80
    assert set(SCENARIOS) == set(ENDPOINTS)
    assert {case.values[0] for case in CASES} == set(ENDPOINTS)
    assert [e for e, endpoint in ENDPOINTS.items() if endpoint.v3 is None] == ["setting.ping"]
    assert set(ASSUMED_V3) == {"setting.ping"}
    assert len(CASES) == 80 + 80


async def run_scenario(
    endpoint_id: str,
    version: str,
    tmp_path: Path,
    transport: Callable[[FakeSimotel], httpx.AsyncBaseTransport],
) -> FakeSimotel:
    fake = FakeSimotel(seed=11, cdr=60)
    async with AsyncSimotel(
        fake.url,
        username="api",
        password="secret",
        api_version=version,  # type: ignore[arg-type]
        transport=transport(fake),
    ) as simotel:
        run = Run(simotel, fake, version, endpoint_id, tmp_path)
        await SCENARIOS[endpoint_id](run)
    assert run.checked >= 1
    assert {r.status for r in fake.requests} <= {200}
    assert simotel.retries == 0
    return fake


@pytest.mark.parametrize(("endpoint_id", "version"), CASES)
async def test_endpoint(endpoint_id: str, version: str, tmp_path: Path) -> None:
    fake = await run_scenario(endpoint_id, version, tmp_path, lambda f: f.transport())
    assert {r.client_ip for r in fake.requests} == {"127.0.0.1"}


# One endpoint of each kind, through the fake's ASGI app instead of its transport.
OVER_ASGI = (
    "call.originate",
    "pbx.users.add",
    "pbx.users.search",
    "reports.cdr.search",
    "reports.cdr.ordered",
    "pbx.announcements.upload",
    "voicemails.inbox.download",
)


@pytest.mark.parametrize("version", ["v4", "v3"])
@pytest.mark.parametrize("endpoint_id", OVER_ASGI)
async def test_endpoint_over_asgi(endpoint_id: str, version: str, tmp_path: Path) -> None:
    fake = await run_scenario(
        endpoint_id,
        version,
        tmp_path,
        lambda f: httpx.ASGITransport(app=f.asgi_app, client=("10.0.0.5", 40000)),
    )
    assert {r.client_ip for r in fake.requests} == {"10.0.0.5"}
