"""A dlt source for Simotel: load reports into DuckDB, PostgreSQL or any dlt destination.

``pip install 'simotel-async[dlt]'`` adds `dlt <https://dlthub.com>`_ (the data load
tool), which infers the tables, evolves them when the server adds a field, keeps the
incremental state in the destination (committed with the data) and merges on keys::

    import dlt
    from simotel_async.dlt import simotel_source

    pipeline = dlt.pipeline("simotel", destination="duckdb", dataset_name="simotel")
    pipeline.run(simotel_source("https://pbx.example.com", username="api", password="..."))

Each report is one resource (one table, plus child tables for nested lists such as a
CDR's ``route``). Records go in server-shaped (:func:`simotel_async.to_dict`) with a
``pbx`` column; the primary key is ``(pbx, _id)``.

- ``cdr``, ``queue``, ``queue_details``, ``autodialer_reports``: incremental through the
  ``ordered`` cursor, with ``dlt.sources.incremental("_id")``: a run asks only for what
  comes after the last ``_id`` loaded.
- ``agent``, ``poll``: by date window, from where the last run ended less ``lookback``
  (sessions and answers can be written late), merged on ``(pbx, _id)``.
- ``users``, ``trunks``, ``queues``, ``autodialer_campaigns``, ``autodialer_contacts``,
  ``autodialer_groups``: the whole table every run, merged (or replaced).
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import logging
import time
import typing
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs
import dlt
from dlt.common.normalizers.json.relational import DataItemNormalizer
from dlt.common.schema.typing import TColumnName, TColumnSchema
from dlt.extract import DltResource, DltSource

from simotel_async._client import AsyncSimotel
from simotel_async._convert import converter, decoder
from simotel_async._errors import SimotelResponseError
from simotel_async._pagination import AsyncCursor, AsyncPaginator, CursorPage, record_id
from simotel_async._reports import REPORTS, Report, record_columns
from simotel_async.resources._base import call_body

__all__ = [
    "CURSOR_REPORTS",
    "DEFAULT_RESOURCES",
    "DIMENSIONS",
    "RESOURCES",
    "WINDOW_REPORTS",
    "Progress",
    "recover",
    "run_chunked",
    "simotel_source",
    "unfinished",
]

Progress = Callable[[str, int, "str | None"], None]
"""Called as ``progress(resource, rows_so_far, position)`` after each page."""

CURSOR_REPORTS: Mapping[str, str] = {
    "cdr": "cdr-ordered",
    "queue": "queue-ordered",
    "queue_details": "queue-details-ordered",
    "autodialer_reports": "autodialer-reports-ordered",
}
"""Resources loaded through an ``ordered`` cursor, by the ``simotel export`` report name."""

WINDOW_REPORTS: Mapping[str, str] = {"agent": "agent", "poll": "poll"}
"""Resources loaded by date window, by the ``simotel export`` report name."""

DIMENSIONS: Mapping[str, str] = {
    "users": "pbx.users.search",
    "trunks": "pbx.trunks.search",
    "queues": "pbx.queues.search",
    "autodialer_campaigns": "autodialer.campaigns.search",
    "autodialer_contacts": "autodialer.contacts.search",
    "autodialer_groups": "autodialer.groups.search",
}
"""Small tables read whole every run, by the typed method that lists them."""

RESOURCES: tuple[str, ...] = (*CURSOR_REPORTS, *WINDOW_REPORTS, *DIMENSIONS)
"""Every resource :func:`simotel_source` can load."""

DEFAULT_RESOURCES: tuple[str, ...] = RESOURCES
"""What :func:`simotel_source` loads when ``reports`` is not given."""

FIRST_WINDOW_START = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
"""Where a windowed report's first run starts when no ``date_from`` is given."""

PRIMARY_KEY = ("pbx", "_id")

CursorWrite = Literal["append", "merge"]
"""How cursor resources are written: ``append`` (needs :func:`recover` before each
load, as :func:`run_chunked` and ``simotel load`` do) or ``merge`` on ``(pbx, _id)``."""

_PROPAGATED: dict[TColumnName, TColumnName] = {
    TColumnName("pbx"): TColumnName("pbx"),
    TColumnName("_dlt_load_id"): TColumnName("_dlt_load_id"),
}


