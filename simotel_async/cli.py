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
from typing import Any, TextIO

from ._client import AsyncSimotel
from ._dates import format_request_datetime
from ._errors import (
    AuthenticationError,
    PermissionDeniedError,
    SimotelAPIError,
    SimotelConnectionError,
    SimotelError,
    SimotelResponseError,
)
from ._export import REPORTS, ExportResult, Report, export

__all__ = ["main"]

EXIT_CODES = """exit codes:
  0  success
  1  unexpected error
  2  bad usage (arguments, an interrupted export without --resume)
  3  authentication failed (401): check the credentials and the account's auth method
  4  not allowed (403): endpoint permission, or this IP is not in Allowed IPs
  5  server unreachable or timed out
  6  the server refused the request (any other Simotel API error)
  7  the server answered outside the Simotel protocol
  130 interrupted (Ctrl-C); rerun with --resume to continue an export
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simotel",
        description="Command-line client for the Simotel PBX API (simotel-async).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    conn = argparse.ArgumentParser(add_help=False)
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
        parents=[conn],
        help="export a report to JSON Lines or CSV",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exp.add_argument("report", choices=sorted(REPORTS), help="what to export")
    _export_options(exp)

    demo = sub.add_parser(
        "demo",
        help="export 5,000 CDRs from a bundled fake Simotel (no server needed)",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument("--records", type=int, default=5000, help="CDR records to generate")
    demo.add_argument("--out", type=Path, default=Path("simotel-demo-cdr.jsonl"))
    demo.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    demo.add_argument("--concurrency", type=int, default=8)
    demo.add_argument("--latency", type=float, default=0.05, help="fake server latency (s)")
    return parser


def _export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", help="start, 'YYYY-MM-DD[ HH:MM]'")
    parser.add_argument("--to", dest="date_to", help="end, 'YYYY-MM-DD[ HH:MM]'")
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a search condition, e.g. --filter src=101 (repeatable)",
    )
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    parser.add_argument("--out", type=Path, required=True, help="output file")
    parser.add_argument("--concurrency", type=int, default=4, help="pages in flight")
    parser.add_argument("--page-size", type=int, default=100)
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


def _client(args: argparse.Namespace, **overrides: Any) -> AsyncSimotel:
    kwargs: dict[str, Any] = {
        key: value
        for key, value in (
            ("base_url", args.url),
            ("username", args.username),
            ("password", args.password),
            ("api_key", args.api_key),
            ("api_version", args.api_version),
        )
        if value
    }
    return AsyncSimotel.from_env(**kwargs, **overrides)


def _filters(pairs: Sequence[str]) -> dict[str, str]:
    conditions: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--filter takes KEY=VALUE, not {pair!r}")
        conditions[key] = value
    return conditions


def _body(report: Report, args: argparse.Namespace, client: AsyncSimotel) -> dict[str, Any]:
    body: dict[str, Any] = {"alike": "true", "conditions": _filters(args.filter)}
    if report.dated:
        if not (args.date_from and args.date_to):
            raise ValueError(f"{args.report} needs --from and --to")
        tz = client.server_timezone
        body["date_range"] = {
            "from": format_request_datetime(args.date_from, tz),
            "to": format_request_datetime(args.date_to, tz),
        }
    elif args.date_from or args.date_to:
        raise ValueError(f"{args.report} has no date range; drop --from/--to")
    return body


def _summary(result: ExportResult) -> str:
    rate = result.records / result.elapsed if result.elapsed else 0.0
    resumed = f", resumed from {result.resumed_from}" if result.resumed_from is not None else ""
    return (
        f"exported {result.records:,} records in {result.pages:,} pages "
        f"({result.retries} retries{resumed}) in {result.elapsed:.1f}s "
        f"[{rate:,.0f} records/s] -> {result.path}"
    )


async def _run_export(
    client: AsyncSimotel, report_name: str, args: argparse.Namespace, body: dict[str, Any]
) -> ExportResult:
    report = REPORTS[report_name]
    with _Progress(sys.stderr, report_name) as bar:
        return await export(
            client,
            report,
            args.out,
            body=body,
            fmt=args.format,
            page_size=args.page_size,
            concurrency=args.concurrency,
            resume=args.resume,
            progress=bar.update,
        )


async def _ping(args: argparse.Namespace) -> None:
    async with _client(args) as simotel:
        started = time.perf_counter()
        await simotel.ping()
        elapsed = (time.perf_counter() - started) * 1000
        print(f"ok: {simotel.base_url} answered in {elapsed:.0f} ms (auth {simotel.auth.scheme})")


async def _export_cmd(args: argparse.Namespace) -> None:
    async with _client(args) as simotel:
        body = _body(REPORTS[args.report], args, simotel)
        print(_summary(await _run_export(simotel, args.report, args, body)))


async def _demo(args: argparse.Namespace) -> None:
    from .testing import FakeSimotel

    fake = FakeSimotel(seed=7, cdr=args.records, latency=args.latency)
    print(
        f"demo: a fake Simotel with {args.records:,} CDR records, "
        f"{args.latency * 1000:.0f} ms per request"
    )
    async with AsyncSimotel(
        fake.url, username="api", password="secret", transport=fake.transport()
    ) as simotel:
        await simotel.ping()
        body = {
            "alike": "true",
            "conditions": {},
            "date_range": {"from": "2000-01-01 00:00", "to": "2100-01-01 00:00"},
        }
        ns = argparse.Namespace(
            out=args.out,
            format=args.format,
            page_size=100,
            concurrency=args.concurrency,
            resume=False,
        )
        if args.out.exists():
            args.out.unlink()
        result = await _run_export(simotel, "cdr", ns, body)
    print(_summary(result))
    print(f"the file is at {args.out.resolve()}")


def _exit_code(error: BaseException) -> int:
    if isinstance(error, AuthenticationError):
        return 3
    if isinstance(error, PermissionDeniedError):
        return 4
    if isinstance(error, SimotelConnectionError):
        return 5
    if isinstance(error, SimotelAPIError):
        return 6
    if isinstance(error, SimotelResponseError):
        return 7
    if isinstance(error, (ValueError, FileExistsError)):
        return 2
    return 1


COMMANDS: dict[str, Callable[[argparse.Namespace], Any]] = {
    "ping": _ping,
    "export": _export_cmd,
    "demo": _demo,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``simotel`` command; returns the exit code (see ``simotel --help``)."""
    args = _parser().parse_args(argv)
    try:
        asyncio.run(COMMANDS[args.command](args))
    except KeyboardInterrupt:
        print("simotel: interrupted; rerun with --resume to continue", file=sys.stderr)
        return 130
    except (SimotelError, ValueError, FileExistsError) as error:
        print(f"simotel: error: {error}", file=sys.stderr)
        return _exit_code(error)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
