"""Run ``simotel export`` against a deterministic in-process FakeSimotel (killed by tests)."""

from __future__ import annotations

import sys
from typing import Any

from simotel_async import AsyncSimotel, RetryPolicy, _cliargs, _export, cli
from simotel_async.testing import FakeSimotel


def main() -> int:
    records, interval, *argv = sys.argv[1:]
    fake = FakeSimotel(seed=11, cdr=int(records), latency=0.01)

    def client(args: Any, **overrides: Any) -> AsyncSimotel:
        return AsyncSimotel(
            fake.url,
            username="api",
            password="secret",
            transport=fake.transport(),
            retry=RetryPolicy(attempts=1),
        )

    _cliargs.client = client  # type: ignore[assignment]
    _export.SYNC_INTERVAL = float(interval)
    print("started", flush=True)
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
