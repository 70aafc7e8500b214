"""``simotel.reports``: the report searches, ordered cursors and recordings.

Generated from simotel_async/_endpoints.py by scripts/gen_resources.py; do not edit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from simotel_async._pagination import AsyncCursor, AsyncPaginator
from simotel_async.models import AgentSession, Cdr, PollResult, QueueDetail, QueueStat

from ._base import Destination, Extra, Resource, Sender, Sort, When

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


class QuickReports(Resource):
    """``simotel.reports.quick``: the Quick Search report (call records)."""

    __slots__ = ()

    def search(
        self,
        *,
        alike: bool = True,
        src: str | None = None,
        dst: str | None = None,
        cuid: str | None = None,
        date_from: When | None = None,
        date_to: When | None = None,
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
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            src: caller (source) number filter (the server's ``conditions.from``).
            dst: callee (destination) number filter (``conditions.to``).
            cuid: the call's unique id.
            date_from: start of the period (a ``datetime``, ``date`` or the server's
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time).
            date_to: end of the period.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`Cdr` records.

        Raises:
            ValueError: no period and no ``cuid`` (raised here, before any request).
        """
        return self._search("reports.quick.search", Cdr, locals())

    async def info(
        self,
        *,
        cuid: str,
        extra: Extra = None,
    ) -> list[QueueDetail]:
        """The queue legs (one per agent rung) of a queued call (``reports.quick.info``).

        Only meaningful for calls that entered a queue; for the call itself use
        :meth:`search` with ``cuid``.

        Args:
            cuid: the call's unique id, from a record's ``cuid``. Required.
            extra: more server parameters, merged into the body.

        Returns:
            A list of :class:`QueueDetail`.
        """
        return await self._act("reports.quick.info", list[QueueDetail], locals())


class Audio(Resource):
    """``simotel.reports.audio``: call recordings, by file name (a CDR's ``record``)."""

    __slots__ = ()

    async def download(
        self,
        *,
        file: str,
        dest: Destination,
        extra: Extra = None,
    ) -> int:
        """Download a recording to ``dest``, streamed (never held in memory).

        A path is written through a temporary file beside it, fsynced and renamed into
        place only when complete: an interrupted download never leaves a truncated file
        under ``dest``'s name.

        Args:
            file: the recording's file name with its extension (a CDR's ``record``, a voicemail's
                ``filename``). Required.
            dest: a file path, or a binary file object open for writing.
            extra: more server parameters, merged into the body.

        Returns:
            The number of bytes written.

        Raises:
            NotFoundError: the server has no such file (404); the message names it.
            SimotelConnectionError: the transfer broke off; ``dest`` is left as it was.
            TypeError: a wrong argument or ``dest`` (nothing was sent).
        """
        return await self._download("reports.audio.download", locals())

    @asynccontextmanager
    async def stream(
        self,
        *,
        file: str,
        extra: Extra = None,
    ) -> AsyncIterator[httpx.Response]:
        """``async with ....stream(...) as response``: the file, unread.

        The streaming twin of :meth:`download` (``reports.audio.download``).
        Iterate ``response.aiter_bytes()`` (``response.headers`` has the type and
        length); the connection is released when the block exits.

        Args:
            file: the recording's file name with its extension (a CDR's ``record``, a voicemail's
                ``filename``). Required.
            extra: more server parameters, merged into the body.

        Raises:
            NotFoundError: the server has no such file (404); the message names it.
            SimotelConnectionError: the transfer broke off; ``dest`` is left as it was.
            TypeError: a wrong argument or ``dest`` (nothing was sent).
        """
        async with self._stream("reports.audio.download", locals()) as response:
            yield response


class CdrReports(Resource):
    """``simotel.reports.cdr``: call detail records."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When,
        date_to: When,
        alike: bool = True,
        src: str | None = None,
        dst: str | None = None,
        cuid: str | None = None,
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
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time). Required.
            date_to: end of the period. Required.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            src: caller (source) number filter (the server's ``conditions.from``).
            dst: callee (destination) number filter (``conditions.to``).
            cuid: call unique id filter.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`Cdr` records (``record`` is the
            recording's name for ``reports.audio.download``).
        """
        return self._search("reports.cdr.search", Cdr, locals())

    def ordered(
        self,
        *,
        after_id: str | None = None,
        extra: Extra = None,
    ) -> AsyncCursor[Cdr]:
        """Every call record in insertion order, 20 a request (``reports.cdr.ordered``).

        Args:
            after_id: resume after this record id (a previous cursor's ``last_id``).
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AsyncCursor` of :class:`Cdr` records; no I/O until iterated.
        """
        return self._ordered("reports.cdr.ordered", Cdr, locals())


