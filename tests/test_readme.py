"""Every ```python block of README.md runs as written against FakeSimotel, and passes mypy --strict.

How a block is run:

* Each block becomes one module (written to a temporary file, so tracebacks show it):
  the *context* its section's prose takes for granted (``CONTEXTS``), then the block.
  A block with ``await``, ``async for`` or ``async with`` at top level (as in
  ``python -m asyncio``) is wrapped in ``async def`` and run with ``asyncio.run``; a
  block whose prose assumes an open client (``simotel``) runs inside
  ``async with AsyncSimotel.from_env() as simotel:``. Blocks that run their own event
  loop (``asyncio.run(main())``) and plain module-level blocks are executed as they are.
* The SDK reaches a fresh, default-seeded ``FakeSimotel`` that accepts the README's
  credentials (``api`` / ``s3cret`` / ``KEY``) without the block being edited:
  ``httpx.AsyncHTTPTransport`` (the pool ``AsyncSimotel`` builds, and the one the
  "Retries" block builds) is replaced by a transport into ``fake.transport()``, and
  ``SIMOTEL_URL``/``SIMOTEL_USERNAME``/``SIMOTEL_PASSWORD`` are set for ``from_env()``.
* The same modules (with the same context and wrapping) are type-checked in one
  ``mypy --strict`` run; errors are reported against README.md's line numbers.

A block in a new section runs with no context (inside a client if it uses ``simotel``
without defining it) and must simply not raise; give it a ``Context`` with a ``check``
here to assert what it prints or changes. A block that cannot run goes in ``NOT_RUN``
with the reason.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from simotel_async import AsyncSimotel
from simotel_async.testing import FakeSimotel

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SUPPORT = Path(__file__).resolve().parent / "readme"  # ``myapp`` for the testing example
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: The credentials the README's examples use; the fake is configured to accept them.
URL, USERNAME, PASSWORD, API_KEY = "https://pbx.example.com", "api", "s3cret", "KEY"

#: Python blocks that are not executed, by section, with the reason (type-checked still).
NOT_RUN: dict[str, str] = {}


# -- the README's blocks ---------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    number: int  # 1-based among the README's python blocks
    line: int  # README line of the block's first code line
    section: str  # the nearest heading above it
    source: str

    @property
    def id(self) -> str:
        return f"{self.number:02d}-{re.sub(r'[^a-z0-9]+', '-', self.section.lower()).strip('-')}"


def readme_blocks() -> list[Block]:
    blocks: list[Block] = []
    section, fence, start = "", None, 0
    lines: list[str] = []
    for number, text in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if fence is None:
            if text.startswith("#"):
                section = text.lstrip("#").strip()
            elif text.startswith("```"):
                fence, start, lines = text[3:].strip(), number + 1, []
        elif text.startswith("```"):
            if fence == "python":
                blocks.append(Block(len(blocks) + 1, start, section, "\n".join(lines) + "\n"))
            fence = None
        else:
            lines.append(text)
    return blocks


BLOCKS = readme_blocks()


def top_level_await(source: str) -> bool:
    """Whether ``source`` awaits outside any function (``python -m asyncio`` style)."""

    def visit(node: ast.AST) -> bool:
        if isinstance(node, ast.Await | ast.AsyncFor | ast.AsyncWith):
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            return False
        return any(visit(child) for child in ast.iter_child_nodes(node))

    return visit(ast.parse(source))


def binds(source: str, name: str) -> bool:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name) == name:
            return True
    return False


def uses(source: str, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(ast.parse(source)))


# -- what each section's prose takes for granted, and what to check after a run -------


@dataclass
class Run:
    """What one block did: its printed output, its names, the fake it talked to."""

    block: Block
    stdout: str
    names: dict[str, Any]
    fake: FakeSimotel
    cwd: Path

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    def endpoint_ids(self) -> list[str | None]:
        return [r.endpoint_id for r in self.fake.requests]

    def bodies(self, endpoint_id: str) -> list[Any]:
        return [r.json for r in self.fake.requests if r.endpoint_id == endpoint_id]


@dataclass(frozen=True)
class Context:
    prelude: str = ""  # module-level code before the block
    client: bool = False  # run inside ``async with AsyncSimotel.from_env() as simotel:``
    after: tuple[str, ...] = ()  # sections whose blocks come first (module-level only)
    check: Callable[[Run], None] | None = None
    exercise: Callable[[Run], None] | None = field(default=None, repr=False)


RESUMABLE = """
from dataclasses import dataclass

from simotel_async.models import Cdr

monday, friday = "2024-03-04 00:00", "2024-03-09 00:00"  # a week in the seeded data


@dataclass
class Checkpoint:  # where the application keeps its place
    offset: int = 0
    last_id: str | None = None


