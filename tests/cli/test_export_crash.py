"""A ``simotel export`` killed with SIGKILL at random moments resumes with no loss or duplicate."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from simotel_async.testing import FakeSimotel

CHILD = Path(__file__).with_name("crash_child.py")
RECORDS = 3000
WIDE = ["--from", "2000-01-01", "--to", "2100-01-01 00:00"]


def run(out: Path, *extra: str, interval: float = 0.02) -> subprocess.Popen[str]:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    args = [sys.executable, str(CHILD), str(RECORDS), str(interval), "export", *extra]
    return subprocess.Popen(
        [*args, "--out", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def expected_ids() -> list[str]:
    return sorted(str(r["_id"]) for r in FakeSimotel(seed=11, cdr=RECORDS).records("reports.cdr"))


@pytest.mark.slow
@pytest.mark.parametrize(("report", "extra"), [("cdr", WIDE), ("cdr-ordered", [])])
@pytest.mark.parametrize("seed", [3])
def test_killed_at_random_points_resumes_exactly(
    tmp_path: Path, report: str, extra: list[str], seed: int
) -> None:
    rng = random.Random(seed)
    out = tmp_path / "out.jsonl"
    kills = 0
    for attempt in range(12):
        child = run(out, report, *extra, "--page-size", "20", *(["--resume"] if attempt else []))
        assert child.stdout is not None
        assert child.stdout.readline() == "started\n"
        try:
            child.wait(timeout=rng.uniform(0.05, 0.6))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            kills += 1
            continue
        finally:
            child.stdout.close()
            if child.stderr is not None:
                child.stderr.close()
        assert child.returncode == 0
        break
    else:
        child = run(out, report, *extra, "--page-size", "20", "--resume")
        _, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    ids = [json.loads(line)["_id"] for line in lines]
    print(f"{report} seed={seed}: {kills} kills, {len(ids)} records")
    assert kills >= 1
    assert len(ids) == len(set(ids)) == RECORDS
    assert sorted(ids) == expected_ids()
