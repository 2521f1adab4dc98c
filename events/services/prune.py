"""Pruning: change-log events are deleted once processed and older than the retention.

Every delivery from Dialpad is a row with its payload (a kilobyte or more), and a busy org
sends thousands a day. A change-log event matters until it is processed, and for a while
after to see what Dialpad said (its admin page); the mirror and its History keep what it
changed. SMS events stay: they are the messages' history (delivery status, received texts).
Beat runs this daily (the "Prune old Dialpad events" periodic task).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..choices import EventKind, EventStatus
from ..models import Event

logger = logging.getLogger("events.prune")

# Pending events wait for the sweep, re-reading ones for their re-read: never pruned.
FINISHED = (EventStatus.DONE, EventStatus.UNHANDLED, EventStatus.FAILED)
# One short transaction per batch: a receiver's insert never waits behind a long delete.
BATCH = 1000


def events_prune(*, retention_days=None, now=None) -> int:
    """Delete the finished change-log (and unknown) events received more than
    `retention_days` (default DIALPAD_EVENT_RETENTION_DAYS; 0: keep them all) ago.
    Returns how many were deleted."""
    days = settings.DIALPAD_EVENT_RETENTION_DAYS if retention_days is None else retention_days
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = (Event.objects.filter(received_at__lt=cutoff, status__in=FINISHED)
           .exclude(kind=EventKind.SMS).order_by("pk"))
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:BATCH]):
        Event.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    logger.info("Pruned %d Dialpad events received before %s (kept %d days)", deleted,
                cutoff.isoformat(timespec="seconds"), days,
                extra={"pruned": deleted, "retention_days": days})
    return deleted
