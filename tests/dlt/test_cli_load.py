"""``simotel load`` end to end: fakes under uvicorn, DuckDB files, a SIGKILL, PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

dlt = pytest.importorskip("dlt", reason="the dlt tests need pip install 'simotel-async[dlt]'")
duckdb = pytest.importorskip("duckdb", reason="the dlt tests need dlt[duckdb]")

from simotel_async.cli import main  # noqa: E402
from simotel_async.testing import FakeSimotel  # noqa: E402
from tests.dlt.servers import ROOT, served_fake  # noqa: E402


def simotel(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "simotel_async", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def server_ids(seed: int, cdr: int) -> list[str]:
    return sorted(str(r["_id"]) for r in FakeSimotel(seed=seed, cdr=cdr).records("reports.cdr"))


@pytest.mark.parametrize("chunk", [None, "7"], ids=["default-chunks", "7-page-chunks"])
def test_killed_load_resumes_complete_without_duplicates(tmp_path: Path, chunk: str | None) -> None:
    rng = random.Random()
    db = tmp_path / "simotel.duckdb"
    common = ["--to", str(db), "--pipelines-dir", str(tmp_path / "work")]
    if chunk is not None:
        # 75 pages in runs of 7: the kill lands in one of several committed runs.
        common += ["--chunk-pages", chunk]
    env = {"SIMOTEL_USERNAME": "api", "SIMOTEL_PASSWORD": "secret"}
    with served_fake(seed=13, cdr=1500, latency=0.02) as url:
        child = simotel("load", "cdr", "--url", url, *common, env=env)
        assert child.stderr is not None
        pages = rng.randint(1, 3)  # progress lines come at most twice a second
        for _ in range(pages):
            line = child.stderr.readline()
            if "cdr:" not in line:
                child.kill()
                out, err = child.communicate()
                pytest.fail(f"no progress line ({line!r}): {child.returncode} {out} {err}")
        child.send_signal(signal.SIGKILL)
        child.communicate()
        assert child.returncode == -signal.SIGKILL
        again = simotel("load", "cdr", "--url", url, *common, env=env)
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
    assert "cursor cdr: _id" in out
    ((count, distinct),) = rows(db, "select count(*), count(distinct _id) from simotel_data.cdr")
    assert count == distinct == 1500
    got = sorted(r[0] for r in rows(db, "select _id from simotel_data.cdr"))
    assert got == server_ids(13, 1500)


def test_two_pbxs_one_failing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "tenants.duckdb"
    config = tmp_path / "pbxs.toml"
    config.write_text(
        "[[pbx]]\nname = 'tehran'\nurl = '{a}'\nusername_env = 'T_USER'\npassword_env = 'T_PASS'\n"
        "[[pbx]]\nname = 'shiraz'\nurl = '{b}'\nusername_env = 'S_USER'\npassword_env = 'S_PASS'\n"
    )
    common = ["--to", str(db), "--pipelines-dir", str(tmp_path / "work"), "--config", str(config)]
    common += ["--dataset", "tenants_data"]
    with served_fake(seed=21, cdr=120) as a, served_fake(seed=22, cdr=80) as b:
        config.write_text(config.read_text().format(a=a, b=b))
        os.environ.update(T_USER="api", T_PASS="secret", S_USER="api", S_PASS="wrong")
        try:
            assert main(["load", "cdr", "users", *common]) == 64 + 2  # the second failed
            out = capsys.readouterr().out
            assert "pbx shiraz: FAILED" in out and "pbx tehran: loaded" in out
            assert "wrong" not in out
            counts = rows(db, "select pbx, count(*) from tenants_data.cdr group by pbx")
            assert counts == [("tehran", 120)]
            os.environ["S_PASS"] = "secret"
            assert main(["load", "cdr", "users", *common]) == 0
        finally:
            for key in ("T_USER", "T_PASS", "S_USER", "S_PASS"):
                os.environ.pop(key, None)
    by_pbx = dict(rows(db, "select pbx, count(*) from tenants_data.cdr group by pbx"))
    assert by_pbx == {"tehran": 120, "shiraz": 80}
    ((dupes,),) = rows(db, "select count(*) - count(distinct (pbx, _id)) from tenants_data.cdr")
    assert dupes == 0


def test_demo_load_prints_a_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--load", "--records", "300", "--latency", "0"]) == 0
    out = capsys.readouterr().out
    assert "ANSWERED" in out and "cdr__route" in out
    assert (tmp_path / "simotel-demo" / "simotel.duckdb").exists()


def test_postgres_load_and_reload(
    tmp_path: Path,
    postgres_dsn: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_password = postgres_dsn.replace("postgres@", "postgres:hunter2@")
    common = ["--pipelines-dir", str(tmp_path / "work"), "--dataset", "pbx_data"]
    with served_fake(seed=31, cdr=150) as url:
        login = ["--url", url, "--username", "api", "--password", "secret"]
        assert main(["load", "cdr", "agent", "--to", with_password, *login, *common]) == 0
        captured = capsys.readouterr()
        assert "hunter2" not in captured.out + captured.err
        assert "postgres:***@" in captured.out
        monkeypatch.setenv("PGPASSWORD", "from-the-environment")  # trust auth takes any
        assert main(["load", "cdr", "--to", postgres_dsn, *login, *common]) == 0
        assert "loaded 0 rows" in capsys.readouterr().out
    import psycopg2

    with psycopg2.connect(postgres_dsn) as connection, connection.cursor() as cursor:
        cursor.execute("select _id, start from pbx_data.cdr")
        found = cursor.fetchall()
    assert sorted(r[0] for r in found) == server_ids(31, 150)
    assert all(r[1] is None or r[1].tzinfo is not None for r in found)
