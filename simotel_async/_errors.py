"""The exception tree, and the mapping from an HTTP answer or failure to the exception it means.

```
SimotelError                    .endpoint .request .response .status_code .outcome_unknown
├── SimotelConnectionError      could not reach the server, or the connection broke
│   └── SimotelTimeoutError     a timeout, or the call's deadline
├── SimotelResponseError        the server answered something that is not the protocol
├── ClientClosedError           the client was closed (before or during the call)
└── SimotelAPIError             .message: the server's own words
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
varies between versions and languages. ``outcome_unknown`` is True exactly when a
request that is not safe to repeat (add, update, remove, originate, upload...) may have
been carried out although the call failed: check before retrying it.
"""

from __future__ import annotations

import email.utils
import ssl
from datetime import datetime, timezone
from typing import ClassVar

import httpx

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "IPNotPermittedError",
    "MalformedReply",
    "MethodNotAllowedError",
    "NotFoundError",
    "OperationFailedError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ReplyCutOff",
    "ServerError",
    "ServiceNotFoundError",
    "SimotelAPIError",
    "SimotelConnectionError",
    "SimotelError",
    "SimotelResponseError",
    "SimotelSecurityWarning",
    "SimotelTimeoutError",
    "UnsupportedMediaTypeError",
    "api_error",
    "from_httpx",
    "redact_request",
    "redact_url",
    "reason",
    "retry_after_seconds",
    "tls_failure",
]

REDACTED = "[secure]"
_SECRET_HEADERS = frozenset({"authorization", "x-apikey", "proxy-authorization", "cookie"})


class SimotelSecurityWarning(UserWarning):
    """Credentials would travel unprotected (plain ``http://``, ``verify=False``)."""


def redact_url(url: httpx.URL | str) -> str:
    """``url`` without userinfo, so a password in ``https://user:pass@host`` never prints."""
    url = httpx.URL(url)
    if url.userinfo:
        url = url.copy_with(username=None, password=None)
    return str(url)


def redact_request(request: httpx.Request) -> httpx.Request:
    """A copy of ``request`` whose ``Authorization``/``X-APIKEY`` read ``[secure]``.

    The copy keeps the method, the URL (without userinfo), the other headers and a body
    that was already in memory (JSON); a streamed body (multipart) is left out.
    """
    headers = httpx.Headers(
        [
            (name, REDACTED if name.lower() in _SECRET_HEADERS else value)
            for name, value in request.headers.multi_items()
        ]
    )
    try:
        content: bytes | None = request.content
    except httpx.RequestNotRead:
        content = None
    copy = httpx.Request(request.method, redact_url(request.url), headers=headers, content=content)
    copy.extensions = {"simotel_redacted": True}
    return copy


def _redacted(request: httpx.Request | None) -> httpx.Request | None:
    if request is None or request.extensions.get("simotel_redacted"):
        return request
    return redact_request(request)


def reason(exc: BaseException) -> str:
    """``str(exc)``, or the exception's class name when that is empty."""
    return str(exc) or type(exc).__name__


