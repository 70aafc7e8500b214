"""Named argument types of the endpoint methods.

Generated from simotel_async/_endpoints.py by scripts/gen_resources.py; do not edit."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "JoinEmpty",
    "MappedFilter",
    "PeerType",
    "Strategy",
    "TrunkStatus",
    "TrunkType",
    "UserType",
]

JoinEmpty = Literal["yes", "no", "strict"]
MappedFilter = Literal["all", "mapped"]
PeerType = Literal["user", "peer", "friend"]
Strategy = Literal[
    "ringall",
    "leastrecent",
    "fewestcalls",
    "random",
    "rrmemory",
    "rrordered",
    "linear",
    "wrandom",
]
TrunkStatus = Literal["active", "inactive"]
TrunkType = Literal["SIP", "IAX2", "DAHDI"]
UserType = Literal["SIP", "IAX2"]
