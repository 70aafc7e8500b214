"""The ``simotel`` command against FakeSimotel: export, resume, errors, demo."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from simotel_async import AsyncSimotel, RetryPolicy, _cliargs, cli
from simotel_async._export import checkpoint_path
from simotel_async.testing import FakeSimotel

WIDE = ["--from", "2000-01-01", "--to", "2100-01-01 00:00"]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSimotel:
    fake = FakeSimotel(seed=3, cdr=1234)

    def client(args: Any, **overrides: Any) -> AsyncSimotel:
        return AsyncSimotel(
            fake.url,
            username=args.username or "api",
            password=args.password or "secret",
            transport=fake.transport(),
            retry=RetryPolicy(attempts=2, backoff_initial=0),
        )

    monkeypatch.setattr(_cliargs, "client", client)
    return fake


def ids_in_store(fake: FakeSimotel, collection: str = "reports.cdr") -> list[str]:
    return sorted(str(r["_id"]) for r in fake.records(collection))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_jsonl_matches_the_server(fake: FakeSimotel, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cdr.jsonl"
    code = cli.main(["export", "cdr", *WIDE, "--out", str(out), "--concurrency", "4"])
    assert code == 0
    rows = read_jsonl(out)
    ids = [row["_id"] for row in rows]
    assert len(ids) == len(set(ids)) == 1234
    assert sorted(ids) == ids_in_store(fake)
    by_id = {str(r["_id"]): r for r in fake.records("reports.cdr")}
    assert rows[0] == json.loads(json.dumps(by_id[rows[0]["_id"]]))
    printed = capsys.readouterr()
    assert printed.out.startswith("exported 1,234 records in 13 pages (0 retries) in ")
    assert printed.err == ""  # no progress bar on a pipe
    assert not checkpoint_path(out).exists()


def test_export_csv_keeps_every_field(fake: FakeSimotel, tmp_path: Path) -> None:
    out = tmp_path / "cdr.csv"
    assert cli.main(["export", "cdr", *WIDE, "--out", str(out), "--format", "csv"]) == 0
    with out.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 1234
    assert len({row["_id"] for row in rows}) == 1234
    assert set(rows[0]) >= {"_id", "src", "dst", "start", "route", "extra"}
    stored = {str(r["_id"]): r for r in fake.records("reports.cdr")}
    for row in rows[:50]:
        original = stored[row["_id"]]
        assert row["src"] == original["src"]
        assert json.loads(row["route"]) == original["route"]
        late = json.loads(row["extra"]) if row["extra"] else {}
        covered = {k for k in row if k != "extra" and row[k] != ""} | set(late)
        assert {k for k, v in original.items() if v not in ("", None)} <= covered


def test_filters_and_dates_reach_the_server(fake: FakeSimotel, tmp_path: Path) -> None:
    out = tmp_path / "cdr.jsonl"
    args = ["export", "cdr", "--from", "2024-03-01", "--to", "2024-03-02 12:30"]
    assert cli.main([*args, "--filter", "src=101", "--out", str(out)]) == 0
    body = fake.requests[-1].json
    assert body["date_range"] == {"from": "2024-03-01 00:00", "to": "2024-03-02 12:30"}
    # The same mapping as the Python src=: the documented conditions.from.
    assert body["conditions"]["from"] == "101"
    assert body["alike"] == "true"
    assert all(row["src"].find("101") >= 0 for row in read_jsonl(out))


def test_resume_after_an_interrupted_export(fake: FakeSimotel, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cdr.jsonl"
    fake.fail("reports.cdr.search", status=500, on_request=6)
    args = ["export", "cdr", *WIDE, "--out", str(out), "--page-size", "100", "--concurrency", "1"]
    assert cli.main(args) == 6
    err = capsys.readouterr().err
    assert err == (
        "simotel: error: reports.cdr.search (POST http://simotel.test/api/v4/reports/cdr/search)"
        " failed with HTTP 500: Internal Server Error\n"
    )
    marker = checkpoint_path(out)
    saved = json.loads(marker.read_text())
    assert saved["records"] == len(read_jsonl(out)) > 0
    with out.open("ab") as file:  # killed in the middle of writing the next page
        file.write(b'{"_id": "half a rec')

    assert cli.main(args) == 2  # refuses to clobber without --resume
    assert capsys.readouterr().err == (
        f"simotel: error: an interrupted export is at {out} (cdr.jsonl.checkpoint); pass "
        "--resume to continue it, or delete both files to start over\n"
    )

    assert cli.main([*args, "--resume"]) == 0
    ids = [row["_id"] for row in read_jsonl(out)]
    assert len(ids) == len(set(ids)) == 1234
    assert sorted(ids) == ids_in_store(fake)
    assert not marker.exists()
    starts = [
        r.json["pagination"]["start"]
        for r in fake.requests
        if r.endpoint_id == "reports.cdr.search" and r.status == 200
    ]
    assert saved["position"] == saved["records"] == 500
    assert starts == [0, 100, 200, 300, 400, *range(500, 1234, 100)]


def test_resume_ordered_cursor(fake: FakeSimotel, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cdr.jsonl"
    fake.fail("reports.cdr.ordered", status=500, on_request=10)
    args = ["export", "cdr-ordered", "--out", str(out)]
    assert cli.main(args) == 6
    assert "reports.cdr.ordered" in capsys.readouterr().err
    first = read_jsonl(out)
    assert len(first) == 20 * 9  # the 10th request failed
    assert cli.main([*args, "--resume"]) == 0
    ids = [row["_id"] for row in read_jsonl(out)]
    assert len(ids) == len(set(ids)) == 1234
    assert sorted(ids) == ids_in_store(fake)


def test_resume_with_other_filters_is_refused(fake: FakeSimotel, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cdr.jsonl"
    fake.fail("reports.cdr.search", status=500, on_request=3)
    assert cli.main(["export", "cdr", *WIDE, "--out", str(out)]) == 6
    code = cli.main(["export", "cdr", *WIDE, "--filter", "src=1", "--out", str(out), "--resume"])
    assert code == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert err.startswith(f"simotel: error: {checkpoint_path(out)} belongs to an export of ")
    assert err.endswith("as jsonl; resume with the same report, filters and format")


@pytest.mark.parametrize(
    ("setup", "code", "message"),
    [
        (lambda f: None, 3, "failed with HTTP 401"),
        (lambda f: setattr(f, "allowed_ips", ["10.9.9.9"]), 4, "IP is not permitted"),
        (lambda f: setattr(f, "permissions", {"setting.ping"}), 4, "Access denied"),
    ],
)
def test_errors_are_one_line_with_exit_codes(
    fake: FakeSimotel, tmp_path: Path, capsys, setup, code, message
) -> None:
    setup(fake)
    password = "secret" if code != 3 else "wrong-password-123"
    args = ["export", "cdr", *WIDE, "--out", str(tmp_path / "x.jsonl"), "--password", password]
    assert cli.main(args) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("simotel: error: reports.cdr.search")
    assert message in err
    assert "wrong-password-123" not in err


def test_server_down_exit_code(fake: FakeSimotel, tmp_path: Path, capsys) -> None:
    fake.fail(kind="connect_error", times=None)
    assert cli.main(["ping"]) == 5
    assert "could not reach the server" in capsys.readouterr().err


def test_ping(fake: FakeSimotel, capsys) -> None:
    assert cli.main(["ping"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"ok: {fake.url}")
    assert "secret" not in out


def test_dated_report_needs_dates(fake: FakeSimotel, tmp_path: Path, capsys) -> None:
    assert cli.main(["export", "cdr", "--out", str(tmp_path / "x")]) == 2
    assert "cdr needs --from and --to" in capsys.readouterr().err


def test_bad_filter(fake: FakeSimotel, tmp_path: Path, capsys) -> None:
    assert cli.main(["export", "cdr", *WIDE, "--filter", "src", "--out", str(tmp_path / "x")]) == 2
    assert "--filter takes NAME=VALUE, not 'src'" in capsys.readouterr().err


def test_help_documents_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    assert "4  not allowed (403)" in capsys.readouterr().out


def test_credentials_from_environment(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.delenv("SIMOTEL_URL", raising=False)
    assert cli.main(["ping"]) == 2
    assert "SIMOTEL_URL is not set" in capsys.readouterr().err


def test_demo(tmp_path: Path, capsys) -> None:
    out = tmp_path / "demo.jsonl"
    code = cli.main(["demo", "--out", str(out), "--records", "700", "--latency", "0"])
    assert code == 0
    ids = [row["_id"] for row in read_jsonl(out)]
    assert len(ids) == len(set(ids)) == 700
    printed = capsys.readouterr().out
    assert "exported 700 records in 7 pages" in printed
    assert f"the file is at {out.resolve()}" in printed


# Issue 12: the first hour of a new user.

EMPTY = ["--from", "1990-03-01", "--to", "1990-03-31 23:59"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_empty_report_is_a_valid_empty_file(
    fake: FakeSimotel, tmp_path: Path, capsys, fmt: str
) -> None:
    out = tmp_path / f"march.{fmt}"
    args = ["export", "cdr", *EMPTY, "--format", fmt, "--out", str(out), "--concurrency", "8"]
    assert cli.main(args) == 0
    printed = capsys.readouterr()
    assert printed.out.startswith("exported 0 records in 0 pages")
    assert printed.err == ""
    assert not checkpoint_path(out).exists()
    if fmt == "jsonl":
        assert out.read_bytes() == b""
    else:
        header = out.read_text(encoding="utf-8").splitlines()
        assert len(header) == 1
        assert header[0].split(",")[:3] == ["_id", "src", "dst"] or "_id" in header[0]
        assert header[0].endswith(",extra")
    # --resume on a finished (empty) export starts afresh and succeeds too.
    assert cli.main([*args, "--resume"]) == 0


def test_demo_with_no_records(tmp_path: Path, capsys) -> None:
    out = tmp_path / "demo.jsonl"
    assert cli.main(["demo", "--out", str(out), "--records", "0", "--latency", "0"]) == 0
    assert out.read_bytes() == b""
    assert "exported 0 records in 0 pages" in capsys.readouterr().out


def test_demo_writes_into_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["demo", "--records", "150", "--latency", "0"]) == 0
    out = tmp_path / "simotel-demo" / "cdr.jsonl"
    assert len(read_jsonl(out)) == 150
    assert f"the file is at {out.resolve()}" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["simotel-demo"]


def test_src_means_what_python_src_means(fake: FakeSimotel, tmp_path: Path) -> None:
    out = tmp_path / "cdr.jsonl"
    assert cli.main(["export", "cdr", *WIDE, "--src", "10", "--out", str(out)]) == 0
    body = fake.requests[-1].json
    assert body["conditions"] == {"from": "10", "to": "", "cuid": ""}
    assert body["alike"] == "true"
    rows = read_jsonl(out)
    assert rows and all("10" in row["src"] for row in rows)


def test_exact_sends_alike_false(fake: FakeSimotel, tmp_path: Path) -> None:
    src = fake.records("reports.cdr")[0]["src"]
    out = tmp_path / "cdr.jsonl"
    args = ["export", "cdr", *WIDE, "--filter", f"src={src}", "--exact", "--out", str(out)]
    assert cli.main(args) == 0
    body = fake.requests[-1].json
    assert body["alike"] == "false"
    assert body["conditions"]["from"] == src
    rows = read_jsonl(out)
    assert rows and {row["src"] for row in rows} == {src}
    expected = {str(r["_id"]) for r in fake.records("reports.cdr") if r["src"] == src}
    assert {row["_id"] for row in rows} == expected


def test_unknown_filter_suggests_the_name(fake: FakeSimotel, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cdr.jsonl"
    assert cli.main(["export", "cdr", *WIDE, "--filter", "scr=1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "simotel: error: cdr has no filter 'scr'; did you mean 'src'? "
        "(its filters: date_from, date_to, src, dst, cuid)\n"
    )
    assert not out.exists()
    assert fake.requests == []


def test_per_report_filters(fake: FakeSimotel, tmp_path: Path) -> None:
    out = tmp_path / "q.jsonl"
    assert cli.main(["export", "queue-details", *WIDE, "--queue-id", "7", "--out", str(out)]) == 0
    assert fake.requests[-1].json["conditions"]["queue_id"] == "7"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--concurrency", "0"], "argument --concurrency: must be 1 or more, not 0"),
        (["--page-size", "0"], "argument --page-size: must be 1 or more, not 0"),
        (["--page-size", "ten"], "argument --page-size: expected a whole number, not 'ten'"),
    ],
)
def test_bad_numbers_are_one_line_and_create_nothing(
    fake: FakeSimotel, tmp_path: Path, capsys, extra: list[str], message: str
) -> None:
    out = tmp_path / "x.jsonl"
    with pytest.raises(SystemExit) as exited:
        cli.main(["export", "cdr", *WIDE, "--out", str(out), *extra])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err
    assert not out.exists()


def test_missing_out_directory(fake: FakeSimotel, tmp_path: Path, capsys) -> None:
    out = tmp_path / "nope" / "x.jsonl"
    assert cli.main(["export", "cdr", *WIDE, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"simotel: error: the directory of --out does not exist: {out.parent}\n"
    assert fake.requests == []


def test_a_failed_first_request_leaves_no_file(fake: FakeSimotel, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    assert cli.main(["export", "cdr", *WIDE, "--out", str(out), "--password", "wrong"]) == 3
    assert not out.exists()
    assert not checkpoint_path(out).exists()


def test_checkpoints_at_most_once_a_second(
    fake: FakeSimotel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from simotel_async import _export

    syncs: list[int] = []
    real = os.fsync
    monkeypatch.setattr(_export.os, "fsync", lambda fd: (syncs.append(fd), real(fd)))
    monkeypatch.setattr(_export, "SYNC_INTERVAL", 3600.0)
    out = tmp_path / "cdr.jsonl"
    assert cli.main(["export", "cdr", *WIDE, "--out", str(out), "--page-size", "10"]) == 0
    assert len(read_jsonl(out)) == 1234
    # 124 pages inside one interval: the output and the checkpoint are synced once, at the end.
    assert len(syncs) == 2


def test_a_reversed_range_is_refused_before_anything_is_sent_or_created(
    fake: FakeSimotel, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "march.csv"
    args = ["export", "cdr", "--from", "2024-03-31 23:59", "--to", "2024-03-01", "--out", str(out)]
    assert cli.main([*args, "--format", "csv"]) == 2
    assert capsys.readouterr().err == (
        "simotel: error: date_from (2024-03-31 23:59) is after date_to (2024-03-01 00:00); "
        "swap them (nothing was sent)\n"
    )
    assert fake.requests == []
    assert list(tmp_path.iterdir()) == []
