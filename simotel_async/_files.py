"""Files in and out: multipart upload parts and streamed downloads.

Uploads hand httpx an open binary file, which it reads in 64 KiB chunks while sending;
a path is opened here and closed after the request. Downloads go chunk by chunk to a
temporary file beside the destination, which replaces the destination only once every
byte is on disk: an interrupted download never leaves a truncated file under the final
name. Memory stays flat for any file size.
"""

from __future__ import annotations

import io
import mimetypes
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

__all__ = ["Destination", "Upload", "UploadPart", "check_destination", "open_upload", "save_stream"]

Upload = str | os.PathLike[str] | bytes | IO[bytes]
"""What an upload accepts: a path, the bytes themselves, or a binary file object."""

Destination = str | os.PathLike[str] | IO[bytes]
"""Where a download goes: a path, or a binary file object opened for writing."""

UploadPart = tuple[str, IO[bytes] | bytes, str]
"""An httpx multipart file part: (file name, content, content type)."""

_DEFAULT_NAME = "upload"


def _content_type(name: str, given: str | None) -> str:
    if given is not None:
        return given
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


@contextmanager
def open_upload(
    file: Upload, *, filename: str | None = None, content_type: str | None = None
) -> Iterator[UploadPart]:
    """The multipart part for ``file``; a path is opened (and closed on exit), never read whole.

    Raises:
        TypeError: ``file`` is not a path, bytes or a binary file object (a text-mode
            file included).
        FileNotFoundError: the path does not exist.
    """
    if isinstance(file, (str, os.PathLike)):
        path = Path(file)
        name = filename or path.name
        with path.open("rb") as handle:
            yield (name, handle, _content_type(name, content_type))
        return
    if isinstance(file, (bytes, bytearray, memoryview)):
        name = filename or _DEFAULT_NAME
        yield (name, bytes(file), _content_type(name, content_type))
        return
    given: object = file  # checked at run time whatever its static type
    if isinstance(given, io.TextIOBase):
        raise TypeError("file is open in text mode; open it with 'rb' to upload it")
    if not callable(getattr(given, "read", None)):
        raise TypeError(
            f"file must be a path, bytes or a binary file object, not {type(given).__name__}"
        )
    own_name = getattr(file, "name", None)
    name = filename or (Path(own_name).name if isinstance(own_name, str) else _DEFAULT_NAME)
    yield (name, file, _content_type(name, content_type))


def check_destination(dest: Destination) -> Path | IO[bytes]:
    """``dest`` as a ``Path`` or a writable binary file, checked before any request.

    Raises:
        TypeError: not a path or a binary file object.
        IsADirectoryError: the path is a directory.
        FileNotFoundError: the path's directory does not exist.
    """
    if isinstance(dest, (str, os.PathLike)):
        path = Path(dest)
        if path.is_dir():
            raise IsADirectoryError(f"dest is a directory, not a file path: {str(path)!r}")
        if not path.parent.is_dir():
            raise FileNotFoundError(f"dest's directory does not exist: {str(path.parent)!r}")
        return path
    given: object = dest  # checked at run time whatever its static type
    if isinstance(given, io.TextIOBase):
        raise TypeError("dest is open in text mode; open it with 'wb'")
    if not callable(getattr(given, "write", None)):
        raise TypeError(f"dest must be a path or a binary file object, not {type(given).__name__}")
    return dest


async def _copy(response: httpx.Response, out: IO[bytes]) -> int:
    written = 0
    async for chunk in response.aiter_bytes():
        # Chunks are at most a network read; writing them inline keeps at most one in
        # memory, and is cheaper than a thread hop per chunk.
        out.write(chunk)
        written += len(chunk)
    return written


async def save_stream(response: httpx.Response, dest: Path | IO[bytes]) -> int:
    """Write the response body to ``dest`` chunk by chunk; the number of bytes written.

    A path is written through ``<dir>/.<name>.<random>.part``: flushed, fsynced, then
    renamed over ``dest`` with ``os.replace``; on any error (or cancellation) the part
    file is removed and ``dest`` is left as it was.
    """
    if not isinstance(dest, Path):
        return await _copy(response, dest)
    part = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.part")
    try:
        # "xb": a fresh file with the umask's permissions, never someone else's file.
        with part.open("xb") as out:
            written = await _copy(response, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, dest)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return written
