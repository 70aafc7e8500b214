"""The exportable reports and their filters, read off the typed methods themselves.

The CLI builds every request through the same typed method a Python caller uses
(``simotel.reports.cdr.search(src=..., ...)``), so a filter means the same thing in
both; this module only lists which methods are reports and what keyword filters each
one takes, from the endpoint catalogue's kinds and the methods' signatures.
"""

from __future__ import annotations

import difflib
import inspect
import re
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ._convert import to_dict
from ._endpoints import ENDPOINTS
from ._pagination import AsyncCursor, AsyncPaginator
from .resources import Autodialer, Reports

__all__ = ["REPORTS", "Report", "ReportParam", "record_columns"]

_PAGING = frozenset(
    {"page_size", "concurrency", "limit", "sort", "start", "extra", "after_id", "alike"}
)


@attrs.frozen
class ReportParam:
    """One keyword filter of a report's method."""

    name: str
    required: bool
    doc: str
    integer: bool

    @property
    def flag(self) -> str:
        """The command-line option, ``--queue-id`` for ``queue_id``."""
        return "--" + self.name.replace("_", "-")

    @property
    def metavar(self) -> str:
        """What the option's value is, for ``--help``."""
        if self.name in ("date_from", "date_to"):
            return "'YYYY-MM-DD[ HH:MM]'"
        return "N" if self.integer else "TEXT"


@attrs.frozen
class Report:
    """An exportable report: the typed method that serves it and its filters."""

    name: str
    endpoint: str
    ordered: bool
    summary: str
    params: tuple[ReportParam, ...]
    has_alike: bool
    record: type[Any] | None

    def method(self, client: Any) -> Callable[..., AsyncPaginator[Any] | AsyncCursor[Any]]:
        """The bound method of ``client`` that serves this report."""
        target = client
        for part in self.endpoint.split("."):
            target = getattr(target, part)
        return target  # type: ignore[no-any-return]

    def arguments(
        self, given: Mapping[str, str | None], filters: Sequence[str], *, exact: bool
    ) -> dict[str, Any]:
        """The method's keyword arguments from option values and ``NAME=VALUE`` filters.

        Raises:
            ValueError: an unknown or malformed filter (with a "did you mean"), a value
                that is not a number where one is needed, or a required filter missing.
        """
        params = {p.name: p for p in self.params}
        values: dict[str, str] = {k: v for k, v in given.items() if v is not None}
        for pair in filters:
            name, sep, value = pair.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or not name:
                raise ValueError(f"--filter takes NAME=VALUE, not {pair!r}")
            if name not in params:
                raise ValueError(self._unknown(name))
            values[name] = value
        kwargs: dict[str, Any] = {}
        for name, value in values.items():
            param = params[name]
            if param.integer:
                try:
                    kwargs[name] = int(value)
                except ValueError:
                    raise ValueError(f"{param.flag} takes a whole number, not {value!r}") from None
            else:
                kwargs[name] = value
        missing = [p for p in self.params if p.required and p.name not in kwargs]
        if any(p.name in ("date_from", "date_to") for p in missing):
            raise ValueError(f"{self.name} needs --from and --to")
        if missing:
            raise ValueError(f"{self.name} needs {', '.join(p.flag for p in missing)}")
        if self.has_alike:
            kwargs["alike"] = not exact
        return kwargs

    def _unknown(self, name: str) -> str:
        names = [p.name for p in self.params]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        known = ", ".join(names) or "none"
        return f"{self.name} has no filter {name!r}{hint} (its filters: {known})"


def _docs(method: Callable[..., Any]) -> dict[str, str]:
    """Each entry of a Google-style ``Args:`` section, first sentence, as plain text."""
    docs: dict[str, str] = {}
    section = (inspect.getdoc(method) or "").partition("Args:\n")[2].partition("\n\n")[0]
    lines = section.splitlines()
    indent = len(lines[0]) - len(lines[0].lstrip()) if lines else 0
    names: list[str] = []
    for line in lines:
        match = re.fullmatch(r"(\w+(?:, \w+)*): (.+)", line[indent:])
        if match and not line[:indent].strip():
            names = match[1].split(", ")
            for name in names:
                docs[name] = match[2]
        else:
            for name in names:
                docs[name] += " " + line.strip()
    return {
        name: re.split(r"(?<=[^.])\. ", text.replace("``", ""))[0].rstrip(".")
        for name, text in docs.items()
    }


def _record_type(method: Callable[..., Any]) -> type[Any] | None:
    try:
        hint = typing.get_type_hints(method).get("return")
    except (NameError, TypeError):
        return None
    args = typing.get_args(hint)
    return args[0] if args and attrs.has(args[0]) else None


def _report(name: str, endpoint: str, ordered: bool, root: Any) -> Report:
    target = root
    for part in endpoint.split("."):
        target = getattr(target, part)
    signature = inspect.signature(target)
    docs = _docs(target)
    params = tuple(
        ReportParam(
            name=p.name,
            required=p.default is inspect.Parameter.empty,
            doc=docs.get(p.name, p.name.replace("_", " ")),
            integer="int" in str(p.annotation) and "str" not in str(p.annotation),
        )
        for p in signature.parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name not in _PAGING
    )
    summary = (inspect.getdoc(target) or endpoint).splitlines()[0]
    summary = re.sub(r"\s*\(``[\w.]+``\)", "", summary).replace("``", "")
    summary = summary.rstrip(".;").split(";")[0]
    return Report(
        name=name,
        endpoint=endpoint,
        ordered=ordered,
        summary=summary,
        params=params,
        has_alike="alike" in signature.parameters,
        record=_record_type(target),
    )


def _name(endpoint: str, ordered: bool) -> str:
    base = endpoint.removeprefix("reports.").rsplit(".", 1)[0]
    return base.replace(".", "-").replace("_", "-") + ("-ordered" if ordered else "")


def _reports() -> dict[str, Report]:
    root = attrs.make_class("Root", ["reports", "autodialer"])(Reports(None), Autodialer(None))  # type: ignore[arg-type]
    found: dict[str, Report] = {}
    for endpoint in ENDPOINTS.values():
        is_report = endpoint.id.startswith(("reports.", "autodialer.reports."))
        if is_report and endpoint.kind in ("search", "ordered"):
            ordered = endpoint.kind == "ordered"
            name = _name(endpoint.id, ordered)
            found[name] = _report(name, endpoint.id, ordered, root)
    return dict(sorted(found.items()))


def record_columns(record: type[Any] | None) -> list[str]:
    """The server keys of a record model, in field order: an empty export's CSV header."""
    if record is None:
        return []
    blank = record(**{f.name: None for f in attrs.fields(record) if f.init and f.name != "extra"})
    return [key for key in to_dict(blank) if key != "extra"]


REPORTS: Mapping[str, Report] = _reports()
"""Every report ``simotel export`` offers, by command-line name."""
