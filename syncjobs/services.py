"""What the admin (and anything else that starts or confirms a sync) calls."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import claim as claims
from .choices import Trigger
from .engine import confirm_pending_gone, record_refused
from .models import SyncRun
from .selectors import sync_is_running, sync_run_heartbeat

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
        message="A sync of the whole org has been queued.",
    )


def sync_gone_confirm(*, actor, run):
    """Mark gone what a needs-review run held back. Returns (ok, message)."""
    if not actor.has_perm(RUN_SYNC_PERMISSION):
        raise PermissionDenied("You may not confirm a sync's gone marks.")
    return confirm_pending_gone(actor=actor, run=run)


def sync_run_release(*, actor, run, alive_confirmed=False):
    """Free a stuck run's claim and close the run as abandoned by `actor`. (ok, message).

    Nothing is rolled back: what the run committed stays, and a sync never changes Dialpad.
    A run that beat within `claims.quiet_after()` looks alive: it is released only when the
    admin confirms they know (`alive_confirmed`), since a live run may still be stuck (its
    heartbeat thread beats while its work hangs). A live run released here stops at its
    next heartbeat, rolling back the pages it had not committed.
    """
    if not actor.has_perm(RUN_SYNC_PERMISSION):
        raise PermissionDenied("You may not release a sync run.")
    heartbeat = sync_run_heartbeat(run)
    if heartbeat is None:
        return False, f"{run} is not running: there is nothing to release."
    if not heartbeat.stale and not alive_confirmed:
        return False, (f"{run} looks alive: its last heartbeat was {heartbeat.age_s:.0f} s "
                       "ago. Confirm that you know it is running to stop it anyway.")
    who = actor.get_username()
    if heartbeat.beat_at is None:
        reason = f"released by {who}; it did not hold the sync claim"
    elif heartbeat.stale:
        reason = f"released by {who}; {claims.silence_text(heartbeat.beat_at)}"
    else:
        reason = (f"released by {who} while still beating (last heartbeat "
                  f"{heartbeat.age_s:.0f} s before); it stops at its next heartbeat")
    with transaction.atomic():
        if not run.abandon(reason=reason, by=actor):
            return False, f"{run} finished meanwhile: there is nothing to release."
        freed = claims.release_run(run)
    return True, (f"{run} released: marked errored (abandoned by {who})"
                  + ("; the sync claim is free, so the next sync can start now." if freed
                     else "."))
