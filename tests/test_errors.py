"""Every row of the protocol's error table, and non-protocol answers, raise their class."""

from __future__ import annotations

import httpx
import pytest

from simotel_async import (
    AsyncSimotel,
    AuthenticationError,
    BadRequestError,
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
    SimotelResponseError,
    SimotelTimeoutError,
    UnsupportedMediaTypeError,
)
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
