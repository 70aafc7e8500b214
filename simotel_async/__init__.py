"""simotel-async: an asyncio SDK for the Simotel contact-center / PBX platform."""

from ._client import AsyncSimotel
from ._convert import to_dict
from ._errors import (
    AuthenticationError,
    BadRequestError,
    IPNotPermittedError,
    MethodNotAllowedError,
    NotFoundError,
    OperationFailedError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ServiceNotFoundError,
    SimotelAPIError,
    SimotelConnectionError,
    SimotelError,
    SimotelResponseError,
    SimotelTimeoutError,
    UnsupportedMediaTypeError,
)
from ._pagination import AsyncCursor, AsyncPaginator, CursorPage, Page
from ._public import publish as _publish
from ._transport import RateLimit, RateLimitTransport, RetryPolicy, RetryTransport
from ._version import __version__

__all__ = [
    "AsyncCursor",
    "AsyncPaginator",
    "AsyncSimotel",
    "AuthenticationError",
    "BadRequestError",
    "CursorPage",
    "IPNotPermittedError",
    "MethodNotAllowedError",
    "NotFoundError",
    "OperationFailedError",
    "Page",
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
    "SimotelTimeoutError",
    "UnsupportedMediaTypeError",
    "__version__",
    "to_dict",
]

_publish(globals(), __all__, "simotel_async")
