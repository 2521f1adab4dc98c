"""What the admin (and anything else that starts or confirms a sync) calls."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .choices import Trigger
from .engine import confirm_pending_gone, record_refused
from .models import SyncRun
from .selectors import sync_is_running

RUN_SYNC_PERMISSION = "syncjobs.run_sync"


@dataclass
class SyncRequest:
    queued: bool
    message: str
    refused_run: SyncRun | None = None


def sync_now_request(*, actor, trigger=Trigger.MANUAL):
    """Queue a sync of the whole org for after this transaction commits.

    Refused at once (and recorded as a refused run) when a sync is running; the task's own
    claim still refuses a second run that slips past this check.
    """
    if not actor.has_perm(RUN_SYNC_PERMISSION):
        raise PermissionDenied("You may not start a sync.")
    if sync_is_running():
        run = record_refused(trigger=trigger, requested_by_id=actor.pk)
        return SyncRequest(queued=False, message=run.error, refused_run=run)
    from .tasks import sync_org_task

    transaction.on_commit(
        lambda: sync_org_task.delay(trigger=str(trigger), requested_by_id=actor.pk)
    )
    return SyncRequest(
        queued=True,
        message="A sync of the whole org has been queued; it shows up here when a worker "
                "starts it.",
    )


def sync_gone_confirm(*, actor, run):
    """Mark gone what a needs-review run held back. Returns (ok, message)."""
    if not actor.has_perm(RUN_SYNC_PERMISSION):
        raise PermissionDenied("You may not confirm a sync's gone marks.")
    return confirm_pending_gone(actor=actor, run=run)
