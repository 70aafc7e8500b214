"""The exception tree, and the mapping from an HTTP answer to the exception it means.

```
SimotelError
├── SimotelConnectionError      could not reach the server (request maybe never sent)
│   └── SimotelTimeoutError
├── SimotelResponseError        the server answered something that is not the protocol
└── SimotelAPIError             .status_code .message .endpoint .response
    ├── OperationFailedError    200 with success 0 ("This number already exists")
    ├── BadRequestError         400 Unable to parse content
    ├── AuthenticationError     401 missing / invalid credentials
    ├── PermissionDeniedError   403 access denied for this endpoint
    │   └── IPNotPermittedError 403 IP is not permitted
    ├── NotFoundError           404 (wrong URL, missing download)
    ├── MethodNotAllowedError   405
    ├── UnsupportedMediaTypeError 415
    ├── RateLimitedError        429 (.retry_after)
    ├── ServiceNotFoundError    501 requested service does not exist
    └── ServerError             other 5xx
```

Match on the class (or ``status_code``), never on message text: the server's wording
varies between versions and languages.
"""

from __future__ import annotations

from typing import ClassVar

import httpx

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "IPNotPermittedError",
    "MethodNotAllowedError",
    "NotFoundError",
    "OperationFailedError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ServerError",
    "ServiceNotFoundError",
    "SimotelAPIError",
    "SimotelConnectionError",
    "SimotelError",
    "SimotelResponseError",
    "SimotelTimeoutError",
    "UnsupportedMediaTypeError",
    "api_error",
    "redact_url",
]


def redact_url(url: httpx.URL | str) -> str:
    """``url`` without userinfo, so a password in ``https://user:pass@host`` never prints."""
    url = httpx.URL(url)
    if url.userinfo:
        url = url.copy_with(username=None, password=None)
    return str(url)


def _where(request: httpx.Request | None) -> str:
    return f"{request.method} {redact_url(request.url)}" if request is not None else ""


class SimotelError(Exception):
    """Base class of every error this SDK raises."""


class SimotelConnectionError(SimotelError):
    """The server could not be reached; the request may never have been sent."""

    def __init__(
        self, message: str, *, endpoint: str | None = None, request: httpx.Request | None = None
    ) -> None:
        self.endpoint = endpoint
        self.request = request
        where = _where(request)
        super().__init__(f"{endpoint or 'request'} ({where}): {message}" if where else message)


class SimotelTimeoutError(SimotelConnectionError):
    """Connecting, reading, writing or waiting for a pooled connection took too long."""


class SimotelResponseError(SimotelError):
    """The server answered, but not in the Simotel protocol (HTML page, broken JSON...)."""

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        status_code: int | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        self.message = message
        self.endpoint = endpoint
        self.status_code = (
            status_code if status_code is not None else getattr(response, "status_code", None)
        )
        self.response = response
        request = (
            response.request if response is not None and response._request is not None else None
        )
        where = _where(request)
        prefix = f"{endpoint or 'response'}" + (f" ({where})" if where else "")
        status = f" [HTTP {self.status_code}]" if self.status_code is not None else ""
        super().__init__(f"{prefix}: {message}{status}")


class SimotelAPIError(SimotelError):
    """The server answered in protocol with a failure: an HTTP error or ``success: 0``.

    Attributes:
        status_code: the HTTP status (200 for an operation failure).
        message: the server's own message, verbatim (may be empty).
        endpoint: the endpoint id, e.g. ``"pbx.users.add"``.
        response: the ``httpx.Response`` (its request never carries secrets in repr).
    """

    hint: ClassVar[str] = ""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        endpoint: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.endpoint = endpoint
        self.response = response
        super().__init__(self._describe())

    @property
    def request(self) -> httpx.Request | None:
        """The request that failed, when known."""
        if self.response is None or self.response._request is None:
            return None
        return self.response.request

    def _describe(self) -> str:
        where = _where(self.request)
        head = f"{self.endpoint or 'request'}" + (f" ({where})" if where else "")
        text = f"{head} failed with HTTP {self.status_code}"
        if self.message:
            text += f": {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class OperationFailedError(SimotelAPIError):
    """HTTP 200 with ``success: 0``: the call was accepted but the operation failed."""


class BadRequestError(SimotelAPIError):
    """400: the server could not parse the request body."""

    hint = "the body must be valid JSON"


class AuthenticationError(SimotelAPIError):
    """401: credentials missing, incomplete or wrong."""

    hint = (
        "check username/password and api_key against the API account, and which "
        "authentication method (Basic, API key or both) that account requires"
    )


class PermissionDeniedError(SimotelAPIError):
    """403: the API account lacks permission for this endpoint."""

    hint = "tick this endpoint in the API account's permissions (Maintenance > API Accounts)"


class IPNotPermittedError(PermissionDeniedError):
    """403 IP is not permitted: this client's address is not in the allowed list."""

    hint = "add this client's IP to Simotel's Allowed IPs (Maintenance > Settings > Simotel API)"


class NotFoundError(SimotelAPIError):
    """404: a wrong URL (an API version the server lacks?) or a missing download."""

    hint = "check the base URL and api_version, or that the file exists"


class MethodNotAllowedError(SimotelAPIError):
    """405: the server does not accept this HTTP method for the service."""


class UnsupportedMediaTypeError(SimotelAPIError):
    """415: the Content-Type is not accepted."""


class RateLimitedError(SimotelAPIError):
    """429: too many requests. ``retry_after`` is the server's advice in seconds, if any."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 429,
        endpoint: str | None = None,
        response: httpx.Response | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, status_code=status_code, endpoint=endpoint, response=response)


class ServiceNotFoundError(SimotelAPIError):
    """501: the requested service does not exist on this server."""

    hint = "this server may not have the module (e.g. autodialer) or this API version"


class ServerError(SimotelAPIError):
    """Any other 5xx: the server failed."""


_BY_STATUS: dict[int, type[SimotelAPIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    415: UnsupportedMediaTypeError,
    429: RateLimitedError,
    501: ServiceNotFoundError,
}


def api_error(
    status_code: int,
    message: str,
    *,
    endpoint: str | None = None,
    response: httpx.Response | None = None,
) -> SimotelAPIError:
    """The exception for an in-protocol failure: ``status_code`` plus the server's message."""
    if status_code == 403 and "ip is not permitted" in message.lower():
        return IPNotPermittedError(message, status_code=403, endpoint=endpoint, response=response)
    if status_code == 429:
        from ._transport import retry_after_seconds

        delay = retry_after_seconds(response.headers) if response is not None else None
        return RateLimitedError(message, endpoint=endpoint, response=response, retry_after=delay)
    if status_code < 300:
        cls: type[SimotelAPIError] = OperationFailedError
    else:
        cls = _BY_STATUS.get(status_code, ServerError if status_code >= 500 else SimotelAPIError)
    return cls(message, status_code=status_code, endpoint=endpoint, response=response)
