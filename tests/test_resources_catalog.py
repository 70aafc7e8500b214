"""Every catalogued endpoint, through its typed method: the request it sends and the
response it decodes, generated from ``tests/fixtures/endpoints.json`` and the fixtures.

For each endpoint id the table ``CASES`` names the Python method; its keyword arguments
are read from the documented request body (``kwargs_from_body``), so one table drives
the v4 samples, their variants and the v3 Postman bodies. The v4 bodies must come back
exactly; the v3 comparison applies the normalisations listed in ``normalise_v3``.
"""

from __future__ import annotations

import io
import json
import typing
from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

import attrs
import httpx
import pytest

from simotel_async import AsyncSimotel, models
from simotel_async._convert import to_dict
from simotel_async._endpoints import ENDPOINTS
from simotel_async._pagination import AsyncCursor, AsyncPaginator
from simotel_async.models._common import ALIASES, server_key
from tests.helpers import Recorder, load_fixture

CATALOG: dict[str, dict[str, Any]] = {e["id"]: e for e in load_fixture("endpoints.json")}

_AGENT_ACTIONS = {
    f"{batch}{verb}agent": f"{batch}{'_' if batch else ''}{verb}_agent"
    for batch in ("", "batch")
    for verb in ("add", "pause", "resume", "remove")
}


def method_path(endpoint_id: str) -> str:
    """The documented spelling: the id, its action segment in snake_case."""
    *resource, action = endpoint_id.split(".")
    return ".".join([*resource, _AGENT_ACTIONS.get(action, action)])


def resolve(client: Any, endpoint_id: str) -> Any:
    """The bound method of ``client`` that serves ``endpoint_id``."""
    target = client
    for part in method_path(endpoint_id).split("."):
        target = getattr(target, part)
    return target


def result_model(endpoint_id: str) -> tuple[Any, bool]:
    """The catalogue's result model of ``endpoint_id`` and whether a list of it is returned."""
    result = ENDPOINTS[endpoint_id].result
    if result is None:
        return type(None), False
    if result.startswith("list["):
        return getattr(models, result[5:-1]), True
    return getattr(models, result), False


@attrs.frozen
class Case:
    """How a documented body becomes the method's keyword arguments.

    ``rename``: body key (dotted for nested ones) -> argument name, beyond the general
    rules of ``kwargs_from_body``. ``drop``: body keys the method sends by itself.
    """

    method: str
    rename: Mapping[str, str] = attrs.field(factory=dict)
    drop: frozenset[str] = frozenset()


def _same(endpoint_id: str, **kwargs: Any) -> tuple[str, Case]:
    return endpoint_id, Case(method_path(endpoint_id), **kwargs)


_REPORT = {"conditions.from": "src", "conditions.to": "dst"}
_ORDERED = {"_id": "after_id"}

CASES: dict[str, Case] = dict(
    [
        _same("setting.ping"),
        _same("call.originate"),
        *(_same(f"pbx.users.{a}") for a in ("add", "search", "update", "remove")),
        *(_same(f"pbx.trunks.{a}") for a in ("add", "search", "update", "remove")),
        *(_same(f"pbx.queues.{a}") for a in ("add", "search", "update", "remove")),
        ("pbx.queues.addagent", Case("pbx.queues.add_agent")),
        ("pbx.queues.pauseagent", Case("pbx.queues.pause_agent")),
        ("pbx.queues.resumeagent", Case("pbx.queues.resume_agent")),
        ("pbx.queues.removeagent", Case("pbx.queues.remove_agent")),
        ("pbx.queues.batchaddagent", Case("pbx.queues.batch_add_agent")),
        ("pbx.queues.batchpauseagent", Case("pbx.queues.batch_pause_agent")),
        ("pbx.queues.batchresumeagent", Case("pbx.queues.batch_resume_agent")),
        ("pbx.queues.batchremoveagent", Case("pbx.queues.batch_remove_agent")),
        _same("pbx.musiconholds.search"),
        *(_same(f"pbx.announcements.{a}") for a in ("upload", "add", "search", "update", "remove")),
        *(_same(f"voicemails.voicemails.{a}") for a in ("add", "search", "update", "remove")),
        _same("voicemails.inbox.search"),
        _same("voicemails.inbox.download"),
        *(_same(f"pbx.blacklists.{a}") for a in ("add", "update", "remove")),
        # The samples send an empty conditions.name (entries have no name); the method
        # sends it by itself.
        _same("pbx.blacklists.search", drop=frozenset({"conditions.name"})),
        *(_same(f"pbx.whitelists.{a}") for a in ("add", "search", "update", "remove")),
        *(_same(f"pbx.faxes.{a}") for a in ("upload", "add", "search", "download")),
        _same("reports.quick.search", rename=_REPORT),
        _same("reports.quick.info"),
        _same("reports.audio.download"),
        _same("reports.cdr.search", rename=_REPORT),
        _same("reports.cdr.ordered", rename=_ORDERED),
        _same("reports.queue.search", rename=_REPORT),
        _same("reports.queue.ordered", rename=_ORDERED),
        _same("reports.queue_details.search", rename=_REPORT),
        _same("reports.queue_details.ordered", rename=_ORDERED),
        _same("reports.agent.search", rename=_REPORT),
        _same("reports.poll.search", rename=_REPORT),
        *(_same(f"autodialer.contacts.{a}") for a in ("add", "search", "update", "remove")),
        *(_same(f"autodialer.groups.{a}") for a in ("upload", "add", "search", "update", "remove")),
        *(_same(f"autodialer.campaigns.{a}") for a in ("add", "search", "update", "remove")),
        *(
            _same(f"autodialer.announcements.{a}")
            for a in ("upload", "add", "search", "update", "remove")
        ),
        *(_same(f"autodialer.trunks.{a}") for a in ("search", "update")),
        _same("autodialer.reports.search"),
        _same("autodialer.reports.ordered", rename=_ORDERED),
        _same("autodialer.reports.info"),
    ]
)


