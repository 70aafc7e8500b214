"""AsyncSimotel: configuration, auth on the wire, routing v4/v3, lifecycle, logging."""

from __future__ import annotations

import base64
import gc
import logging
from typing import Any

import httpx
import pytest
import respx

from simotel_async import AsyncSimotel, SimotelError
from simotel_async._endpoints import ENDPOINTS
from tests.helpers import Recorder, envelope
from tests.reliability.conftest import BACKENDS

SECRET = "s3cr3t-P4ss"
KEY = "KEY-abcdef-123456"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def ok(_: httpx.Request) -> httpx.Response:
    return envelope({"_id": "abc"})


@pytest.fixture
async def make():
    made: list[AsyncSimotel] = []

    def factory(**kwargs: Any) -> AsyncSimotel:
        kwargs.setdefault("api_key", KEY)
        client = AsyncSimotel(kwargs.pop("base_url", "https://pbx.example.com"), **kwargs)
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


@respx.mock
async def test_v4_request_on_the_wire() -> None:
    route = respx.post("https://pbx.example.com/api/v4/pbx/users/add").mock(
        return_value=envelope({"_id": "60d1"})
    )
    async with AsyncSimotel(
        "https://pbx.example.com", username="api", password=SECRET, api_key=KEY
    ) as simotel:
        data = await simotel.request("pbx.users.add", {"name": "Ali", "number": "101"})
    assert data == {"_id": "60d1"}
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == basic("api", SECRET)
    assert sent.headers["X-APIKEY"] == KEY
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["User-Agent"].startswith("simotel-async/")
    assert sent.content == b'{"name":"Ali","number":"101"}'


@pytest.mark.parametrize(
    ("endpoint_id", "method", "path"),
    [
        ("pbx.users.add", "POST", "/api/v3/pbx/users"),
        ("pbx.users.update", "PUT", "/api/v3/pbx/users"),
        ("pbx.users.remove", "DELETE", "/api/v3/pbx/users"),
        ("pbx.users.search", "GET", "/api/v3/pbx/users"),
        ("reports.cdr.ordered", "GET", "/api/v3/reports/cdr/ordered/id"),
        ("call.originate", "PUT", "/api/v3/call/originate/act"),
    ],
)
async def test_v3_uses_rest_verbs_with_a_json_body(make, endpoint_id, method, path) -> None:
    rec = Recorder(ok)
    simotel = make(api_version="v3", transport=rec.transport)
    await simotel.request(endpoint_id, {"_id": "x1"})
    sent = rec.requests[0]
    assert (sent.method, sent.url.path) == (method, path)
    assert rec.json() == {"_id": "x1"}


async def test_every_v4_endpoint_routes_to_its_table_path(make) -> None:
    rec = Recorder(ok)
    simotel = make(transport=rec.transport)
    for endpoint in ENDPOINTS.values():
        if endpoint.kind != "download":
            await simotel.request(endpoint.id, {})
    sent = [(r.method, r.url.path) for r in rec.requests]
    expected = [
        ("POST", f"/api/v4/{e.v4.path}") for e in ENDPOINTS.values() if e.kind != "download"
    ]
    assert sent == expected


@pytest.mark.parametrize(
    ("methods", "expected"),
    [(None, "PUT"), ({"setting.ping": "POST"}, "POST"), ({"setting.ping": "GET"}, "GET")],
)
async def test_v3_ping_and_methods_override_any_version(make, methods, expected) -> None:
    rec = Recorder(ok)
    simotel = make(api_version="v3", transport=rec.transport, methods=methods)
    await simotel.ping()
    sent = rec.requests[0]
    assert (sent.method, sent.url.path) == (expected, "/api/v3/setting/ping/act")


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://pbx.example.com", "https://pbx.example.com/api/v4/setting/ping/act"),
        ("https://pbx.example.com/", "https://pbx.example.com/api/v4/setting/ping/act"),
        ("http://10.0.0.5:8080/simotel", "http://10.0.0.5:8080/simotel/api/v4/setting/ping/act"),
        ("http://10.0.0.5:8080/simotel/", "http://10.0.0.5:8080/simotel/api/v4/setting/ping/act"),
    ],
)
async def test_base_url_forms(make, base_url, expected) -> None:
    rec = Recorder(lambda _: envelope(None))
    simotel = make(base_url=base_url, transport=rec.transport)
    await simotel.ping()
    assert str(rec.requests[0].url) == expected
    assert rec.json() == {}


