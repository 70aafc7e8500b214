"""``simotel.pbx.queues``: call queues and the agents in them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import tzinfo
from typing import Any, Literal

from simotel_async.models import AddResult, AgentResult, BatchAgentResult, Queue

from ._base import (
    Extra,
    Flag,
    Number,
    Param,
    Removable,
    Schema,
    filters,
    flag,
    number,
    text,
)

__all__ = ["Queues"]

Strategy = Literal[
    "ringall", "leastrecent", "fewestcalls", "random", "rrmemory", "rrordered", "linear", "wrandom"
]
AgentSpec = Mapping[str, "str | int"]
"""One agent of a batch call: ``{"queue": "2000", "agent": "101"}`` (plus ``source`` and
optionally ``penalty`` to add)."""

_QUEUE = Schema(
    name=text(),
    number=text(),
    strategy=text(),
    ringinuse=flag(),
    call_record=flag(),
    setinterfacevar=flag(),
    autofill=flag(),
    setqueuevar=flag(),
    setqueueentryvar=flag(),
    persistentmembers=flag(),
    shared_lastcall=flag(),
    announce_holdtime=flag(),
    announce_position=flag(),
    joinempty=text(),
    leavewhenempty=flag(),
    reportholdtime=flag(),
    maxlen=number(),
    announce_frequency=number(),
    min_announce_frequency=number(),
    periodic_announce_frequency=number(),
    music=text(),
    queue_callswaiting=text(),
    queue_thankyou=text(),
    queue_thereare=text(),
    queue_youarenext=text(),
    retry=number(),
    servicelevel=number(),
    timeout=number(),
    weight=number(),
    wrapuptime=number(),
    monitor_type=text(),
    monitor_format=text(),
    more_options=text(),
)
_QUEUE_ADD = _QUEUE.requiring("name", "number")
_QUEUE_UPDATE = _QUEUE.with_id()
_QUEUE_SEARCH = filters("name", "number")
_AGENT = Schema(required=("queue", "agent"), queue=text(), agent=text())
_AGENT_ADD = Schema(
    required=("queue", "source", "agent"),
    queue=text(),
    source=text(),
    agent=text(),
    penalty=number(),
)


def _agents(required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Param:
    """``agents``: a list of agent mappings, each checked like the single call's body."""
    allowed = required + optional

    def encode(name: str, value: Any, tz: tzinfo) -> list[dict[str, str]]:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise TypeError(f"{name} must be a list of mappings, not {type(value).__name__}")
        agents: list[dict[str, str]] = []
        for index, agent in enumerate(value):
            where = f"{name}[{index}]"
            if not isinstance(agent, Mapping):
                raise TypeError(f"{where} must be a mapping, not {type(agent).__name__}")
            missing = [key for key in required if agent.get(key) is None]
            unknown = [key for key in agent if key not in allowed]
            if missing or unknown:
                problem = f"misses {missing}" if missing else f"has unknown keys {unknown}"
                raise ValueError(f"{where} {problem}; expected keys {list(allowed)}")
            entry: dict[str, str] = {}
            for key in allowed:
                item = agent.get(key)
                if isinstance(item, int) and not isinstance(item, bool):
                    item = str(item)
                if item is not None and not isinstance(item, str):
                    raise TypeError(f"{where}.{key} must be a str, not {type(item).__name__}")
                if item is not None:
                    entry[key] = item
            agents.append(entry)
        if not agents:
            raise ValueError(f"{name} is empty; pass at least one agent")
        return agents

    return Param(encode)


_BATCH = Schema(required=("agents",), agents=_agents(("queue", "agent")))
_BATCH_ADD = Schema(
    required=("agents",), agents=_agents(("queue", "source", "agent"), ("penalty",))
)


