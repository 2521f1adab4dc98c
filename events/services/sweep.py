"""The sweep: whatever a lost task left behind, processed later.

The receiver stores an event before it queues its processing, so an event whose task never
ran (the broker was down, the worker was killed, Redis lost its queue) is still a pending
row; so is a re-read whose worker died (an unclaimed or stale-claimed RefreshTarget) or
that failed and is due again. Beat runs this every minute (the "Process Dialpad events left
behind" periodic task); `manage.py dialpad_webhooks sweep` runs it without a worker.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from ..choices import EventStatus
from ..models import Event, RefreshTarget
from .process import event_process
from .refresh import STALE_CLAIM, queue_refresh, refresh_run

logger = logging.getLogger("events.sweep")

# The normal path (a task queued on receipt) gets this long before the sweep steps in.
GRACE = timedelta(seconds=30)
BATCH = 500


@dataclass
class Swept:
    events: int = 0
    refreshes: int = 0


def events_sweep(*, grace=GRACE, inline=False):
    """Process pending events older than `grace`, and run (`inline`) or queue the re-reads
    that are waiting for nobody. Returns the counts."""
    now = timezone.now()
    swept = Swept()
    pending = Event.objects.filter(status=EventStatus.PENDING, received_at__lt=now - grace)
    for event_id in pending.order_by("pk").values_list("pk", flat=True)[:BATCH]:
        try:
            processed = event_process(event_id=event_id)
        except Exception:  # noqa: BLE001 -- recorded on the event; sweep the rest
            continue
        swept.events += processed.event is not None
        if processed.refresh_id is not None:  # a re-read this event created: nobody else runs it
            _run_or_queue(processed.refresh_id, inline)
            swept.refreshes += 1
    orphaned = RefreshTarget.objects.filter(created_at__lt=now - grace).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM)).filter(
        Q(retry_after__isnull=True) | Q(retry_after__lte=now))
    for refresh_id in orphaned.order_by("pk").values_list("pk", flat=True)[:BATCH]:
        _run_or_queue(refresh_id, inline)
        swept.refreshes += 1
    if swept.events or swept.refreshes:
        logger.info("Event sweep: processed %d event(s) left pending, %s %d re-read(s)",
                    swept.events, "ran" if inline else "queued", swept.refreshes)
    return swept


def _run_or_queue(refresh_id, inline):
    if inline:
        refresh_run(refresh_id=refresh_id)
    else:
        queue_refresh(refresh_id)
