"""Every row of the protocol's error table, and non-protocol answers, raise their class."""

from __future__ import annotations

import ssl

import httpx
import pytest

from simotel_async import (
    AsyncSimotel,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    IPNotPermittedError,
    MethodNotAllowedError,
    NotFoundError,
    OperationFailedError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ServiceNotFoundError,
    SimotelAPIError,
    SimotelConnectionError,
    SimotelError,
    SimotelResponseError,
    SimotelTimeoutError,
    UnsupportedMediaTypeError,
)
from simotel_async._errors import from_httpx, redact_request
from tests.helpers import Recorder, load_fixture

KEY = "KEY-abcdef-123456"

PROTOCOL_ROWS = [
    (200, "This number already exists", OperationFailedError),
    (200, "Field 'name':value is missing", OperationFailedError),
    (400, "Unable to parse content", BadRequestError),
    (401, "BasicAuth or ApiKey is missing", AuthenticationError),
    (401, "BasicAuth or ApiKey is invalid", AuthenticationError),
    (403, '"/pbx/users/add";Access denied', PermissionDeniedError),
    (403, "IP is not permitted", IPNotPermittedError),
    (405, "Method not allowed", MethodNotAllowedError),
    (415, "Unsupported Media Type", UnsupportedMediaTypeError),
    (429, "Too many requests", RateLimitedError),
    (501, "Requested service dose not exist", ServiceNotFoundError),
    (500, "Internal error", ServerError),
    (503, "Service unavailable", ServerError),
]


async def call(response: httpx.Response, endpoint: str = "pbx.users.add") -> SimotelAPIError:
    rec = Recorder(lambda _: response)
    async with AsyncSimotel(
        "https://pbx.example.com", api_key=KEY, transport=rec.transport, retry=None
    ) as simotel:
        with pytest.raises(SimotelAPIError) as info:
            await simotel.request(endpoint, {"name": "x"})
    return info.value


def test_the_catalog_error_table_is_covered() -> None:
    documented = {
        (row["status"], row["message"]) for row in load_fixture("protocol.json")["errors"]
    }
    tested = {(status, message) for status, message, _ in PROTOCOL_ROWS}
    for status, message in documented:
        if status == 200 and message == "-":
            continue
        if status == 200:
            assert any(s == 200 for s, _ in tested)
        elif status == 403 and "Access denied" in str(message):
            assert any(s == 403 and "Access denied" in m for s, m in tested)
        elif status == 404:
            continue  # no JSON body; see test_404_plain_page
        else:
            assert (status, message) in tested, (status, message)


@pytest.mark.parametrize(("status", "message", "cls"), PROTOCOL_ROWS)
async def test_error_rows(status: int, message: str, cls: type[SimotelAPIError]) -> None:
    error = await call(
        httpx.Response(status, json={"success": 0, "message": message, "data": None})
    )
    assert type(error) is cls
    assert error.status_code == status
    assert error.message == message
    assert error.endpoint == "pbx.users.add"
    assert error.request is not None and error.request.method == "POST"
    text = str(error)
    assert text.startswith(
        f"pbx.users.add (POST https://pbx.example.com/api/v4/pbx/users/add) failed with HTTP {status}"
    )
    assert message in text


async def test_ip_not_permitted_is_a_permission_error_with_a_fix() -> None:
    error = await call(httpx.Response(403, json={"success": 0, "message": "IP is not permitted"}))
    assert isinstance(error, PermissionDeniedError)
    assert "add this client's IP to Simotel's Allowed IPs" in str(error)


async def test_401_says_what_to_fix() -> None:
    error = await call(
        httpx.Response(401, json={"success": 0, "message": "BasicAuth or ApiKey is invalid"})
    )
    assert "check username/password and api_key" in str(error)


async def test_404_plain_page() -> None:
    page = "<html><head><title>404 Not Found</title></head><body>Not Found</body></html>"
    error = await call(httpx.Response(404, text=page, headers={"content-type": "text/html"}))
    assert type(error) is NotFoundError
    assert error.status_code == 404


async def test_429_carries_retry_after() -> None:
    error = await call(
        httpx.Response(
            429, json={"success": 0, "message": "slow down"}, headers={"Retry-After": "7"}
        )
    )
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 7.0


async def test_5xx_html_page_from_a_proxy_is_a_server_error() -> None:
    error = await call(httpx.Response(502, text="<h1>502 Bad Gateway</h1>"))
    assert type(error) is ServerError
    assert error.message == "502 Bad Gateway"


async def test_success_as_string_zero_is_a_failure() -> None:
    error = await call(httpx.Response(200, json={"success": "0", "message": None, "data": ""}))
    assert type(error) is OperationFailedError
    assert error.message == ""


