"""The public surface is exactly ``__all__``: it cannot grow by accident."""

from __future__ import annotations

import inspect
import types

import simotel_async
from simotel_async import models, testing, webhooks

EXPECTED = {
    "AsyncCursor",
    "AsyncPaginator",
    "AsyncSimotel",
    "AuthenticationError",
    "ClientClosedError",
    "BadRequestError",
    "CursorPage",
    "IPNotPermittedError",
    "MethodNotAllowedError",
    "NotFoundError",
    "OperationFailedError",
    "Page",
    "PoolStatus",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitTransport",
    "RateLimitedError",
    "RetryPolicy",
    "RetryTransport",
    "ServerError",
    "ServiceNotFoundError",
    "SimotelAPIError",
    "SimotelConnectionError",
    "SimotelError",
    "SimotelResponseError",
    "SimotelSecurityWarning",
    "SimotelTimeoutError",
    "UnsupportedMediaTypeError",
    "__version__",
    "to_dict",
}


def test_all_is_the_public_surface() -> None:
    assert set(simotel_async.__all__) == EXPECTED
    public = {name for name in dir(simotel_async) if not name.startswith("_")}
    submodules = {"cli", "dlt", "models", "resources", "testing", "webhooks"}
    assert public - submodules - EXPECTED == set()


def test_public_objects_live_in_the_public_module() -> None:
    for name in simotel_async.__all__:
        obj = getattr(simotel_async, name)
        if hasattr(obj, "__module__") and not isinstance(obj, str):
            assert obj.__module__ == "simotel_async", name


def test_subpackages_have_an_all() -> None:
    for module in (models, testing, webhooks):
        assert module.__all__
        for name in module.__all__:
            assert getattr(module, name) is not None


def test_every_public_name_has_a_docstring() -> None:
    for module in (simotel_async, models, testing, webhooks):
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, types.GenericAlias):
                continue  # a type alias (a class on Python 3.10)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                assert (obj.__doc__ or "").strip(), f"{module.__name__}.{name}"
