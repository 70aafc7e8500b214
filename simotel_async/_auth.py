"""Simotel's three authentication schemes as one ``httpx.Auth``."""

from __future__ import annotations

from base64 import b64encode
from collections.abc import Generator
from urllib.parse import unquote

import httpx

__all__ = ["SimotelAuth", "split_userinfo"]


class SimotelAuth(httpx.Auth):
    """HTTP Basic, an ``X-APIKEY`` header, or both, chosen by the credentials given.

    Which one a server wants is a setting of its API account; sending both satisfies
    an account set to either. ``repr`` shows which schemes are on, never the values.
    """

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
    ) -> None:
        if (username is None) != (password is None):
            missing = "password" if password is None else "username"
            raise ValueError(
                f"Basic auth needs both username and password; {missing} is missing "
                "(pass it, put it in the URL as https://user:pass@host, or use api_key alone)"
            )
        if username is None and not api_key:
            raise ValueError(
                "no credentials: pass username= and password= (Basic), api_key= (X-APIKEY), "
                "or both, as the Simotel API account is configured; "
                "AsyncSimotel.from_env() reads SIMOTEL_USERNAME, SIMOTEL_PASSWORD, SIMOTEL_API_KEY"
            )
        self._api_key = api_key or None
        self._header = None
        if username is not None:
            token = b64encode(f"{username}:{password}".encode()).decode("ascii")
            self._header = f"Basic {token}"

    @property
    def scheme(self) -> str:
        """``"basic"``, ``"apikey"`` or ``"basic+apikey"``."""
        parts = [name for name, on in (("basic", self._header), ("apikey", self._api_key)) if on]
        return "+".join(parts)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach the configured credentials to ``request``."""
        if self._header is not None:
            request.headers["Authorization"] = self._header
        if self._api_key is not None:
            request.headers["X-APIKEY"] = self._api_key
        yield request

    def __repr__(self) -> str:
        return f"SimotelAuth(scheme={self.scheme!r})"


def split_userinfo(url: str) -> tuple[httpx.URL, str | None, str | None]:
    """Split ``https://user:pass@host/`` into the bare URL and the decoded credentials."""
    parsed = httpx.URL(url)
    if not parsed.userinfo:
        return parsed, None, None
    user, _, password = parsed.userinfo.decode("ascii").partition(":")
    bare = parsed.copy_with(username=None, password=None)
    return bare, unquote(user), unquote(password)
