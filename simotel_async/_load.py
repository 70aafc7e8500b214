"""``simotel load``: reports into a database through the dlt source (``simotel_async.dlt``).

One dlt pipeline per PBX, named ``simotel_<pbx>``, all into one dataset. Pipelines pull
concurrently (one thread each); normalizing and loading take turns, so one embedded
DuckDB file is never written by two loads at once. The incremental state lives in the
destination with the data; the local working folder is only a cache (it is rebuilt
from the destination when missing), one per destination and dataset.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import datetime as _dt
import hashlib
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote, urlsplit, urlunsplit

import attrs

from . import _cliargs
from ._client import AsyncSimotel

__all__ = ["add_parser", "command", "demo"]

DEFAULT_DUCKDB = "simotel.duckdb"
# Not "simotel": DuckDB names the catalog after the file, and a schema of the same name
# makes every unqualified reference ambiguous.
DEFAULT_DATASET = "simotel_data"
DEFAULT_CHUNK_PAGES = 250
"""Pages of a cursor report per dlt run (ordered pages hold 20 records: 5,000 rows)."""
MULTI_FAILED = 64
"""Base of the exit code when some PBXs of a config file failed: 64 + a bit per PBX."""

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")

LOAD_EXIT_CODES = """several PBXs (--config): 0 when all loaded; otherwise 64 + 1 if the
first PBX failed, + 2 the second, + 4 the third, + 8 the fourth, + 16 the fifth,
+ 32 the sixth or any later one (the summary names them): 65 = only the first failed.
"""


def add_parser(sub: Any, conn: argparse.ArgumentParser, epilog: str) -> None:
    """Register ``simotel load`` on the CLI's subcommands."""
    load = sub.add_parser(
        "load",
        parents=[conn],
        help="load reports into a database (DuckDB by default) with dlt, incrementally",
        description=(
            "Load reports into a database, incrementally: a second run loads only what is "
            "new. Reports: cdr, queue, queue-details, autodialer-reports (by their ordered "
            "cursor), agent, poll (by date window), users, trunks, queues, "
            "autodialer-campaigns, autodialer-contacts, autodialer-groups, or all. "
            "Needs pip install 'simotel-async[dlt]'."
        ),
        epilog=epilog + LOAD_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    load.add_argument("reports", nargs="+", metavar="REPORT", help="what to load, or 'all'")
    load.add_argument(
        "--to",
        dest="destination",
        metavar="DESTINATION",
        help=(
            f"a DuckDB file (default: ./{DEFAULT_DUCKDB}), postgresql://user@host/db "
            "(password from PGPASSWORD or DESTINATION__POSTGRES__CREDENTIALS__PASSWORD), "
            "or a dlt destination name configured in .dlt/secrets.toml or the environment"
        ),
    )
    load.add_argument(
        "--dataset",
        default=DEFAULT_DATASET,
        help=f"dataset (schema) name (default {DEFAULT_DATASET})",
    )
    load.add_argument(
        "--from",
        dest="date_from",
        metavar="'YYYY-MM-DD[ HH:MM]'",
        help="start of the agent/poll window (default: the last run's end less --lookback)",
    )
    load.add_argument(
        "--until",
        dest="date_to",
        metavar="'YYYY-MM-DD[ HH:MM]'",
        help="end of the agent/poll window (default: now)",
    )
    load.add_argument(
        "--lookback",
        type=float,
        default=1.0,
        metavar="DAYS",
        help="agent/poll: start this long before where the last run ended (default 1)",
    )
    load.add_argument("--concurrency", type=_cliargs.positive, default=4, help="pages in flight")
    load.add_argument(
        "--chunk-pages",
        type=_cliargs.positive,
        default=DEFAULT_CHUNK_PAGES,
        metavar="N",
        help=(
            "cursor reports load in runs of at most N pages (each committed with its "
            f"cursor), so memory stays flat however much is new (default {DEFAULT_CHUNK_PAGES})"
        ),
    )
    load.add_argument("--page-size", type=_cliargs.positive, default=100)
    load.add_argument(
        "--dimensions",
        choices=["merge", "replace"],
        default="merge",
        help="how users, trunks, queues and autodialer lists are written (default merge)",
    )
    load.add_argument("--pbx", default="default", help="the pbx column's value (one server)")
    load.add_argument(
        "--config",
        type=Path,
        metavar="FILE.toml",
        help="load several PBXs listed in a TOML file ([[pbx]] name, url, *_env)",
    )
    load.add_argument(
        "--pipelines-dir",
        type=Path,
        help="dlt's local working folder (default: ~/.dlt/pipelines/simotel-<destination>)",
    )


# --- destinations ---------------------------------------------------------------------


@attrs.frozen
class Destination:
    """Where to load: what dlt takes, and how to name it without secrets."""

    label: str
    key: str
    value: Any
    file_format: str | None


def redact(url: str) -> str:
    """``url`` with its password (if any) replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + host))


def destination(text: str | None) -> Destination:
    """Parse ``--to``: a DuckDB path, a ``postgresql://`` URL, or a dlt destination name.

    Raises:
        ValueError: a DuckDB path whose folder does not exist.
    """
    import dlt

    if text and re.match(r"^postgres(ql)?://", text):
        label = redact(text)
        parts = urlsplit(text)
        secret = os.environ.get("PGPASSWORD")
        if parts.password is None and secret:
            # In memory only: the label (all that is ever printed) keeps the URL as given.
            netloc = f"{quote(parts.username or '', safe='')}:{quote(secret, safe='')}@"
            netloc += parts.netloc.rpartition("@")[2]
            text = urlunsplit(parts._replace(netloc=netloc))
        return Destination(label, label, dlt.destinations.postgres(credentials=text), "csv")
    if text and text.startswith("duckdb:///"):
        text = text.removeprefix("duckdb:///")
    if not text or text.endswith((".duckdb", ".db")) or os.sep in text:
        path = Path(text or DEFAULT_DUCKDB).expanduser().resolve()
        if not path.parent.is_dir():
            raise ValueError(f"the folder of the DuckDB file does not exist: {path.parent}")
        return Destination(
            f"duckdb {path}", f"duckdb:{path}", dlt.destinations.duckdb(str(path)), "jsonl"
        )
    if "://" in text:
        raise ValueError(
            f"unsupported destination URL {redact(text)!r}: give a DuckDB file, a "
            "postgresql:// URL, or a dlt destination name (e.g. bigquery) configured in "
            ".dlt/secrets.toml"
        )
    return Destination(text, text, text, None)


def pipelines_dir(dest: Destination, dataset: str, given: Path | None) -> Path:
    """dlt's local working folder for this destination and dataset."""
    if given is not None:
        return given
    base = os.environ.get("SIMOTEL_PIPELINES_DIR") or str(Path.home() / ".dlt" / "pipelines")
    digest = hashlib.sha1(f"{dest.key}|{dataset}".encode()).hexdigest()[:12]
    return Path(base) / f"simotel-{digest}"


# --- servers ----------------------------------------------------------------------------


@attrs.frozen
class Server:
    """One PBX to load: its name and how to build its client."""

    name: str
    factory: Callable[[], AsyncSimotel]


def _env(server: str, table: Mapping[str, Any], key: str) -> str | None:
    variable = table.get(key)
    if variable is None:
        return None
    if not isinstance(variable, str):
        raise ValueError(f"pbx {server!r}: {key} must be the name of an environment variable")
    value = os.environ.get(variable)
    if not value:
        raise ValueError(f"pbx {server!r}: set the environment variable {variable}")
    return value


def _server(table: Mapping[str, Any]) -> Server:
    name = table.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"each [[pbx]] needs a name of letters, digits, - or _, not {name!r}")
    url = table.get("url")
    if not isinstance(url, str) or not url:
        raise ValueError(f"pbx {name!r} needs url = 'https://...'")
    known = {"name", "url", "username_env", "password_env", "api_key_env", "api_version"}
    known |= {"server_timezone"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"pbx {name!r}: unknown keys {unknown} (known: {sorted(known)})")

    def factory() -> AsyncSimotel:
        kwargs: dict[str, Any] = {
            key: value
            for key, value in (
                ("username", _env(name, table, "username_env")),
                ("password", _env(name, table, "password_env")),
                ("api_key", _env(name, table, "api_key_env")),
                ("api_version", table.get("api_version")),
                ("server_timezone", table.get("server_timezone")),
            )
            if value is not None
        }
        return AsyncSimotel(url, **kwargs)

    return Server(name, factory)