def _cursor_disposition(write: CursorWrite) -> Any:
    if write == "append":
        return "append"
    return {"disposition": "merge", "strategy": "delete-insert"}


logger = logging.getLogger("simotel_async")

_DLT_TYPES: tuple[tuple[type[Any], str], ...] = (
    (bool, "bool"),
    (int, "bigint"),
    (float, "double"),
    (_dt.datetime, "timestamp"),
    (_dt.date, "date"),
    (str, "text"),
)


def _column_type(hint: Any) -> str | None:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) is not None and len(args) == 1:
        hint = args[0]
    for python, dlt_type in _DLT_TYPES:
        if hint is python:
            return dlt_type
    return None  # lists, mappings and nested models: dlt makes child tables or columns


def column_hints(record: type[Any] | None) -> dict[str, TColumnSchema]:
    """Column types of a record model, by server key, so that a column exists (with
    the right type) even when every value so far is null."""
    hints: dict[str, TColumnSchema] = {
        "pbx": {"data_type": "text", "nullable": False},
        "_id": {"data_type": "text", "nullable": False},
    }
    if record is None:
        return hints
    fields = [f for f in attrs.fields(record) if f.init and f.name != "extra"]
    keys = record_columns(record)
    if len(keys) != len(fields):
        return hints
    types = typing.get_type_hints(record)
    for key, field in zip(keys, fields, strict=True):
        dlt_type = _column_type(types.get(field.name))
        if dlt_type is not None and key not in PRIMARY_KEY:
            hints[key] = {"data_type": dlt_type, "nullable": True}  # type: ignore[typeddict-item]
    return hints


def _method(client: Any, path: str) -> Any:
    target = client
    for part in path.split("."):
        target = getattr(target, part)
    return target


def _record_type(method: Any) -> type[Any] | None:
    try:
        hint = typing.get_type_hints(method).get("return")
    except (NameError, TypeError):
        return None
    args = typing.get_args(hint)
    return args[0] if args and attrs.has(args[0]) else None


def _aware(value: _dt.datetime | _dt.date | str) -> _dt.datetime | _dt.date | str:
    if isinstance(value, _dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)
    return value


class _Counter:
    """Counts a resource's rows and calls ``progress`` at most twice a second."""

    def __init__(self, name: str, progress: Progress | None) -> None:
        self.name = name
        self.rows = 0
        self._progress = progress
        self._shown = 0.0
        self._shown_rows = -1

    def add(self, rows: int, position: str | None, *, final: bool = False) -> None:
        self.rows += rows
        now = time.monotonic()
        due = self.rows != self._shown_rows if final else now - self._shown >= 0.5
        if self._progress is not None and due:
            self._shown, self._shown_rows = now, self.rows
            self._progress(self.name, self.rows, position)


# to_dict's converter, except that datetimes stay datetime objects (aware, in UTC):
# dlt then writes them as timestamps without parsing an ISO string or a zone per value.
_ROWS = converter.copy()
_ROWS.register_unstructure_hook(_dt.datetime, lambda moment: moment.astimezone(_dt.timezone.utc))


def _row(model: Any) -> dict[str, Any]:
    """A decoded record as a server-shaped dict (:func:`~simotel_async.to_dict`'s keys)."""
    row: dict[str, Any] = _ROWS.unstructure(model)
    return row


