"""Which model each endpoint's answer decodes into.

``RESULT_MODELS`` maps every endpoint id of the catalog to one type:

- ``search`` / ``ordered`` endpoints: the class of one record in ``data.data``
  (the paginator / cursor decodes ``list[that]``).
- unpaginated searches (``pbx.users.search`` ...) and ``reports.quick.info``: the
  record class; ``data`` is a bare list of them (listed in ``LIST_RESULTS``).
- ``add``: :class:`AddResult` (``id`` may be ``None``, see its docstring);
  ``call.originate``: :class:`OriginateResult`; single agent operations:
  :class:`AgentResult`; ``batch*agent``: :class:`BatchAgentResult`;
  ``autodialer.groups.update``: the stored :class:`Group`;
  ``autodialer.campaigns.update``: :class:`UpdateResult` (``{count}``);
  ``autodialer.reports.info``: :class:`AutodialerCallInfo`.
- actions whose ``data`` carries nothing (``setting.ping``, every other update and
  remove): ``type(None)``.
- ``upload``: ``str``, the stored file name found at ``data.filename`` (``UNWRAP``).
- ``download``: ``bytes``; the body is the file, never decoded.

:func:`result_type` gives the type to decode an action's ``data`` with, and
:func:`decode_result` does the whole job for ``action`` and ``upload`` endpoints.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from simotel_async._convert import decode
from simotel_async._errors import SimotelResponseError

from ._common import AddResult, OriginateResult, UpdateResult
from .autodialer import (
    AutodialerAnnouncement,
    AutodialerCallInfo,
    AutodialerReport,
    Campaign,
    Contact,
    Group,
    TrunkManager,
)
from .pbx import (
    AgentResult,
    Announcement,
    BatchAgentResult,
    BlacklistEntry,
    Fax,
    MusicOnHold,
    Queue,
    Trunk,
    User,
    WhitelistEntry,
)
from .reports import AgentSession, Cdr, PollResult, QueueDetail, QueueStat
from .voicemails import VoicemailBox, VoicemailMessage

__all__ = ["LIST_RESULTS", "RESULT_MODELS", "UNWRAP", "decode_result", "result_type"]

_NONE = type(None)


def _crud(prefix: str, record: type, *, add: bool = True) -> dict[str, type]:
    table = {f"{prefix}.search": record, f"{prefix}.update": _NONE, f"{prefix}.remove": _NONE}
    if add:
        table[f"{prefix}.add"] = AddResult
    return table


RESULT_MODELS: Mapping[str, type] = {
    "setting.ping": _NONE,
    "call.originate": OriginateResult,
    **_crud("pbx.users", User),
    **_crud("pbx.trunks", Trunk),
    **_crud("pbx.queues", Queue),
    "pbx.queues.addagent": AgentResult,
    "pbx.queues.pauseagent": AgentResult,
    "pbx.queues.resumeagent": AgentResult,
    "pbx.queues.removeagent": AgentResult,
    "pbx.queues.batchaddagent": BatchAgentResult,
    "pbx.queues.batchpauseagent": BatchAgentResult,
    "pbx.queues.batchresumeagent": BatchAgentResult,
    "pbx.queues.batchremoveagent": BatchAgentResult,
    "pbx.musiconholds.search": MusicOnHold,
    "pbx.announcements.upload": str,
    **_crud("pbx.announcements", Announcement),
    **_crud("voicemails.voicemails", VoicemailBox),
    "voicemails.inbox.search": VoicemailMessage,
    "voicemails.inbox.download": bytes,
    **_crud("pbx.blacklists", BlacklistEntry),
    **_crud("pbx.whitelists", WhitelistEntry),
    "pbx.faxes.upload": str,
    "pbx.faxes.add": AddResult,
    "pbx.faxes.search": Fax,
    "pbx.faxes.download": bytes,
    "reports.quick.search": Cdr,
    "reports.quick.info": QueueDetail,
    "reports.audio.download": bytes,
    "reports.cdr.search": Cdr,
    "reports.cdr.ordered": Cdr,
    "reports.queue.search": QueueStat,
    "reports.queue.ordered": QueueStat,
    "reports.queue_details.search": QueueDetail,
    "reports.queue_details.ordered": QueueDetail,
    "reports.agent.search": AgentSession,
    "reports.poll.search": PollResult,
    **_crud("autodialer.contacts", Contact),
    "autodialer.groups.upload": str,
    **_crud("autodialer.groups", Group),
    "autodialer.groups.update": Group,
    **_crud("autodialer.campaigns", Campaign),
    "autodialer.campaigns.update": UpdateResult,
    "autodialer.announcements.upload": str,
    **_crud("autodialer.announcements", AutodialerAnnouncement),
    "autodialer.trunks.search": TrunkManager,
    "autodialer.trunks.update": _NONE,
    "autodialer.reports.search": AutodialerReport,
    "autodialer.reports.ordered": AutodialerReport,
    "autodialer.reports.info": AutodialerCallInfo,
}
"""Endpoint id -> the type of its decoded result or of one of its records."""

LIST_RESULTS: frozenset[str] = frozenset(
    {
        "pbx.users.search",
        "pbx.trunks.search",
        "pbx.queues.search",
        "pbx.musiconholds.search",
        "pbx.announcements.search",
        "voicemails.voicemails.search",
        "pbx.blacklists.search",
        "pbx.whitelists.search",
        "autodialer.announcements.search",
        "autodialer.trunks.search",
        "reports.quick.info",
    }
)
"""Action endpoints whose ``data`` is a bare list of ``RESULT_MODELS[id]`` records."""

UNWRAP: Mapping[str, str] = {
    "pbx.announcements.upload": "filename",
    "pbx.faxes.upload": "filename",
    "autodialer.groups.upload": "filename",
    "autodialer.announcements.upload": "filename",
}
"""Endpoints whose result is one key of ``data``: uploads answer ``{"filename": ...}``."""


def result_type(endpoint_id: str) -> Any:
    """The type to decode ``endpoint_id``'s ``data`` (after ``UNWRAP``) with.

    ``list[Model]`` for ``LIST_RESULTS``, ``RESULT_MODELS[endpoint_id]`` otherwise.

    Raises:
        KeyError: unknown endpoint id.
    """
    model = RESULT_MODELS[endpoint_id]
    return list[model] if endpoint_id in LIST_RESULTS else model  # type: ignore[valid-type]


def decode_result(endpoint_id: str, data: Any, *, tz: tzinfo) -> Any:
    """Decode the ``data`` of an ``action`` or ``upload`` endpoint's envelope.

    Raises:
        SimotelResponseError: ``data`` does not have the documented shape.
        KeyError: unknown endpoint id.
    """
    key = UNWRAP.get(endpoint_id)
    if key is not None:
        if not isinstance(data, dict) or key not in data:
            raise SimotelResponseError(
                f"expected data.{key} in the answer, got {data!r:.80}", endpoint=endpoint_id
            )
        data = data[key]
    return decode(data, result_type(endpoint_id), tz=tz, endpoint=endpoint_id)
