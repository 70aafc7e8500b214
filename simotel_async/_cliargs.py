"""What the ``simotel`` subcommands share: counts, the client from the options, exit codes."""

from __future__ import annotations

import argparse
import importlib.util
from typing import Any

from ._client import AsyncSimotel
from ._errors import (
    AuthenticationError,
    PermissionDeniedError,
    SimotelAPIError,
    SimotelConnectionError,
    SimotelResponseError,
)

__all__ = ["backend", "client", "exit_code", "positive"]


def positive(text: str) -> int:
    """An ``argparse`` type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def backend() -> str:
    """The pool the CLI's client runs on: ``"aiohttp"`` when httpx-aiohttp is installed
    (``pip install 'simotel-async[speed]'``), otherwise ``"httpx"``."""
    return "aiohttp" if importlib.util.find_spec("httpx_aiohttp") is not None else "httpx"


def client(args: argparse.Namespace, **overrides: Any) -> AsyncSimotel:
    """An ``AsyncSimotel`` from the connection options, the environment filling the rest;
    on the aiohttp backend when installed (unless ``overrides`` send elsewhere)."""
    kwargs: dict[str, Any] = {
        key: value
        for key, value in (
            ("base_url", args.url),
            ("username", args.username),
            ("password", args.password),
            ("api_key", args.api_key),
            ("api_version", args.api_version),
        )
        if value
    }
    if not {"backend", "transport", "http_client"} & overrides.keys():
        kwargs["backend"] = backend()
    return AsyncSimotel.from_env(**kwargs, **overrides)


def exit_code(error: BaseException) -> int:
    """The documented exit code for an error that ended a command."""
    if isinstance(error, AuthenticationError):
        return 3
    if isinstance(error, PermissionDeniedError):
        return 4
    if isinstance(error, SimotelConnectionError):
        return 5
    if isinstance(error, SimotelAPIError):
        return 6
    if isinstance(error, SimotelResponseError):
        return 7
    if isinstance(error, (ValueError, FileExistsError)):
        return 2
    return 1
