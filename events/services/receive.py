"""Accepting a delivery from Dialpad's webhook: verify it, store it, queue its processing.

Verification: the body is a JWT (RFC 7519) that must be signed HS256 with the current
secret or, during a rotation, the previous one. The algorithm is pinned (a token that says
`none`, HS512 or RS256 is refused before any key is tried); expiry (`exp`) and not-before
(`nbf`) are checked when present, with a minute of leeway for clock skew.

Storage: the verified claims minus the JWT's own (iat, exp, ...) are the event. Its dedupe
key is a hash of that content in canonical JSON: Dialpad's events carry no id, and a
redelivery (after a lost 200) repeats the same content, perhaps re-signed with a new `iat`,
so the key ignores the JWT's claims. The same event delivered twice is one row, processed
once; the second delivery is answered 200 (a 4xx would only make Dialpad retry it).
"""

import hashlib
import json
import logging
import jwt
from django.conf import settings
from django.db import IntegrityError, transaction

from ..choices import EventKind, Verified
from ..models import Event
from ..selectors import secrets_configured
from .values import event_time, text_of

logger = logging.getLogger("events.receiver")

# Dialpad's events are a few hundred bytes; an SMS with its text a few kilobytes.
MAX_BODY_BYTES = 64 * 1024
# The token's own claims: not part of the event, and left out of its dedupe key.
JWT_CLAIMS = frozenset({"iat", "exp", "nbf", "iss", "aud", "jti", "sub"})
ALGORITHM = "HS256"
LEEWAY_SECONDS = 60


class Refused(Exception):
    """A delivery the receiver will not store: an HTTP status (4xx) and a reason that quotes
    nothing of the token (it goes into a log line and the answer)."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


def verify(body):
    """(claims, Verified) of a delivery's body, or Refused."""
    if not secrets_configured():
        raise Refused(403, "no webhook secret is configured (DIALPAD_WEBHOOK_SECRET): "
                           "events are refused")
    token = _token_text(body)
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError:
        raise Refused(400, "the token's header cannot be read") from None
    algorithm = header.get("alg")
    if algorithm != ALGORITHM:
        shown = str(algorithm)[:16] if isinstance(algorithm, str) else type(algorithm).__name__
        raise Refused(403, f"the token is signed with {shown!r}; only {ALGORITHM} is accepted")
    secrets = ((Verified.CURRENT, settings.DIALPAD_WEBHOOK_SECRET),
               (Verified.PREVIOUS, settings.DIALPAD_WEBHOOK_PREVIOUS_SECRET))
    for verified, secret in secrets:
        if not secret:
            continue
        try:
            claims = jwt.decode(token, secret, algorithms=[ALGORITHM], leeway=LEEWAY_SECONDS,
                                options={"verify_aud": False, "verify_iss": False})
        except jwt.InvalidSignatureError:
            continue
        except jwt.ExpiredSignatureError:
            raise Refused(403, "the token has expired") from None
        except jwt.ImmatureSignatureError:
            raise Refused(403, "the token is not valid yet (nbf or iat in the future)") from None
        except jwt.DecodeError:
            raise Refused(400, "the token cannot be decoded (truncated or not JSON)") from None
        except jwt.InvalidTokenError as exc:
            raise Refused(403, f"the token is not valid ({type(exc).__name__})") from None
        return claims, verified
    raise Refused(403, "the signature matches no configured secret")


def _token_text(body):
    text = body.strip()
    if not text:
        raise Refused(400, "the body is empty")
    try:
        text = text.decode("ascii")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not a signed token") from None
    if text.startswith('"') and text.endswith('"') and len(text) > 1:
        text = text[1:-1]  # a token sent as a JSON string
    if text.startswith(("{", "[")):
        raise Refused(401, "the body is unsigned JSON: the webhook must have a secret")
    if text.count(".") != 2:
        raise Refused(400, "the body is not a signed token (a JWT has three parts)")
    return text


# --- storing -------------------------------------------------------------------------------


def dedupe_key(event):
    canonical = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def event_kind(event):
    """What the event is, by the fields Dialpad documents for each kind."""
    if "action" in event and ("target" in event or "changed_by" in event):
        return EventKind.CHANGELOG
    if "direction" in event and any(k in event for k in ("message_status", "from_number",
                                                         "to_number", "text")):
        return EventKind.SMS
    return EventKind.UNKNOWN


def _described(event, kind):
    """The columns of an Event row read from its payload (blank where it says nothing)."""
    target = event.get("target") if isinstance(event.get("target"), dict) else {}
    who = event.get("changed_by") if isinstance(event.get("changed_by"), dict) else {}
    name, who_type = text_of(who.get("name"), 200), text_of(who.get("type"), 50)
    return {
        "occurred_at": event_time(event.get("date", event.get("created_date"))),
        "action": text_of(event.get("action"), 100) if kind == EventKind.CHANGELOG else "",
        "target_type": text_of(target.get("type"), 32),
        "target_id": text_of(target.get("id"), 64),
        "changed_by": f"{name} ({who_type})" if name and who_type else name or who_type,
    }


def event_store(*, claims, verified):
    """Store a verified event; (Event, created). A second delivery of the same event
    returns the first row with created False, and queues nothing."""
    event = {k: v for k, v in claims.items() if k not in JWT_CLAIMS}
    kind = event_kind(event)
    key = dedupe_key(event)
    try:
        with transaction.atomic():
            row = Event.objects.create(kind=kind, verified=verified, dedupe_key=key,
                                       payload=event, **_described(event, kind))
    except IntegrityError:
        return Event.objects.get(dedupe_key=key), False
    # robust: a broker that is down must not turn a stored event into a 500 (the sweep
    # processes it later).
    transaction.on_commit(lambda: queue_processing(row.pk), robust=True)
    return row, True


def queue_processing(event_id):
    from ..tasks import event_process_task

    try:
        # No publish retries: the sender is waiting for our 200, and the sweep is the retry.
        event_process_task.apply_async((event_id,), retry=False)
    except Exception as exc:  # noqa: BLE001 -- any broker failure: the sweep picks it up
        logger.warning("Event #%s is stored but could not be queued (%s); the sweep will "
                       "process it", event_id, type(exc).__name__)