def read_config(path: Path) -> list[Server]:
    """The PBXs listed in a TOML file as ``[[pbx]]`` tables.

    Raises:
        ValueError: the file is missing or not TOML, or a table is malformed.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"cannot read --config {path}: {error.strerror}") from None
    try:
        if sys.version_info >= (3, 11):
            import tomllib

            data: Any = tomllib.loads(text)
        else:  # pragma: no cover
            import tomlkit

            data = tomlkit.parse(text).unwrap()
    except Exception as error:  # tomllib and tomlkit raise their own error types
        raise ValueError(f"--config {path} is not valid TOML: {error}") from None
    tables = data.get("pbx")
    if not isinstance(tables, list) or not tables:
        raise ValueError(f"--config {path} lists no servers: add [[pbx]] tables")
    servers = [_server(table) for table in tables]
    names = [s.name for s in servers]
    if len(set(names)) != len(names):
        raise ValueError(f"--config {path}: pbx names must be unique, got {names}")
    return servers


# --- running ----------------------------------------------------------------------------


@attrs.define
class Outcome:
    """What one PBX's load did."""

    pbx: str
    rows: dict[str, int] = attrs.Factory(dict)
    positions: dict[str, str] = attrs.Factory(dict)
    elapsed: float = 0.0
    error: BaseException | None = None


