"""Uploads stream a path, bytes or a binary file; downloads stream to a path or file,
never leave a truncated file under the destination's name, and keep memory flat."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import io
import json
import tracemalloc
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from simotel_async import (
    AsyncSimotel,
    NotFoundError,
    OperationFailedError,
    SimotelConnectionError,
    SimotelResponseError,
)
from tests.helpers import Recorder, envelope

MB = 1024 * 1024
CHUNK = 64 * 1024


class StreamingServer(httpx.AsyncBaseTransport):
    """A transport that reads request bodies chunk by chunk without keeping them.

    (``httpx.MockTransport`` reads the whole body first, which would hide whether the
    client streams.) Keeps the first bytes, the length and a digest of every body.
    """

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        digest = hashlib.sha256()
        head = b""
        size = 0
        assert isinstance(request.stream, httpx.AsyncByteStream)
        async for chunk in request.stream:
            assert len(chunk) <= CHUNK  # the body arrives in pieces, not as one buffer
            digest.update(chunk)
            size += len(chunk)
            if len(head) < 4096:
                head += chunk[: 4096 - len(head)]
        self.requests.append(
            {"request": request, "head": head, "size": size, "sha256": digest.hexdigest()}
        )
        return self.answer(request)


def stored(request: httpx.Request) -> httpx.Response:
    return envelope({"filename": "file-20230719143541-90036-announcemp3_.wav"})


def file_body(
    chunks: int, chunk: bytes = b"\x01" * CHUNK
) -> Callable[[httpx.Request], httpx.Response]:
    """A 200 binary answer streamed as ``chunks`` pieces of ``chunk``."""

    def answer(request: httpx.Request) -> httpx.Response:
        async def body() -> AsyncIterator[bytes]:
            for _ in range(chunks):
                yield chunk

        return httpx.Response(
            200,
            content=body(),
            headers={"content-type": "audio/mpeg", "content-length": str(chunks * len(chunk))},
        )

    return answer


def names(directory: Path) -> list[str]:
    """The file names in ``directory``, sorted."""
    return sorted(path.name for path in directory.iterdir())


def method_at(client: Any, path: str) -> Any:
    """The client's method at a dotted path, e.g. ``"pbx.queues.add_agent"``."""
    for part in path.split("."):
        client = getattr(client, part)
    return client


@pytest.fixture
async def client_for():
    made: list[AsyncSimotel] = []

    def make(transport: httpx.AsyncBaseTransport, **options: Any) -> AsyncSimotel:
        client = AsyncSimotel(
            "https://pbx.example.com", api_key="KEY", transport=transport, retry=None, **options
        )
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


# --- uploads --------------------------------------------------------------------------


