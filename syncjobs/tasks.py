"""Celery tasks of the sync. Thin: they take ids and call the engine."""

from celery import shared_task
from django.conf import settings

from .choices import Trigger


@shared_task(
    name="syncjobs.tasks.sync_org_task",
    # Below the broker's visibility timeout (settings), so a running sync is never handed to
    # a second worker; a run killed at the hard limit stops beating, and its claim is taken
    # over DIALPAD_SYNC_STALE_AFTER later (syncjobs.claim).
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    acks_late=True,
)
def sync_org_task(trigger=Trigger.SCHEDULE, requested_by_id=None):
    """Sync the whole org (refused, and recorded as such, if a sync is already running).

    No automatic retry: the next scheduled run is the retry, and a run that failed part-way
    has kept everything it had.
    """
    from .engine import run_sync

    run = run_sync(trigger=trigger, requested_by_id=requested_by_id)
    return {"run_id": run.pk, "status": run.status}
