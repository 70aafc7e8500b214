"""Attrs records for what the Simotel API returns, one module per API group.

Every model is frozen, slotted and keyword-only; every field is optional (``None`` when
the server leaves it out or sends ``""``), ``id`` holds the server's ``_id``, and
unknown keys are kept in ``extra``. Decode server JSON with
``simotel_async._convert.decode`` and export with ``to_dict``.
"""

from ._common import AddResult, OriginateResult, Record, UpdateResult
from .autodialer import (
    AutodialerAnnouncement,
    AutodialerCallInfo,
    AutodialerReport,
    Campaign,
    CampaignStatistics,
    CampaignStats,
    Contact,
    DialAttempt,
    Group,
    TrunkManager,
)
from .pbx import (
    AgentResult,
    Announcement,
    BatchAgentResult,
    BlacklistEntry,
    Fax,
    ForwardPolicy,
    MusicFile,
    MusicOnHold,
    Queue,
    Trunk,
    User,
    WhitelistEntry,
)
from .reports import (
    AgentSession,
    Cdr,
    CdrDetail,
    PollResult,
    QueueDetail,
    QueueStat,
    QueueTimes,
    RouteStep,
)
from .voicemails import VoicemailBox, VoicemailMessage

__all__ = [
    "AddResult",
    "AgentResult",
    "AgentSession",
    "Announcement",
    "AutodialerAnnouncement",
    "AutodialerCallInfo",
    "AutodialerReport",
    "BatchAgentResult",
    "BlacklistEntry",
    "Campaign",
    "CampaignStatistics",
    "CampaignStats",
    "Cdr",
    "CdrDetail",
    "Contact",
    "DialAttempt",
    "Fax",
    "ForwardPolicy",
    "Group",
    "MusicFile",
    "MusicOnHold",
    "OriginateResult",
    "PollResult",
    "Queue",
    "QueueDetail",
    "QueueStat",
    "QueueTimes",
    "Record",
    "RouteStep",
    "Trunk",
    "TrunkManager",
    "UpdateResult",
    "User",
    "VoicemailBox",
    "VoicemailMessage",
    "WhitelistEntry",
]
