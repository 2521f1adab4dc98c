"""Dialpad's wire format: JSON rendering, error bodies and listing cursors.

Every int64 is a JSON string, unset fields are left out, every error is
``{"error": {"code", "message", "errors": [{"domain", "reason", "message"}]}}``, and a
listing's cursor is an opaque token naming the listing and the last key served.
"""

from __future__ import annotations

import base64
import binascii
import json

from .state import SimError

_REASONS = {
    400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "notFound",
    405: "methodNotAllowed", 409: "conflict", 429: "rateLimitExceeded",
}


def to_wire(value):
    """Dialpad's JSON: int64 as strings, unset (None) fields left out."""
    t = type(value)
    if t is dict:
        out = {}
        for k, v in value.items():
            tv = type(v)
            # Scalars inline: a page of 100 users holds ~5,000 of them.
            if tv is str or tv is bool or tv is float:
                out[k] = v
            elif tv is int:
                out[k] = str(v)
            elif v is not None:
                out[k] = to_wire(v)
        return out
    if t is list:
        return [v if type(v) is str else to_wire(v) for v in value]
    if t is int:
        return str(value)
    return value


def error_body(status: int, message: str) -> dict:
    reason = _REASONS.get(status, "backendError" if status >= 500 else "error")
    return {"error": {"code": status, "message": message,
                      "errors": [{"domain": "global", "reason": reason, "message": message}]}}


def encode_cursor(kind: str, last) -> str:
    raw = json.dumps([kind, last], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        got_kind, last = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error):
        raise SimError(400, "cursor: not a cursor this API returned") from None
    if got_kind != kind:
        raise SimError(400, "cursor: this cursor belongs to another listing")
    return last