def retry_after_seconds(headers: httpx.Headers, *, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` (or ``retry-after-ms``) header asks to wait, or ``None``."""
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


_CONSEQUENCE = {
    "originate": "placed the call",
    "add": "added the record",
    "update": "applied the update",
    "remove": "removed the record",
    "upload": "stored the file",
}


def _unknown_outcome(endpoint: str | None) -> str:
    action = (endpoint or "").rsplit(".", 1)[-1]
    done = _CONSEQUENCE.get(action, f"carried out {endpoint or 'the request'}")
    return f"the server may have {done}; check before retrying"


def _where(request: httpx.Request | None) -> str:
    return f"{request.method} {redact_url(request.url)}" if request is not None else ""


def _head(endpoint: str | None, request: httpx.Request | None, default: str) -> str:
    where = _where(request)
    return f"{endpoint or default}" + (f" ({where})" if where else "")


class SimotelError(Exception):
    """Base class of every error this SDK raises.

    Attributes:
        endpoint: the endpoint id, e.g. ``"pbx.users.add"`` (None if not known).
        request: the request, redacted: ``Authorization`` and ``X-APIKEY`` read
            ``[secure]``, the URL carries no userinfo.
        response: the ``httpx.Response``, if one arrived.
        status_code: its HTTP status (None when no response).
        outcome_unknown: the request is not safe to repeat and may have been carried
            out (the message says so): check before retrying.
    """

    endpoint: str | None
    request: httpx.Request | None
    response: httpx.Response | None
    status_code: int | None
    outcome_unknown: bool

    def __init__(
        self,
        message: str = "",
        *,
        endpoint: str | None = None,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
        status_code: int | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        if request is None and response is not None and response._request is not None:
            request = response.request
        self.message = message
        self.endpoint = endpoint
        self.request = _redacted(request)
        if response is not None and self.request is not None:
            response.request = self.request
        self.response = response
        self.status_code = status_code if status_code is not None else _status(response)
        self.outcome_unknown = outcome_unknown
        text = self._describe() or type(self).__name__
        if outcome_unknown:
            text += f"; {_unknown_outcome(endpoint)}"
        super().__init__(text)

    def _describe(self) -> str:
        return self.message


def _status(response: httpx.Response | None) -> int | None:
    return response.status_code if response is not None else None


class SimotelConnectionError(SimotelError):
    """The server could not be reached, or the connection broke before a full answer.

    ``outcome_unknown`` says whether an unsafe request may have reached the server.
    """

    def _describe(self) -> str:
        where = _where(self.request)
        message = self.message or type(self).__name__
        return f"{self.endpoint or 'request'} ({where}): {message}" if where else message


class SimotelTimeoutError(SimotelConnectionError):
    """A connect/read/write/pool timeout, or the call's ``deadline`` passed."""


class ClientClosedError(SimotelError):
    """The ``AsyncSimotel`` was closed before or while this call ran."""


class SimotelResponseError(SimotelError):
    """The server answered, but not in the Simotel protocol (HTML page, broken JSON...)."""

    def _describe(self) -> str:
        status = f" [HTTP {self.status_code}]" if self.status_code is not None else ""
        return f"{_head(self.endpoint, self.request, 'response')}: {self.message}{status}"


class SimotelAPIError(SimotelError):
    """The server answered in protocol with a failure: an HTTP error or ``success: 0``.

    Attributes:
        status_code: the HTTP status (200 for an operation failure).
        message: the server's own message, verbatim (may be empty).
        detail: the reason the server gave inside ``data`` (``data.message``, e.g.
            ``"Queue not found"`` under a generic ``"Requested operation failed"``),
            or None.
    """

    hint: ClassVar[str] = ""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        endpoint: str | None = None,
        response: httpx.Response | None = None,
        request: httpx.Request | None = None,
        outcome_unknown: bool = False,
        detail: str | None = None,
    ) -> None:
        self.detail = detail or None
        super().__init__(
            message,
            endpoint=endpoint,
            request=request,
            response=response,
            status_code=status_code,
            outcome_unknown=outcome_unknown,
        )

    def _describe(self) -> str:
        text = (
            f"{_head(self.endpoint, self.request, 'request')} failed with HTTP {self.status_code}"
        )
        if self.message:
            text += f": {self.message}"
        if self.detail and self.detail != self.message:
            text += f" ({self.detail})" if self.message else f": {self.detail}"
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
    """429: too many requests. ``retry_after`` is the server's advice in seconds, if any.

    Raised once the retry policy gives up, or at once when the advice is longer than
    ``RetryPolicy.retry_after_max``.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 429,
        endpoint: str | None = None,
        response: httpx.Response | None = None,
        retry_after: float | None = None,
        request: httpx.Request | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            message, status_code=status_code, endpoint=endpoint, response=response, request=request
        )

    def _describe(self) -> str:
        text = super()._describe()
        if self.retry_after is not None:
            text += f" (the server asks to wait {self.retry_after:g} s)"
        return text


class ServiceNotFoundError(SimotelAPIError):
    """501: the requested service does not exist on this server."""

    hint = "this server may not have the module (e.g. autodialer) or this API version"


class ServerError(SimotelAPIError):
    """Any other 5xx: the server failed. ``outcome_unknown`` for unsafe requests."""


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
    idempotent: bool = True,
    detail: str | None = None,
) -> SimotelAPIError:
    """The exception for an in-protocol failure: ``status_code`` plus the server's message
    (and ``detail``, the reason inside ``data``).

    A 5xx on an endpoint that is not ``idempotent`` has ``outcome_unknown`` set.
    """
    if status_code == 403 and "ip is not permitted" in message.lower():
        return IPNotPermittedError(message, status_code=403, endpoint=endpoint, response=response)
    if status_code == 429:
        delay = retry_after_seconds(response.headers) if response is not None else None
        return RateLimitedError(message, endpoint=endpoint, response=response, retry_after=delay)
    if status_code < 300:
        cls: type[SimotelAPIError] = OperationFailedError
    else:
        cls = _BY_STATUS.get(status_code, ServerError if status_code >= 500 else SimotelAPIError)
    unknown = cls is ServerError and not idempotent
    return cls(
        message,
        status_code=status_code,
        endpoint=endpoint,
        response=response,
        outcome_unknown=unknown,
        detail=detail,
    )


class ReplyCutOff(httpx.ReadError):
    """The body of a reply broke off before its end (the transport's own signal)."""


class MalformedReply(httpx.DecodingError):
    """A reply body that is not what its headers promise: broken JSON or compression."""

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.reply = response


_PLAIN_HTTP = (
    "wrong_version_number",
    "wrong version number",
    "record layer failure",
    "http_request",
)


def tls_failure(exc: BaseException) -> ssl.SSLError | None:
    """The ``ssl.SSLError`` behind ``exc`` (a TLS handshake or certificate failure), if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _tls_message(error: ssl.SSLError) -> str:
    text = reason(error)
    if isinstance(error, ssl.SSLCertVerificationError):
        detail = getattr(error, "verify_message", None) or text
        return (
            f"certificate not trusted ({detail}): pass verify= the CA bundle's path or an "
            "ssl.SSLContext that trusts the server's certificate"
        )
    if any(marker in text.lower() for marker in _PLAIN_HTTP):
        return f"TLS handshake failed ({text}): the server speaks plain HTTP: use http://"
    return f"TLS handshake failed ({text}): check that this port serves HTTPS, or pass verify="


def from_httpx(
    exc: httpx.HTTPError,
    *,
    endpoint: str | None = None,
    request: httpx.Request | None = None,
    idempotent: bool = True,
    reached: bool = True,
    what: str = "",
) -> SimotelError:
    """The SDK exception for an httpx failure, with ``exc``'s request redacted.

    Args:
        exc: what httpx (or the SDK's transports) raised.
        endpoint: the endpoint id.
        request: the request that failed (default: ``exc.request`` when set).
        idempotent: whether the endpoint is safe to repeat.
        reached: whether the request may have reached the server (False only when
            provably nothing was sent); with ``idempotent`` False it sets
            ``outcome_unknown``.
        what: a prefix for the message, e.g. ``"download of 'a.wav'"``.
    """
    if request is None and isinstance(exc, httpx.RequestError):
        try:
            request = exc.request
        except RuntimeError:
            request = None
    safe = _redacted(request)
    if safe is not None and isinstance(exc, httpx.RequestError):
        exc.request = safe
    unknown = reached and not idempotent
    cls, message = _translate(exc)
    if cls is SimotelConnectionError and isinstance(exc, httpx.ConnectError):
        unknown = False
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        unknown = False
    return cls(
        f"{what}: {message}" if what else message,
        endpoint=endpoint,
        request=safe,
        response=exc.reply if isinstance(exc, MalformedReply) else None,
        outcome_unknown=unknown,
    )


def _translate(exc: httpx.HTTPError) -> tuple[type[SimotelError], str]:
    if isinstance(exc, MalformedReply):
        return SimotelResponseError, str(exc)
    if isinstance(exc, httpx.DecodingError):
        return SimotelResponseError, f"undecodable response body: {reason(exc)}"
    tls = tls_failure(exc) if isinstance(exc, httpx.ConnectError) else None
    if tls is not None:
        return SimotelConnectionError, _tls_message(tls)
    if isinstance(exc, httpx.TimeoutException):
        return SimotelTimeoutError, (
            f"timed out ({type(exc).__name__}: {reason(exc)}); raise timeout= or check the "
            "server's load"
        )
    if isinstance(exc, httpx.ConnectError):
        return SimotelConnectionError, f"could not reach the server: {reason(exc)}"
    if isinstance(exc, ReplyCutOff):
        return SimotelConnectionError, f"the reply was cut off: {reason(exc)}"
    if isinstance(exc, httpx.TransportError):
        return SimotelConnectionError, (
            f"the connection failed before a complete answer: {reason(exc)}"
        )
    return SimotelError, f"{type(exc).__name__}: {reason(exc)}"
