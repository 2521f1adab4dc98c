"""Named failures of the Dialpad API client.

Every error the client raises is a DialpadError. Callers (the service layer, the sync engine)
catch the subclass they can act on and show `str(error)` or `error.message` to an admin; both
are scrubbed of the API key, and so is the repr.
"""

from __future__ import annotations

import re
import threading

# Keys the client has been given in this process, so that any message built anywhere in this
# package can be scrubbed of them even if a caller passes one in by mistake.
_known_secrets: set[str] = set()
_secrets_lock = threading.Lock()

# Belt and braces for keys we were never told about: an Authorization value, or a key-like
# query parameter, in some text we are about to show or log.
_BEARER_RE = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")
_QUERY_KEY_RE = re.compile(r"(?i)((?<![A-Za-z0-9_])(?:api_?key|access_token|token|key)=)[^&\s'\"]+")

REDACTED = "[REDACTED]"


def register_secret(secret: str | None) -> None:
    """Remember a key so that redact() removes it from any later text."""
    if secret and len(secret) >= 4:  # a 1-3 character "key" would shred every message
        with _secrets_lock:
            _known_secrets.add(secret)


def redact(text: object) -> str:
    """`text` as a string with every known API key and bearer token replaced."""
    text = "" if text is None else str(text)
    with _secrets_lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _BEARER_RE.sub(lambda m: m.group(1) + REDACTED, text)
    return _QUERY_KEY_RE.sub(lambda m: m.group(1) + REDACTED, text)


class DialpadError(Exception):
    """A call to Dialpad failed. `message` is Dialpad's own reason where it gave one."""

    def __init__(
        self,
        message: str = "",
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        code: str | int | None = None,
        errors: list | None = None,
    ):
        self.message = redact(message)
        self.method = method
        self.path = redact(path) if path is not None else None
        self.status = status
        self.code = code
        self.errors = errors or []
        super().__init__(str(self))

    def _status_text(self) -> str:
        return str(self.status) if self.status is not None else "error"

    def __str__(self) -> str:
        if self.method and self.path:
            return f"{self.method} {self.path} -> {self._status_text()}: {self.message}"
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self):
        # Picklable (Celery may ship an exception between processes) without losing fields.
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls, state):
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, str(error))
    return error


class ConfigurationError(DialpadError):
    """The client cannot be built: no API key, or an unusable base URL."""


class AuthError(DialpadError):
    """401 or 403: the key is wrong, revoked, or lacks the scope for this call."""


class NotFoundError(DialpadError):
    """404: the object does not exist in Dialpad (or not in this company)."""


class ValidationError(DialpadError):
    """400, 409, 422 or another 4xx: Dialpad refused the request; `message` says why."""


class RateLimitedError(DialpadError):
    """429 after the client's retries; `retry_after` is Dialpad's last hint, in seconds."""

    def __init__(self, message: str = "", *, retry_after: float | None = None, **kwargs):
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class ServerError(DialpadError):
    """5xx from Dialpad (after retries where a retry was safe)."""


class MalformedResponseError(DialpadError):
    """A 2xx whose body is not the JSON Dialpad documents (HTML from a proxy, truncated,
    empty where an object was due). For a write, the outcome is unknown: re-read."""


class TransportError(DialpadError):
    """No HTTP answer: connection refused or reset, DNS failure, timeout.

    `maybe_applied` is True when the request may have reached Dialpad (a read timeout, a
    connection reset after the request was sent): a write must then be checked, not repeated.
    It is False when the connection was never made (refused, connect timeout, DNS).
    """

    def __init__(self, message: str = "", *, maybe_applied: bool = True, **kwargs):
        self.maybe_applied = maybe_applied
        super().__init__(message, **kwargs)

    def _status_text(self) -> str:
        return "no response"


def error_class_for_status(status: int) -> type[DialpadError]:
    if status in (401, 403):
        return AuthError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitedError
    if 400 <= status < 500:
        return ValidationError
    if status >= 500:
        return ServerError
    return DialpadError