@pytest.mark.parametrize(
    ("response", "match"),
    [
        (httpx.Response(200, text="<html><body>Apache</body></html>"), "non-envelope body"),
        (httpx.Response(200, text='{"success": 1, "data": [1, 2'), "non-envelope body"),
        (httpx.Response(200, json={"data": []}), "JSON object without 'success'"),
        (httpx.Response(200, json=[1, 2]), "JSON list instead of an envelope"),
        (httpx.Response(200, content=b""), "non-envelope body"),
    ],
)
async def test_non_protocol_answers(response: httpx.Response, match: str) -> None:
    rec = Recorder(lambda _: response)
    async with AsyncSimotel("https://pbx", api_key=KEY, transport=rec.transport) as simotel:
        with pytest.raises(SimotelResponseError, match=match) as info:
            await simotel.request("pbx.users.search", {})
    assert info.value.endpoint == "pbx.users.search"
    assert info.value.status_code == 200


async def test_users_add_legacy_shape_is_accepted() -> None:
    body = load_fixture("pbx.users.add.response.json")
    rec = Recorder(lambda _: httpx.Response(200, json=body))
    async with AsyncSimotel("https://pbx", api_key=KEY, transport=rec.transport) as simotel:
        data = await simotel.request("pbx.users.add", {})
    assert data == {"user_id": "999"}


async def test_users_add_legacy_failure_shape_raises() -> None:
    error = await call(httpx.Response(200, json={"status": "error", "message": "exists"}))
    assert type(error) is OperationFailedError
    assert error.message == "exists"


async def test_connect_error_is_a_connection_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async with AsyncSimotel(
        "https://pbx", api_key=KEY, transport=httpx.MockTransport(refuse), retry=None
    ) as simotel:
        with pytest.raises(SimotelConnectionError, match="could not reach the server") as info:
            await simotel.ping()
    assert not isinstance(info.value, SimotelTimeoutError)
    assert info.value.endpoint == "setting.ping"


async def test_timeout_is_a_timeout_error() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    async with AsyncSimotel(
        "https://pbx", api_key=KEY, transport=httpx.MockTransport(slow), retry=None
    ) as simotel:
        with pytest.raises(SimotelTimeoutError, match="timed out"):
            await simotel.ping()


def test_error_hierarchy() -> None:
    assert issubclass(IPNotPermittedError, PermissionDeniedError)
    assert issubclass(SimotelTimeoutError, SimotelConnectionError)
    for cls in (OperationFailedError, NotFoundError, ServerError, RateLimitedError):
        assert issubclass(cls, SimotelAPIError)


@pytest.mark.parametrize(
    "body", [b'{"success": 1, "message": "", "data": [1]}', b'{"success": 1, "data": [1', b"<html>"]
)
def test_stdlib_json_fallback_reads_bodies_like_orjson(monkeypatch, body: bytes) -> None:
    import json

    from simotel_async import _envelope

    response = httpx.Response(200, content=body)
    outcomes = []
    for loads in (_envelope._loads, json.loads):
        monkeypatch.setattr(_envelope, "_loads", loads)
        try:
            outcomes.append(_envelope.parse_envelope(response, "pbx.users.search"))
        except SimotelResponseError as error:
            outcomes.append(error.message)
    assert outcomes[0] == outcomes[1]


# --- issue 9/10: context on the base, redaction, outcome_unknown, strict success ---------


async def test_every_error_carries_its_context_with_the_request_redacted() -> None:
    error = await call(httpx.Response(500, json={"success": 0, "message": "boom"}))
    assert error.endpoint == "pbx.users.add"
    assert error.status_code == 500
    assert error.response is not None and error.request is not None
    assert error.request.headers["X-APIKEY"] == "[secure]"
    assert KEY not in repr(error.request.headers) and KEY not in str(dict(error.request.headers))
    assert error.response.request.headers["X-APIKEY"] == "[secure]"
    assert error.request.content == b'{"name":"x"}'


def test_redact_request_hides_both_credentials_and_userinfo() -> None:
    request = httpx.Request(
        "POST",
        "https://api:pw@pbx/api/v4/x",
        headers={"Authorization": "Basic YXBpOnB3", "X-APIKEY": KEY, "Accept": "application/json"},
        json={},
    )
    safe = redact_request(request)
    assert dict(safe.headers)["authorization"] == "[secure]"
    assert dict(safe.headers)["x-apikey"] == "[secure]"
    assert safe.headers["Accept"] == "application/json"
    assert safe.url.userinfo == b""


