"""``python -m simotel_async.testing``: serve a FakeSimotel over HTTP with uvicorn."""

from __future__ import annotations

import argparse
import sys

from ._server import FakeSimotel

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simotel_async.testing",
        description="Serve an in-memory fake Simotel (API v4 and v3) for demos and manual tests.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    parser.add_argument("--cdr", type=int, default=500, help="CDR records to generate")
    parser.add_argument("--username", default="api")
    parser.add_argument("--password", default="secret")
    parser.add_argument("--api-key", default="KEY")
    parser.add_argument("--auth", choices=("basic", "apikey", "both"), default="basic")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the fake and run uvicorn until interrupted."""
    args = _parser().parse_args(argv)
    try:
        import uvicorn
    except ImportError:
        print(
            "python -m simotel_async.testing needs uvicorn: pip install uvicorn",
            file=sys.stderr,
        )
        return 1
    fake = FakeSimotel(
        seed=args.seed,
        cdr=args.cdr,
        username=args.username,
        password=args.password,
        api_key=args.api_key,
        auth=args.auth,
        latency=args.latency,
    )
    print(
        f"Fake Simotel on http://{args.host}:{args.port}/api/v4/ "
        f"(auth={args.auth}, username={args.username!r}, password={args.password!r}, "
        f"api key={args.api_key!r})",
        file=sys.stderr,
    )
    uvicorn.run(fake.asgi_app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