def kwargs_from_body(case: Case, body: Mapping[str, Any]) -> dict[str, Any]:
    """The method's arguments for a documented body.

    General rules: ``_id`` is ``id``; ``conditions.X`` is ``X``; ``date_range.from/to``
    are ``date_from``/``date_to`` (the documented strings pass through unchanged);
    ``pagination`` is ``start``/``page_size``/``sort``; ``alike`` becomes a bool;
    ``try`` is ``try_``; capitalised keys (``Play_CID``) are lower-cased.
    """
    flat: dict[str, Any] = {}
    for key, value in body.items():
        if key in ("conditions", "date_range") and isinstance(value, Mapping):
            flat.update({f"{key}.{inner}": item for inner, item in value.items()})
        else:
            flat[key] = value
    kwargs: dict[str, Any] = {}
    for key, value in flat.items():
        if key in case.drop:
            continue
        if key in case.rename:
            kwargs[case.rename[key]] = value
        elif key == "pagination":
            kwargs["start"] = value["start"]
            kwargs["page_size"] = value["count"]
            kwargs["sort"] = value["sorting"] or None
        elif key == "alike":
            kwargs["alike"] = value in ("true", True, 1)
        elif key.startswith("date_range."):
            kwargs["date_" + key.removeprefix("date_range.")] = value
        elif key.startswith("conditions."):
            kwargs[key.removeprefix("conditions.")] = value
        else:
            kwargs[{"_id": "id", "try": "try_"}.get(key, key.lower())] = value
    return kwargs


def normalise_v3(sent: Any, documented: Any) -> Any:
    """The v3 Postman body as the SDK would send it, modulo documented differences:

    - ``alike`` is ``1`` in the v3 users search, ``true``/``"true"`` in v4: all mean
      true, so the documented value is replaced by what the v4 page sends.
    - ``id`` (some v3 samples) is the same parameter as ``_id``: the SDK always sends
      ``_id`` (the catalog's SDK pitfalls).
    - search conditions the v3 sample leaves out are sent by the SDK as ``""``, which
      the protocol defines as "ignore this filter".
    - ``pbx.faxes.add``: v3 sends ``text`` next to ``file``; v4 says to leave ``text``
      out when faxing a file (the SDK refuses both), so it is dropped here.
    """
    body = dict(documented)
    if "alike" in body and "alike" in sent:
        body["alike"] = sent["alike"]
    if "id" in body and "_id" not in body:
        body["_id"] = body.pop("id")
    if isinstance(body.get("conditions"), dict):
        body["conditions"] = {**dict.fromkeys(sent.get("conditions", {}), ""), **body["conditions"]}
    if "file" in body and "text" in body:
        del body["text"]
    return body


