"""``simotel.reports``: call records, queue and agent statistics, polls, recordings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simotel_async._pagination import AsyncCursor, AsyncPaginator
from simotel_async.models import AgentSession, Cdr, PollResult, QueueDetail, QueueStat

from ._base import (
    AudioDownloads,
    Extra,
    Resource,
    Schema,
    Sort,
    When,
    condition,
    filters,
    text,
)

if TYPE_CHECKING:
    from simotel_async._client import AsyncSimotel

__all__ = [
    "AgentReports",
    "Audio",
    "CdrReports",
    "PollReports",
    "QueueDetailReports",
    "QueueReports",
    "QuickReports",
    "Reports",
]


def _report(*conditions: str, required: bool = True) -> Schema:
    """A report search; ``src``/``dst`` are the server's ``conditions.from``/``to``."""
    return filters(
        *conditions,
        period=True,
        required=("alike", "date_from", "date_to") if required else ("alike",),
        src=condition("from"),
        dst=condition("to"),
    )


_QUICK = _report("cuid", required=False)
_QUICK_INFO = Schema(required=("cuid",), cuid=text())
_CDR = _report("cuid")
_QUEUE = _report("cuid", "qnum")
_QUEUE_DETAILS = _report("cuid", "queue", "queue_id")
_AGENT = _report("exten", "queue")
_POLL = _report("label", "queue", "cuid")


