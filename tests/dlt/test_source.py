"""simotel_source against an in-process FakeSimotel, into a real DuckDB file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

dlt = pytest.importorskip("dlt", reason="the dlt tests need pip install 'simotel-async[dlt]'")
duckdb = pytest.importorskip("duckdb", reason="the dlt tests need dlt[duckdb]")

from simotel_async import AsyncSimotel, RetryPolicy  # noqa: E402
from simotel_async.dlt import RESOURCES, simotel_source  # noqa: E402
from simotel_async.testing import FakeSimotel  # noqa: E402

UTC = dt.timezone.utc
COLLECTIONS = {
    "cdr": "reports.cdr",
    "queue": "reports.queue",
    "queue_details": "reports.queue_details",
    "autodialer_reports": "autodialer.reports",
    "agent": "reports.agent",
    "poll": "reports.poll",
    "users": "pbx.users",
    "trunks": "pbx.trunks",
    "queues": "pbx.queues",
    "autodialer_campaigns": "autodialer.campaigns",
    "autodialer_contacts": "autodialer.contacts",
    "autodialer_groups": "autodialer.groups",
}
ODD = {
    # Jalali (start), Gregorian (answer) and {"$date"} (route[].date) in one record,
    # a field no model knows, and a value that cannot be decoded.
    "start": "1402-11-16 10:07:16",
    "answer": "2024-02-05 10:07:20",
    "route": [
        {
            "type": "Queue",
            "name": "q",
            "duration": 1.5,
            "date": {"$date": {"$numberLong": "1707115039886"}},
        }
    ],
    "brand_new_field": "surprise",
    "billsec": "N/A",
}


def factory(fake: FakeSimotel) -> Any:
    def make() -> AsyncSimotel:
        return AsyncSimotel(
            fake.url,
            username="api",
            password="secret",
            retry=RetryPolicy(backoff_initial=0),
            transport=fake.transport(),
        )

    return make


def pipeline(tmp_path: Path, name: str = "simotel_default") -> Any:
    return dlt.pipeline(
        pipeline_name=name,
        destination=dlt.destinations.duckdb(str(tmp_path / "load.duckdb")),
        dataset_name="data",
        pipelines_dir=str(tmp_path / "pipelines"),
    )


def query(tmp_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(tmp_path / "load.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def ids(tmp_path: Path, table: str) -> list[str]:
    return sorted(row[0] for row in query(tmp_path, f"select _id from data.{table}"))


def ordered_requests(fake: FakeSimotel) -> list[Any]:
    return [r for r in fake.requests if r.endpoint_id == "reports.cdr.ordered"]


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[FakeSimotel, Path, Any, dict[str, Any]]:
    """Every resource loaded once; later tests insert and load again."""
    tmp_path = tmp_path_factory.mktemp("load")
    fake = FakeSimotel(seed=5, cdr=240, counts={"autodialer.contacts": 130})
    template = {k: v for k, v in fake.records("reports.cdr")[0].items() if k != "_id"}
    odd = fake.insert("reports.cdr", {**template, **ODD})
    pipe = pipeline(tmp_path)
    pipe.run(simotel_source(client=factory(fake), reports=RESOURCES), loader_file_format="jsonl")
    return fake, tmp_path, pipe, odd


def test_first_load_has_exactly_the_server_records(loaded: Any) -> None:
    fake, tmp_path, _, _ = loaded
    for table, collection in COLLECTIONS.items():
        server = sorted(str(r["_id"]) for r in fake.records(collection))
        assert ids(tmp_path, table) == server, table
    assert query(tmp_path, "select distinct pbx from data.cdr") == [("default",)]
    routes = query(tmp_path, "select count(*) from data.cdr__route")[0][0]
    assert routes == sum(len(r.get("route") or []) for r in fake.records("reports.cdr"))


def test_jalali_gregorian_and_date_values_become_aware_timestamps(loaded: Any) -> None:
    _, tmp_path, _, odd = loaded
    ((start, answer),) = query(
        tmp_path, f"select start, answer from data.cdr where _id = '{odd['_id']}'"
    )
    # 1402-11-16 10:07:16 in Tehran (+03:30) is 2024-02-05 06:37:16 UTC.
    assert start == dt.datetime(2024, 2, 5, 6, 37, 16, tzinfo=UTC)
    assert answer == dt.datetime(2024, 2, 5, 6, 37, 20, tzinfo=UTC)
    ((date,),) = query(
        tmp_path,
        "select r.date from data.cdr__route r join data.cdr c on r._dlt_parent_id = c._dlt_id "
        f"where c._id = '{odd['_id']}'",
    )
    assert date == dt.datetime.fromtimestamp(1707115039.886, UTC)
    columns = dict(
        query(
            tmp_path,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'data' and table_name = 'cdr'",
        )
    )
    assert columns["start"] == columns["answer"] == "TIMESTAMP WITH TIME ZONE"


def test_unknown_field_is_a_column_and_an_undecodable_value_does_not_sink_the_load(
    loaded: Any,
) -> None:
    _, tmp_path, _, odd = loaded
    ((new, billsec),) = query(
        tmp_path,
        f"select brand_new_field, billsec from data.cdr where _id = '{odd['_id']}'",
    )
    # The model's rule: the field is null (the raw value stays in the record's extra).
    assert (new, billsec) == ("surprise", None)


def test_second_load_fetches_only_new_records(loaded: Any) -> None:
    fake, tmp_path, pipe, _ = loaded
    before = ids(tmp_path, "cdr")
    last = pipe.state["sources"]["simotel"]["resources"]["cdr"]["incremental"]["_id"]["last_value"]
    sent = len(ordered_requests(fake))
    new = [str(fake.insert("reports.cdr")["_id"]) for _ in range(7)]
    for _ in range(3):
        fake.insert("reports.agent")
    # The fake dates new rows at its own "now" (2024): a long look-back reaches them,
    # and the overlap with the first window is merged on (pbx, _id).
    lookback = dt.timedelta(days=365 * 5)
    pipe.run(simotel_source(client=factory(fake), reports=["cdr", "agent"], lookback=lookback))
    requests = ordered_requests(fake)[sent:]
    # One page with the 7 new records, one empty page that ends the walk.
    assert len(requests) == 2
    assert requests[0].json["_id"] == last
    assert ids(tmp_path, "cdr") == sorted(before + new)
    assert ids(tmp_path, "agent") == sorted(str(r["_id"]) for r in fake.records("reports.agent"))
    info = pipe.last_trace.last_normalize_info
    assert info.row_counts["cdr"] == 7


def test_state_is_restored_from_the_destination(loaded: Any, tmp_path: Path) -> None:
    fake, db_folder, pipe, _ = loaded
    last = pipe.state["sources"]["simotel"]["resources"]["cdr"]["incremental"]["_id"]["last_value"]
    fresh = dlt.pipeline(
        pipeline_name=pipe.pipeline_name,
        destination=dlt.destinations.duckdb(str(db_folder / "load.duckdb")),
        dataset_name="data",
        pipelines_dir=str(tmp_path / "elsewhere"),
    )
    sent = len(ordered_requests(fake))
    fresh.run(simotel_source(client=factory(fake), reports=["cdr"]))
    assert ordered_requests(fake)[sent].json["_id"] == last
    assert len(ids(db_folder, "cdr")) == len(fake.records("reports.cdr"))


def test_unknown_report_names_the_choices() -> None:
    with pytest.raises(ValueError, match="choose from: all, cdr"):
        simotel_source(client=lambda: None, reports=["cdrs"])  # type: ignore[arg-type,return-value]


def test_a_record_of_the_wrong_shape_loads_as_sent_and_the_rest_loads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeSimotel(seed=9, cdr=45)
    template = {k: v for k, v in fake.records("reports.cdr")[0].items() if k != "_id"}
    # A string where the model wants a list, and a string where it wants a route object.
    flat = fake.insert("reports.cdr", {**template, "route": "Queue:q/Ext:101"})
    inner = fake.insert("reports.cdr", {**template, "route": ["Queue:q"]})
    after = [str(fake.insert("reports.cdr")["_id"]) for _ in range(3)]
    with caplog.at_level("WARNING", logger="simotel_async"):
        pipeline(tmp_path).run(simotel_source(client=factory(fake), reports=["cdr"]))
    server = sorted(str(r["_id"]) for r in fake.records("reports.cdr"))
    assert ids(tmp_path, "cdr") == server
    assert set(after) <= set(server)
    ((route,),) = query(tmp_path, f"select route from data.cdr where _id = '{flat['_id']}'")
    assert route == "Queue:q/Ext:101"  # as the server sent it
    ((pbx,),) = query(tmp_path, f"select pbx from data.cdr where _id = '{inner['_id']}'")
    assert pbx == "default"
    # Every list still becomes child rows (a list of strings: a "value" column).
    routes = query(tmp_path, "select count(*) from data.cdr__route")[0][0]
    lists = [r["route"] for r in fake.records("reports.cdr") if isinstance(r.get("route"), list)]
    assert routes == sum(len(route) for route in lists)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    for odd in (flat, inner):
        named = [m for m in warnings if str(odd["_id"]) in m]
        assert len(named) == 1, warnings
        assert named[0].startswith("cdr: record _id") and "loaded as the server sent it" in named[0]


def test_max_pages_loads_in_runs_each_bounded_and_complete(tmp_path: Path) -> None:
    from simotel_async.dlt import run_chunked, unfinished

    fake = FakeSimotel(seed=17, cdr=230)  # 12 ordered pages of 20
    pipe = pipeline(tmp_path)

    def source(names: Any) -> Any:
        return simotel_source(client=factory(fake), reports=names, max_pages=5)

    infos = run_chunked(pipe, source, ["cdr", "users"])
    assert len(infos) == 3  # 5 + 5 + 2 pages; users only in the first run
    assert pipe.last_trace.last_normalize_info.row_counts["cdr"] == 230 - 200
    assert ids(tmp_path, "cdr") == sorted(str(r["_id"]) for r in fake.records("reports.cdr"))
    assert unfinished(pipe) == []
    for _ in range(4):
        fake.insert("reports.cdr")
    sent = len(ordered_requests(fake))
    assert len(run_chunked(pipe, source, ["cdr"])) == 1
    assert len(ordered_requests(fake)) - sent == 2  # the new page, the empty one
    assert len(ids(tmp_path, "cdr")) == 234


def test_max_pages_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_pages"):
        simotel_source(client=lambda: None, max_pages=0)  # type: ignore[arg-type,return-value]


def test_append_rolls_back_a_load_killed_before_its_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dlt.destinations.job_client_impl import SqlJobClientBase

    from simotel_async.dlt import run_chunked

    fake = FakeSimotel(seed=19, cdr=100)
    pipe = pipeline(tmp_path)

    def source(names: Any) -> Any:
        return simotel_source(
            client=factory(fake), reports=names, max_pages=2, cursor_write="append"
        )

    run_chunked(pipe, source, ["cdr"])
    for _ in range(30):
        fake.insert("reports.cdr")

    # The next load dies after its rows are in both tables, before dlt records it in
    # _dlt_loads (the commit: the cursor in the destination's state counts from there).
    def die(self: Any, load_id: str) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(SqlJobClientBase, "complete_load", die)
    with pytest.raises(Exception, match="killed"):
        pipe.run(source(["cdr"]))
    monkeypatch.undo()
    assert pipe.has_pending_data
    uncommitted = "_dlt_load_id not in (select load_id from data._dlt_loads where status = 0)"
    with duckdb.connect(str(tmp_path / "load.duckdb")) as connection:
        # The same rows again, as a job that dlt re-runs after a kill would append them,
        # and another PBX's load in progress, which is not ours to touch.
        connection.execute(f"insert into data.cdr select * from data.cdr where {uncommitted}")
        connection.execute(
            f"insert into data.cdr__route select * from data.cdr__route where {uncommitted}"
        )
        connection.execute(
            f"insert into data.cdr by name select * replace ('other' as pbx) from data.cdr "
            f"where {uncommitted} limit 3"
        )
    doubled = f"select count(*) from data.cdr where pbx = 'default' and {uncommitted}"
    assert query(tmp_path, doubled) == [(2 * 30,)]  # the 30 new rows, twice
    sent = len(ordered_requests(fake))

    run_chunked(pipe, source, ["cdr"])
    server = sorted(str(r["_id"]) for r in fake.records("reports.cdr"))
    assert (
        sorted(r[0] for r in query(tmp_path, "select _id from data.cdr where pbx = 'default'"))
        == server
    )
    routes = sum(len(r.get("route") or []) for r in fake.records("reports.cdr"))
    ((children,),) = query(tmp_path, "select count(*) from data.cdr__route where pbx = 'default'")
    assert children == routes
    assert query(tmp_path, "select count(*) from data.cdr where pbx = 'other'") == [(3,)]
    # The rolled-back chunk was asked for again, after the committed cursor.
    assert ordered_requests(fake)[sent].json["_id"] == sorted(server)[99]
