"""Routing, authentication, permissions, allowed IPs and the protocol's error answers."""

from __future__ import annotations

import base64

import httpx
import pytest

from simotel_async.testing import FakeSimotel
from tests.testing.support import Api


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def _status(
    fake: FakeSimotel, path: str, *, headers: dict[str, str], ip: str = "127.0.0.1"
) -> tuple[int, object]:
    async with httpx.AsyncClient(
        transport=fake.transport(client_ip=ip), base_url="http://pbx"
    ) as c:
        response = await c.post(path, json={}, headers=headers)
    body = (
        response.json() if response.headers["content-type"] == "application/json" else response.text
    )
    return response.status_code, body


PING = "/api/v4/setting/ping/act"


async def test_ping_answers_the_documented_envelope(api: Api) -> None:
    body = await api("setting/ping/act")
    assert body == {
        "success": 1,
        "message": (
            "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent"
        ),
        "data": None,
    }


async def test_ping_also_accepts_put_and_an_empty_body(client: httpx.AsyncClient) -> None:
    response = await client.put("setting/ping/act", headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["success"] == 1


@pytest.mark.parametrize(
    ("auth", "headers", "status", "message"),
    [
        ("basic", {}, 401, "BasicAuth or ApiKey is missing"),
        ("basic", {"authorization": _basic("api", "secret")}, 200, None),
        ("basic", {"authorization": _basic("api", "wrong")}, 401, "BasicAuth or ApiKey is invalid"),
        ("basic", {"authorization": "Basic !!notbase64"}, 401, "BasicAuth or ApiKey is invalid"),
        ("basic", {"authorization": "Bearer x"}, 401, "BasicAuth or ApiKey is invalid"),
        ("basic", {"x-apikey": "KEY"}, 401, "BasicAuth or ApiKey is invalid"),
        ("apikey", {"x-apikey": "KEY"}, 200, None),
        ("apikey", {"x-apikey": "nope"}, 401, "BasicAuth or ApiKey is invalid"),
        (
            "apikey",
            {"authorization": _basic("api", "secret")},
            401,
            "BasicAuth or ApiKey is invalid",
        ),
        ("both", {"authorization": _basic("api", "secret"), "x-apikey": "KEY"}, 200, None),
        ("both", {"authorization": _basic("api", "secret")}, 401, "BasicAuth or ApiKey is invalid"),
        ("both", {"x-apikey": "KEY"}, 401, "BasicAuth or ApiKey is invalid"),
        ("both", {}, 401, "BasicAuth or ApiKey is missing"),
    ],
)
async def test_authentication_per_account_mode(
    auth: str, headers: dict[str, str], status: int, message: str | None
) -> None:
    fake = FakeSimotel(cdr=0, auth=auth)  # type: ignore[arg-type]
    code, body = await _status(fake, PING, headers=headers)
    assert code == status
    if message is not None:
        assert body == {"success": 0, "message": message, "data": None}


async def test_credentials_in_the_url_userinfo_work() -> None:
    fake = FakeSimotel(cdr=0)
    async with httpx.AsyncClient(transport=fake.transport()) as c:
        response = await c.post("http://api:secret@pbx/api/v4/setting/ping/act", json={})
    assert response.status_code == 200


async def test_account_settings_can_change_between_requests() -> None:
    fake = FakeSimotel(cdr=0, username="u", password="p")
    assert (await _status(fake, PING, headers={"authorization": _basic("u", "p")}))[0] == 200
    fake.password = "rotated"
    assert (await _status(fake, PING, headers={"authorization": _basic("u", "p")}))[0] == 401
    fake.auth = "apikey"
    fake.api_key = "K2"
    assert (await _status(fake, PING, headers={"x-apikey": "K2"}))[0] == 200
    with pytest.raises(ValueError, match="auth must be"):
        fake.auth = "token"  # type: ignore[assignment]


async def test_permission_missing_gives_403_access_denied_with_the_path() -> None:
    fake = FakeSimotel(cdr=0, permissions={"setting.ping"})
    headers = {"authorization": _basic("api", "secret")}
    assert (await _status(fake, PING, headers=headers))[0] == 200
    code, body = await _status(fake, "/api/v4/pbx/users/add", headers=headers)
    assert code == 403
    assert body == {"success": 0, "message": '"/pbx/users/add";Access denied', "data": None}
    assert fake.records("pbx.users") == FakeSimotel(cdr=0).records("pbx.users")


async def test_permission_on_an_aliased_route_accepts_either_id() -> None:
    fake = FakeSimotel(cdr=0, permissions={"voicemails.inbox.download"})
    fake.add_file("a.wav", b"RIFF")
    async with httpx.AsyncClient(transport=fake.transport(), auth=("api", "secret")) as c:
        response = await c.post("http://pbx/api/v4/reports/audio/download", json={"file": "a.wav"})
    assert response.status_code == 200
    assert response.content == b"RIFF"


def test_unknown_permission_ids_are_rejected_with_a_suggestion() -> None:
    with pytest.raises(ValueError, match=r"did you mean pbx\.users\.add"):
        FakeSimotel(cdr=0, permissions={"pbx.user.add"})


@pytest.mark.parametrize(
    ("allowed", "ip", "status"),
    [
        (None, "203.0.113.9", 200),
        (["10.0.0.5"], "10.0.0.5", 200),
        (["10.0.0.0/24"], "10.0.0.77", 200),
        (["10.0.0.0/24"], "10.0.1.1", 403),
        (["::1"], "::1", 200),
        (["10.0.0.5"], "not-an-ip", 403),
    ],
)
async def test_allowed_ips(allowed: list[str] | None, ip: str, status: int) -> None:
    fake = FakeSimotel(cdr=0, allowed_ips=allowed)
    code, body = await _status(
        fake, PING, headers={"authorization": _basic("api", "secret")}, ip=ip
    )
    assert code == status
    if status == 403:
        assert body == {"success": 0, "message": "IP is not permitted", "data": None}


async def test_ip_check_comes_before_authentication() -> None:
    fake = FakeSimotel(cdr=0, allowed_ips=["10.0.0.1"])
    code, body = await _status(fake, PING, headers={}, ip="10.9.9.9")
    assert (code, body) == (403, {"success": 0, "message": "IP is not permitted", "data": None})
    assert fake.allowed_ips == ("10.0.0.1/32",)


def test_allowed_ips_must_be_a_collection() -> None:
    with pytest.raises(TypeError):
        FakeSimotel(cdr=0, allowed_ips="10.0.0.1")


async def test_wrong_url_is_a_plain_html_404(client: httpx.AsyncClient) -> None:
    response = await client.post("http://pbx/index.php", json={})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not Found" in response.text


async def test_unknown_service_is_501(client: httpx.AsyncClient) -> None:
    response = await client.post("pbx/phones/add", json={})
    assert response.status_code == 501
    assert response.json() == {
        "success": 0,
        "message": "Requested service dose not exist",
        "data": None,
    }


async def test_wrong_method_is_405(client: httpx.AsyncClient) -> None:
    response = await client.request("GET", "pbx/users/search", json={})
    assert response.status_code == 405
    assert response.json() == {"success": 0, "message": "Method not allowed", "data": None}


async def test_wrong_content_type_is_415(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "pbx/users/search",
        content=b"alike=true",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert response.json()["message"] == "Unsupported Media Type"


async def test_upload_without_multipart_is_415(client: httpx.AsyncClient) -> None:
    response = await client.post("pbx/faxes/upload", json={"file": "x"})
    assert response.status_code == 415


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe"])
async def test_unparsable_json_is_400(client: httpx.AsyncClient, content: bytes) -> None:
    response = await client.post(
        "pbx/users/search", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"success": 0, "message": "Unable to parse content", "data": None}


async def test_broken_multipart_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "pbx/faxes/upload",
        content=b"garbage",
        headers={"content-type": "multipart/form-data; boundary=zz"},
    )
    assert response.status_code == 400


async def test_v3_routes_use_rest_verbs_with_json_bodies() -> None:
    fake = FakeSimotel(cdr=0)
    async with httpx.AsyncClient(transport=fake.transport(), auth=("api", "secret")) as c:
        base = "http://pbx//api/v3/"
        added = await c.post(base + "pbx/blacklists", json={"number": "0912000", "comment": ""})
        assert added.json()["success"] == 1
        found = await c.request(
            "GET", base + "pbx/blacklists", json={"alike": 1, "conditions": {"number": "0912000"}}
        )
        (entry,) = found.json()["data"]
        updated = await c.put(
            base + "pbx/blacklists", json={"id": entry["_id"], "comment": "v3 id"}
        )
        assert updated.json() == {
            "success": 1,
            "message": "Requested operation is done successfully",
            "data": "",
        }
        removed = await c.request("DELETE", base + "pbx/blacklists", json={"_id": entry["_id"]})
        assert removed.json()["success"] == 1
        patched = await c.patch(base + "pbx/blacklists", json={})
        assert patched.status_code == 405
        ping = await c.post(base + "setting/ping/act", json={})
        assert ping.status_code == 405  # v3 ping is assumed to be PUT only
        ping = await c.put(base + "setting/ping/act", json={})
        assert ping.json()["success"] == 1
    assert [(r.method, r.api_version, r.endpoint_id) for r in fake.requests[:4]] == [
        ("POST", "v3", "pbx.blacklists.add"),
        ("GET", "v3", "pbx.blacklists.search"),
        ("PUT", "v3", "pbx.blacklists.update"),
        ("DELETE", "v3", "pbx.blacklists.remove"),
    ]
    assert fake.records("pbx.blacklists")[-1]["number"] != "0912000"


async def test_trailing_slash_and_query_string_are_tolerated(client: httpx.AsyncClient) -> None:
    response = await client.post("setting/ping/act/?debug=1", json={})
    assert response.status_code == 200


async def test_request_log_records_what_was_sent(api: Api, fake: FakeSimotel) -> None:
    await api(
        "pbx/users/search",
        {"alike": "true", "conditions": {"name": "x"}},
        headers={"x-apikey": "KEY"},
    )
    (logged,) = fake.requests
    assert logged.number == 1
    assert (logged.method, logged.path, logged.api_version) == (
        "POST",
        "/api/v4/pbx/users/search",
        "v4",
    )
    assert logged.endpoint_id == "pbx.users.search"
    assert logged.json == {"alike": "true", "conditions": {"name": "x"}}
    assert logged.headers["x-apikey"] == "KEY"
    assert logged.status == 200
    assert logged.client_ip == "127.0.0.1"
    assert "secret" not in repr(logged)
    assert "KEY" not in repr(logged)
    assert fake.request_count == 1
