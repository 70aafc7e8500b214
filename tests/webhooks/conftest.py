"""Shared fixtures of the webhook tests: form encodings of the vendor's sample payloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest


def _flatten(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """PHP-style form pairs, the way versions 2/3 and GET deliver nested fields."""
    for key, value in data.items():
        name = f"{prefix}[{key}]" if prefix else key
        if isinstance(value, dict):
            yield from _flatten(value, name)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _flatten(item, f"{name}[{index}]")
                else:
                    yield f"{name}[{index}]", str(item)
        elif value is None:
            yield name, ""
        else:
            yield name, str(value)


def form_encode(data: dict[str, Any], *, wrapper: str | None = None) -> str:
    """``application/x-www-form-urlencoded`` text, optionally nested under ``wrapper``."""
    return urlencode(list(_flatten({wrapper: data} if wrapper else data)))


@pytest.fixture
def encode_form() -> Callable[..., str]:
    return form_encode
