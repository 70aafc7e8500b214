"""Secrets never leak: DEBUG logs, exception text, args, causes, tracebacks, request headers."""

from __future__ import annotations

import base64
import logging
import traceback

import httpx
import pytest

from simotel_async import AsyncSimotel, RetryPolicy, SimotelError
from tests.reliability import hostile_server as hostile
from tests.reliability.hostile_server import HostileServer, json_reply

PASSWORD = "pw-Zq8!secret"
API_KEY = "KEY-9f8e7d6c5b4a-secret"
BASIC = base64.b64encode(f"api:{PASSWORD}".encode()).decode()
SECRETS = (PASSWORD, API_KEY, BASIC)


async def unauthorized(reader, writer) -> None:
    writer.write(json_reply(401, {"success": 0, "message": "BasicAuth or ApiKey is invalid"}))


async def server_error(reader, writer) -> None:
    writer.write(json_reply(500, {"success": 0, "message": "boom"}))


def texts_of(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), repr(error.args)]
    texts.append("".join(traceback.format_exception(error)))
    cause = error.__cause__
    while cause is not None:
        texts += [str(cause), repr(cause), repr(cause.args)]
        request = getattr(cause, "_request", None)
        if isinstance(request, httpx.Request):
            texts += [repr(request.headers), str(dict(request.headers))]
        cause = cause.__cause__
    if isinstance(error, SimotelError):
        for request in (error.request, error.response.request if error.response else None):
            if request is not None:
                texts += [repr(request.headers), str(dict(request.headers)), repr(request)]
    return texts


BEHAVIOURS = [
    unauthorized,
    server_error,
    hostile.truncated,
    hostile.broken_json,
    hostile.garbage,
    hostile.hang,
    hostile.redirect_loop,
]


@pytest.mark.parametrize("behaviour", BEHAVIOURS, ids=[b.__name__ for b in BEHAVIOURS])
@pytest.mark.parametrize("endpoint", ["reports.cdr.search", "call.originate"])
async def test_no_secret_in_logs_or_errors(behaviour, endpoint, caplog, backend) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "simotel_async"):
        caplog.set_level(logging.DEBUG, logger=name)
    async with HostileServer(behaviour) as server:
        url = server.url.replace("http://", f"http://api:{PASSWORD}@")
        async with AsyncSimotel(
            url,
            api_key=API_KEY,
            deadline=0.5,
            retry=RetryPolicy(attempts=2, backoff_initial=0),
            backend=backend,
        ) as simotel:
            with pytest.raises(SimotelError) as info:
                await simotel.request(endpoint, {"x": 1})
            texts = [*texts_of(info.value), repr(simotel), repr(simotel.auth)]
    assert any(API_KEY.encode() in body for body in server.bodies), "the key was really sent"
    texts += [record.getMessage() for record in caplog.records]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text
    request = info.value.request
    assert request is not None
    assert request.headers["X-APIKEY"] == "[secure]"
    assert request.headers["Authorization"] == "[secure]"


async def test_connect_errors_hide_secrets_too(caplog, backend) -> None:
    caplog.set_level(logging.DEBUG)
    async with AsyncSimotel(
        f"http://api:{PASSWORD}@127.0.0.1:9", api_key=API_KEY, retry=None, backend=backend
    ) as simotel:
        with pytest.raises(SimotelError) as info:
            await simotel.ping()
    for text in texts_of(info.value) + [r.getMessage() for r in caplog.records]:
        for secret in SECRETS:
            assert secret not in text