def _root_error(error: BaseException) -> BaseException:
    """The Simotel (or usage) error under dlt's wrappers, or ``error`` itself."""
    from ._errors import SimotelError

    seen: set[int] = set()
    stack: list[BaseException] = [error]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, (SimotelError, ValueError, TypeError)):
            return current
        for nxt in (
            getattr(current, "exception", None),
            current.__cause__,
            current.__context__,
        ):
            if isinstance(nxt, BaseException):
                stack.append(nxt)
    return error


def _positions(pipeline: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    resources = pipeline.state.get("sources", {}).get("simotel", {}).get("resources", {})
    for name, state in resources.items():
        last = state.get("incremental", {}).get("_id", {}).get("last_value")
        if last:
            found[name] = f"_id {last}"
        elif state.get("window_end"):
            found[name] = f"window to {state['window_end']}"
    return found


class _Printer:
    """Progress lines on stderr, one per resource at most every half second."""

    def __init__(self, stream: TextIO, prefix: bool) -> None:
        self._stream = stream
        self._prefix = prefix
        self._lock = threading.Lock()

    def __call__(self, pbx: str, message: str) -> None:
        head = f"[{pbx}] " if self._prefix else ""
        with self._lock:
            print(f"simotel load: {head}{message}", file=self._stream, flush=True)

    def progress(self, pbx: str) -> Callable[[str, int, str | None], None]:
        def show(resource: str, rows: int, position: str | None) -> None:
            where = f" (at {position})" if position else ""
            self(pbx, f"{resource}: {rows:,} rows{where}")

        return show


class _Totals:
    """Progress summed over the runs of one load (each run's counters start at 0)."""

    def __init__(self, show: Callable[[str, int, str | None], None]) -> None:
        self._show = show
        self._done: dict[str, int] = {}
        self._run: dict[str, int] = {}

    def __call__(self, resource: str, rows: int, position: str | None) -> None:
        self._run[resource] = rows
        self._show(resource, self._done.get(resource, 0) + rows, position)

    def next_run(self) -> None:
        for resource, rows in self._run.items():
            self._done[resource] = self._done.get(resource, 0) + rows
        self._run.clear()


def _load_one(
    server: Server,
    dest: Destination,
    args: argparse.Namespace,
    names: Sequence[str],
    lock: threading.Lock,
    printer: _Printer,
) -> Outcome:
    import dlt

    from .dlt import recover, simotel_source, unfinished

    outcome = Outcome(server.name)
    started = time.perf_counter()
    try:
        pipeline = dlt.pipeline(
            pipeline_name=f"simotel_{server.name}",
            destination=dest.value,
            dataset_name=args.dataset,
            pipelines_dir=str(pipelines_dir(dest, args.dataset, args.pipelines_dir)),
        )
        progress = _Totals(printer.progress(server.name))
        # DuckDB and PostgreSQL: append with recover(); other destinations merge.
        append = dest.file_format is not None

        def source(reports: Sequence[str]) -> Any:
            return simotel_source(
                client=server.factory,
                reports=reports,
                pbx=server.name,
                date_from=args.date_from,
                date_to=args.date_to,
                lookback=_dt.timedelta(days=args.lookback),
                page_size=args.page_size,
                concurrency=args.concurrency,
                dimensions=args.dimensions,
                max_pages=getattr(args, "chunk_pages", DEFAULT_CHUNK_PAGES),
                progress=progress,
                cursor_write="append" if append else "merge",
            )

        with lock:
            if pipeline.has_pending_data:
                printer(server.name, "rolling back an interrupted load first")
            # The cursor tables are appended: rows of a load that did not commit go, and
            # the state comes back from the destination (see simotel_async.dlt.recover).
            if append:
                recover(pipeline, server.name)
            else:
                pipeline.sync_destination()
                if pipeline.has_pending_data:
                    pipeline.normalize()
                    pipeline.load()
        # One dlt run per chunk: each commits its rows and its cursor together, so memory
        # is bounded by a chunk and a kill loses at most the chunk in progress.
        pending = list(names)
        while pending:
            if dest.file_format is None:
                pipeline.extract(source(pending))
            else:
                pipeline.extract(source(pending), loader_file_format=dest.file_format)  # type: ignore[arg-type]
            with lock:
                info = pipeline.normalize()
                pipeline.load()
            for table, count in info.row_counts.items():
                if not table.startswith("_dlt"):
                    outcome.rows[table] = outcome.rows.get(table, 0) + count
            progress.next_run()
            pending = unfinished(pipeline)
        outcome.rows = dict(sorted(outcome.rows.items()))
        outcome.positions = _positions(pipeline)
    except Exception as error:
        outcome.error = _root_error(error)
    outcome.elapsed = time.perf_counter() - started
    return outcome


def run(
    servers: Sequence[Server],
    dest: Destination,
    args: argparse.Namespace,
    names: Sequence[str],
    *,
    err: TextIO | None = None,
) -> list[Outcome]:
    """Load every server concurrently (a thread each); one failing stops no other."""
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")
    # dlt's intermediate files live for one run: gzip costs more CPU than it saves.
    os.environ.setdefault("DATA_WRITER__DISABLE_COMPRESSION", "true")
    printer = _Printer(err or sys.stderr, prefix=len(servers) > 1)
    lock = threading.Lock()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(servers)) as pool:
        futures = [
            pool.submit(_load_one, server, dest, args, names, lock, printer) for server in servers
        ]
        return [future.result() for future in futures]


