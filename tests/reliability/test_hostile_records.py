"""Hostile records: a vendor CDR with any of its values replaced by any JSON decodes to a
``Cdr`` (the odd value kept in ``extra``) or raises ``SimotelResponseError``; nothing else
escapes, through the decoder and through a paginator."""

from __future__ import annotations

import asyncio
import copy
import logging
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simotel_async import AsyncPaginator, SimotelResponseError
from simotel_async._convert import decode, decoder
from simotel_async.models import Cdr
from tests.helpers import load_fixture

TEHRAN = ZoneInfo("Asia/Tehran")
SAMPLE: dict[str, Any] = load_fixture("reports.cdr.search.response.json")["data"]["data"][0]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "N/A", "1402-13-40 25:61:61", "2021-02-30 10:00", "yes", "0"])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@st.composite
def hostile_cdrs(draw: st.DrawFn) -> dict[str, Any]:
    record = copy.deepcopy(SAMPLE)
    for key in draw(st.lists(st.sampled_from(sorted(record)), max_size=6, unique=True)):
        record[key] = draw(json_values)
    for key, value in draw(st.dictionaries(st.text(max_size=10), json_values, max_size=3)).items():
        record.setdefault(key, value)
    if record["route"] and isinstance(record["route"], list) and draw(st.booleans()):
        step = record["route"][0]
        if isinstance(step, dict):
            step[draw(st.sampled_from(["date", "duration", "type"]))] = draw(json_values)
    return record


@pytest.fixture(autouse=True)
def _quiet(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="simotel_async")


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=hostile_cdrs())
def test_a_hostile_record_decodes_or_raises_a_response_error(record: dict[str, Any]) -> None:
    try:
        cdr = decode(record, Cdr, tz=TEHRAN, endpoint="reports.cdr.search")
    except SimotelResponseError as error:
        failure = error
    else:
        assert isinstance(cdr, Cdr)
        assert isinstance(cdr.id, str) and cdr.id
        return
    assert str(failure)
    assert failure.endpoint == "reports.cdr.search"


class OnePage:
    """A search endpoint answering one page of the given records."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records

    async def request(self, endpoint_id: str, body: Any = None) -> Any:
        start = body["pagination"]["start"]
        page = self.records if start == 0 else []
        return {"pagination": {"total": len(self.records)}, "data": page}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(hostile_cdrs(), min_size=1, max_size=5))
def test_a_page_of_hostile_records_walks_or_raises_a_response_error(
    records: list[dict[str, Any]],
) -> None:
    endpoint = "reports.cdr.search"
    paginator = AsyncPaginator(
        OnePage(records), endpoint, decode=decoder(Cdr, tz=TEHRAN, endpoint=endpoint)
    )
    try:
        walked = asyncio.run(paginator.to_list())
    except SimotelResponseError as error:
        failure = error
    else:
        assert all(isinstance(cdr, Cdr) for cdr in walked)
        assert len(walked) <= len(records)
        return
    assert str(failure)
    assert failure.endpoint == endpoint
