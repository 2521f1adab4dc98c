"""Reads of sync runs for the admin and the commands."""

from .choices import Status
from .claim import current_holder
from .models import SyncRun


def sync_run_last():
    """The latest run that actually ran (refused triggers are not a sync), or None."""
    return SyncRun.objects.exclude(status=Status.REFUSED).order_by("-started_at", "-pk").first()


def sync_run_in_progress():
    """The run holding the claim, if any (None also while a claim is being set up)."""
    holder = current_holder()
    if holder is None:
        return None
    return holder.run


def sync_is_running():
    return current_holder() is not None
