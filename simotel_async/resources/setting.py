"""``simotel.setting``: the connection test."""

from __future__ import annotations

from ._base import (
    Resource,
    Schema,
)

__all__ = ["Setting"]

_PING = Schema()


class Setting(Resource):
    """``simotel.setting``: server settings; the API documents only ``ping``."""

    __slots__ = ()

    async def ping(self) -> None:
        """Check that the server answers and accepts these credentials (``setting.ping``).

        The docs disagree on the HTTP method (PHP sample POST, JS/curl PUT); the SDK
        sends POST. A server that wants PUT: ``AsyncSimotel(...,
        methods={"setting.ping": "PUT"})``. If the Ping webhook event is enabled, the
        server also fires it.

        Raises:
            AuthenticationError: wrong or missing credentials.
            IPNotPermittedError: this client's IP is not in the allowed list.
            MethodNotAllowedError: the server wants the other HTTP method (see above).
            SimotelConnectionError: the server cannot be reached.
        """
        await self._act_quietly("setting.ping", _PING, locals())
