"""``simotel.setting``: server settings; the API documents only ``ping``.

Generated from simotel_async/_endpoints.py by scripts/gen_resources.py; do not edit."""

from __future__ import annotations

from ._base import Extra, Resource

__all__ = ["Setting"]


class Setting(Resource):
    """``simotel.setting``: server settings; the API documents only ``ping``."""

    __slots__ = ()

    async def ping(
        self,
        *,
        extra: Extra = None,
    ) -> None:
        """Check that the server answers and accepts these credentials (``setting.ping``).

        The docs disagree on the HTTP method (PHP sample POST, JS/curl PUT); the SDK
        sends POST. A server that wants PUT: ``AsyncSimotel(...,
        methods={"setting.ping": "PUT"})``. If the Ping webhook event is enabled, the
        server also fires it.

        Args:
            extra: more server parameters, merged into the body.

        Raises:
            AuthenticationError: wrong or missing credentials.
            IPNotPermittedError: this client's IP is not in the allowed list.
            MethodNotAllowedError: the server wants the other HTTP method (see above).
            SimotelConnectionError: the server cannot be reached.
        """
        await self._act_quietly("setting.ping", locals())
