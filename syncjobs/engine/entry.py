"""Starting a sync: the claim (one run at a time, see syncjobs.claim) and the SyncRun row.

`run_sync()` takes the claim, records a SyncRun and runs the steps (engine.steps.OrgSync);
when another run holds the claim, `record_refused()` records the refused trigger instead.
"""

from __future__ import annotations

import time
import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone

from dialpad_console.formats import console_datetime

from .. import claim as claims
from ..choices import Status, Trigger
from ..models import SyncRun
from .steps import OrgSync


def run_sync(*, trigger=Trigger.MANUAL, requested_by=None, requested_by_id=None,
             dry_run=False, client=None):
    """Sync the org now, in this thread, and return the finished SyncRun.

    If another run holds the claim, nothing is synced: a "refused" SyncRun records the
    trigger and names the run in progress. `client` defaults to `get_client()` (settings).
    """
    if requested_by is not None:
        requested_by_id = requested_by.pk
    if requested_by_id is not None and not get_user_model().objects.filter(
            pk=requested_by_id).exists():
        requested_by_id = None
    token = uuid.uuid4().hex
    if not claims.claim(token):
        return record_refused(trigger=trigger, requested_by_id=requested_by_id)
    try:
        # claim() has closed any run left running by a dead holder; held() beats for this
        # one while Dialpad is slow (see syncjobs.claim).
        with claims.held(token):
            run = SyncRun(trigger=trigger, requested_by_id=requested_by_id, dry_run=dry_run)
            run.start()
            claims.attach_run(token, run)
            OrgSync(run, token=token, client=client, dry_run=dry_run).execute()
            return run
    finally:
        claims.release(token)


def record_refused(*, trigger, requested_by_id=None):
    """A SyncRun saying that this trigger was refused because a run holds the claim."""
    holder = claims.current_holder()
    # The winner names its run a moment after claiming: give it that moment.
    for _ in range(20):
        if holder is None or holder.run_id:
            break
        time.sleep(0.05)
        holder = claims.current_holder()
    if holder is not None and holder.run_id:
        since = console_datetime(holder.run.started_at)
        why = f"sync run #{holder.run_id} has been running since {since}"
    else:
        why = "another sync is starting"
    now = timezone.now()
    message = (f"Refused ({Trigger(trigger).label}): {why}. Only one sync runs at a time; "
               "try again when it has finished.")
    return SyncRun.objects.create(
        trigger=trigger, requested_by_id=requested_by_id, status=Status.REFUSED,
        started_at=now, finished_at=now, error=message,
        log=f"{timezone.localtime(now):%H:%M:%S} {message}\n",
    )