class _Rows:
    """Raw records of one report into rows: each decoded on its own, plus ``pbx``.

    A record that does not decode (a wrong shape: an object where a list belongs, a list
    where a scalar does) loads as the server sent it, with one WARNING naming the report
    and its ``_id``, so the rest of its page and of the report still load. A record
    without an ``_id`` cannot be keyed: it is left out, with a WARNING.
    """

    def __init__(
        self, name: str, endpoint: str, record: type[Any] | None, pbx: str, client: AsyncSimotel
    ) -> None:
        self.name = name
        self.pbx = pbx
        tz = client.server_timezone
        self._decode = None if record is None else decoder(record, tz=tz, endpoint=endpoint)

    def __call__(self, records: Iterable[Any]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        decode, pbx = self._decode, self.pbx
        for record in records:
            if decode is None:
                row = self._as_sent(record, None)
            else:
                try:
                    row = _row(decode(record))
                except SimotelResponseError as error:
                    row = self._as_sent(record, error)
            if row is not None:
                row["pbx"] = pbx
                rows.append(row)
        return rows

    def _as_sent(self, record: Any, error: SimotelResponseError | None) -> dict[str, Any] | None:
        key = record_id(record)
        if key is None:
            logger.warning(
                "%s: left out a record without an _id (cannot be keyed): %.200r",
                self.name,
                record,
            )
            return None
        if error is not None:
            logger.warning(
                "%s: record _id %s does not decode (%s); loaded as the server sent it",
                self.name,
                key,
                error,
            )
        row = dict(record)
        row["_id"] = key
        return row


def _body(client: AsyncSimotel, endpoint: str, method: Any, given: Mapping[str, Any]) -> Any:
    """The request body the typed method would send (same checks, same encoding)."""
    return call_body(endpoint, method, given, client.server_timezone)


BATCH_PAGES = 5
"""Cursor pages at most in one yield to dlt (those already fetched: none is waited for)."""

AHEAD = 8
"""Cursor pages fetched ahead while dlt writes the previous batch."""


async def _prefetched(
    cursor: AsyncCursor[Any], max_pages: int | None
) -> AsyncIterator[tuple[list[Any], str, int]]:
    """``(records, last_id, pages)`` batches of the cursor's pages, at most ``max_pages``
    pages in all, fetched by a task of their own up to :data:`AHEAD` pages ahead.

    Only what is yielded counts: pages fetched ahead and not yielded are dropped, and the
    next run asks for them again after the ``_id`` this one committed.
    """
    queue: asyncio.Queue[CursorPage[Any] | Exception | None] = asyncio.Queue(AHEAD)

    async def fetch() -> None:
        taken = 0
        try:
            async for page in cursor.pages():
                await queue.put(page)
                taken += 1
                if max_pages is not None and taken >= max_pages:
                    break
        except Exception as error:  # handed to the consumer, which raises it
            await queue.put(error)
            return
        await queue.put(None)

    task = asyncio.get_running_loop().create_task(fetch(), name=f"prefetch {cursor.endpoint_id}")
    try:
        ended = False
        while not ended:
            first = await queue.get()
            if first is None:
                break
            if isinstance(first, Exception):
                raise first
            records, last, count = list(first.items), first.last_id, 1
            while count < BATCH_PAGES and not queue.empty():
                page = queue.get_nowait()
                if page is None:
                    ended = True
                    break
                if isinstance(page, Exception):
                    raise page
                records.extend(page.items)
                last, count = page.last_id, count + 1
            yield records, last, count
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def _cursor_resource(
    name: str,
    report: Report,
    factory: Callable[[], AsyncSimotel],
    pbx: str,
    max_pages: int | None,
    progress: Progress | None,
    write: CursorWrite,
) -> DltResource:
    async def pages(
        last_id: dlt.sources.incremental[str] = dlt.sources.incremental("_id"),  # noqa: B008
    ) -> AsyncIterator[list[dict[str, Any]]]:
        state = dlt.current.resource_state()
        counter = _Counter(name, progress)
        position = last_id.last_value or None
        budget = max_pages
        async with factory() as simotel:
            rows = _Rows(name, report.endpoint, report.record, pbx, simotel)
            # Raw records (decode=None): _Rows decodes each on its own.
            cursor: AsyncCursor[Any] = AsyncCursor(simotel, report.endpoint, after_id=position)
            async with cursor:
                # The next pages are fetched while dlt writes this batch; a batch of a few
                # pages means fewer hand-offs between dlt's thread and this event loop.
                async for batch, last, count in _prefetched(cursor, budget):
                    position = last
                    yield rows(batch)
                    counter.add(len(batch), position)
                    if budget is not None:
                        budget -= count
        # Whether this run stopped at max_pages: the next run continues from last_id.
        state["more"] = budget == 0
        counter.add(0, position, final=True)

    return dlt.resource(
        pages,
        name=name,
        primary_key=PRIMARY_KEY,
        write_disposition=_cursor_disposition(write),
        columns=column_hints(report.record),
    )


def _window_resource(
    name: str,
    report: Report,
    factory: Callable[[], AsyncSimotel],
    pbx: str,
    window: tuple[_dt.datetime | _dt.date | str | None, _dt.datetime | _dt.date | str | None],
    lookback: _dt.timedelta,
    paging: Mapping[str, int],
    progress: Progress | None,
) -> DltResource:
    async def pages() -> AsyncIterator[list[dict[str, Any]]]:
        state = dlt.current.resource_state()
        now = _dt.datetime.now(_dt.timezone.utc).replace(second=0, microsecond=0)
        start, end = window
        if start is None:
            saved = state.get("window_end")
            start = _dt.datetime.fromisoformat(saved) - lookback if saved else FIRST_WINDOW_START
        end = now if end is None else end
        counter = _Counter(name, progress)
        async with factory() as simotel:
            rows = _Rows(name, report.endpoint, report.record, pbx, simotel)
            dates = {"date_from": _aware(start), "date_to": _aware(end)}
            body = _body(simotel, report.endpoint, report.method(simotel), dates)
            walk: AsyncPaginator[Any] = AsyncPaginator(
                simotel,
                report.endpoint,
                body,
                page_size=paging["page_size"],
                concurrency=paging["concurrency"],
            )
            async with walk:
                async for page in walk.pages():
                    yield rows(page.items)
                    counter.add(len(page.items), None)
        if isinstance(end, _dt.datetime):
            saved = state.get("window_end")
            reached = _aware(end)
            assert isinstance(reached, _dt.datetime)
            if not saved or _dt.datetime.fromisoformat(saved) < reached:
                state["window_end"] = reached.isoformat()
        counter.add(0, state.get("window_end"), final=True)

    return dlt.resource(
        pages,
        name=name,
        primary_key=PRIMARY_KEY,
        write_disposition={"disposition": "merge", "strategy": "delete-insert"},
        columns=column_hints(report.record),
    )


def _dimension_resource(
    name: str,
    path: str,
    factory: Callable[[], AsyncSimotel],
    pbx: str,
    disposition: Literal["merge", "replace"],
    paging: Mapping[str, int],
    record: type[Any] | None,
    progress: Progress | None,
) -> DltResource:
    async def pages() -> AsyncIterator[list[dict[str, Any]]]:
        counter = _Counter(name, progress)
        async with factory() as simotel:
            rows = _Rows(name, path, record, pbx, simotel)
            method = _method(simotel, path)
            if "page_size" in typing.get_type_hints(method):
                body = _body(simotel, path, method, {})
                walk: AsyncPaginator[Any] = AsyncPaginator(
                    simotel,
                    path,
                    body,
                    page_size=paging["page_size"],
                    concurrency=paging["concurrency"],
                )
                async with walk:
                    async for page in walk.pages():
                        yield rows(page.items)
                        counter.add(len(page.items), None)
            else:
                data = await simotel.request(path, _body(simotel, path, method, {}))
                if data is None or data == "":
                    data = []
                if not isinstance(data, list):
                    raise SimotelResponseError(
                        f"expected a list of records, got {type(data).__name__}", endpoint=path
                    )
                yield rows(data)
                counter.add(len(data), None)
        counter.add(0, None, final=True)

    write: Any = {"disposition": "merge", "strategy": "delete-insert"}
    if disposition == "replace":
        write = "replace"
    return dlt.resource(
        pages,
        name=name,
        primary_key=PRIMARY_KEY,
        write_disposition=write,
        columns=column_hints(record),
    )


def resource_names(names: Iterable[str]) -> list[str]:
    """Resource names from user input: ``queue-details`` or ``queue_details``, ``all``.

    Raises:
        ValueError: a name that is not a resource (the message lists them).
    """
    chosen: list[str] = []
    for raw in names:
        name = raw.strip().replace("-", "_")
        picked = list(RESOURCES) if name == "all" else [name]
        if name != "all" and name not in RESOURCES:
            raise ValueError(f"unknown report {raw!r}; choose from: all, " + ", ".join(RESOURCES))
        chosen.extend(n for n in picked if n not in chosen)
    return chosen


def unfinished(pipeline: dlt.Pipeline) -> list[str]:
    """The cursor resources whose last run stopped at ``max_pages`` (more to load)."""
    resources = pipeline.state.get("sources", {}).get("simotel", {}).get("resources", {})
    return [name for name in CURSOR_REPORTS if resources.get(name, {}).get("more")]


def recover(pipeline: dlt.Pipeline, pbx: str = "default", *, force: bool = False) -> bool:
    """Roll this PBX's cursor tables back to what committed loads wrote; call it before a
    load that appends (``cursor_write="append"``). Returns whether it had to look.

    A load package is committed when dlt writes its row to ``_dlt_loads`` (status 0),
    after all its rows and the state that holds the cursor. A run killed before that
    leaves rows the destination has but no committed cursor covers; dlt's own resume
    would re-run a job whose insert committed just before the kill (appending it
    twice). So when the working folder has a pending package (or is new: deleted, or
    another machine), this drops the folder's packages and state, restores the state
    from the destination (the last committed cursor) and deletes the rows of ``pbx``
    in the cursor tables and their child tables whose ``_dlt_load_id`` is not committed:
    the next run loads them again, after the committed cursor. Other PBXs' rows are left
    alone (their loads may be running). Tables with another write disposition are not
    touched: they merge or replace, which dlt makes idempotent.
    """
    import os

    state_file = os.path.join(pipeline.working_dir, dlt.Pipeline.STATE_FILE)
    pending = pipeline.has_pending_data
    if not (pending or force or not os.path.exists(state_file)):
        return False
    if pending:
        pipeline.drop()
    pipeline.sync_destination()
    try:
        client_cm = pipeline.sql_client()
    except Exception:  # a destination without SQL (filesystem...): nothing to roll back
        return True
    with client_cm as client:
        if not client.has_dataset():
            return True
        loads = client.make_qualified_table_name("_dlt_loads")
        found = client.execute_sql(
            "select table_name from information_schema.tables where table_schema = %s",
            client.dataset_name,
        )
        tables = {row[0] for row in found or []}
        if "_dlt_loads" not in tables:
            return True
        for root in CURSOR_REPORTS:
            family = [t for t in tables if t == root or t.startswith(root + "__")]
            for table in family:
                columns = client.execute_sql(
                    "select column_name from information_schema.columns "
                    "where table_schema = %s and table_name = %s",
                    client.dataset_name,
                    table,
                )
                if not {"pbx", "_dlt_load_id"} <= {row[0] for row in columns or []}:
                    continue
                client.execute_sql(
                    f"delete from {client.make_qualified_table_name(table)} "
                    f"where pbx = %s and _dlt_load_id not in "
                    f"(select load_id from {loads} where status = 0)",
                    pbx,
                )
    return True


def run_chunked(
    pipeline: dlt.Pipeline,
    source: Callable[[Sequence[str]], DltSource],
    reports: Sequence[str],
    pbx: str = "default",
    **run: Any,
) -> list[Any]:
    """``pipeline.run`` until nothing is left: the first run loads ``reports``, each next
    one only the cursor resources that stopped at ``max_pages``.

    ``source(names)`` builds a fresh source of those resources (with ``max_pages`` set).
    Every run commits its rows and its cursor together, so a run killed half-way loses
    at most its own chunk, which the next run loads again: it first calls
    :func:`recover` (for ``pbx``), so sources with ``cursor_write="append"`` stay
    exactly-once. Returns each run's load info.
    """
    infos = []
    recover(pipeline, pbx)
    names = list(reports)
    while names:
        infos.append(pipeline.run(source(names), **run))
        names = unfinished(pipeline)
    return infos


def simotel_source(
    base_url: str | None = None,
    *,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    api_version: str | None = None,
    client: Callable[[], AsyncSimotel] | None = None,
    reports: Sequence[str] = DEFAULT_RESOURCES,
    pbx: str = "default",
    date_from: _dt.datetime | _dt.date | str | None = None,
    date_to: _dt.datetime | _dt.date | str | None = None,
    lookback: _dt.timedelta = _dt.timedelta(days=1),
    page_size: int = 100,
    concurrency: int = 4,
    dimensions: Literal["merge", "replace"] = "merge",
    max_pages: int | None = None,
    progress: Progress | None = None,
    cursor_write: CursorWrite = "merge",
    **settings: Any,
) -> DltSource:
    """The Simotel reports of one PBX as a dlt source, one resource per report.

    Args:
        base_url, username, password, api_key, api_version: as for
            :class:`~simotel_async.AsyncSimotel`; with neither these nor ``client``,
            ``AsyncSimotel.from_env()`` (the ``SIMOTEL_*`` variables).
        client: instead, a factory of clients (for tests, proxies, a custom
            ``RetryPolicy``); it is called once per resource, inside dlt's event loop,
            and each client is closed when its resource is done.
        reports: resource names (see :data:`RESOURCES`; ``-`` works for ``_``).
        pbx: the value of every row's ``pbx`` column: name each server when several
            load into one dataset (each pipeline keeps its own state).
        date_from, date_to: the window of ``agent`` and ``poll``; by default from where
            the last run ended (less ``lookback``), or from 2000 on the first run, to now.
        lookback: how far before the last window's end the next window starts.
        page_size, concurrency: paging of the offset searches (records per request,
            requests in flight).
        dimensions: ``"merge"`` (keeps rows other PBXs loaded, and rows deleted on the
            server) or ``"replace"`` (only for one PBX per dataset) for dimension tables.
        max_pages: at most this many pages per cursor resource (``cdr``, ``queue``,
            ``queue_details``, ``autodialer_reports``) in one run, so that one run's load
            package, and the memory it takes, stays bounded. A resource that stopped there
            sets ``more`` in its resource state; run the pipeline again (with a new source)
            while :func:`unfinished` names any: each run continues after the ``_id`` the
            last one committed. ``None`` (default): the whole cursor in one run.
        progress: called as ``progress(resource, rows, position)`` during the load.
        cursor_write: ``"merge"`` (default) writes cursor resources with a merge on
            ``(pbx, _id)``; ``"append"`` appends them (no staging copy, no scan of the
            table per load: much faster as the table grows) and is exactly-once when
            :func:`recover` runs before each load (:func:`run_chunked` and ``simotel
            load`` do), since a dlt job re-run after a kill would otherwise append twice.
        settings: more :class:`~simotel_async.AsyncSimotel` keyword arguments
            (``retry``, ``rate_limit``, ``timeout``, ``server_timezone``...).

    Raises:
        ValueError: an unknown report name, connection settings given with ``client``,
            or ``max_pages`` below 1.
    """
    names = resource_names(reports)
    if max_pages is not None and max_pages < 1:
        raise ValueError(f"max_pages must be 1 or more (or None), not {max_pages!r}")
    given: dict[str, Any] = {
        key: value
        for key, value in (
            ("username", username),
            ("password", password),
            ("api_key", api_key),
            ("api_version", api_version),
        )
        if value is not None
    }
    if client is not None and (base_url is not None or given or settings):
        raise ValueError("pass either client= or connection settings, not both")
    if client is None:
        if base_url is None:

            def client() -> AsyncSimotel:
                return AsyncSimotel.from_env(**given, **settings)

        else:
            url = base_url

            def client() -> AsyncSimotel:
                return AsyncSimotel(url, **given, **settings)

    factory = client
    paging = {"page_size": page_size, "concurrency": concurrency}
    resources: list[DltResource] = []
    for name in names:
        if name in CURSOR_REPORTS:
            resources.append(
                _cursor_resource(
                    name,
                    REPORTS[CURSOR_REPORTS[name]],
                    factory,
                    pbx,
                    max_pages,
                    progress,
                    cursor_write,
                )
            )
        elif name in WINDOW_REPORTS:
            resources.append(
                _window_resource(
                    name,
                    REPORTS[WINDOW_REPORTS[name]],
                    factory,
                    pbx,
                    (date_from, date_to),
                    lookback,
                    paging,
                    progress,
                )
            )
        else:
            path = DIMENSIONS[name]
            record = _record_type(_method(_Blank(), path))
            resources.append(
                _dimension_resource(name, path, factory, pbx, dimensions, paging, record, progress)
            )

    @dlt.source(name="simotel", max_table_nesting=2)
    def simotel() -> list[DltResource]:
        return resources

    source: DltSource = simotel()
    # Children of cursor tables carry their root's pbx and load id, so that recover() can
    # tell one PBX's uncommitted rows from everything else without joining on parents.
    cursor_tables = [name for name in names if name in CURSOR_REPORTS]
    if cursor_tables:
        DataItemNormalizer.update_normalizer_config(
            source.schema,
            {"propagation": {"tables": {name: dict(_PROPAGATED) for name in cursor_tables}}},
        )
    return source


class _Blank:
    """Just enough of a client to reach the typed methods' signatures, no I/O."""

    def __init__(self) -> None:
        from simotel_async.resources import Autodialer, Pbx

        self.pbx = Pbx(None)  # type: ignore[arg-type]
        self.autodialer = Autodialer(None)  # type: ignore[arg-type]