def _describe(error: BaseException) -> str:
    # dlt wraps the cause in step errors whose first line says only which step failed.
    while isinstance(getattr(error, "exception", None), BaseException):
        error = error.exception  # type: ignore[attr-defined]
    text = " ".join(str(error).split()) or type(error).__name__
    return f"{type(error).__name__}: {text}"[:400]


def summary(outcomes: Sequence[Outcome], dest: Destination, dataset: str) -> str:
    """The rows loaded per table and the cursor reached, per PBX."""
    lines = [f"destination: {dest.label}, dataset {dataset}"]
    for outcome in outcomes:
        if outcome.error is not None:
            lines.append(
                f"pbx {outcome.pbx}: FAILED after {outcome.elapsed:.1f}s: "
                f"{_describe(outcome.error)}"
            )
            continue
        total = sum(outcome.rows.values())
        lines.append(f"pbx {outcome.pbx}: loaded {total:,} rows in {outcome.elapsed:.1f}s")
        for table, count in outcome.rows.items():
            lines.append(f"  {table:<32} {count:>10,}")
        for resource, position in sorted(outcome.positions.items()):
            lines.append(f"  cursor {resource}: {position}")
    return "\n".join(lines)


def exit_code(outcomes: Sequence[Outcome], several: bool) -> int:
    """0 if all loaded; one server: the CLI's code for its error; several: 64 + bits."""
    failed = [i for i, outcome in enumerate(outcomes) if outcome.error is not None]
    if not failed:
        return 0
    if not several:
        error = outcomes[0].error
        assert error is not None
        return _cliargs.exit_code(error)
    mask = 0
    for index in failed:
        mask |= 1 << min(index, 5)
    return MULTI_FAILED + mask


