"""Test helpers: fixture files, a recording mock transport, envelope responses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(name: str) -> Any:
    """A JSON file from tests/fixtures, by relative name."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class Recorder:
    """An httpx.MockTransport that records requests and answers from a handler."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []
        self._handler = handler
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._handler(request)

    def json(self, index: int = -1) -> Any:
        """The JSON body of a recorded request."""
        return json.loads(self.requests[index].content)


def envelope(
    data: Any = None, *, success: int = 1, message: str = "", status: int = 200
) -> httpx.Response:
    """A Simotel envelope response."""
    return httpx.Response(status, json={"success": success, "message": message, "data": data})