class QueueReports(Resource):
    """``simotel.reports.queue``: queue statistics, one record per queued call."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When,
        date_to: When,
        alike: bool = True,
        src: str | None = None,
        dst: str | None = None,
        cuid: str | None = None,
        qnum: str | None = None,
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
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time). Required.
            date_to: end of the period. Required.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            src: caller (source) number filter (the server's ``conditions.from``).
            dst: callee (destination) number filter (``conditions.to``).
            cuid: call unique id filter.
            qnum: queue number filter.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`QueueStat` records; no I/O until iterated.
        """
        return self._search("reports.queue.search", QueueStat, locals())

    def ordered(
        self,
        *,
        after_id: str | None = None,
        extra: Extra = None,
    ) -> AsyncCursor[QueueStat]:
        """Every queue statistic in insertion order (``reports.queue.ordered``).

        Args:
            after_id: resume after this record id (a previous cursor's ``last_id``).
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AsyncCursor` of :class:`QueueStat` records; no I/O until iterated.
        """
        return self._ordered("reports.queue.ordered", QueueStat, locals())


class QueueDetailReports(Resource):
    """``simotel.reports.queue_details``: queue legs (each agent rung) of queued calls."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When,
        date_to: When,
        alike: bool = True,
        src: str | None = None,
        dst: str | None = None,
        cuid: str | None = None,
        queue: str | None = None,
        queue_id: str | None = None,
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
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time). Required.
            date_to: end of the period. Required.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            src: caller (source) number filter (the server's ``conditions.from``).
            dst: callee (destination) number filter (``conditions.to``).
            cuid: call unique id filter.
            queue: queue number filter.
            queue_id: queue-call unique id filter.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`QueueDetail` records; no I/O until iterated.
        """
        return self._search("reports.queue_details.search", QueueDetail, locals())

    def ordered(
        self,
        *,
        after_id: str | None = None,
        extra: Extra = None,
    ) -> AsyncCursor[QueueDetail]:
        """Every queue leg in insertion order (``reports.queue_details.ordered``).

        Args:
            after_id: resume after this record id (a previous cursor's ``last_id``).
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AsyncCursor` of :class:`QueueDetail` records; no I/O until iterated.
        """
        return self._ordered("reports.queue_details.ordered", QueueDetail, locals())


class AgentReports(Resource):
    """``simotel.reports.agent``: queue agents' sessions (login, pause, in/out)."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When,
        date_to: When,
        alike: bool = True,
        src: str | None = None,
        dst: str | None = None,
        exten: str | None = None,
        queue: str | None = None,
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
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time). Required.
            date_to: end of the period. Required.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            src: caller (source) number filter (the server's ``conditions.from``).
            dst: callee (destination) number filter (``conditions.to``).
            exten: agent extension filter.
            queue: queue number filter.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`AgentSession` records; no I/O until iterated.
        """
        return self._search("reports.agent.search", AgentSession, locals())


class PollReports(Resource):
    """``simotel.reports.poll``: answers to dialplan surveys (poll components)."""

    __slots__ = ()

    def search(
        self,
        *,
        date_from: When,
        date_to: When,
        alike: bool = True,
        src: str | None = None,
        dst: str | None = None,
        label: str | None = None,
        queue: str | None = None,
        cuid: str | None = None,
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
                ``"YYYY-MM-DD HH:MM"``; aware datetimes are converted to server time). Required.
            date_to: end of the period. Required.
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            src: caller (source) number filter (the server's ``conditions.from``).
            dst: callee (destination) number filter (``conditions.to``).
            label: the poll component's label in the dialplan.
            queue: queue number filter.
            cuid: call unique id filter.
            extra: more server parameters, merged into the body.
            sort: ``{"field": 1 | -1}``; default: the server's order.
            page_size, concurrency, limit, start: paging (records per request, requests in flight,
                record cap, first offset); see :class:`AsyncPaginator`.

        Returns:
            An :class:`AsyncPaginator` of :class:`PollResult` records; no I/O until iterated.
        """
        return self._search("reports.poll.search", PollResult, locals())


class Reports:
    """``simotel.reports``: the report searches, ordered cursors and recordings."""

    __slots__ = ("agent", "audio", "cdr", "poll", "queue", "queue_details", "quick")

    def __init__(self, client: Sender) -> None:
        self.quick = QuickReports(client)
        """``simotel.reports.quick``: the Quick Search report (call records)."""
        self.audio = Audio(client)
        """``simotel.reports.audio``: call recordings, by file name (a CDR's ``record``)."""
        self.cdr = CdrReports(client)
        """``simotel.reports.cdr``: call detail records."""
        self.queue = QueueReports(client)
        """``simotel.reports.queue``: queue statistics, one record per queued call."""
        self.queue_details = QueueDetailReports(client)
        """``simotel.reports.queue_details``: queue legs (each agent rung) of queued calls."""
        self.agent = AgentReports(client)
        """``simotel.reports.agent``: queue agents' sessions (login, pause, in/out)."""
        self.poll = PollReports(client)
        """``simotel.reports.poll``: answers to dialplan surveys (poll components)."""
