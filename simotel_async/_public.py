"""Public objects report their public module, not the private one defining them."""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["publish"]


def publish(namespace: Mapping[str, Any], names: Iterable[str], module: str) -> None:
    """Set ``__module__`` of the classes and functions among ``names`` to ``module``.

    As httpx does, so reprs, tracebacks and docs never show private paths. Type aliases
    are left alone (on Python 3.10 ``list[int]`` even passes ``isinstance(_, type)``).
    """
    for name in names:
        obj = namespace[name]
        if isinstance(obj, types.GenericAlias) or not isinstance(obj, (type, types.FunctionType)):
            continue
        if obj.__module__.startswith(module + "._") or obj.__module__.startswith("simotel_async._"):
            obj.__module__ = module