async def test_userinfo_in_url_becomes_basic_auth_and_is_stripped(make) -> None:
    rec = Recorder(lambda _: envelope(None))
    simotel = make(base_url=f"https://api:{SECRET}@pbx.example.com", transport=rec.transport)
    await simotel.ping()
    sent = rec.requests[0]
    assert sent.headers["Authorization"] == basic("api", SECRET)
    assert sent.url.userinfo == b""
    assert SECRET not in repr(simotel) and SECRET not in str(simotel.base_url)


async def test_url_encoded_userinfo_is_decoded(make) -> None:
    rec = Recorder(lambda _: envelope(None))
    simotel = make(base_url="https://api:p%40ss%3Aword@pbx.example.com", transport=rec.transport)
    await simotel.ping()
    assert rec.requests[0].headers["Authorization"] == basic("api", "p@ss:word")


async def test_api_key_only_sends_no_basic(make) -> None:
    rec = Recorder(lambda _: envelope(None))
    simotel = make(transport=rec.transport)
    await simotel.ping()
    assert "Authorization" not in rec.requests[0].headers
    assert rec.requests[0].headers["X-APIKEY"] == KEY
    assert simotel.auth.scheme == "apikey"


async def test_basic_only_sends_no_api_key(make) -> None:
    rec = Recorder(lambda _: envelope(None))
    simotel = make(api_key=None, username="api", password=SECRET, transport=rec.transport)
    await simotel.ping()
    assert "X-APIKEY" not in rec.requests[0].headers
    assert simotel.auth.scheme == "basic"


def test_no_credentials_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="no credentials: pass username= and password="):
        AsyncSimotel("https://pbx.example.com")


@pytest.mark.parametrize(
    ("kwargs", "missing"), [({"username": "api"}, "password"), ({"password": "x"}, "username")]
)
def test_half_of_basic_is_a_clear_value_error(kwargs, missing) -> None:
    with pytest.raises(ValueError, match=f"{missing} is missing"):
        AsyncSimotel("https://pbx.example.com", **kwargs)


@pytest.mark.parametrize("bad", ["pbx.example.com", "ftp://pbx", "https://"])
def test_bad_base_url(bad) -> None:
    with pytest.raises(ValueError, match="base_url must be an http"):
        AsyncSimotel(bad, api_key=KEY)


def test_bad_api_version() -> None:
    with pytest.raises(ValueError, match="api_version must be 'v4' or 'v3'"):
        AsyncSimotel("https://pbx", api_key=KEY, api_version="v5")  # type: ignore[arg-type]


async def test_unknown_endpoint_id_suggests_the_right_one(make) -> None:
    simotel = make(transport=Recorder(ok).transport)
    with pytest.raises(ValueError, match=r"did you mean pbx\.users\.search"):
        await simotel.request("pbx.user.search", {})


async def test_from_env(monkeypatch) -> None:
    monkeypatch.setenv("SIMOTEL_URL", "https://pbx.example.com")
    monkeypatch.setenv("SIMOTEL_USERNAME", "api")
    monkeypatch.setenv("SIMOTEL_PASSWORD", SECRET)
    monkeypatch.setenv("SIMOTEL_API_KEY", KEY)
    monkeypatch.setenv("SIMOTEL_API_VERSION", "v3")
    rec = Recorder(ok)
    async with AsyncSimotel.from_env(transport=rec.transport) as simotel:
        await simotel.request("pbx.users.add", {})
    sent = rec.requests[0]
    assert (sent.method, sent.url.path) == ("POST", "/api/v3/pbx/users")
    assert sent.headers["Authorization"] == basic("api", SECRET)
    assert sent.headers["X-APIKEY"] == KEY


def test_from_env_without_url(monkeypatch) -> None:
    monkeypatch.delenv("SIMOTEL_URL", raising=False)
    with pytest.raises(ValueError, match="SIMOTEL_URL is not set"):
        AsyncSimotel.from_env()


async def test_ping_method_override(make) -> None:
    rec = Recorder(lambda _: envelope(None))
    simotel = make(transport=rec.transport, methods={"setting.ping": "PUT"})
    await simotel.ping()
    assert (rec.requests[0].method, rec.requests[0].url.path) == ("PUT", "/api/v4/setting/ping/act")


def test_method_override_for_unknown_endpoint_fails_early() -> None:
    with pytest.raises(ValueError, match="unknown Simotel endpoint id"):
        AsyncSimotel("https://pbx", api_key=KEY, methods={"setting.pong": "PUT"})


