"""The Dialpad API client. Only the service layer and the sync engine import this package."""

from .client import ClientStats, DialpadClient, get_client
from .errors import (
    AuthError,
    ConfigurationError,
    DialpadError,
    MalformedResponseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
    redact,
)
from .ids import parse_id, parse_ids
from .pacing import LocalPacer, RedisPacer

__all__ = [
    "AuthError",
    "ClientStats",
    "ConfigurationError",
    "DialpadClient",
    "DialpadError",
    "LocalPacer",
    "MalformedResponseError",
    "NotFoundError",
    "RateLimitedError",
    "RedisPacer",
    "ServerError",
    "TransportError",
    "ValidationError",
    "get_client",
    "parse_id",
    "parse_ids",
    "redact",
]
