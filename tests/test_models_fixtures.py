"""Every documented response fixture decodes into its model without losing a key.

The cases are generated from tests/fixtures/endpoints.json: each endpoint's response
fixture and its variants. "Without losing" means every key of every raw record (nested
records included) is a mapped attribute or in ``extra``, a mapped attribute is ``None``
only when the server sent nothing (``null`` / ``""``), and ``to_dict`` gives every key
back.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from simotel_async._convert import decode, to_dict
from simotel_async.models import Record
from simotel_async.models._common import ALIASES, server_key
from tests.helpers import LIST_RESULTS, RESULT_MODELS, UNWRAP, decode_result, result_type

FIXTURES = Path(__file__).parent / "fixtures"
CATALOG: list[dict[str, Any]] = json.loads((FIXTURES / "endpoints.json").read_text("utf-8"))
TEHRAN = ZoneInfo("Asia/Tehran")
MISSING = object()


def _cases() -> list[Any]:
    cases = []
    for endpoint in CATALOG:
        fixtures = endpoint["fixtures"]
        files = [("", fixtures.get("response"))]
        files += [(f"--{v['name']}", v.get("response")) for v in fixtures.get("variants", [])]
        for suffix, path in files:
            if path:
                cases.append(
                    pytest.param(
                        endpoint,
                        FIXTURES / Path(path).name,
                        id=endpoint["id"] + suffix,
                    )
                )
    return cases


CASES = _cases()


def _attribute_by_key(cls: type) -> dict[str, str]:
    table = {}
    for attribute in attrs.fields(cls):
        if attribute.name != "extra":
            table[server_key(attribute)] = attribute.name
            for alias in attribute.metadata.get(ALIASES, ()):
                table[alias] = attribute.name
    return table


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == "0000-00-00 00:00:00"


def assert_lossless(raw: Any, decoded: Any, where: str) -> None:
    """``decoded`` keeps every key and every non-empty value of ``raw``, recursively."""
    if isinstance(decoded, Record):
        assert isinstance(raw, dict), where
        by_key = _attribute_by_key(type(decoded))
        exported = to_dict(decoded)
        for key, value in raw.items():
            name = by_key.get(key)
            if name is None:
                extra = decoded.extra  # type: ignore[attr-defined]
                assert extra.get(key, MISSING) == value, f"{where}.{key} not kept in extra"
                assert exported[key] == value, f"{where}.{key} missing from to_dict"
                continue
            assert server_key(attrs.fields_dict(type(decoded))[name]) in exported  # type: ignore[arg-type]
            assert_lossless(value, getattr(decoded, name), f"{where}.{key}")
    elif isinstance(decoded, list):
        assert isinstance(raw, list), where
        for index, (raw_item, item) in enumerate(zip(raw, decoded, strict=True)):
            assert_lossless(raw_item, item, f"{where}[{index}]")
    elif isinstance(decoded, dict):
        assert isinstance(raw, dict), where
        assert raw.keys() == decoded.keys(), where
        for key, value in raw.items():
            assert_lossless(value, decoded[key], f"{where}.{key}")
    elif decoded is None:
        assert _is_empty(raw), f"{where}: {raw!r} decoded to None"
    else:
        assert not _is_empty(raw), where
        if isinstance(decoded, datetime):
            assert decoded.tzinfo is TEHRAN, where


def records_of(endpoint: dict[str, Any], body: Any) -> tuple[Any, Any]:
    """The raw value the client hands to the decoder, and what it decodes to."""
    endpoint_id = endpoint["id"]
    if not endpoint["fixtures"].get("response_is_envelope", True):
        data = body  # pbx.users.add's documented answer is not an envelope.
    else:
        assert body["success"] == 1
        data = body["data"]
    if endpoint["kind"] in ("search", "ordered"):
        raw = data["data"]
        record_list: Any = list[RESULT_MODELS[endpoint_id]]  # type: ignore[valid-type]
        return raw, decode(raw, record_list, tz=TEHRAN, endpoint=endpoint_id)
    decoded = decode_result(endpoint_id, data, tz=TEHRAN)
    return (data[UNWRAP[endpoint_id]] if endpoint_id in UNWRAP else data), decoded


@pytest.mark.parametrize(("endpoint", "path"), CASES)
def test_fixture_decodes_losslessly(endpoint: dict[str, Any], path: Path) -> None:
    body = json.loads(path.read_text("utf-8"))
    raw, decoded = records_of(endpoint, body)
    expected = result_type(endpoint["id"])
    if endpoint["kind"] in ("search", "ordered"):
        assert decoded
        assert all(type(r) is RESULT_MODELS[endpoint["id"]] for r in decoded)
    elif expected is type(None):
        assert decoded is None
        assert _is_empty(raw)
        return
    elif endpoint["id"] in LIST_RESULTS:
        assert decoded
        assert all(type(r) is RESULT_MODELS[endpoint["id"]] for r in decoded)
    else:
        assert type(decoded) is expected
    assert_lossless(raw, decoded, endpoint["id"])


def test_every_fixture_file_is_covered() -> None:
    responses = {p.name for p in FIXTURES.glob("*.response.json")}
    assert responses == {case.values[1].name for case in CASES}
    assert len(CASES) >= 80


def test_every_endpoint_has_a_result_type_matching_its_kind() -> None:
    kinds = {endpoint["id"]: endpoint["kind"] for endpoint in CATALOG}
    assert RESULT_MODELS.keys() == kinds.keys()
    assert len(RESULT_MODELS) == 80
    for endpoint_id, kind in kinds.items():
        model = RESULT_MODELS[endpoint_id]
        if kind == "upload":
            assert model is str
            assert UNWRAP[endpoint_id] == "filename"
        elif kind == "download":
            assert model is bytes
        elif kind in ("search", "ordered"):
            assert issubclass(model, Record), endpoint_id
        else:
            assert model is type(None) or issubclass(model, Record), endpoint_id
    assert {i for i, kind in kinds.items() if kind == "action"} >= LIST_RESULTS
    assert {i for i in kinds if i.endswith((".update", ".remove"))} - {
        "autodialer.groups.update",
        "autodialer.campaigns.update",
    } <= {i for i, model in RESULT_MODELS.items() if model is type(None)}


def test_cdr_fixture_values() -> None:
    body = json.loads((FIXTURES / "reports.cdr.ordered.response.json").read_text("utf-8"))
    _raw, records = records_of(next(e for e in CATALOG if e["id"] == "reports.cdr.ordered"), body)
    first = records[0]
    # Jalali start and Gregorian answer of the same call, one second apart.
    assert first.start == datetime(2022, 9, 11, 22, 43, 21, tzinfo=TEHRAN)
    assert first.answer == datetime(2022, 9, 11, 22, 43, 22, tzinfo=TEHRAN)
    assert first.route[1].date == datetime(2022, 9, 11, 22, 43, 23, 890000, tzinfo=TEHRAN)
    assert first.sequence == 4653
    assert first.duration == 1
    assert first.extra == {"BUSY": 1, "outgoing": 1}
    assert records[1].answer is None
    assert records[1].dstchannel is None
