"""Types shared by the FakeSimotel tests."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol


class Api(Protocol):
    """The ``api`` fixture: POST a v4 call that must answer 200; the decoded JSON."""

    def __call__(self, path: str, body: Any = None, **kwargs: Any) -> Awaitable[Any]: ...