def _fixture_cases(version: str) -> list[Any]:
    """(endpoint id, request fixture, response fixture or None) for every sample."""
    cases = []
    for endpoint_id, entry in CATALOG.items():
        fixtures = entry["fixtures"]
        if version == "v3":
            if fixtures.get("v3_request"):
                request = fixtures["v3_request"].removeprefix("fixtures/")
                response = fixtures.get("response")
                response = response and response.removeprefix("fixtures/")
                cases.append(pytest.param(endpoint_id, request, response, id=endpoint_id))
            continue
        # voicemails.inbox.download has no v4 page: the docs send its body to the audio
        # download, so the v3 body is the documented one.
        request = fixtures.get("request") or fixtures.get("v3_request")
        samples = [("", request, fixtures.get("response"))]
        samples += [
            (f"--{v['name']}", v.get("request"), v.get("response")) for v in fixtures["variants"]
        ]
        for suffix, request, response in samples:
            if request or response:
                cases.append(
                    pytest.param(
                        endpoint_id,
                        request and request.removeprefix("fixtures/"),
                        response and response.removeprefix("fixtures/"),
                        id=endpoint_id + suffix,
                    )
                )
    return cases


def _answer(endpoint_id: str, response_fixture: str | None) -> httpx.Response:
    kind = ENDPOINTS[endpoint_id].kind
    if kind == "download":
        return httpx.Response(200, content=b"RIFF-audio", headers={"content-type": "audio/wav"})
    if response_fixture is not None:
        return httpx.Response(200, json=load_fixture(response_fixture))
    if kind == "search":
        data: Any = {"pagination": {"total": 0}, "data": []}
    elif kind == "ordered":
        data = {"last_id": "", "data": []}
    elif kind == "upload":
        data = {"filename": "stored.wav"}
    else:
        data = ""
    return httpx.Response(200, json={"success": 1, "message": "", "data": data})


async def invoke(client: AsyncSimotel, endpoint_id: str, kwargs: dict[str, Any]) -> Any:
    """Call the endpoint's method; searches and cursors yield their first page."""
    method = resolve(client, endpoint_id)
    kind = ENDPOINTS[endpoint_id].kind
    if kind == "upload":
        return await method(b"audio bytes", filename="hello.mp3")
    if kind == "download":
        sink = io.BytesIO()
        count = await method(dest=sink, **kwargs)
        assert count == len(sink.getvalue())
        return sink.getvalue()
    if kind in ("search", "ordered"):
        walker = method(**kwargs)
        assert isinstance(walker, (AsyncPaginator, AsyncCursor))
        pages = walker.pages()
        try:
            return await pages.__anext__()
        except StopAsyncIteration:
            return None
        finally:
            await pages.aclose()
    return await method(**kwargs)


@pytest.fixture
async def clients():
    made: list[AsyncSimotel] = []

    def make(handler: Any, **options: Any) -> tuple[AsyncSimotel, Recorder]:
        recorder = Recorder(handler)
        client = AsyncSimotel(
            "https://pbx.example.com", api_key="KEY", transport=recorder.transport, **options
        )
        made.append(client)
        return client, recorder

    yield make
    for client in made:
        await client.aclose()


def test_every_endpoint_has_its_method() -> None:
    assert set(CASES) == set(CATALOG) == set(ENDPOINTS)
    assert len(CASES) == 80
    for endpoint_id, case in CASES.items():
        assert case.method == method_path(endpoint_id) == ENDPOINTS[endpoint_id].method


@pytest.mark.parametrize(
    ("endpoint_id", "request_fixture", "response_fixture"), _fixture_cases("v4")
)
async def test_v4_request_and_response(
    clients, endpoint_id, request_fixture, response_fixture
) -> None:
    client, recorder = clients(lambda request: _answer(endpoint_id, response_fixture))
    documented = load_fixture(request_fixture) if request_fixture else {}
    result = await invoke(client, endpoint_id, kwargs_from_body(CASES[endpoint_id], documented))

    sent = recorder.requests[0]
    route = CATALOG[endpoint_id]["v4"]
    assert (sent.method, sent.url.path) == (route["method"], "/api/v4/" + route["path"])
    if ENDPOINTS[endpoint_id].kind == "upload":
        assert sent.headers["content-type"].startswith("multipart/form-data")
        assert b'name="file"; filename="hello.mp3"' in sent.content
    else:
        assert json.loads(sent.content) == documented
    if response_fixture is not None:
        assert_decoded(endpoint_id, load_fixture(response_fixture), result, client.server_timezone)


