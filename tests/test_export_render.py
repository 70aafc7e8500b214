"""How the export renders a page of raw records."""

from __future__ import annotations

import json

from simotel_async._export import _jsonl, _jsonl_stdlib


def test_jsonl_is_one_compact_utf8_line_per_record() -> None:
    records = [
        {
            "_id": "a",
            "src": "\u06f1\u06f0\u06f1 \u0639\u0644\u06cc",
            "route": [{"n": 1}],
            "x": None,
        },
        {"_id": "b"},
    ]
    rendered = _jsonl(records)
    assert rendered == _jsonl_stdlib(records)
    assert rendered.decode().splitlines() == [
        '{"_id":"a","src":"\u06f1\u06f0\u06f1 \u0639\u0644\u06cc","route":[{"n":1}],"x":null}',
        '{"_id":"b"}',
    ]


def test_what_orjson_refuses_is_written_by_the_stdlib() -> None:
    records = [{"_id": "a", "huge": 2**70}]
    assert [json.loads(line) for line in _jsonl(records).splitlines()] == records