checkpoint = Checkpoint()
saved: list[Cdr] = []


async def save(cdr: Cdr) -> None:  # the application's own storage
    saved.append(cdr)
"""

APP_OBJECTS = """
class Store:  # "db": the application's database
    def __init__(self) -> None:
        self.rows: list[tuple[object, ...]] = []

    async def save(self, *values: object) -> None:
        self.rows.append(values)


class Dashboard:
    def __init__(self) -> None:
        self.states: dict[object, object] = {}

    def update(self, exten: object, state: object) -> None:
        self.states[exten] = state


class Crm:
    async def agent_for(self, number: str | None) -> str:
        return "105"


db, dashboard, crm = Store(), Dashboard(), Crm()
"""


def fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return loaded


def check_quickstart(run: Run) -> None:
    assert run.endpoint_ids() == ["setting.ping", "pbx.queues.addagent", "reports.cdr.search"]
    assert all(r.status == 200 for r in run.fake.requests)
    assert len(run.lines) == 5  # the seed's calls on 2024-03-01 (Tehran time)
    assert all(line.startswith("2024-03-01 ") for line in run.lines)
    assert {line.split()[-1] for line in run.lines} <= {"ANSWERED", "BUSY", "NO ANSWER", "FAILED"}


def check_connecting(run: Run) -> None:
    simotel = run.names["simotel"]
    assert isinstance(simotel, AsyncSimotel)
    assert PASSWORD not in repr(simotel) and API_KEY not in repr(simotel)

    async def ping() -> None:
        async with simotel:
            await simotel.ping()

    asyncio.run(ping())
    (request,) = run.fake.requests
    assert request.status == 200 and request.headers["X-APIKEY"] == API_KEY


def check_calling(run: Run) -> None:
    assert run.lines[:2] == ["Added successfully True", "120"]
    assert run.lines[2].startswith("orig.call.")
    assert len(run.lines) == 3 + 5  # and the 5 calls of 2024-03-01 (Tehran time)
    assert not [u for u in run.fake.records("pbx.users") if u.get("number") == "120"]
    assert len(run.fake.originated_calls) == 1
    # What the README says is sent: search conditions left out go as "", nothing else does.
    (search,) = run.bodies("reports.cdr.search")
    assert search["conditions"] == {"from": "", "to": "", "cuid": ""}
    (update,) = run.bodies("pbx.users.update")
    assert set(update) == {"_id", "call_record"}
    assert run.endpoint_ids()[-1] == "reports.cdr.search"  # the cursor did no I/O


def check_uploads(run: Run) -> None:
    record, size = run.names["record"], run.names["size"]
    assert size > 0 and (run.cwd / record).stat().st_size == size
    (added,) = run.bodies("pbx.announcements.add")
    assert added == {"name": "welcome", "filename": run.names["name"]}
    assert run.names["name"].endswith(".wav")
    assert run.endpoint_ids()[-1] == "reports.audio.download"  # the stream


def check_records(run: Run) -> None:
    # 2024-03-01 03:30 Tehran to Jalali 1403-01-15 (2024-04-03): two lines per call
    assert len(run.lines) % 2 == 0 and len(run.lines) // 2 > 150
    assert all(re.match(r"2024-0[34]-\d\d \S+\+03:30 ", line) for line in run.lines[::2])


def check_iterating(run: Run) -> None:
    total = run.names["cdrs"].total
    assert 0 < total < 100  # one page; the seed has ~6 calls a day
    assert len(run.names["first_500"]) == total
    assert run.lines[-1] == f"{total} / {total}"
    assert len(run.lines) == total + 1


def check_concurrency(run: Run) -> None:
    assert "reports.cdr.search" in run.endpoint_ids()


def check_resume_offset(run: Run) -> None:
    assert run.names["checkpoint"].offset == len(run.names["saved"]) > 0
    assert run.names["rest"].next_start == run.names["checkpoint"].offset


def check_resume_cursor(run: Run) -> None:
    saved = run.names["saved"]
    assert len(saved) == len(run.fake.records("reports.cdr")) == 500
    assert run.names["checkpoint"].last_id == saved[-1].id


def check_retries(run: Run) -> None:
    async def ping() -> int:
        async with httpx.AsyncClient(transport=run.names["transport"]) as client:
            response = await client.post(
                f"{URL}/api/v4/setting/ping/act", json={}, auth=(USERNAME, PASSWORD)
            )
            return response.status_code

    assert asyncio.run(ping()) == 200


def check_events(run: Run) -> None:
    on_delivery = run.names["on_delivery"]
    cdr, state = fixture("events/Cdr.json"), fixture("events/NewState.json")
    event = asyncio.run(on_delivery(json.dumps(cdr).encode()))
    assert type(event).__name__ == "CdrEvent"
    asyncio.run(on_delivery(json.dumps(state).encode()))
    (row,) = run.names["db"].rows
    assert row[:4] == (cdr["unique_id"], cdr["src"], cdr["dst"], cdr["billsec"])
    assert run.names["dashboard"].states == {state["exten"]: state["state"]}


def check_dialplan(run: Run) -> None:
    on_component = run.names["on_component"]

    def answer(payload: dict[str, Any]) -> dict[str, Any]:
        reply: dict[str, Any] = asyncio.run(on_component(json.dumps(payload).encode()))
        return reply.to_dict()  # type: ignore[attr-defined,no-any-return]

    menu = answer({"app_name": "menu", "src": "09155441", "dst": "789", "data": ""})
    assert (
        menu["commands"] == "PlayAnnouncement('welcome');GetData('menu-prompt', 5, 1);Exit('route')"
    )
    route = answer({"app_name": "route", "src": "09155441", "dst": "789", "data": "2"})
    assert route["commands"] == "Exit('support')"
    agent = answer({"app_name": "Extension API", "src": "09155441", "dst": "789"})
    assert agent["extension"] == "105"


def check_fastapi(run: Run) -> None:
    app, webhooks = run.names["app"], run.names["webhooks"]
    cdr = fixture("events/Cdr.json")

    async def deliver() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hooks.test") as client:
            event = await client.post("/simotel", json=cdr, auth=("hooks", "..."))
            component = await client.post(
                "/simotel", json={"app_name": "route", "data": "1"}, auth=("hooks", "...")
            )
            refused = await client.post("/simotel", json=cdr, auth=("hooks", "wrong"))
            assert refused.status_code == 401
        await webhooks.drain(timeout=5)
        return event, component

    event, component = asyncio.run(deliver())
    assert event.status_code == 200
    assert component.status_code == 200 and component.json()["commands"] == "Exit('sales')"
    assert [row[0] for row in run.names["db"].rows] == [cdr["unique_id"]]


def check_testing(run: Run) -> None:
    """The block is a pytest module: run it with pytest, ``myapp`` from tests/readme."""
    (run.cwd / "test_callbacks.py").write_text(run.block.source, encoding="utf-8")
    (run.cwd / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
        "filterwarnings = error\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(SUPPORT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_callbacks.py"],
        cwd=run.cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout, result.stdout


CONTEXTS: dict[str, Context] = {
    "Quickstart": Context(check=check_quickstart),
    "Connecting": Context(check=check_connecting),
    "Calling endpoints": Context(check=check_calling),
    "Uploads and downloads": Context(client=True, check=check_uploads),
    "Records, dates and time zones": Context(client=True, check=check_records),
    "Iterating": Context(prelude=RESUMABLE, client=True, check=check_iterating),
    "Concurrency": Context(prelude=RESUMABLE, client=True, check=check_concurrency),
    # Two blocks: an offset walk, then a cursor walk; told apart by their check.
    "Resuming": Context(prelude=RESUMABLE, client=True),
    "Retries and rate limits": Context(check=check_retries),
    "Receiving events": Context(prelude=APP_OBJECTS, check=check_events),
    "Answering dialplan components": Context(prelude=APP_OBJECTS, check=check_dialplan),
    "FastAPI": Context(
        prelude=APP_OBJECTS,
        after=("Receiving events", "Answering dialplan components"),
        check=check_fastapi,
    ),
    "Testing your integration": Context(check=check_testing),
}


def context_of(block: Block) -> Context:
    if block.section in CONTEXTS:
        return CONTEXTS[block.section]
    client = uses(block.source, "simotel") and not binds(block.source, "simotel")
    return Context(client=client)


def check_of(block: Block) -> Callable[[Run], None] | None:
    if block.section == "Resuming":
        return check_resume_cursor if "ordered(" in block.source else check_resume_offset
    return context_of(block).check


# -- one module per block ----------------------------------------------------------------


@dataclass
class Module:
    """A block with its context, as one module; ``origin`` maps its lines to README lines."""

    block: Block
    lines: list[str] = field(default_factory=list)
    origin: list[int | None] = field(default_factory=list)

    def add(self, source: str, indent: int = 0, start: int | None = None) -> None:
        for offset, text in enumerate(source.rstrip("\n").split("\n")):
            self.lines.append(" " * indent + text if text else "")
            self.origin.append(None if start is None else start + offset)

    @property
    def source(self) -> str:
        return "\n".join(self.lines) + "\n"

    @property
    def name(self) -> str:
        return f"readme_block_{self.block.number:02d}"


def module_for(block: Block) -> Module:
    context = context_of(block)
    module = Module(block)
    module.add(f"# README.md line {block.line}, section {block.section!r}: generated by {__name__}")
    if context.prelude:
        module.add(context.prelude)
    for section in context.after:
        for earlier in (b for b in BLOCKS if b.section == section):
            assert not top_level_await(earlier.source), f"{section}: needs to be module-level"
            module.add(earlier.source, start=earlier.line)
    if not (context.client or top_level_await(block.source)):
        module.add(block.source, start=block.line)
        return module
    module.add("import asyncio as _asyncio")
    module.add("from typing import Any as _Any")
    module.add("from simotel_async import AsyncSimotel as _AsyncSimotel")
    module.add("_readme_names: dict[str, _Any] = {}")
    module.add("\n\nasync def _readme_block() -> None:")
    indent = 4
    if context.client:
        module.add("async with _AsyncSimotel.from_env() as simotel:", indent)
        indent = 8
    module.add(block.source, indent, start=block.line)
    module.add("_readme_names.update(locals())", indent)
    module.add("\n\n_asyncio.run(_readme_block())")
    return module


# -- running -----------------------------------------------------------------------------


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSimotel:
    """A default-seeded fake behind every ``httpx.AsyncHTTPTransport`` and ``from_env()``."""
    server = FakeSimotel(username=USERNAME, password=PASSWORD, api_key=API_KEY)

    class ToFake(httpx.AsyncBaseTransport):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._inner = server.transport()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return await self._inner.handle_async_request(request)

        async def aclose(self) -> None:
            await self._inner.aclose()

    monkeypatch.setattr(httpx, "AsyncHTTPTransport", ToFake)
    for name in ("SIMOTEL_API_KEY", "SIMOTEL_API_VERSION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SIMOTEL_URL", URL)
    monkeypatch.setenv("SIMOTEL_USERNAME", USERNAME)
    monkeypatch.setenv("SIMOTEL_PASSWORD", PASSWORD)
    return server


def test_readme_has_the_blocks_this_test_knows() -> None:
    sections = {block.section for block in BLOCKS}
    assert len(BLOCKS) >= 14
    assert set(CONTEXTS) <= sections, f"stale contexts: {set(CONTEXTS) - sections}"
    assert set(NOT_RUN) <= sections, f"stale NOT_RUN entries: {set(NOT_RUN) - sections}"


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_block_runs(
    block: Block, fake: FakeSimotel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if block.section in NOT_RUN:
        pytest.skip(NOT_RUN[block.section])
    module = module_for(block)
    path = tmp_path / f"{module.name}.py"
    path.write_text(module.source, encoding="utf-8")
    work = tmp_path / "cwd"  # downloads land here
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.syspath_prepend(str(SUPPORT))

    namespace = types.ModuleType(module.name)
    namespace.__file__ = str(path)
    monkeypatch.setitem(sys.modules, module.name, namespace)  # dataclasses look it up
    stdout = io.StringIO()
    loaded = set(sys.modules)
    try:
        with contextlib.redirect_stdout(stdout):
            exec(compile(module.source, str(path), "exec"), namespace.__dict__)
    finally:
        for name in set(sys.modules) - loaded:
            if name.split(".")[0] == "myapp":  # tests/readme's stand-in for the user's code
                del sys.modules[name]
    names = {**namespace.__dict__, **namespace.__dict__.get("_readme_names", {})}

    check = check_of(block)
    if check is not None:
        check(Run(block, stdout.getvalue(), names, fake, work))


# -- type-checking -------------------------------------------------------------------------


def test_blocks_pass_mypy_strict(tmp_path: Path) -> None:
    from mypy import api as mypy_api  # in the [test] extra: CI must not skip this

    modules = [module_for(block) for block in BLOCKS]
    paths = []
    for module in modules:
        path = tmp_path / f"{module.name}.py"
        path.write_text(module.source, encoding="utf-8")
        paths.append(str(path))
    config = tmp_path / "mypy.ini"
    config.write_text(
        textwrap.dedent(
            f"""\
            [mypy]
            strict = True
            warn_unreachable = True
            python_version = 3.10
            follow_imports = silent
            mypy_path = {SUPPORT}
            cache_dir = {ROOT / ".mypy_cache" / "readme"}
            """
        ),
        encoding="utf-8",
    )
    stdout, stderr, status = mypy_api.run(["--config-file", str(config), *paths])

    def in_readme(match: re.Match[str]) -> str:
        module = next(m for m in modules if m.name == Path(match[1]).stem)
        line = module.origin[int(match[2]) - 1]
        where = f"README.md:{line}" if line else f"{match[1]}:{match[2]} (test scaffolding)"
        return f"{where} [{module.block.section}]:"

    report = re.sub(r"^(\S+\.py):(\d+):", in_readme, stdout, flags=re.MULTILINE)
    assert status == 0, report + stderr
