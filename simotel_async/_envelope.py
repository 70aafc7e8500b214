"""Reading Simotel's ``{success, message, data}`` envelope, and every way it goes wrong."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx

from ._errors import NotFoundError, SimotelResponseError, api_error

__all__ = ["parse_envelope"]

_loads: Callable[[bytes], Any]
try:
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - the [speed] extra is optional
    _loads = json.loads

_TAGS = re.compile(r"<[^>]+>|\s+")


def _excerpt(response: httpx.Response, limit: int = 120) -> str:
    text = _TAGS.sub(" ", response.text).strip()
    return text[:limit] + ("..." if len(text) > limit else "")


def parse_envelope(response: httpx.Response, endpoint: str | None) -> Any:
    """The envelope's ``data``, or the exception its status and ``success`` mean.

    Also accepts the legacy ``{"status": "success", "message", ...}`` shape that
    ``pbx.users.add`` is documented to answer; its other keys become ``data``.
    """
    status = response.status_code
    try:
        payload = _loads(response.content)
    except ValueError:
        payload = None
    if isinstance(payload, dict) and "success" not in payload and "status" in payload:
        ok = str(payload["status"]).lower() in {"success", "ok", "1", "true"}
        rest = {k: v for k, v in payload.items() if k not in {"status", "message"}}
        payload = {"success": int(ok), "message": payload.get("message"), "data": rest}
    if not isinstance(payload, dict) or "success" not in payload:
        if status == 404:
            raise NotFoundError(
                "not found: no Simotel service at this URL, or no such file",
                status_code=404,
                endpoint=endpoint,
                response=response,
            )
        if status >= 400:
            raise api_error(status, _excerpt(response), endpoint=endpoint, response=response)
        what = (
            "a JSON object without 'success'"
            if isinstance(payload, dict)
            else (
                f"a non-envelope body ({_excerpt(response, 60)!r})"
                if payload is None
                else f"JSON {type(payload).__name__} instead of an envelope"
            )
        )
        raise SimotelResponseError(
            f"expected a Simotel envelope, got {what}", endpoint=endpoint, response=response
        )
    message = payload.get("message") or ""
    if not isinstance(message, str):
        message = str(message)
    if status >= 400 or str(payload["success"]) in {"0", "False", "false"}:
        raise api_error(status, message, endpoint=endpoint, response=response)
    return payload.get("data")