async def test_closed_client_raises_and_closes_the_pool() -> None:
    closed: list[bool] = []

    class Transport(httpx.MockTransport):
        async def aclose(self) -> None:
            closed.append(True)

    simotel = AsyncSimotel(
        "https://pbx", api_key=KEY, transport=Transport(lambda _: envelope(None))
    )
    async with simotel:
        await simotel.ping()
    assert simotel.closed
    with pytest.raises(SimotelError, match="closed; create a new client"):
        await simotel.ping()
    assert closed == [], "a transport the user passed in is the user's to close"
    await simotel.aclose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_own_pool_is_closed_on_exit(backend) -> None:
    simotel = AsyncSimotel("https://pbx", api_key=KEY, backend=backend)
    assert simotel.pool.connections == 0
    async with simotel:
        pass
    assert simotel.closed
    assert simotel.pool.connections == 0


async def test_user_http_client_is_used_and_never_closed() -> None:
    rec = Recorder(lambda _: envelope(None))
    async with httpx.AsyncClient(transport=rec.transport) as mine:
        async with AsyncSimotel("https://pbx", api_key=KEY, http_client=mine) as simotel:
            await simotel.ping()
        assert not mine.is_closed
    assert rec.requests[0].headers["X-APIKEY"] == KEY


@pytest.mark.parametrize("backend", BACKENDS)
def test_garbage_collected_open_client_warns(backend) -> None:
    simotel = AsyncSimotel("https://pbx", api_key=KEY, backend=backend)
    with pytest.warns(ResourceWarning, match="never closed"):
        del simotel
        gc.collect()


async def test_repr_and_errors_never_show_secrets(make, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="simotel_async")
    rec = Recorder(lambda _: envelope(None, success=0, message="Requested operation failed"))
    simotel = make(
        base_url=f"https://api:{SECRET}@pbx.example.com", api_key=KEY, transport=rec.transport
    )
    with pytest.raises(SimotelError) as info:
        await simotel.request("pbx.users.add", {})
    texts = [repr(simotel), str(simotel), repr(simotel.auth), str(info.value), repr(info.value)]
    texts += [r.getMessage() for r in caplog.records]
    for text in texts:
        assert SECRET not in text
        assert KEY not in text
        assert "Authorization" not in text


async def test_one_debug_line_per_request(make, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="simotel_async")
    simotel = make(transport=Recorder(lambda _: envelope(None)).transport)
    await simotel.ping()
    lines = [r.getMessage() for r in caplog.records if r.name == "simotel_async"]
    assert len(lines) == 1
    assert lines[0].startswith("POST /api/v4/setting/ping/act -> 200 in ")
    assert lines[0].endswith("(attempt 1)")


@pytest.mark.parametrize("backend", BACKENDS)
async def test_defaults_are_finite(backend) -> None:
    async with AsyncSimotel("https://pbx", api_key=KEY, backend=backend) as simotel:
        timeout = simotel.timeout
        assert timeout.connect == 5.0 and timeout.read == 10.0 and timeout.pool == 10.0
        assert simotel.pool.permits == 20
        assert simotel.deadline == 120.0
        assert simotel.max_response_bytes == 64 * 2**20


def test_sniffio_is_a_declared_dependency() -> None:
    from importlib.metadata import requires

    assert any(req.startswith("sniffio") for req in requires("simotel-async") or [])


