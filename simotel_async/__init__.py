"""simotel-async: an asyncio SDK for the Simotel contact-center / PBX platform."""

from ._client import AsyncSimotel, PoolStatus
from ._convert import to_dict
from ._errors import (
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
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
    SimotelSecurityWarning,
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
    "ClientClosedError",
    "CursorPage",
    "IPNotPermittedError",
    "MethodNotAllowedError",
    "NotFoundError",
    "OperationFailedError",
    "Page",
    "PermissionDeniedError",
    "PoolStatus",
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
]

_publish(globals(), __all__, "simotel_async")
