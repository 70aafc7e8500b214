"""Which Python method serves an endpoint id: ``simotel.<group>.<resource>.<action>``.

The action segment is spelled in snake_case (``addagent`` -> ``add_agent``,
``batchpauseagent`` -> ``batch_pause_agent``); every other segment is the id's own.
"""

from __future__ import annotations

from typing import Any

__all__ = ["method_path", "resolve"]

_ACTIONS = {
    f"{batch}{verb}agent": f"{batch}{'_' if batch else ''}{verb}_agent"
    for batch in ("", "batch")
    for verb in ("add", "pause", "resume", "remove")
}


def method_path(endpoint_id: str) -> str:
    """The method's dotted path below the client, e.g. ``"pbx.queues.add_agent"``."""
    *resource, action = endpoint_id.split(".")
    return ".".join([*resource, _ACTIONS.get(action, action)])


def resolve(client: Any, endpoint_id: str) -> Any:
    """The bound method of ``client`` that serves ``endpoint_id``."""
    target = client
    for part in method_path(endpoint_id).split("."):
        target = getattr(target, part)
    return target
