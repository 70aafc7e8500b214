"""Hypothesis-generated answers: whatever the server sends, only SimotelError subclasses
escape (or the call returns data)."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simotel_async import AsyncSimotel, RetryPolicy, SimotelError

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
envelopes = st.fixed_dictionaries(
    {"success": values, "message": values, "data": values},
    optional={"status": values, "total": values, "next_start": values},
)


Answer = tuple[int, dict[str, str], bytes]


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    status = draw(st.sampled_from([200, 200, 200, 204, 302, 400, 401, 403, 404, 429, 500, 502]))
    kind = draw(st.sampled_from(["envelope", "json", "bytes", "gzip", "bad-gzip"]))
    headers: dict[str, str] = {}
    if draw(st.booleans()):
        headers["Retry-After"] = draw(st.sampled_from(["0", "-1", "soon", "1e9", ""]))
    if draw(st.booleans()):
        headers["Content-Type"] = draw(st.sampled_from(["application/json", "text/html", "x/y"]))
    if kind in ("envelope", "json", "gzip"):
        payload = draw(envelopes if kind != "json" else values)
        body = json.dumps(payload).encode()
        if kind == "gzip":
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
    elif kind == "bad-gzip":
        body = draw(st.binary(max_size=64))
        headers["Content-Encoding"] = draw(st.sampled_from(["gzip", "deflate", "br"]))
    else:
        body = draw(st.binary(max_size=256))
    return status, headers, body


class Answering:
    """A transport answering each request with the current example, as an unread stream."""

    answer: Answer

    def handle(self, request: httpx.Request) -> httpx.Response:
        status, headers, body = self.answer
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))


async def outcome(call: Any) -> Any:
    try:
        return await call
    except SimotelError as exc:
        return exc


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def rig(loop: asyncio.AbstractEventLoop) -> Iterator[tuple[AsyncSimotel, Answering]]:
    answering = Answering()
    simotel = AsyncSimotel(
        "https://pbx.example.com",
        api_key="KEY-hypothesis",
        transport=httpx.MockTransport(answering.handle),
        retry=RetryPolicy(attempts=2, backoff_initial=0, retry_after_max=0),
        deadline=5,
    )
    yield simotel, answering
    loop.run_until_complete(simotel.aclose())


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=answers(), endpoint=st.sampled_from(["pbx.users.search", "call.originate"]))
def test_only_sdk_errors_escape(
    rig: tuple[AsyncSimotel, Answering], loop: asyncio.AbstractEventLoop, answer, endpoint
) -> None:
    simotel, answering = rig
    answering.answer = answer
    result = loop.run_until_complete(outcome(simotel.request(endpoint, {})))
    if isinstance(result, SimotelError):
        assert str(result).strip()
        assert result.endpoint == endpoint
    assert simotel.pool.calls_in_flight == 0
