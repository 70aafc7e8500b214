"""``myapp.calls.call_back``, the code under test in README.md's testing example."""

from __future__ import annotations

from simotel_async import AsyncSimotel


async def call_back(simotel: AsyncSimotel, extension: str, customer: str) -> str | None:
    """Ring ``extension``, then connect it to ``customer``; returns the originated call id."""
    result = await simotel.call.originate(
        caller=extension, callee=customer, context="main_routing", caller_id=extension
    )
    return result.originated_call_id
