"""Durable, resumable bulk export of a report to JSON Lines or CSV.

Each page is written whole, flushed and fsynced before the checkpoint beside the output
moves past it, and the checkpoint is replaced atomically. A killed export therefore
leaves at most one page after the checkpoint's byte mark; resuming cuts the file back
to that mark and continues from the saved offset or ``last_id``: nothing duplicated,
nothing lost, never half a record.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from ._pagination import AsyncCursor, AsyncPaginator

__all__ = ["REPORTS", "ExportResult", "Report", "export"]

Format = Literal["jsonl", "csv"]
Progress = Callable[[int, "int | None"], None]


@attrs.frozen
class Report:
    """An exportable report: its endpoint and whether it takes a date range."""

    endpoint: str
    dated: bool = True

    @property
    def ordered(self) -> bool:
        """Walked with a ``last_id`` cursor instead of offsets."""
        return self.endpoint.endswith(".ordered")


REPORTS: Mapping[str, Report] = {
    "cdr": Report("reports.cdr.search"),
    "quick": Report("reports.quick.search"),
    "queue": Report("reports.queue.search"),
    "queue-details": Report("reports.queue_details.search"),
    "agent": Report("reports.agent.search"),
    "poll": Report("reports.poll.search"),
    "autodialer-reports": Report("autodialer.reports.search", dated=False),
    "cdr-ordered": Report("reports.cdr.ordered", dated=False),
    "queue-ordered": Report("reports.queue.ordered", dated=False),
    "queue-details-ordered": Report("reports.queue_details.ordered", dated=False),
    "autodialer-reports-ordered": Report("autodialer.reports.ordered", dated=False),
}


@attrs.frozen
class ExportResult:
    """What an export wrote."""

    path: Path
    records: int
    pages: int
    retries: int
    elapsed: float
    resumed_from: int | str | None


@attrs.define
class _Checkpoint:
    endpoint: str
    body: dict[str, Any]
    format: str
    position: int | str | None = None
    records: int = 0
    bytes: int = 0
    columns: list[str] | None = None

    @classmethod
    def load(cls, path: Path) -> _Checkpoint:
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as file:
            json.dump(attrs.asdict(self), file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)


def checkpoint_path(out: Path) -> Path:
    """Where the checkpoint of an export to ``out`` lives."""
    return out.with_name(out.name + ".checkpoint")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _render(records: Sequence[Mapping[str, Any]], fmt: Format, columns: list[str] | None) -> bytes:
    if fmt == "jsonl":
        return "".join(
            json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
            for record in records
        ).encode()
    assert columns is not None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    known = set(columns)
    for record in records:
        rest = {k: v for k, v in record.items() if k not in known}
        writer.writerow([_cell(record.get(c)) for c in columns[:-1]] + [_cell(rest or None)])
    return buffer.getvalue().encode()


def _columns(records: Sequence[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(record))
    seen.pop("extra", None)
    # Keys first seen on later pages land in the trailing "extra" column as JSON.
    return [*seen, "extra"]


class _Writer:
    """Appends whole pages to the output and moves the checkpoint past each one."""

    def __init__(self, out: Path, state: _Checkpoint, resuming: bool) -> None:
        self.marker = checkpoint_path(out)
        self.state = state
        self.pages = 0
        self._file = out.open("r+b" if resuming else "wb")
        self._file.truncate(state.bytes)
        self._file.seek(state.bytes)

    def commit(self, records: Sequence[Mapping[str, Any]], position: int | str | None) -> None:
        state, file = self.state, self._file
        if state.format == "csv" and state.columns is None:
            state.columns = _columns(records)
            header = io.StringIO()
            csv.writer(header, lineterminator="\n").writerow(state.columns)
            file.write(header.getvalue().encode())
        file.write(_render(records, state.format, state.columns))  # type: ignore[arg-type]
        file.flush()
        os.fsync(file.fileno())
        state.position = position
        state.records += len(records)
        state.bytes = file.tell()
        state.save(self.marker)
        self.pages += 1

    def close(self, *, done: bool) -> None:
        self._file.close()
        if done:
            self.marker.unlink()


def _prepare(out: Path, state: _Checkpoint, resume: bool) -> _Writer:
    marker = checkpoint_path(out)
    if not marker.exists():
        return _Writer(out, state, resuming=False)
    if not resume:
        raise FileExistsError(
            f"an interrupted export is at {out} ({marker.name}); "
            "pass --resume to continue it, or delete both files to start over"
        )
    saved = _Checkpoint.load(marker)
    if (saved.endpoint, saved.body, saved.format) != (state.endpoint, state.body, state.format):
        raise ValueError(
            f"{marker} belongs to an export of {saved.endpoint} {saved.body} as "
            f"{saved.format}; resume with the same report, filters and format"
        )
    size = out.stat().st_size if out.exists() else -1
    if size < saved.bytes:
        raise ValueError(
            f"{out} is shorter than its checkpoint says ({max(size, 0)} < {saved.bytes} "
            "bytes); it was changed since, so it cannot be resumed safely"
        )
    return _Writer(out, saved, resuming=True)


async def export(
    client: Any,
    report: Report,
    out: Path,
    *,
    body: Mapping[str, Any],
    fmt: Format = "jsonl",
    page_size: int = 100,
    concurrency: int = 4,
    resume: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Export every record of ``report`` matching ``body`` into ``out``.

    Pages are written (and fsynced) off the event loop, so page requests keep flowing.

    Raises:
        FileExistsError: an interrupted export is there and ``resume`` is false.
        ValueError: resuming with other filters, report or format than the original.
    """
    started = time.perf_counter()
    retries_before = client.retries
    fresh = _Checkpoint(report.endpoint, dict(body), fmt)
    writer = await asyncio.to_thread(_prepare, out, fresh, resume)
    state = writer.state
    resumed_from = state.position
    done = False
    try:
        if progress is not None:
            progress(state.records, None)
        if report.ordered:
            cursor: AsyncCursor[Any] = AsyncCursor(
                client, report.endpoint, after_id=_as_str(state.position)
            )
            async with cursor:
                async for cursor_page in cursor.pages():
                    await asyncio.to_thread(writer.commit, cursor_page.items, cursor_page.last_id)
                    if progress is not None:
                        progress(state.records, None)
        else:
            paginator: AsyncPaginator[Any] = AsyncPaginator(
                client,
                report.endpoint,
                body,
                page_size=page_size,
                concurrency=concurrency,
                start=int(state.position or 0),
            )
            async with paginator:
                async for page in paginator.pages():
                    await asyncio.to_thread(writer.commit, page.items, paginator.next_start)
                    if progress is not None:
                        progress(state.records, page.total)
        done = True
    finally:
        await asyncio.to_thread(writer.close, done=done)
    return ExportResult(
        path=out,
        records=state.records,
        pages=writer.pages,
        retries=client.retries - retries_before,
        elapsed=time.perf_counter() - started,
        resumed_from=resumed_from,
    )


def _as_str(value: int | str | None) -> str | None:
    return None if value is None else str(value)
