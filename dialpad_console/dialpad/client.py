"""The Dialpad API client: the only code in the project that talks HTTP to Dialpad.

One requests.Session per client, a bearer key that never leaves the Authorization header,
a timeout on every call, pacing under the company's rate limit, bounded retries that never
repeat a write that may have been applied, and typed errors carrying Dialpad's own message.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from .errors import (
    ConfigurationError,
    DialpadError,
    MalformedResponseError,
    RateLimitedError,
    TransportError,
    error_class_for_status,
    redact,
    register_secret,
)
from .pacing import LocalPacer

logger = logging.getLogger("dialpad_console.dialpad")

DEFAULT_USER_AGENT = "dialpad-console/0.1"
# Methods that change nothing, so repeating them after a 5xx or a lost response is harmless.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_NO_BODY = object()


class ClientStats:
    """Thread-safe counters: HTTP requests sent (retries included), retries, 429s received."""

    _FIELDS = ("calls", "retries", "rate_limited")

    def __init__(self):
        self._lock = threading.Lock()
        self.calls = 0
        self.retries = 0
        self.rate_limited = 0

    def add(self, field: str, n: int = 1) -> None:
        with self._lock:
            setattr(self, field, getattr(self, field) + n)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {field: getattr(self, field) for field in self._FIELDS}

    def __repr__(self):
        return f"ClientStats({self.snapshot()})"


class _BearerAuth(requests.auth.AuthBase):
    """Adds the key at send time, so it lives in no header dict a caller might log or dump."""

    def __init__(self, api_key: str):
        self._api_key = api_key

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self._api_key}"
        return request

    def __repr__(self):
        return "_BearerAuth([REDACTED])"


class DialpadClient:
    """A client for Dialpad's API v2 (live, sandbox, or the simulator at any URL)."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        rate_limit_per_minute: int | None = 1200,
        timeout: tuple[float, float] = (5, 30),
        max_retries: int = 4,
        max_retry_wait: float = 30,
        backoff_base: float = 0.5,
        pacer=None,
        endpoint_pacers=(),
        session: requests.Session | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
    ):
        if not api_key:
            raise ConfigurationError(
                "No Dialpad API key configured: set DIALPAD_API_KEY (or DIALPAD_API_KEY_FILE)."
            )
        register_secret(api_key)
        parts = urlsplit(base_url or "")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigurationError(
                f"Dialpad base URL must be an http(s) URL, got {redact(base_url)!r}."
            )
        if parts.query or parts.fragment:
            raise ConfigurationError("Dialpad base URL must not carry a query or fragment.")
        self.base_url = base_url.rstrip("/")
        self.host = parts.netloc
        self._auth = _BearerAuth(api_key)
        if isinstance(timeout, (int, float)):
            timeout = (timeout, timeout)
        self.timeout = tuple(timeout)
        self.max_retries = max(0, int(max_retries))
        self.max_retry_wait = max_retry_wait
        self.backoff_base = backoff_base
        if pacer is None and rate_limit_per_minute:
            pacer = LocalPacer(rate_limit_per_minute)
        self.pacer = pacer
        # (compiled path pattern, pacer): endpoints with a limit of their own, each paced
        # apart on top of the company-wide pacer (endpoints.ENDPOINT_RATE_LIMITS).
        self.endpoint_pacers = tuple(endpoint_pacers or ())
        self._owns_session = session is None
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.headers["Accept"] = "application/json"
        self.stats = ClientStats()

    def __repr__(self):
        return f"DialpadClient(base_url={self.base_url!r})"

    # --- public API ---------------------------------------------------------------------

    def get(self, path: str, params: dict | None = None):
        return self.request("GET", path, params=params)

    def post(self, path: str, json=None, *, retry_safe: bool = False):
        """POST. Pass retry_safe=True only where repeating it cannot apply a change twice."""
        return self.request("POST", path, json=json, retry_safe=retry_safe)

    def patch(self, path: str, json=None):
        return self.request("PATCH", path, json=json)

    def put(self, path: str, json=None):
        return self.request("PUT", path, json=json)

    def delete(self, path: str, json=None):
        # Some deletes carry a body (removing an operator names it in the body).
        return self.request("DELETE", path, json=json)

    def iter_pages(self, path: str, params: dict | None = None) -> Iterator[list]:
        """Yield each page's `items` as it arrives, following `cursor` until there is none.

        Lazy: nothing is requested until the first page is asked for, and the next page
        only when the previous one has been consumed, so a listing is never held whole.
        """
        params = dict(params or {})
        previous_cursor = None
        while True:
            page = self.get(path, params)
            if page is None:
                return
            if not isinstance(page, dict):
                raise DialpadError(
                    "expected a JSON object with `items`", method="GET", path=path, status=200
                )
            yield page.get("items") or []
            cursor = page.get("cursor")
            if not cursor:
                return
            if cursor == previous_cursor:
                # A server bug would otherwise have us loop over the same page forever.
                raise DialpadError(
                    "Dialpad returned the same cursor twice", method="GET", path=path, status=200
                )
            previous_cursor = cursor
            params["cursor"] = cursor

    def iter_items(self, path: str, params: dict | None = None) -> Iterator[dict]:
        for items in self.iter_pages(path, params):
            yield from items

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # --- the one place that sends -------------------------------------------------------

    def request(self, method: str, path: str, *, params: dict | None = None, json=_NO_BODY,
                retry_safe: bool = False):
        """Send one logical call (with retries); return parsed JSON, or None for no body."""
        method = method.upper()
        url = self._url(path)
        params = _encode_params(params)
        kwargs = {} if json is _NO_BODY or json is None else {"json": json}
        may_repeat = method in SAFE_METHODS or retry_safe
        attempt = 0
        while True:
            if self.pacer is not None:
                self.pacer.acquire()
            for pattern, pacer in self.endpoint_pacers:
                if pattern.match(path):
                    pacer.acquire()
            self.stats.add("calls")
            started = time.monotonic()
            cause = None
            try:
                response = self.session.request(
                    method, url, params=params, auth=self._auth, timeout=self.timeout,
                    allow_redirects=False, **kwargs,
                )
            except requests.RequestException as exc:
                elapsed_ms = (time.monotonic() - started) * 1000
                cause = exc
                error = self._transport_error(method, path, exc)
                logger.debug("%s %s -> no response (%s) in %.0f ms",
                             method, path, type(exc).__name__, elapsed_ms)
                # A write is repeated only when it provably never reached Dialpad.
                retryable = may_repeat or not error.maybe_applied
                delay = self._backoff(attempt)
            else:
                elapsed_ms = (time.monotonic() - started) * 1000
                status = response.status_code
                logger.debug("%s %s -> %s in %.0f ms", method, path, status, elapsed_ms)
                if status < 300:
                    return self._parse(method, path, response)
                error = self._http_error(method, path, response)
                if status == 429:
                    # Dialpad refused it outright, so even a POST may be sent again.
                    self.stats.add("rate_limited")
                    retryable = True
                    if error.retry_after is not None:
                        # A little jitter so workers told the same time don't stampede.
                        delay = min(error.retry_after * random.uniform(1.0, 1.1),
                                    self.max_retry_wait)
                    else:
                        delay = self._backoff(attempt)
                elif status >= 500:
                    retryable = may_repeat
                    delay = self._backoff(attempt)
                else:
                    raise error
            if not retryable or attempt >= self.max_retries:
                raise error from cause
            attempt += 1
            self.stats.add("retries")
            logger.info("Retrying %s %s in %.1f s after %s (retry %d of %d)",
                        method, path, delay, error._status_text(), attempt, self.max_retries)
            time.sleep(delay)

    # --- helpers ------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        # Only paths: a full URL here could send the key to another host.
        if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
            raise ValueError(f"Dialpad API path must start with '/', got {path!r}")
        return self.base_url + path

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: between half and all of base * 2**attempt."""
        ceiling = min(self.max_retry_wait, self.backoff_base * (2 ** attempt))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _parse(self, method, path, response):
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise MalformedResponseError(
                "response body is not JSON", method=method, path=path,
                status=response.status_code,
            ) from None

    def _http_error(self, method, path, response) -> DialpadError:
        status = response.status_code
        if 300 <= status < 400:
            location = response.headers.get("Location", "?")
            return DialpadError(f"unexpected redirect to {location}", method=method, path=path,
                                status=status)
        message, code, errors = _dialpad_message(response)
        cls = error_class_for_status(status)
        kwargs = dict(method=method, path=path, status=status, code=code, errors=errors)
        if cls is RateLimitedError:
            kwargs["retry_after"] = _retry_after(response.headers.get("Retry-After"))
        return cls(message, **kwargs)

    def _transport_error(self, method, path, exc) -> TransportError:
        connect_timeout, read_timeout = self.timeout
        reason = exc.args[0] if exc.args else None
        if isinstance(reason, urllib3.exceptions.MaxRetryError):
            reason = reason.reason
        if isinstance(exc, requests.ConnectTimeout):
            message, applied = f"connect to {self.host} timed out after {connect_timeout} s", False
        elif isinstance(exc, requests.ReadTimeout):
            message = f"read timed out after {read_timeout} s (the request may have been applied)"
            applied = True
        elif isinstance(reason, urllib3.exceptions.NameResolutionError):
            message, applied = f"could not resolve host {self.host}", False
        elif isinstance(reason, urllib3.exceptions.NewConnectionError):
            detail = str(reason).rsplit(": ", 1)[-1]
            message, applied = f"could not connect to {self.host} ({detail})", False
        elif isinstance(exc, requests.exceptions.SSLError):
            message, applied = f"TLS handshake with {self.host} failed", False
        elif isinstance(exc, requests.exceptions.ProxyError):
            message, applied = "could not connect through the proxy", False
        elif isinstance(exc, requests.ConnectionError):
            message = ("connection closed or reset before a response "
                       "(the request may have been applied)")
            applied = True
        else:
            message, applied = f"request failed ({type(exc).__name__})", True
        return TransportError(message, method=method, path=path, maybe_applied=applied)


def _encode_params(params: dict | None) -> dict | None:
    """Query parameters as Dialpad expects them: booleans as true/false, None left out."""
    if not params:
        return None
    encoded = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ["true" if v is True else "false" if v is False else v for v in value]
        encoded[name] = value
    return encoded


def _dialpad_message(response) -> tuple[str, object, list]:
    """(message, code, errors) from Dialpad's `{"error": {"code", "message", "errors"}}`."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            errors = error.get("errors") if isinstance(error.get("errors"), list) else []
            message = error.get("message") or "; ".join(
                str(e.get("message")) for e in errors if isinstance(e, dict) and e.get("message")
            )
            if message:
                return str(message), error.get("code"), errors
        elif isinstance(error, str) and error:
            return error, None, []
        if isinstance(body.get("message"), str) and body["message"]:
            return body["message"], None, []
    text = (response.text or "").strip()
    if text and len(text) <= 300 and "<" not in text:  # a short plain-text reason, not HTML
        return text, None, []
    return response.reason or f"HTTP {response.status_code}", None, []


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
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
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def get_client(**overrides) -> DialpadClient:
    """A client configured from Django settings; keyword arguments override any setting.

    With REDIS_URL set, the rate-limit bucket lives in Redis and is shared by every process
    (Dialpad's limit is per company); otherwise each process paces itself.
    """
    from django.conf import settings

    options = dict(
        api_key=getattr(settings, "DIALPAD_API_KEY", ""),
        base_url=getattr(settings, "DIALPAD_BASE_URL", "https://dialpad.com"),
        rate_limit_per_minute=getattr(settings, "DIALPAD_RATE_LIMIT_PER_MINUTE", 1200),
        timeout=tuple(getattr(settings, "DIALPAD_TIMEOUT", (5, 30))),
    )
    options.update(overrides)
    if not options["api_key"]:
        raise ConfigurationError(
            "No Dialpad API key configured: set DIALPAD_API_KEY (or DIALPAD_API_KEY_FILE)."
        )
    redis_url = getattr(settings, "REDIS_URL", None)
    host = urlsplit(options["base_url"]).netloc
    if options.get("pacer") is None and options["rate_limit_per_minute"] and redis_url:
        options["pacer"] = _shared_redis_pacer(
            redis_url, host, options["rate_limit_per_minute"]
        )
    if "endpoint_pacers" not in options and options["rate_limit_per_minute"]:
        # Pacing on (a limit of 0 turns all of it off): the endpoints' own limits too.
        options["endpoint_pacers"] = endpoint_pacers(redis_url, host)
    return DialpadClient(**options)


def endpoint_pacers(redis_url: str | None, host: str) -> list:
    """A pacer per endpoint with a limit of its own (endpoints.ENDPOINT_RATE_LIMITS): shared
    by every process through Redis when there is one, else this client's."""
    from . import endpoints

    pacers = []
    for name, pattern, per_minute in endpoints.ENDPOINT_RATE_LIMITS:
        pacer = (_shared_redis_pacer(redis_url, f"{host}:{name}", per_minute) if redis_url
                 else LocalPacer(per_minute))
        pacers.append((pattern, pacer))
    return pacers


_redis_pacers: dict = {}
_redis_pacers_lock = threading.Lock()


def _shared_redis_pacer(redis_url: str, host: str, per_minute: int):
    """One RedisPacer (one connection pool) per process for each Redis, host and limit."""
    from .pacing import RedisPacer

    cache_key = (redis_url, host, per_minute)
    with _redis_pacers_lock:
        pacer = _redis_pacers.get(cache_key)
        if pacer is None:
            pacer = RedisPacer(redis_url, key=f"dialpad_console:ratelimit:{host}",
                               per_minute=per_minute)
            _redis_pacers[cache_key] = pacer
        return pacer
