"""``simotel.call``: place calls.

Generated from simotel_async/_endpoints.py by scripts/gen_resources.py; do not edit."""

from __future__ import annotations

from simotel_async.models import OriginateResult

from ._base import Extra, Number, Resource

__all__ = ["Call"]


class Call(Resource):
    """``simotel.call``: place calls."""

    __slots__ = ()

    async def originate(
        self,
        *,
        caller: str,
        callee: str,
        context: str,
        caller_id: str,
        trunk_name: str | None = None,
        timeout: Number | None = None,
        call_limit: Number | None = None,
        extra: Extra = None,
    ) -> OriginateResult:
        """Ring ``caller`` first and, once answered, bridge to ``callee`` (``call.originate``).

        Never retried after it may have reached the server: a resent originate rings a
        real phone twice.

        Args:
            caller: first party to ring, an extension or an external number. Required.
            callee: second party, dialled after the caller answers. Required.
            context: the dialplan context (Outgoing Route) that reaches the callee, e.g.
                ``"main_routing"``. Required.
            caller_id: caller id presented on the call. Required.
            trunk_name: trunk that reaches the caller when the caller is an external number; leave
                out for extensions. Recommended.
            timeout: seconds to wait for an answer (server default 30).
            call_limit: maximum call duration in seconds.
            extra: more server parameters, merged into the body.

        Returns:
            The result; its ``originated_call_id`` reappears in the call's CDR.

        Raises:
            OperationFailedError: the server refused the call.
            TypeError: an argument is missing or of the wrong type (nothing was sent).
        """
        return await self._act("call.originate", OriginateResult, locals())