def test_the_base_class_declares_the_shared_context() -> None:
    for name in ("endpoint", "request", "response", "status_code", "outcome_unknown"):
        assert name in SimotelError.__annotations__
    error = SimotelError("plain")
    assert (error.endpoint, error.request, error.response, error.status_code) == (None,) * 4
    assert error.outcome_unknown is False
    assert ClientClosedError("x").outcome_unknown is False


@pytest.mark.parametrize("exc", [httpx.ReadError(""), httpx.RemoteProtocolError("")])
def test_a_reason_is_never_empty(exc) -> None:
    error = from_httpx(exc, endpoint="call.originate", idempotent=False)
    assert str(error).split(": ")[-1].strip() != ""
    assert type(exc).__name__ in str(error)


@pytest.mark.parametrize(
    ("exc", "idempotent", "reached", "unknown"),
    [
        (httpx.ReadError("reset"), False, True, True),
        (httpx.ReadTimeout("slow"), False, True, True),
        (httpx.RemoteProtocolError("closed"), False, True, True),
        (httpx.ReadError("reset"), True, True, False),
        (httpx.ConnectError("refused"), False, True, False),
        (httpx.ConnectTimeout("slow"), False, True, False),
        (httpx.PoolTimeout("busy"), False, True, False),
        (httpx.ReadError("reset"), False, False, False),
    ],
)
def test_outcome_unknown_is_true_exactly_when_an_unsafe_request_may_have_arrived(
    exc, idempotent, reached, unknown
) -> None:
    error = from_httpx(exc, endpoint="call.originate", idempotent=idempotent, reached=reached)
    assert isinstance(error, SimotelConnectionError)
    assert error.outcome_unknown is unknown
    assert ("the server may have placed the call; check before retrying" in str(error)) is unknown


async def test_a_5xx_on_an_unsafe_call_has_an_unknown_outcome() -> None:
    add = await call(httpx.Response(502, text="<html>Bad gateway</html>"))
    search = await call(httpx.Response(502, text="<html>Bad gateway</html>"), "pbx.users.search")
    assert isinstance(add, ServerError) and add.outcome_unknown
    assert "the server may have added the record; check before retrying" in str(add)
    assert isinstance(search, ServerError) and not search.outcome_unknown


@pytest.mark.parametrize("value", [1, True, "1", "true", "True"])
async def test_success_values(value) -> None:
    rec = Recorder(lambda _: httpx.Response(200, json={"success": value, "data": 7}))
    async with AsyncSimotel("https://pbx", api_key=KEY, transport=rec.transport) as simotel:
        assert await simotel.request("pbx.users.search", {}) == 7


@pytest.mark.parametrize("value", [0, False, "0", "false"])
async def test_failure_values(value) -> None:
    error = await call(httpx.Response(200, json={"success": value, "message": "no"}))
    assert isinstance(error, OperationFailedError)


@pytest.mark.parametrize("value", [None, "no", 0.0, "", [], "failed", 2, {}, 1.0])
async def test_any_other_success_value_is_a_response_error(value) -> None:
    rec = Recorder(lambda _: httpx.Response(200, json={"success": value, "data": [1]}))
    async with AsyncSimotel("https://pbx", api_key=KEY, transport=rec.transport) as simotel:
        with pytest.raises(SimotelResponseError, match="neither 1/true nor 0/false") as info:
            await simotel.request("pbx.users.add", {})
    assert info.value.outcome_unknown


async def test_use_after_close_is_a_client_closed_error() -> None:
    simotel = AsyncSimotel("https://pbx", api_key=KEY, transport=Recorder(lambda _: _).transport)
    await simotel.aclose()
    with pytest.raises(ClientClosedError, match="closed; create a new client"):
        await simotel.ping()


def test_errors_does_not_import_the_transport() -> None:
    import ast
    import inspect

    from simotel_async import _errors

    tree = ast.parse(inspect.getsource(_errors))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not any("_transport" in name for name in imported)
    assert _errors.retry_after_seconds(httpx.Headers({"Retry-After": "3"})) == 3.0


@pytest.mark.parametrize(
    ("cause", "says"),
    [
        (
            ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"),
            "the server speaks plain HTTP: use http://",
        ),
        (
            ssl.SSLCertVerificationError(1, "certificate verify failed"),
            "certificate not trusted",
        ),
    ],
)
def test_tls_failures_say_what_to_do(cause, says) -> None:
    try:
        try:
            raise cause
        except ssl.SSLError as inner:
            raise httpx.ConnectError(str(inner)) from inner
    except httpx.ConnectError as exc:
        error = from_httpx(exc, endpoint="setting.ping")
    assert isinstance(error, SimotelConnectionError)
    assert says in str(error)
    assert "verify=" in str(error) or "http://" in str(error)
