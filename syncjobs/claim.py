"""One sync at a time: an atomic claim on the single SyncLock row.

A claim is a conditional UPDATE ("set my token where nobody holds an unexpired claim") that
must change exactly one row; the database serialises concurrent UPDATEs, so of two triggers
that race, exactly one wins, whatever process, worker or host they run in. Nobody asks the
workers what they are running.

The claim expires CLAIM_TTL after the last heartbeat. The TTL is longer than the Celery task's
hard time limit, so a run killed by its time limit (or with its worker) cannot hold the claim
for ever, while a live run (which heartbeats every page) never loses it. The task's time limit
is itself below the broker's visibility timeout (settings), so a task is never redelivered
while it still runs.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import SyncLock

# Seconds beyond the task's hard time limit before an abandoned claim may be taken over.
CLAIM_MARGIN = 300


class LostClaim(Exception):
    """Our claim expired and someone else took it: stop writing at once."""


def claim_ttl():
    return timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 1800) + CLAIM_MARGIN)


def _ensure_row():
    # INSERT ... ON CONFLICT DO NOTHING: safe when two processes race to create it (the
    # migration creates it too, but a flushed test database has none).
    SyncLock.objects.bulk_create([SyncLock(pk=1)], ignore_conflicts=True)


def claim(token):
    """Try to take the claim with `token`. True when we hold it now."""
    _ensure_row()
    now = timezone.now()
    changed = (
        SyncLock.objects.filter(pk=1)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lte=now))
        .update(token=token, run=None, claimed_at=now, expires_at=now + claim_ttl())
    )
    return changed == 1


def attach_run(token, run):
    """Name the run that holds the claim (shown to whoever is refused)."""
    SyncLock.objects.filter(pk=1, token=token).update(run=run)


def heartbeat(token):
    """Push our claim's expiry forward; raise LostClaim if it is no longer ours."""
    changed = SyncLock.objects.filter(pk=1, token=token, expires_at__isnull=False).update(
        expires_at=timezone.now() + claim_ttl()
    )
    if changed != 1:
        raise LostClaim("The sync claim expired and was taken over by another run.")


def release(token):
    SyncLock.objects.filter(pk=1, token=token).update(token="", expires_at=None)


def current_holder():
    """The SyncLock row if a live claim is held (its `run` may still be None), else None."""
    lock = SyncLock.objects.select_related("run").filter(
        pk=1, expires_at__gt=timezone.now()
    ).first()
    return lock
