"""The ``simotel`` command: ping a server, export reports, run the demo.

Credentials come from flags or ``SIMOTEL_URL``, ``SIMOTEL_USERNAME``,
``SIMOTEL_PASSWORD``, ``SIMOTEL_API_KEY``, ``SIMOTEL_API_VERSION``; they are never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from . import _cliargs, _load
from ._client import AsyncSimotel
from ._errors import (
    SimotelError,
)
from ._export import ExportResult, checkpoint_path, export
from ._pagination import AsyncCursor, AsyncPaginator
from ._reports import REPORTS, Report, record_columns
from .resources._base import call_body

__all__ = ["main"]

DEMO_OUT = Path("simotel-demo") / "cdr.jsonl"

EXIT_CODES = """exit codes:
  0  success
  1  unexpected error
  2  bad usage: arguments, filters, dates, --out, an interrupted export without --resume
  3  authentication failed (401): check the credentials and the account's auth method
  4  not allowed (403): endpoint permission, or this IP is not in Allowed IPs
  5  server unreachable or timed out
  6  the server refused the request (any other Simotel API error)
  7  the server answered outside the Simotel protocol
  130 interrupted (Ctrl-C); rerun with --resume to continue an export
"""


class _Parser(argparse.ArgumentParser):
    """Reports a usage error in one line, with where to look, and exits with 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"simotel: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="simotel",
        description="Command-line client for the Simotel PBX API (simotel-async).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    conn = _Parser(add_help=False)
    group = conn.add_argument_group("connection (default: SIMOTEL_* environment variables)")
    group.add_argument("--url", help="server URL, e.g. https://pbx.example.com [SIMOTEL_URL]")
    group.add_argument("--username", help="API account user [SIMOTEL_USERNAME]")
    group.add_argument(
        "--password", help="API account password; prefer SIMOTEL_PASSWORD [SIMOTEL_PASSWORD]"
    )
    group.add_argument("--api-key", help="API account token; prefer SIMOTEL_API_KEY")
    group.add_argument("--api-version", choices=["v4", "v3"], help="[SIMOTEL_API_VERSION]")

    sub.add_parser(
        "ping",
        parents=[conn],
        help="check the server and credentials",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )

    exp = sub.add_parser(
        "export",
        help="export a report to JSON Lines or CSV",
        description="Export a report; 'simotel export REPORT --help' lists its filters.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reports = exp.add_subparsers(dest="report", required=True, metavar="REPORT")
    for name, report in REPORTS.items():
        one = reports.add_parser(
            name,
            parents=[conn],
            help=report.summary,
            description=f"{report.summary} ({report.endpoint}).",
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _report_options(one, report)
        _export_options(one)

    demo = sub.add_parser(
        "demo",
        help="export 5,000 CDRs from a bundled fake Simotel (no server needed)",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument("--records", type=int, default=5000, help="CDR records to generate")
    demo.add_argument("--out", type=Path, default=DEMO_OUT, help=f"default: {DEMO_OUT}")
    demo.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    demo.add_argument("--concurrency", type=_cliargs.positive, default=8)
    demo.add_argument("--latency", type=float, default=0.05, help="fake server latency (s)")
    demo.add_argument(
        "--load", action="store_true", help="load the CDRs into DuckDB instead (needs [dlt])"
    )
    _load.add_parser(sub, conn, EXIT_CODES)
    return parser


def _report_options(parser: argparse.ArgumentParser, report: Report) -> None:
    group = parser.add_argument_group("filters (the same names as the Python method's)")
    for param in report.params:
        flag = {"date_from": "--from", "date_to": "--to"}.get(param.name, param.flag)
        required = " (required)" if param.required else ""
        group.add_argument(
            flag, dest=f"p_{param.name}", metavar=param.metavar, help=param.doc + required
        )
    if report.has_alike:
        group.add_argument(
            "--exact", action="store_true", help="match filters exactly (default: substring)"
        )
    if report.params:
        group.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="any filter above by its Python name, e.g. --filter src=101 (repeatable)",
        )


def _export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    parser.add_argument("--out", type=Path, required=True, help="output file")
    parser.add_argument("--concurrency", type=_cliargs.positive, default=4, help="pages in flight")
    parser.add_argument("--page-size", type=_cliargs.positive, default=100)
    parser.add_argument(
        "--resume", action="store_true", help="continue an interrupted export of --out"
    )


class _Progress:
    """A rich progress bar on a terminal; nothing on a pipe."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self._bar: Any = None
        if stream.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(file=stream),
                transient=False,
            )
            self._task = self._bar.add_task(label, total=None, rate="")
            self._started = time.perf_counter()

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def update(self, done: int, total: int | None) -> None:
        if self._bar is not None:
            elapsed = max(time.perf_counter() - self._started, 1e-9)
            self._bar.update(
                self._task, completed=done, total=total, rate=f"{done / elapsed:,.0f} rec/s"
            )


def _walker(
    simotel: AsyncSimotel, report: Report, args: argparse.Namespace
) -> tuple[dict[str, Any], Callable[[int | str | None], Any]]:
    """The request body and a factory of raw-record walkers, via the typed method.

    The typed method checks every argument and builds the body exactly as it would for
    a Python caller; the export then walks the same endpoint and body without decoding,
    so the file holds the server's records as sent.
    """
    given = {p.name: getattr(args, f"p_{p.name}") for p in report.params}
    kwargs = report.arguments(
        given, getattr(args, "filter", []), exact=getattr(args, "exact", False)
    )
    body = call_body(report.endpoint, report.method(simotel), kwargs, simotel.server_timezone)
    if report.ordered:

        def cursor(position: int | str | None) -> Any:
            after = None if position is None else str(position)
            return AsyncCursor(simotel, report.endpoint, after_id=after, body=body)

        return body, cursor

    def paginator(position: int | str | None) -> Any:
        return AsyncPaginator(
            simotel,
            report.endpoint,
            body,
            page_size=args.page_size,
            concurrency=args.concurrency,
            start=int(position or 0),
        )

    return body, paginator


def _summary(result: ExportResult) -> str:
    rate = result.records / result.elapsed if result.elapsed else 0.0
    resumed = f", resumed from {result.resumed_from}" if result.resumed_from is not None else ""
    return (
        f"exported {result.records:,} records in {result.pages:,} pages "
        f"({result.retries} retries{resumed}) in {result.elapsed:.1f}s "
        f"[{rate:,.0f} records/s] -> {result.path}"
    )


async def _run_export(
    simotel: AsyncSimotel, report: Report, args: argparse.Namespace
) -> ExportResult:
    body, make_walker = _walker(simotel, report, args)
    with _Progress(sys.stderr, report.name) as bar:
        return await export(
            simotel,
            make_walker,
            args.out,
            endpoint=report.endpoint,
            body=body,
            fmt=args.format,
            columns=record_columns(report.record),
            resume=args.resume,
            progress=bar.update,
        )


async def _ping(args: argparse.Namespace) -> None:
    async with _cliargs.client(args) as simotel:
        started = time.perf_counter()
        await simotel.ping()
        elapsed = (time.perf_counter() - started) * 1000
        print(f"ok: {simotel.base_url} answered in {elapsed:.0f} ms (auth {simotel.auth.scheme})")


async def _export_cmd(args: argparse.Namespace) -> None:
    async with _cliargs.client(args) as simotel:
        print(_summary(await _run_export(simotel, REPORTS[args.report], args)))


def _demo_output(out: Path) -> Path:
    if out == DEMO_OUT:
        out.parent.mkdir(exist_ok=True)
    for stale in (out, checkpoint_path(out)):
        stale.unlink(missing_ok=True)
    return out.resolve()


async def _demo(args: argparse.Namespace) -> None:
    from .testing import FakeSimotel

    if args.records < 0:
        raise ValueError(f"--records must be 0 or more, not {args.records}")
    if args.load:
        await asyncio.to_thread(_load.demo, args, DEMO_OUT.parent)
        return
    fake = FakeSimotel(seed=7, cdr=args.records, latency=args.latency)
    print(
        f"demo: a fake Simotel with {args.records:,} CDR records, "
        f"{args.latency * 1000:.0f} ms per request"
    )
    where = _demo_output(args.out)
    report = REPORTS["cdr"]
    ns = argparse.Namespace(
        out=args.out,
        format=args.format,
        page_size=100,
        concurrency=args.concurrency,
        resume=False,
        filter=[],
        exact=False,
        **{f"p_{p.name}": None for p in report.params},
    )
    ns.p_date_from, ns.p_date_to = "2000-01-01 00:00", "2100-01-01 00:00"
    async with AsyncSimotel(
        fake.url, username="api", password="secret", transport=fake.transport()
    ) as simotel:
        await simotel.ping()
        result = await _run_export(simotel, report, ns)
    print(_summary(result))
    print(f"the file is at {where}")


COMMANDS: dict[str, Callable[[argparse.Namespace], Any]] = {
    "ping": _ping,
    "export": _export_cmd,
    "demo": _demo,
    "load": _load.command,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``simotel`` command; returns the exit code (see ``simotel --help``)."""
    args = _parser().parse_args(argv)
    try:
        code = asyncio.run(COMMANDS[args.command](args))
    except KeyboardInterrupt:
        print("simotel: interrupted; rerun with --resume to continue", file=sys.stderr)
        return 130
    except (SimotelError, ValueError, FileExistsError) as error:
        print(f"simotel: error: {error}", file=sys.stderr)
        return _cliargs.exit_code(error)
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