def _require_dlt() -> None:
    try:
        import dlt  # noqa: F401
    except ImportError:
        raise ValueError("simotel load needs dlt: pip install 'simotel-async[dlt]'") from None


def _single(args: argparse.Namespace) -> Server:
    if not _NAME.match(args.pbx):
        raise ValueError(f"--pbx takes letters, digits, - or _, not {args.pbx!r}")
    _client_check = _cliargs.client(args)
    asyncio.run(_client_check.aclose())

    def factory() -> AsyncSimotel:
        return _cliargs.client(args)

    return Server(args.pbx, factory)


def load(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    """Run ``simotel load`` with parsed arguments; returns the exit code.

    Raises:
        ValueError: bad usage (unknown report, config, destination, missing dlt).
    """
    _require_dlt()
    from .dlt import resource_names

    names = resource_names(args.reports)
    dest = destination(args.destination)
    if args.destination and "://" in args.destination and urlsplit(args.destination).password:
        print(
            "simotel load: warning: a password in --to is visible to other users of this "
            "machine; prefer PGPASSWORD or DESTINATION__POSTGRES__CREDENTIALS__PASSWORD",
            file=sys.stderr,
        )
    if dest.key.startswith("duckdb:") and Path(dest.key[7:]).stem == args.dataset:
        raise ValueError(
            f"DuckDB names its catalog after the file, so --dataset {args.dataset} clashes "
            f"with {dest.label}: choose another --dataset or file name"
        )
    several = args.config is not None
    servers = read_config(args.config) if several else [_single(args)]
    outcomes = run(servers, dest, args, names)
    print(summary(outcomes, dest, args.dataset), file=out or sys.stdout)
    return exit_code(outcomes, several)


async def command(args: argparse.Namespace) -> int:
    """The ``load`` entry of the CLI's command table."""
    return await asyncio.to_thread(load, args)


DEMO_QUERY = """
select disposition, count(*) as calls, round(avg(billsec), 1) as avg_billsec,
       min("start") as first_call, max("start") as last_call
from {dataset}.cdr group by disposition order by calls desc
"""


def demo(args: argparse.Namespace, folder: Path) -> None:
    """``simotel demo --load``: the bundled fake's CDRs into ``folder/simotel.duckdb``."""
    import shutil

    from .testing import FakeSimotel

    _require_dlt()
    if args.records < 0:
        raise ValueError(f"--records must be 0 or more, not {args.records}")
    folder.mkdir(parents=True, exist_ok=True)
    db = (folder / DEFAULT_DUCKDB).resolve()
    work = folder / ".dlt-pipelines"
    db.unlink(missing_ok=True)
    shutil.rmtree(work, ignore_errors=True)
    fake = FakeSimotel(seed=7, cdr=args.records, latency=args.latency)
    print(
        f"demo: a fake Simotel with {args.records:,} CDR records, "
        f"{args.latency * 1000:.0f} ms per request, loaded into {db}"
    )

    def factory() -> AsyncSimotel:
        return AsyncSimotel(fake.url, username="api", password="secret", transport=fake.transport())

    ns = argparse.Namespace(
        dataset=DEFAULT_DATASET,
        date_from=None,
        date_to=None,
        lookback=1.0,
        page_size=100,
        concurrency=args.concurrency,
        dimensions="merge",
        pipelines_dir=work,
    )
    dest = destination(str(db))
    outcomes = run([Server("demo", factory)], dest, ns, ["cdr", "users", "queues"])
    print(summary(outcomes, dest, DEFAULT_DATASET))
    if outcomes[0].error is not None:
        raise outcomes[0].error
    import duckdb

    with duckdb.connect(str(db), read_only=True) as connection:
        query = DEMO_QUERY.format(dataset=DEFAULT_DATASET)
        result = connection.execute(query)
        columns = [c[0] for c in result.description or []]
        rows = result.fetchall()
    print(f"\n{query.strip()}\n")
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join("" if v is None else str(v) for v in row))
    print(f'\nexplore it: duckdb {db} "select * from {DEFAULT_DATASET}.cdr limit 5"')
