"""Re-reading what change-log events name: one read per burst, after the read is claimed.

`request_refresh(kind, ident)` runs in an event's processing transaction. The first request
for an object creates its RefreshTarget row (and the caller runs or queues the read); any
other request meanwhile, while the read waits or runs, only bumps the row's `requests`.

`refresh_run(refresh_id)` claims the row with a conditional UPDATE (one reader at a time;
a claim older than STALE_CLAIM belonged to a killed worker and may be taken over), notes
`requests`, reads the object from Dialpad (`reread.read`: the client's pacer, so these
reads share the rate limit with the sync and the pushes), then in one transaction writes it
through the mirror (`reread.store`), closes the events the read covers and deletes the row
only if `requests` is still what it noted. If an event came in meanwhile, it reads again.

A failed read (Dialpad down, 5xx after retries) keeps the row with a `retry_after` that backs
off; the sweep retries it, and after MAX_ATTEMPTS the events are marked failed (the full
sync stays the safety net).
"""

import logging
import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from dialpad_console.dialpad import DialpadError, get_client

from ..choices import EventStatus
from ..models import Event, RefreshTarget
from . import reread

logger = logging.getLogger("events.refresh")

STALE_CLAIM = timedelta(minutes=10)
MAX_ROUNDS = 5
RETRY_DELAYS = (30, 120, 600, 1800)  # seconds after the 1st, 2nd, ... failed attempt
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def refresh_key(kind, ident):
    return f"{kind}:{ident}"


def request_refresh(kind, ident, *, reason=""):
    """Ask for a re-read of one object. Returns the RefreshTarget this call created (the
    caller runs or queues it), or None when the request was folded into a pending one."""
    key = refresh_key(kind, ident)
    if RefreshTarget.objects.filter(key=key).update(requests=F("requests") + 1):
        return None
    try:
        with transaction.atomic():
            return RefreshTarget.objects.create(key=key, kind=kind, target_id=str(ident),
                                                reason=reason[:255])
    except IntegrityError:  # created meanwhile by another event's transaction
        RefreshTarget.objects.filter(key=key).update(requests=F("requests") + 1)
        return None


def queue_refresh(refresh_id):
    from ..tasks import refresh_target_task

    try:
        refresh_target_task.apply_async((refresh_id,), retry=False)
    except Exception as exc:  # noqa: BLE001 -- any broker failure: the sweep picks it up
        logger.warning("Re-read #%s could not be queued (%s); the sweep will run it",
                       refresh_id, type(exc).__name__)


def refresh_run(*, refresh_id, client=None):
    """Run the re-read `refresh_id` unless another worker runs it; returns what it did in
    words, or None when it was not ours to run."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM)
    if not RefreshTarget.objects.filter(pk=refresh_id).filter(claimable).update(
            claimed_at=now, claim_token=token, attempts=F("attempts") + 1):
        return None
    own_client = client is None
    try:
        client = client or get_client()
        for _ in range(MAX_ROUNDS):
            done, summary = _round(refresh_id, token, client)
            if done:
                return summary
            RefreshTarget.objects.filter(pk=refresh_id, claim_token=token).update(
                claimed_at=timezone.now())
        # Events keep coming for this object: let other reads have a turn.
        _release(refresh_id, token)
        transaction.on_commit(lambda: queue_refresh(refresh_id))
        return "still changing: read again later"
    except Exception as exc:
        _failed(refresh_id, token, exc)
        if not isinstance(exc, DialpadError):
            raise
        return f"failed: {exc.message}"
    finally:
        if own_client and client is not None:
            client.close()


def _round(refresh_id, token, client):
    """One read and its write; (whether the row is done, summary)."""
    row = RefreshTarget.objects.filter(pk=refresh_id, claim_token=token).first()
    if row is None:
        return True, "taken over by another worker"
    seen = row.requests
    events = list(Event.objects.filter(refresh_key=row.key, status=EventStatus.REFRESHING)
                  .order_by("pk"))
    read_at = timezone.now()  # before the read is sent: what it returns is at least this new
    found = reread.read(client, row.kind, row.target_id, events)
    with transaction.atomic():
        if not RefreshTarget.objects.filter(pk=row.pk, claim_token=token).exists():
            return True, "taken over by another worker"
        stored = reread.store(found, read_at=read_at, header=_header(events, row))
        Event.objects.filter(pk__in=[e.pk for e in events],
                             status=EventStatus.REFRESHING).update(
            status=EventStatus.DONE, processed_at=timezone.now(), outcome=stored.summary)
        deleted, _ = RefreshTarget.objects.filter(pk=row.pk, claim_token=token,
                                                  requests=seen).delete()
    # After the commit, each on its own: asking for another object's re-read inside this
    # transaction would lock its row while holding ours, and two re-reads asking for each
    # other (a number and its owner) could deadlock.
    for kind, ident in stored.follow_ups:
        created = request_refresh(kind, ident, reason=_header(events, row))
        if created is not None:
            queue_refresh(created.pk)
    return bool(deleted), stored.summary


def _header(events, row):
    """'Dialpad change log: updated_user by Jane Doe (admin portal)', for History."""
    seen, parts = set(), []
    for event in events:
        text = event.action or "change"
        if event.changed_by:
            text += f" by {event.changed_by}"
        if text not in seen:
            seen.add(text)
            parts.append(text)
    if not parts:
        return row.reason or "Dialpad change log"
    shown = "; ".join(parts[:5]) + (f"; and {len(parts) - 5} more" if len(parts) > 5 else "")
    return f"Dialpad change log: {shown}"


def _release(refresh_id, token):
    RefreshTarget.objects.filter(pk=refresh_id, claim_token=token).update(
        claimed_at=None, claim_token="")


def _failed(refresh_id, token, exc):
    reason = exc.message if isinstance(exc, DialpadError) else type(exc).__name__
    row = RefreshTarget.objects.filter(pk=refresh_id, claim_token=token).first()
    if row is None:
        return
    logger.warning("Re-reading %s %s failed (attempt %d): %s", row.kind, row.target_id,
                   row.attempts, reason)
    if row.attempts >= MAX_ATTEMPTS:
        with transaction.atomic():
            Event.objects.filter(refresh_key=row.key, status=EventStatus.REFRESHING).update(
                status=EventStatus.FAILED, processed_at=timezone.now(),
                outcome=f"Re-reading {row.kind} {row.target_id} failed {row.attempts} times "
                        f"({reason[:200]}); the next full sync brings it up to date.")
            row.delete()
        return
    delay = RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS)) - 1]
    RefreshTarget.objects.filter(pk=refresh_id, claim_token=token).update(
        claimed_at=None, claim_token="", last_error=reason[:500],
        retry_after=timezone.now() + timedelta(seconds=delay))
