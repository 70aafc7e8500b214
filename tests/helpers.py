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


def _result_models() -> tuple[dict[str, Any], frozenset[str]]:
    """Each endpoint's record type, from the catalogue (downloads: ``bytes``; uploads: ``str``)."""
    from simotel_async import models
    from simotel_async._endpoints import ENDPOINTS

    found: dict[str, Any] = {}
    lists = set()
    for endpoint_id, endpoint in ENDPOINTS.items():
        result = endpoint.result
        if endpoint.kind == "upload":
            found[endpoint_id] = str
        elif endpoint.kind == "download":
            found[endpoint_id] = bytes
        elif result is None:
            found[endpoint_id] = type(None)
        elif result.startswith("list["):
            found[endpoint_id] = getattr(models, result[5:-1])
            lists.add(endpoint_id)
        else:
            found[endpoint_id] = getattr(models, result)
    return found, frozenset(lists)


RESULT_MODELS, LIST_RESULTS = _result_models()
UNWRAP = {endpoint_id: "filename" for endpoint_id, t in RESULT_MODELS.items() if t is str}


def result_type(endpoint_id: str) -> Any:
    """The type an action's ``data`` decodes to (a list for unpaginated searches)."""
    model = RESULT_MODELS[endpoint_id]
    return list[model] if endpoint_id in LIST_RESULTS else model  # type: ignore[valid-type]


def decode_result(endpoint_id: str, data: Any, *, tz: Any) -> Any:
    """Decode an ``action`` or ``upload`` answer as the SDK's methods do."""
    from simotel_async._convert import decode
    from simotel_async._errors import SimotelResponseError

    if endpoint_id in UNWRAP:
        name = data.get("filename") if isinstance(data, dict) else None
        if not isinstance(name, str) or not name:
            raise SimotelResponseError(
                f"expected data.filename in the answer, got {data!r:.80}", endpoint=endpoint_id
            )
        return name
    model = result_type(endpoint_id)
    if model is type(None):
        return None
    return decode(data, model, tz=tz, endpoint=endpoint_id)
