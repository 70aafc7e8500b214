"""What an endpoint handler receives and answers, independent of HTTP."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from ._files import StoredFile, Upload

__all__ = [
    "DONE",
    "Call",
    "FileReply",
    "Fragment",
    "Missing",
    "Ok",
    "OperationFailed",
    "Raw",
    "Reply",
    "dumps",
    "missing_field",
]

DONE = "Requested operation is done successfully"
FAILED = "Requested operation failed"


def dumps(value: Any) -> bytes:
    """JSON the way the fake writes it: compact UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


@attrs.frozen
class Fragment:
    """Already-encoded JSON, spliced into an answer as is (records encode once, not per page)."""

    raw: bytes = attrs.field(repr=False)


@attrs.frozen
class Call:
    """One routed API call: the endpoint id, the API version and the decoded body."""

    endpoint_id: str
    api_version: str
    body: Mapping[str, Any]
    uploads: tuple[Upload, ...] = ()

    def record_id(self) -> str:
        """The ``_id`` of the body (v3 Postman bodies sometimes say ``id``)."""
        value = self.body.get("_id")
        if value is None and self.api_version == "v3":
            value = self.body.get("id")
        if value is None or value == "":
            raise missing_field("_id")
        return str(value)


@attrs.frozen
class Ok:
    """A success envelope: ``{"success": 1, "message": message, "data": data}``."""

    data: Any
    message: str | None = DONE


@attrs.frozen
class Raw:
    """A 200 answer that is not an envelope (``pbx.users.add`` answers like this)."""

    payload: Any


@attrs.frozen
class FileReply:
    """A download: the raw file, streamed."""

    file: StoredFile


@attrs.frozen
class Missing:
    """A bare 404: no such file."""


Reply = Ok | Raw | FileReply | Missing


class OperationFailed(Exception):
    """The call was accepted but failed: HTTP 200 with ``success`` 0."""

    def __init__(self, message: str = FAILED, data: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data


def missing_field(name: str) -> OperationFailed:
    """The server's complaint about a required field, in its own words."""
    return OperationFailed(f"Field '{name}':value is missing")