class QuickReports(Resource):
    """``simotel.reports.quick``: the Quick Search report (call records)."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When | None = None,
        date_to: When | None = None,
        src: str | None = None,
        dst: str | None = None,
        cuid: str | None = None,
        alike: bool = True,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[Cdr]:
        """Call records of a period, or one call by ``cuid`` (``reports.quick.search``).

        ``date_from`` and ``date_to`` are required, except when looking a call up by
        ``cuid``: the docs then send an empty ``date_range``, which leaving both out does.
        No I/O until iterated.

        Args:
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time).
            date_to: end of the period.
            src: caller number filter (the server's ``conditions.from``).
            dst: callee number filter (``conditions.to``).
            cuid: the call's unique id.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`Cdr` records.

        Raises:
            ValueError: no period and no ``cuid`` (raised here, before any request).
        """
        if cuid is None and (date_from is None or date_to is None):
            raise ValueError("pass date_from= and date_to=, or cuid= to look one call up")
        return self._search("reports.quick.search", Cdr, _QUICK, locals())

    async def info(self, *, cuid: str, extra: Extra = None) -> list[QueueDetail]:
        """The queue legs (one per agent rung) of a queued call (``reports.quick.info``).

        Only meaningful for calls that entered a queue; for the call itself use
        :meth:`search` with ``cuid``.

        Args:
            cuid: the call's unique id, from a record's ``cuid``. Required.
            extra: more server parameters, merged into the body.
        """
        return await self._act("reports.quick.info", list[QueueDetail], _QUICK_INFO, locals())


class Audio(AudioDownloads):
    """``simotel.reports.audio``: call recordings, by file name (a CDR's ``record``)."""

    __slots__ = ()
    _download_id = "reports.audio.download"


class CdrReports(Resource):
    """``simotel.reports.cdr``: call detail records."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When,
        date_to: When,
        src: str | None = None,
        dst: str | None = None,
        cuid: str | None = None,
        alike: bool = True,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[Cdr]:
        """Call records of a period, page by page (``reports.cdr.search``); no I/O yet.

        For a complete export of a busy server use :meth:`ordered`: offsets shift
        when calls are recorded during the walk.

        Args:
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time).
                Required.
            date_to: end of the period. Required.
            src: caller number filter (the server's ``conditions.from``).
            dst: callee number filter (``conditions.to``).
            cuid: call unique id filter.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`Cdr` records (``record`` is the
            recording's name for ``reports.audio.download``).
        """
        return self._search("reports.cdr.search", Cdr, _CDR, locals())

    def ordered(self, *, after_id: str | None = None, extra: Extra = None) -> AsyncCursor[Cdr]:
        """Every call record in insertion order, 20 a request (``reports.cdr.ordered``).

        Args:
            after_id: resume after this record (a saved ``cursor.last_id``); ``None``
                starts from the first record.
            extra: more server parameters, sent with every request.

        Returns:
            An :class:`AsyncCursor` of :class:`Cdr` records; no I/O until iterated.
        """
        return self._ordered("reports.cdr.ordered", Cdr, after_id, extra)


class QueueReports(Resource):
    """``simotel.reports.queue``: queue statistics, one record per queued call."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When,
        date_to: When,
        src: str | None = None,
        dst: str | None = None,
        cuid: str | None = None,
        qnum: str | None = None,
        alike: bool = True,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[QueueStat]:
        """Queued calls of a period, page by page (``reports.queue.search``); no I/O yet.

        Args:
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``). Required.
            date_to: end of the period. Required.
            src: caller number filter (the server's ``conditions.from``).
            dst: destination number filter (``conditions.to``).
            cuid: call unique id filter.
            qnum: queue number filter.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.
        """
        return self._search("reports.queue.search", QueueStat, _QUEUE, locals())

    def ordered(
        self, *, after_id: str | None = None, extra: Extra = None
    ) -> AsyncCursor[QueueStat]:
        """Every queue statistic in insertion order (``reports.queue.ordered``).

        Args:
            after_id: resume after this record (a saved ``cursor.last_id``).
            extra: more server parameters, sent with every request.
        """
        return self._ordered("reports.queue.ordered", QueueStat, after_id, extra)


class QueueDetailReports(Resource):
    """``simotel.reports.queue_details``: queue legs (each agent rung) of queued calls."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When,
        date_to: When,
        src: str | None = None,
        dst: str | None = None,
        cuid: str | None = None,
        queue: str | None = None,
        queue_id: str | None = None,
        alike: bool = True,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[QueueDetail]:
        """Queue legs of a period, page by page (``reports.queue_details.search``).

        Args:
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``). Required.
            date_to: end of the period. Required.
            src: caller number filter (the server's ``conditions.from``).
            dst: agent/destination number filter (``conditions.to``).
            cuid: call unique id filter.
            queue: queue number filter.
            queue_id: queue-call unique id filter.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.
        """
        return self._search("reports.queue_details.search", QueueDetail, _QUEUE_DETAILS, locals())

    def ordered(
        self, *, after_id: str | None = None, extra: Extra = None
    ) -> AsyncCursor[QueueDetail]:
        """Every queue leg in insertion order (``reports.queue_details.ordered``).

        Args:
            after_id: resume after this record (a saved ``cursor.last_id``).
            extra: more server parameters, sent with every request.
        """
        return self._ordered("reports.queue_details.ordered", QueueDetail, after_id, extra)


class AgentReports(Resource):
    """``simotel.reports.agent``: queue agents' sessions (login, pause, in/out)."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When,
        date_to: When,
        src: str | None = None,
        dst: str | None = None,
        exten: str | None = None,
        queue: str | None = None,
        alike: bool = True,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[AgentSession]:
        """Agent sessions of a period, page by page (``reports.agent.search``).

        Args:
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``). Required.
            date_to: end of the period. Required.
            src: source number filter (the server's ``conditions.from``).
            dst: destination number filter (``conditions.to``).
            exten: agent extension filter.
            queue: queue number filter.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; the server's default is ``{"end": -1}``.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.
        """
        return self._search("reports.agent.search", AgentSession, _AGENT, locals())


class PollReports(Resource):
    """``simotel.reports.poll``: answers to dialplan surveys (poll components)."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When,
        date_to: When,
        src: str | None = None,
        dst: str | None = None,
        label: str | None = None,
        queue: str | None = None,
        cuid: str | None = None,
        alike: bool = True,
        extra: Extra = None,
        page_size: int = 100,
        concurrency: int = 1,
        limit: int | None = None,
        sort: Sort | None = None,
        start: int = 0,
    ) -> AsyncPaginator[PollResult]:
        """Survey answers of a period, page by page (``reports.poll.search``).

        Args:
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``). Required.
            date_to: end of the period. Required.
            src: caller number filter (the server's ``conditions.from``).
            dst: destination number filter (``conditions.to``).
            label: the poll component's label in the dialplan.
            queue: queue number filter.
            cuid: call unique id filter.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests
                in flight, record cap, first offset); see :class:`AsyncPaginator`.
        """
        return self._search("reports.poll.search", PollResult, _POLL, locals())


class Reports:
    """``simotel.reports``: the report searches, ordered cursors and recordings."""

    __slots__ = ("agent", "audio", "cdr", "poll", "queue", "queue_details", "quick")

    def __init__(self, client: AsyncSimotel) -> None:
        self.quick = QuickReports(client)
        self.audio = Audio(client)
        self.cdr = CdrReports(client)
        self.queue = QueueReports(client)
        self.queue_details = QueueDetailReports(client)
        self.agent = AgentReports(client)
        self.poll = PollReports(client)