async def test_a_read_response_is_freed_without_the_cycle_collector(make) -> None:
    import weakref

    refs: list[weakref.ref[httpx.Response]] = []

    class Watching(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = httpx.Response(
                200, stream=httpx.ByteStream(b'{"success": 1, "message": "", "data": null}')
            )
            refs.append(weakref.ref(response))
            return response

    simotel = make(transport=Watching())
    gc.disable()
    try:
        assert await simotel.request("setting.ping", {}) is None
        assert [ref() for ref in refs] == [None]
    finally:
        gc.enable()


async def test_request_multipart_sends_the_parts_and_returns_data(make) -> None:
    rec = Recorder(lambda _: envelope({"filename": "hello_.wav"}))
    simotel = make(transport=rec.transport)
    data = await simotel.request_multipart(
        "pbx.announcements.upload", {"file": ("hello.wav", b"RIFF", "audio/wav")}
    )
    assert data == {"filename": "hello_.wav"}
    sent = rec.requests[0]
    assert sent.url.path == "/api/v4/pbx/announcements/upload"
    assert sent.headers["Content-Type"].startswith("multipart/form-data")
    assert b'filename="hello.wav"' in sent.content


async def test_stream_yields_the_file_unread_and_raises_on_an_envelope(make) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if b"missing" in request.content:
            return envelope(None, status=404, success=0, message="not found")
        return httpx.Response(200, content=b"RIFF0000", headers={"Content-Type": "audio/wav"})

    simotel = make(transport=Recorder(answer).transport)
    async with simotel.stream("reports.audio.download", {"file": "a.wav"}) as response:
        assert response.headers["Content-Type"] == "audio/wav"
        assert b"".join([chunk async for chunk in response.aiter_bytes()]) == b"RIFF0000"
    with pytest.raises(SimotelError) as info:
        async with simotel.stream("reports.audio.download", {"file": "missing.wav"}):
            pass
    assert info.value.status_code == 404  # type: ignore[attr-defined]


# --- issue 10/12: security warning, verify=, base URL suffix, time zone, help() -----------


@pytest.mark.parametrize("host", ["pbx.example.com", "10.0.0.5"])
async def test_credentials_over_plain_http_to_another_host_warn_once(host) -> None:
    from simotel_async import SimotelSecurityWarning

    with pytest.warns(SimotelSecurityWarning, match=f"go to {host} over plain http://") as caught:
        simotel = AsyncSimotel(f"http://{host}", api_key=KEY)
    assert len(caught) == 1
    await simotel.aclose()


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost", "http://[::1]"])
async def test_loopback_over_http_does_not_warn(url) -> None:
    await AsyncSimotel(url, api_key=KEY).aclose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_verify_false_warns_and_a_missing_bundle_is_named(tmp_path, backend) -> None:
    from simotel_async import SimotelSecurityWarning

    with pytest.warns(SimotelSecurityWarning, match="verify=False"):
        simotel = AsyncSimotel("https://pbx", api_key=KEY, verify=False, backend=backend)
    await simotel.aclose()
    with pytest.raises(ValueError, match="no such CA bundle"):
        AsyncSimotel("https://pbx", api_key=KEY, verify=str(tmp_path / "missing.pem"))
    with pytest.raises(ValueError, match="set it on your transport"):
        AsyncSimotel("https://pbx", api_key=KEY, verify=False, transport=Recorder(ok).transport)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_verify_accepts_an_ssl_context(backend) -> None:
    import ssl

    context = ssl.create_default_context()
    simotel = AsyncSimotel("https://pbx", api_key=KEY, verify=context, backend=backend)
    await simotel.aclose()


@pytest.mark.parametrize("suffix", ["/api/v4", "/api/v4/", "/api/v3"])
async def test_a_base_url_ending_in_the_api_path_is_stripped_with_one_warning(suffix) -> None:
    rec = Recorder(lambda _: envelope(None))
    with pytest.warns(UserWarning, match=f"base_url ends in {suffix.rstrip('/')}") as caught:
        simotel = AsyncSimotel(
            f"https://pbx.example.com/simotel{suffix}", api_key=KEY, transport=rec.transport
        )
    assert len(caught) == 1
    async with simotel:
        await simotel.ping()
    assert str(rec.requests[0].url) == "https://pbx.example.com/simotel/api/v4/setting/ping/act"


@pytest.mark.parametrize("zone", ["Asia/Tehrn", "", "../etc/passwd"])
def test_a_bad_server_timezone_is_a_value_error_naming_it(zone) -> None:
    with pytest.raises(ValueError, match=f"server_timezone {zone!r} is not a known time zone"):
        AsyncSimotel("https://pbx", api_key=KEY, server_timezone=zone)


def test_help_shows_the_constructor_docs() -> None:
    doc = AsyncSimotel.__init__.__doc__ or ""
    for option in ("base_url:", "deadline:", "max_response_bytes:", "verify:", "methods:"):
        assert option in doc


async def test_a_call_past_its_deadline_says_so(make) -> None:
    import asyncio

    class Hanging(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            await asyncio.Event().wait()
            raise AssertionError

    simotel = make(transport=Hanging(), deadline=0.05)
    with pytest.raises(SimotelError, match="within the deadline of 0.05 s") as info:
        await simotel.request("pbx.users.search", {})
    assert not info.value.outcome_unknown
    with pytest.raises(SimotelError, match="the server may have added the record") as info:
        await simotel.request("pbx.users.add", {})
    assert info.value.outcome_unknown
    assert simotel.pool.calls_in_flight == 0


def test_a_bad_deadline_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="deadline must be a positive number"):
        AsyncSimotel("https://pbx", api_key=KEY, deadline=0)
