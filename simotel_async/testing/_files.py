"""Files the fake serves (recordings, voicemails, faxes) and multipart upload parsing.

A file is either real bytes or just a size: a size-only file streams deterministic
filler, so a test can download 50 MB without the fake ever holding 50 MB.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import AsyncGenerator, Iterator
from email.message import Message
from email.parser import BytesHeaderParser

import attrs

__all__ = ["CHUNK_SIZE", "StoredFile", "Upload", "media_type", "parse_multipart"]

CHUNK_SIZE = 64 * 1024

_MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".gsm": "audio/gsm",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
    ".csv": "text/csv",
}


def media_type(name: str) -> str:
    """The Content-Type a download of ``name`` is served with."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return _MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


@attrs.frozen
class StoredFile:
    """A file on the fake server: ``data``, or ``size`` bytes of generated filler."""

    name: str
    size: int
    data: bytes | None = attrs.field(default=None, repr=False)

    @classmethod
    def of(cls, name: str, data_or_size: bytes | int) -> StoredFile:
        """A file holding these bytes, or a filler file of this many bytes."""
        if isinstance(data_or_size, int):
            if data_or_size < 0:
                raise ValueError("a file size cannot be negative")
            return cls(name, data_or_size)
        return cls(name, len(data_or_size), bytes(data_or_size))

    def content(self) -> bytes:
        """The whole content at once (filler included)."""
        if self.data is not None:
            return self.data
        return b"".join(_filler(self.name, self.size))

    async def chunks(self) -> AsyncGenerator[bytes, None]:
        """The content in chunks of at most ``CHUNK_SIZE`` bytes."""
        if self.data is not None:
            for offset in range(0, len(self.data), CHUNK_SIZE):
                yield self.data[offset : offset + CHUNK_SIZE]
            return
        for chunk in _filler(self.name, self.size):
            yield chunk


def _filler(name: str, size: int) -> Iterator[bytes]:
    """Deterministic bytes derived from the file name, one chunk at a time."""
    seed = hashlib.sha256(name.encode()).digest()
    block = (seed * (CHUNK_SIZE // len(seed) + 1))[:CHUNK_SIZE]
    left = size
    while left > 0:
        chunk = block if left >= CHUNK_SIZE else block[:left]
        left -= len(chunk)
        yield chunk


@attrs.frozen
class Upload:
    """One part of a multipart form: its field name, client file name and bytes."""

    field: str
    filename: str | None
    data: bytes = attrs.field(repr=False)


def parse_multipart(content_type: str, body: bytes) -> list[Upload] | None:
    """The parts of a ``multipart/form-data`` body; ``None`` when it cannot be parsed."""
    header = Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        return None
    delimiter = b"--" + boundary.encode("latin-1")
    sections = body.split(delimiter)
    if len(sections) < 3:
        return None
    parts = []
    for section in sections[1:-1]:
        raw_headers, separator, data = section.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            return None
        headers = BytesHeaderParser().parsebytes(raw_headers + b"\r\n\r\n")
        field = headers.get_param("name", header="content-disposition")
        filename = headers.get_param("filename", header="content-disposition")
        if not isinstance(field, str):
            return None
        parts.append(
            Upload(
                field,
                filename if isinstance(filename, str) else None,
                data.removesuffix(b"\r\n"),
            )
        )
    return parts
