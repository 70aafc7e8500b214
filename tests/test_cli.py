"""The ``simotel`` command against FakeSimotel: export, resume, errors, demo."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from simotel_async import AsyncSimotel, RetryPolicy, cli
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

    monkeypatch.setattr(cli, "_client", client)
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
    assert body["conditions"] == {"src": "101"}
    assert all(row["src"].find("101") >= 0 for row in read_jsonl(out))


def test_resume_after_an_interrupted_export(fake: FakeSimotel, tmp_path: Path) -> None:
    out = tmp_path / "cdr.jsonl"
    fake.fail("reports.cdr.search", status=500, on_request=6)
    args = ["export", "cdr", *WIDE, "--out", str(out), "--page-size", "100", "--concurrency", "1"]
    assert cli.main(args) == 6
    marker = checkpoint_path(out)
    saved = json.loads(marker.read_text())
    assert saved["records"] == len(read_jsonl(out)) > 0
    with out.open("ab") as file:  # killed in the middle of writing the next page
        file.write(b'{"_id": "half a rec')

    assert cli.main(args) == 2  # refuses to clobber without --resume

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


def test_resume_ordered_cursor(fake: FakeSimotel, tmp_path: Path) -> None:
    out = tmp_path / "cdr.jsonl"
    fake.fail("reports.cdr.ordered", status=500, on_request=10)
    args = ["export", "cdr-ordered", "--out", str(out)]
    assert cli.main(args) == 6
    first = read_jsonl(out)
    assert len(first) == 20 * 9  # the 10th request failed
    assert cli.main([*args, "--resume"]) == 0
    ids = [row["_id"] for row in read_jsonl(out)]
    assert len(ids) == len(set(ids)) == 1234
    assert sorted(ids) == ids_in_store(fake)


def test_resume_with_other_filters_is_refused(fake: FakeSimotel, tmp_path: Path) -> None:
    out = tmp_path / "cdr.jsonl"
    fake.fail("reports.cdr.search", status=500, on_request=3)
    assert cli.main(["export", "cdr", *WIDE, "--out", str(out)]) == 6
    code = cli.main(["export", "cdr", *WIDE, "--filter", "src=1", "--out", str(out), "--resume"])
    assert code == 2


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
    assert "--filter takes KEY=VALUE" in capsys.readouterr().err


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