@pytest.mark.parametrize(
    ("endpoint_id", "request_fixture", "response_fixture"), _fixture_cases("v3")
)
async def test_v3_request(clients, endpoint_id, request_fixture, response_fixture) -> None:
    client, recorder = clients(
        lambda request: _answer(endpoint_id, response_fixture), api_version="v3"
    )
    documented = load_fixture(request_fixture)
    kwargs = kwargs_from_body(CASES[endpoint_id], documented)
    if endpoint_id == "pbx.faxes.add":
        del kwargs["text"]  # see normalise_v3
    await invoke(client, endpoint_id, kwargs)

    sent = recorder.requests[0]
    route = CATALOG[endpoint_id]["v3"]
    assert (sent.method, sent.url.path) == (route["method"], "/api/v3/" + route["path"])
    body = json.loads(sent.content)
    assert body == normalise_v3(body, documented)


@pytest.mark.parametrize(
    "endpoint_id",
    [e for e, entry in CATALOG.items() if entry["kind"] == "upload" and entry["v3"]],
)
async def test_v3_upload_route(clients, endpoint_id) -> None:
    client, recorder = clients(lambda request: _answer(endpoint_id, None), api_version="v3")
    assert await invoke(client, endpoint_id, {}) == "stored.wav"
    sent = recorder.requests[0]
    route = CATALOG[endpoint_id]["v3"]
    assert (sent.method, sent.url.path) == (route["method"], "/api/v3/" + route["path"])
    assert CATALOG[endpoint_id]["fixtures"]["v3_form_fields"] == ["file"]
    assert b'name="file"' in sent.content


def _aliases() -> dict[str, str]:
    """Other server names a model decodes into one attribute (``agents`` -> ``agent``)."""
    found = {}
    for name in models.__all__:
        cls = getattr(models, name)
        for field in attrs.fields(cls) if attrs.has(cls) else ():
            for alias in field.metadata.get(ALIASES, ()):
                found[alias] = server_key(field)
    return found


ALIASED = _aliases()


def _is_wrapper(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("$date", "$oid")


def assert_kept(raw: Any, out: Any, where: str) -> None:
    """Every key of the server's JSON is still in the model's ``to_dict`` (recursively)."""
    if isinstance(raw, dict) and not _is_wrapper(raw):
        assert isinstance(out, dict), f"{where}: {raw!r} became {out!r}"
        missing = {key for key in raw if key not in out and ALIASED.get(key) not in out}
        assert not missing, f"{where}: lost {sorted(missing)}"
        for key, value in raw.items():
            assert_kept(value, out[key if key in out else ALIASED[key]], f"{where}.{key}")
    elif isinstance(raw, list) and raw:
        assert isinstance(out, list), f"{where}: {raw!r} became {out!r}"
        assert len(out) == len(raw), where
        for index, (item, decoded) in enumerate(zip(raw, out, strict=True)):
            assert_kept(item, decoded, f"{where}[{index}]")


def assert_decoded(endpoint_id: str, payload: dict[str, Any], result: Any, tz: tzinfo) -> None:
    kind = ENDPOINTS[endpoint_id].kind
    data = payload.get("data", {k: v for k, v in payload.items() if k not in ("status", "message")})
    model, is_list = result_model(endpoint_id)
    if kind == "upload":
        assert result == data["filename"]
    elif kind in ("search", "ordered"):
        assert len(result.items) == len(data["data"]) > 0
        assert all(isinstance(item, model) for item in result.items)
        assert_kept(data["data"], [to_dict(item) for item in result.items], endpoint_id)
    elif is_list:
        assert isinstance(result, list)
        assert all(isinstance(item, model) for item in result)
        assert_kept(data, [to_dict(item) for item in result], endpoint_id)
    elif model is type(None):
        assert result is None
        assert data in ("", None)
    else:
        assert isinstance(result, model)
        assert_kept(data, to_dict(result), endpoint_id)


@pytest.mark.parametrize("endpoint_id", sorted(ENDPOINTS))
async def test_return_annotation_matches_the_result_model(endpoint_id: str) -> None:
    async with AsyncSimotel("https://pbx.example.com", api_key="KEY") as client:
        method = resolve(client, endpoint_id)
    returns = typing.get_type_hints(method)["return"]
    model, is_list = result_model(endpoint_id)
    kind = ENDPOINTS[endpoint_id].kind
    expected: Any = {
        "search": AsyncPaginator[model],  # type: ignore[valid-type]
        "ordered": AsyncCursor[model],  # type: ignore[valid-type]
        "upload": str,
        "download": int,
    }.get(kind, list[model] if is_list else model)  # type: ignore[valid-type]
    assert returns == expected
