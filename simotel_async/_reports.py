"""The exportable reports and their filters, read off the endpoint catalogue.

The CLI builds every request through the same typed method a Python caller uses
(``simotel.reports.cdr.search(src=..., ...)``), so a filter means the same thing in
both; this module lists which endpoints are reports (searches and ordered cursors of
``reports.*`` and ``autodialer.reports``) and the filters each takes, from the catalogue.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from . import models
from ._convert import to_dict
from ._endpoints import CATALOGUE, Endpoint
from ._pagination import AsyncCursor, AsyncPaginator

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


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[^.])\. ", text.replace("``", ""))[0].rstrip(".")


def _report(name: str, endpoint: Endpoint) -> Report:
    params = tuple(
        ReportParam(
            name=p.name,
            required=p.name in endpoint.required,
            doc=_first_sentence(p.doc) or p.name.replace("_", " "),
            integer=p.encoder == "integer",
        )
        for p in sorted(endpoint.params, key=lambda p: p.name not in endpoint.required)
        if p.name != "alike"
    )
    summary = re.sub(r"\s*\(``[\w.]+``[^)]*\)", "", endpoint.doc.splitlines()[0])
    summary = summary.replace("``", "").rstrip(".;").split(";")[0]
    return Report(
        name=name,
        endpoint=endpoint.method,
        ordered=endpoint.kind == "ordered",
        summary=summary,
        params=params,
        has_alike=any(p.name == "alike" for p in endpoint.params),
        record=getattr(models, endpoint.result) if endpoint.result else None,
    )


def _name(endpoint: Endpoint) -> str:
    base = endpoint.resource.removeprefix("reports.")
    suffix = "-ordered" if endpoint.kind == "ordered" else ""
    return base.replace(".", "-").replace("_", "-") + suffix


def _reports() -> dict[str, Report]:
    found = {
        _name(endpoint): _report(_name(endpoint), endpoint)
        for endpoint in CATALOGUE
        if endpoint.kind in ("search", "ordered")
        and endpoint.id.startswith(("reports.", "autodialer.reports."))
    }
    return dict(sorted(found.items()))


def record_columns(record: type[Any] | None) -> list[str]:
    """The server keys of a record model, in field order: an empty export's CSV header."""
    if record is None:
        return []
    blank = record(**{f.name: None for f in attrs.fields(record) if f.init and f.name != "extra"})
    return [key for key in to_dict(blank) if key != "extra"]


REPORTS: Mapping[str, Report] = _reports()
"""Every report ``simotel export`` offers, by command-line name."""