async def test_upload_from_a_path_streams_the_file_and_returns_the_stored_name(
    client_for, tmp_path: Path
) -> None:
    path = tmp_path / "hello.mp3"
    with path.open("wb") as out:
        for index in range(16 * MB // CHUNK):
            out.write(bytes([index % 251]) * CHUNK)
    server = StreamingServer(stored)
    simotel = client_for(server)

    gc.collect()
    tracemalloc.start()
    try:
        name = await simotel.pbx.announcements.upload(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert name == "file-20230719143541-90036-announcemp3_.wav"
    assert peak < 4 * MB, f"peak traced memory {peak / MB:.1f} MB for a 16 MB upload"
    sent = server.requests[0]
    request: httpx.Request = sent["request"]
    assert (request.method, request.url.path) == ("POST", "/api/v4/pbx/announcements/upload")
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert int(request.headers["content-length"]) == sent["size"] > 16 * MB
    assert b'Content-Disposition: form-data; name="file"; filename="hello.mp3"' in sent["head"]
    assert b"Content-Type: audio/mpeg" in sent["head"]


@pytest.mark.parametrize(
    ("endpoint", "method"),
    [
        ("pbx/faxes/upload", "pbx.faxes.upload"),
        ("autodialer/groups/upload", "autodialer.groups.upload"),
        ("autodialer/announcements/upload", "autodialer.announcements.upload"),
    ],
)
async def test_upload_of_bytes(client_for, endpoint, method) -> None:
    recorder = Recorder(lambda request: envelope({"filename": "stored.csv"}))
    simotel = client_for(recorder.transport)
    upload = method_at(simotel, method)

    assert await upload(b"09121234567\n09127654321\n", filename="numbers.csv") == "stored.csv"

    request = recorder.requests[0]
    assert request.url.path == f"/api/v4/{endpoint}"
    assert b'name="file"; filename="numbers.csv"' in request.content
    assert b"Content-Type: text/csv" in request.content
    assert b"09121234567\n09127654321\n" in request.content


async def test_upload_of_bytes_without_a_name(client_for) -> None:
    recorder = Recorder(stored)
    simotel = client_for(recorder.transport)
    await simotel.pbx.faxes.upload(b"%PDF-1.4", content_type="application/pdf")
    assert b'name="file"; filename="upload"' in recorder.requests[0].content
    assert b"Content-Type: application/pdf" in recorder.requests[0].content


async def test_upload_from_a_binary_file_object_leaves_it_open(client_for, tmp_path) -> None:
    path = tmp_path / "greeting.wav"
    path.write_bytes(b"RIFF....WAVE")
    recorder = Recorder(stored)
    simotel = client_for(recorder.transport)
    with path.open("rb") as handle:
        await simotel.autodialer.announcements.upload(handle)
        assert not handle.closed  # the caller opened it, the caller closes it
    assert b'filename="greeting.wav"' in recorder.requests[0].content
    assert b"RIFF....WAVE" in recorder.requests[0].content


@pytest.mark.parametrize(
    ("file", "error", "match"),
    [
        (io.StringIO("text"), TypeError, "text mode"),
        (12345, TypeError, "file must be a path, bytes or a binary file object, not int"),
        ("/no/such/dir/file.wav", FileNotFoundError, "file.wav"),
    ],
)
async def test_upload_refuses_bad_files_before_any_request(client_for, file, error, match) -> None:
    recorder = Recorder(stored)
    simotel = client_for(recorder.transport)
    with pytest.raises(error, match=match):
        await simotel.pbx.announcements.upload(file)
    assert recorder.requests == []


async def test_upload_answer_without_a_filename(client_for) -> None:
    simotel = client_for(Recorder(lambda request: envelope("")).transport)
    with pytest.raises(SimotelResponseError, match="no 'filename'"):
        await simotel.pbx.faxes.upload(b"x")


async def test_upload_refused_by_the_server(client_for) -> None:
    answer = Recorder(lambda request: envelope(None, success=0, message="Invalid file type"))
    simotel = client_for(answer.transport)
    with pytest.raises(OperationFailedError, match="Invalid file type"):
        await simotel.pbx.announcements.upload(b"x", filename="x.exe")


# --- downloads ------------------------------------------------------------------------


async def test_download_of_50_mb_keeps_memory_flat(client_for, tmp_path: Path) -> None:
    chunks = 50 * MB // CHUNK
    simotel = client_for(httpx.MockTransport(file_body(chunks)))
    dest = tmp_path / "x.mp3"

    gc.collect()
    tracemalloc.start()
    try:
        written = await simotel.reports.audio.download(file="x.mp3", dest=dest)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert written == 50 * MB == dest.stat().st_size
    assert peak < 5 * MB, f"peak traced memory {peak / MB:.1f} MB for a 50 MB download"
    assert names(tmp_path) == ["x.mp3"]


async def test_download_sends_the_file_name_and_writes_the_bytes(client_for, tmp_path) -> None:
    recorder = Recorder(lambda request: httpx.Response(200, content=b"ID3-audio"))
    simotel = client_for(recorder.transport)
    dest = tmp_path / "call.mp3"

    assert await simotel.reports.audio.download(file="20200921_1.mp3", dest=str(dest)) == 9

    assert dest.read_bytes() == b"ID3-audio"
    request = recorder.requests[0]
    assert (request.method, request.url.path) == ("POST", "/api/v4/reports/audio/download")
    assert json.loads(request.content) == {"file": "20200921_1.mp3"}


async def test_download_into_a_binary_file_object(client_for) -> None:
    simotel = client_for(httpx.MockTransport(file_body(3, b"abc")))
    sink = io.BytesIO()
    assert await simotel.pbx.faxes.download(id="5fe7b083b6e91a5ef2bbf7bb", dest=sink) == 9
    assert sink.getvalue() == b"abcabcabc"


def _interrupted(request: httpx.Request) -> httpx.Response:
    async def body() -> AsyncIterator[bytes]:
        yield b"partial " * 1000
        raise httpx.ReadError("connection reset by peer")

    return httpx.Response(200, content=body(), headers={"content-type": "audio/mpeg"})


async def test_an_interrupted_download_leaves_no_file(client_for, tmp_path: Path) -> None:
    simotel = client_for(httpx.MockTransport(_interrupted))
    dest = tmp_path / "x.mp3"
    with pytest.raises(
        SimotelConnectionError,
        match="download of 'x.mp3': the connection failed before a complete answer",
    ):
        await simotel.reports.audio.download(file="x.mp3", dest=dest)
    assert names(tmp_path) == []


async def test_an_interrupted_download_keeps_the_old_file(client_for, tmp_path: Path) -> None:
    simotel = client_for(httpx.MockTransport(_interrupted))
    dest = tmp_path / "x.mp3"
    dest.write_bytes(b"the complete old copy")
    with pytest.raises(SimotelConnectionError):
        await simotel.reports.audio.download(file="x.mp3", dest=dest)
    assert dest.read_bytes() == b"the complete old copy"
    assert names(tmp_path) == ["x.mp3"]


async def test_a_cancelled_download_removes_its_part_file(client_for, tmp_path: Path) -> None:
    started = asyncio.Event()

    def stalled(request: httpx.Request) -> httpx.Response:
        async def body() -> AsyncIterator[bytes]:
            yield b"first chunk"
            started.set()
            await asyncio.Event().wait()  # the server stalls forever
            yield b"never"

        return httpx.Response(200, content=body(), headers={"content-type": "audio/wav"})

    simotel = client_for(httpx.MockTransport(stalled))
    task = asyncio.create_task(
        simotel.voicemails.inbox.download(file="400_vm.wav", dest=tmp_path / "vm.wav")
    )
    await started.wait()
    assert len(names(tmp_path)) == 1  # the .part file, under another name
    assert not (tmp_path / "vm.wav").exists()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert names(tmp_path) == []


async def test_download_of_a_missing_file_names_it(client_for, tmp_path: Path) -> None:
    html = "<html><body><h1>Not Found</h1></body></html>"
    recorder = Recorder(lambda request: httpx.Response(404, text=html))
    simotel = client_for(recorder.transport)
    dest = tmp_path / "x.mp3"
    with pytest.raises(NotFoundError, match="no such file on the server: 'x.mp3'") as caught:
        await simotel.reports.audio.download(file="x.mp3", dest=dest)
    assert caught.value.status_code == 404
    assert caught.value.endpoint == "reports.audio.download"
    assert names(tmp_path) == []


async def test_fax_download_of_a_missing_fax_names_it(client_for) -> None:
    simotel = client_for(Recorder(lambda request: httpx.Response(404)).transport)
    with pytest.raises(NotFoundError, match="fax '5fe7'"):
        await simotel.pbx.faxes.download(id="5fe7", dest=io.BytesIO())


async def test_download_answered_by_an_envelope_raises_its_error(client_for) -> None:
    answer = Recorder(lambda request: envelope(None, success=0, message="Access denied"))
    simotel = client_for(answer.transport)
    with pytest.raises(OperationFailedError, match="Access denied"):
        await simotel.reports.audio.download(file="x.mp3", dest=io.BytesIO())


@pytest.mark.parametrize(
    ("dest", "error"),
    [
        (io.StringIO(), TypeError),
        (3.5, TypeError),
        ("{tmp}", IsADirectoryError),
        ("{tmp}/missing/x.mp3", FileNotFoundError),
    ],
)
async def test_bad_destinations_fail_before_any_request(client_for, tmp_path, dest, error) -> None:
    recorder = Recorder(lambda request: httpx.Response(200, content=b"x"))
    simotel = client_for(recorder.transport)
    if isinstance(dest, str):
        dest = dest.format(tmp=tmp_path)
    with pytest.raises(error):
        await simotel.reports.audio.download(file="x.mp3", dest=dest)
    assert recorder.requests == []


async def test_stream_yields_the_unread_response(client_for) -> None:
    simotel = client_for(httpx.MockTransport(file_body(4, b"0123")))
    received = b""
    async with simotel.reports.audio.stream(file="x.mp3") as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "audio/mpeg"
        async for chunk in response.aiter_bytes():
            received += chunk
    assert received == b"0123" * 4
    assert response.is_closed


async def test_stream_of_a_missing_file_raises_on_enter(client_for) -> None:
    simotel = client_for(Recorder(lambda request: httpx.Response(404)).transport)
    with pytest.raises(NotFoundError, match="'gone.wav'"):
        async with simotel.voicemails.inbox.stream(file="gone.wav"):
            pytest.fail("the block must not run")


async def test_errors_inside_a_stream_block_are_not_rewritten(client_for) -> None:
    simotel = client_for(httpx.MockTransport(file_body(1, b"x")))
    with pytest.raises(NotFoundError, match="the caller's own"):
        async with simotel.pbx.faxes.stream(id="5fe7"):
            raise NotFoundError("the caller's own", status_code=404)