class Queues(Removable):
    """``simotel.pbx.queues``: call queues, and adding/pausing/removing their agents."""

    __slots__ = ()
    _prefix = "pbx.queues"

    async def add(
        self,
        *,
        name: str,
        number: str,
        strategy: Strategy | None = None,
        ringinuse: Flag | None = None,
        call_record: Flag | None = None,
        setinterfacevar: Flag | None = None,
        autofill: Flag | None = None,
        setqueuevar: Flag | None = None,
        setqueueentryvar: Flag | None = None,
        persistentmembers: Flag | None = None,
        shared_lastcall: Flag | None = None,
        announce_holdtime: Flag | None = None,
        announce_position: Flag | None = None,
        joinempty: Literal["yes", "no", "strict"] | None = None,
        leavewhenempty: Flag | None = None,
        reportholdtime: Flag | None = None,
        maxlen: Number | None = None,
        announce_frequency: Number | None = None,
        min_announce_frequency: Number | None = None,
        periodic_announce_frequency: Number | None = None,
        music: str | None = None,
        queue_callswaiting: str | None = None,
        queue_thankyou: str | None = None,
        queue_thereare: str | None = None,
        queue_youarenext: str | None = None,
        retry: Number | None = None,
        servicelevel: Number | None = None,
        timeout: Number | None = None,
        weight: Number | None = None,
        wrapuptime: Number | None = None,
        monitor_type: str | None = None,
        monitor_format: str | None = None,
        more_options: str | None = None,
        extra: Extra = None,
    ) -> AddResult:
        """Create a call queue (``pbx.queues.add``).

        ``name`` and ``number`` are required; the docs mark the other settings
        *recommended* (``more_options`` optional). They mirror Asterisk's
        ``queues.conf``; yes/no settings take ``True``/``False``, numbers ``int`` or
        ``str``, durations are seconds.

        Args:
            name: queue name.
            number: the dialable queue number.
            strategy: ring strategy, e.g. ``"ringall"`` or ``"rrmemory"``.
            ringinuse: ring agents already on a call.
            call_record: record queue calls.
            setinterfacevar: Asterisk ``setinterfacevar``.
            autofill: Asterisk ``autofill``.
            setqueuevar: Asterisk ``setqueuevar``.
            setqueueentryvar: Asterisk ``setqueueentryvar``.
            persistentmembers: keep dynamic members across restarts.
            shared_lastcall: Asterisk ``shared_lastcall``.
            announce_holdtime: announce the estimated hold time.
            announce_position: announce the caller's position.
            joinempty: ``"yes"``, ``"no"`` or ``"strict"``: may callers join without agents.
            leavewhenempty: drop waiting callers when no agents remain.
            reportholdtime: tell the agent how long the caller waited.
            maxlen: maximum waiting callers (0: unlimited).
            announce_frequency: seconds between position/hold-time announcements.
            min_announce_frequency: minimum seconds between announcements.
            periodic_announce_frequency: seconds between periodic announcements.
            music: music-on-hold class played to waiting callers.
            queue_callswaiting: sound of the "calls waiting" prompt.
            queue_thankyou: sound of the "thank you" prompt.
            queue_thereare: sound of the "there are" prompt.
            queue_youarenext: sound of the "you are next" prompt.
            retry: seconds before ringing agents again after a timeout.
            servicelevel: service-level threshold in seconds.
            timeout: seconds an agent rings before the next one.
            weight: priority relative to other queues.
            wrapuptime: an agent's rest after a call, in seconds.
            monitor_type: recording application, e.g. ``"MixMonitor"``.
            monitor_format: recording format, e.g. ``"wav"``.
            more_options: extra raw queue options.
            extra: more server parameters, merged into the body.

        Returns:
            An :class:`AddResult` with the new queue's ``id``.

        Raises:
            OperationFailedError: the server refused (e.g. the queue exists).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        return await self._act("pbx.queues.add", AddResult, _QUEUE_ADD, locals())

    async def search(
        self,
        *,
        alike: bool = True,
        name: str | None = None,
        number: str | None = None,
        extra: Extra = None,
    ) -> list[Queue]:
        """List queues by name or number (``pbx.queues.search``; not paginated).

        Args:
            alike: substring (``True``) or exact match; always sent (as ``"true"``).
            name: queue name filter.
            number: queue number filter.
            extra: more server parameters, merged into the body.

        Returns:
            The matching queues.
        """
        return await self._act("pbx.queues.search", list[Queue], _QUEUE_SEARCH, locals())

    async def update(
        self,
        *,
        id: str,
        name: str | None = None,
        number: str | None = None,
        strategy: Strategy | None = None,
        ringinuse: Flag | None = None,
        call_record: Flag | None = None,
        setinterfacevar: Flag | None = None,
        autofill: Flag | None = None,
        setqueuevar: Flag | None = None,
        setqueueentryvar: Flag | None = None,
        persistentmembers: Flag | None = None,
        shared_lastcall: Flag | None = None,
        announce_holdtime: Flag | None = None,
        announce_position: Flag | None = None,
        joinempty: Literal["yes", "no", "strict"] | None = None,
        leavewhenempty: Flag | None = None,
        reportholdtime: Flag | None = None,
        maxlen: Number | None = None,
        announce_frequency: Number | None = None,
        min_announce_frequency: Number | None = None,
        periodic_announce_frequency: Number | None = None,
        music: str | None = None,
        queue_callswaiting: str | None = None,
        queue_thankyou: str | None = None,
        queue_thereare: str | None = None,
        queue_youarenext: str | None = None,
        retry: Number | None = None,
        servicelevel: Number | None = None,
        timeout: Number | None = None,
        weight: Number | None = None,
        wrapuptime: Number | None = None,
        monitor_type: str | None = None,
        monitor_format: str | None = None,
        more_options: str | None = None,
        extra: Extra = None,
    ) -> None:
        """Change a queue (``pbx.queues.update``); only the arguments given are sent.

        Args:
            id: the queue's id, from :meth:`search` (sent as ``_id``). Required.
            name: and the other settings: as for :meth:`add`, all optional.
            extra: more server parameters, merged into the body.

        Raises:
            OperationFailedError: the server refused (e.g. no such queue).
            TypeError, ValueError: a missing or wrong argument (nothing was sent).
        """
        await self._act_quietly("pbx.queues.update", _QUEUE_UPDATE, locals())

    async def add_agent(
        self,
        *,
        queue: str,
        source: str,
        agent: str,
        penalty: Number | None = None,
        extra: Extra = None,
    ) -> AgentResult:
        """Add one agent to a queue (``pbx.queues.addagent``).

        Args:
            queue: the queue number. Required.
            source: the extension (interface) to ring for the agent. Required.
            agent: the agent (operator) number. Required.
            penalty: the agent's penalty (priority) in the queue.
            extra: more server parameters, merged into the body.

        Returns:
            The outcome (``message`` such as ``"Added successfully"``, ``ok``).

        Raises:
            OperationFailedError: the server refused.
            TypeError: a missing or wrong argument (nothing was sent).
        """
        return await self._act("pbx.queues.addagent", AgentResult, _AGENT_ADD, locals())

    async def pause_agent(self, *, queue: str, agent: str, extra: Extra = None) -> AgentResult:
        """Pause an agent (a break) in a queue (``pbx.queues.pauseagent``).

        Args:
            queue: the queue number. Required.
            agent: the agent number. Required.
            extra: more server parameters, merged into the body.

        Returns:
            The outcome (``message`` such as ``"Paused successfully"``, ``ok``).
        """
        return await self._act("pbx.queues.pauseagent", AgentResult, _AGENT, locals())

    async def resume_agent(self, *, queue: str, agent: str, extra: Extra = None) -> AgentResult:
        """Take an agent off pause in a queue (``pbx.queues.resumeagent``).

        Args:
            queue: the queue number. Required.
            agent: the agent number. Required.
            extra: more server parameters, merged into the body.

        Returns:
            The outcome (``message`` such as ``"UnPaused successfully"``, ``ok``).
        """
        return await self._act("pbx.queues.resumeagent", AgentResult, _AGENT, locals())

    async def remove_agent(self, *, queue: str, agent: str, extra: Extra = None) -> AgentResult:
        """Remove an agent from a queue (``pbx.queues.removeagent``).

        Args:
            queue: the queue number. Required.
            agent: the agent number. Required.
            extra: more server parameters, merged into the body.

        Returns:
            The outcome (``message`` such as ``"Removed successfully"``, ``ok``).
        """
        return await self._act("pbx.queues.removeagent", AgentResult, _AGENT, locals())

    async def batch_add_agent(
        self, *, agents: Iterable[AgentSpec], extra: Extra = None
    ) -> BatchAgentResult:
        """Add several agents to queues in one call (``pbx.queues.batchaddagent``).

        Args:
            agents: one mapping per agent with ``queue``, ``source`` and ``agent``
                (required) and ``penalty`` (optional), sent as ``{"agents": [...]}``.
            extra: more server parameters, merged into the body.

        Returns:
            One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).

        Raises:
            TypeError, ValueError: an agent misses a key or has a wrong value (nothing
                was sent).
        """
        return await self._act("pbx.queues.batchaddagent", BatchAgentResult, _BATCH_ADD, locals())

    async def batch_pause_agent(
        self, *, agents: Iterable[AgentSpec], extra: Extra = None
    ) -> BatchAgentResult:
        """Pause several agents in one call (``pbx.queues.batchpauseagent``).

        Args:
            agents: one ``{"queue": ..., "agent": ...}`` mapping per agent.
            extra: more server parameters, merged into the body.

        Returns:
            One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).
        """
        return await self._act("pbx.queues.batchpauseagent", BatchAgentResult, _BATCH, locals())

    async def batch_resume_agent(
        self, *, agents: Iterable[AgentSpec], extra: Extra = None
    ) -> BatchAgentResult:
        """Take several agents off pause in one call (``pbx.queues.batchresumeagent``).

        Args:
            agents: one ``{"queue": ..., "agent": ...}`` mapping per agent.
            extra: more server parameters, merged into the body.

        Returns:
            One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).
        """
        return await self._act("pbx.queues.batchresumeagent", BatchAgentResult, _BATCH, locals())

    async def batch_remove_agent(
        self, *, agents: Iterable[AgentSpec], extra: Extra = None
    ) -> BatchAgentResult:
        """Remove several agents from queues in one call (``pbx.queues.batchremoveagent``).

        Args:
            agents: one ``{"queue": ..., "agent": ...}`` mapping per agent.
            extra: more server parameters, merged into the body.

        Returns:
            One :class:`AgentResult` per agent in ``results`` (the server's ``Data``).
        """
        return await self._act("pbx.queues.batchremoveagent", BatchAgentResult, _BATCH, locals())
