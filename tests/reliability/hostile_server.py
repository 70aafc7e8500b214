"""A raw-socket HTTP server on 127.0.0.1 that answers the way an attacker or a broken proxy does.

Each behaviour is an ``async (reader, writer)`` function run for every connection after
the request head is read. ``HostileServer`` counts connections and requests so a test can
assert what reached the wire.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import zlib
from collections.abc import Awaitable, Callable
from types import TracebackType

Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

ENVELOPE = b'{"success": 1, "message": "", "data": {"ok": 1}}'
CHUNK = 64 * 1024


def head(status: str = "200 OK", *, length: int | None = None, extra: str = "") -> bytes:
    """A response head; ``length`` None means no Content-Length (read to close)."""
    lines = [f"HTTP/1.1 {status}", "Content-Type: application/json"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if extra:
        lines.append(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """The request head and its Content-Length body."""
    raw = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in raw.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return raw + (await reader.readexactly(length) if length else b"")


async def ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A valid envelope."""
    writer.write(head(length=len(ENVELOPE)) + ENVELOPE)


async def drip_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A status line, then one header byte every 0.2 s, forever."""
    writer.write(b"HTTP/1.1 200 OK\r\n")
    while True:
        writer.write(b"X")
        await writer.drain()
        await asyncio.sleep(0.2)


async def drip_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A head promising 1,000 bytes, then one byte every 0.2 s."""
    writer.write(head(length=1000) + b'{"success": 1, "data": "')
    while True:
        await writer.drain()
        await asyncio.sleep(0.2)
        writer.write(b"a")


async def drip_file(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A 1 MiB audio file, one byte every 0.2 s."""
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: 1048576\r\n\r\nRIFF"
    )
    while True:
        await writer.drain()
        await asyncio.sleep(0.2)
        writer.write(b"0")


async def flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """``Content-Length: 1 GiB`` and the bytes as fast as the client takes them."""
    writer.write(head(length=2**30) + b'{"success": 1, "data": "')
    block = b"a" * CHUNK
    for _ in range(2**30 // CHUNK):
        writer.write(block)
        await writer.drain()


async def flood_unannounced(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """No Content-Length: 1 GiB of JSON string read until close."""
    writer.write(head() + b'{"success": 1, "data": "')
    block = b"a" * CHUNK
    for _ in range(2**30 // CHUNK):
        writer.write(block)
        await writer.drain()


def _bomb_parts() -> tuple[bytes, bytes]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * 2**20
    first = compressor.compress(b'{"success": 1, "data": "' + zeros) + compressor.flush(
        zlib.Z_FULL_FLUSH
    )
    again = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first, again


BOMB_FIRST, BOMB_MIB = _bomb_parts()


async def gzip_bomb(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """About 1 MB on the wire that inflates to 1 GiB."""
    body = BOMB_FIRST + BOMB_MIB * 1023
    writer.write(head(length=len(body), extra="Content-Encoding: gzip"))
    for start in range(0, len(body), CHUNK):
        writer.write(body[start : start + CHUNK])
        await writer.drain()


async def error_page(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A 50 MiB HTML 502 page."""
    size = 50 * 2**20
    writer.write(
        f"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {size}\r\n\r\n".encode()
        + b"<html><body>Bad gateway "
    )
    block = b"x" * CHUNK
    for _ in range(size // CHUNK):
        writer.write(block)
        await writer.drain()


async def truncated(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Half of the promised body, then close."""
    writer.write(head(length=len(ENVELOPE)) + ENVELOPE[: len(ENVELOPE) // 2])


async def broken_json(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A complete body that is half an envelope."""
    body = ENVELOPE[: len(ENVELOPE) // 2]
    writer.write(head(length=len(body)) + body)


async def redirect_loop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A 302 to the very same path."""
    writer.write(
        b"HTTP/1.1 302 Found\r\nLocation: /api/v4/setting/ping/act\r\nContent-Length: 0\r\n\r\n"
    )


async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Bytes that are not HTTP at all."""
    writer.write(bytes(range(256)) * 64)


async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read the request and never answer."""
    await asyncio.Event().wait()


def json_reply(status: int, payload: object, *, extra: str = "") -> bytes:
    """A full response with a JSON body."""
    body = json.dumps(payload).encode()
    reason = {200: "OK", 429: "Too Many Requests", 503: "Service Unavailable"}.get(status, "X")
    return head(f"{status} {reason}", length=len(body), extra=extra) + body


class HostileServer:
    """``async with HostileServer(behaviour) as server``: ``server.url`` answers with it.

    With ``keep_alive`` a connection carries requests until the client closes it;
    otherwise it is closed after one answer.
    """

    def __init__(self, behaviour: Behaviour, *, keep_alive: bool = False) -> None:
        self.behaviour = behaviour
        self.keep_alive = keep_alive
        self.connections = 0
        self.requests = 0
        self.bodies: list[bytes] = []
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.connections += 1
        try:
            while True:
                self.bodies.append(await read_request(reader))
                self.requests += 1
                await self.behaviour(reader, writer)
                await writer.drain()
                if not self.keep_alive:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._handlers.discard(task)
            writer.close()

    async def __aenter__(self) -> HostileServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._handlers):
            task.cancel()
        for task in list(self._handlers):
            with contextlib.suppress(BaseException):
                await task
        await self._server.wait_closed()
        for _ in range(3):
            await asyncio.sleep(0)  # let the closed transports release their sockets
