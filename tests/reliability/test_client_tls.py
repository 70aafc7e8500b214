"""TLS failures are deterministic: one attempt, and a message that says what to do."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from simotel_async import AsyncSimotel, RetryPolicy, SimotelConnectionError
from tests.reliability import hostile_server as hostile


async def test_https_to_a_plain_http_server_is_not_retried_and_says_use_http(backend) -> None:
    connections = 0

    async def plain_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.read(1024)  # a TLS ClientHello, which is not HTTP
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(plain_http, "127.0.0.1", 0)
    url = f"https://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    async with (
        server,
        AsyncSimotel(url, api_key="KEY-tls", retry=RetryPolicy(), backend=backend) as simotel,
    ):
        with pytest.raises(SimotelConnectionError) as info:
            await simotel.ping()
    assert "the server speaks plain HTTP: use http://" in str(info.value)
    assert connections == 1
    assert simotel.retries == 0


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt"),
            *("ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


# Python 3.10's asyncio leaves the SSL transport of a failed handshake for the garbage
# collector to close (its SSL layer was rewritten in 3.11), which warns under aiohttp.
@pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning" if sys.version_info < (3, 11) else "default"
)
async def test_an_untrusted_certificate_says_pass_verify_and_verify_fixes_it(
    self_signed, backend
) -> None:
    cert, key = self_signed
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await hostile.read_request(reader)
            await hostile.ok(reader, writer)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    url = f"https://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    async with server:
        async with AsyncSimotel(url, api_key="KEY-tls", backend=backend) as simotel:
            with pytest.raises(SimotelConnectionError, match="certificate not trusted") as info:
                await simotel.ping()
            assert "pass verify=" in str(info.value)
            assert simotel.retries == 0
        async with AsyncSimotel(
            url, api_key="KEY-tls", verify=str(cert), backend=backend
        ) as simotel:
            await simotel.ping()
