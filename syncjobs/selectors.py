"""Reads of sync runs for the admin and the commands."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from . import claim as claims
from .choices import Status
from .engine import held_rows, held_table
from .models import SyncRun

logger = logging.getLogger(__name__)

# The periodic task (django-celery-beat) that runs the scheduled sync.
SYNC_TASK_NAME = "syncjobs.tasks.sync_org_task"
# How many runs the admin index's sync health chart shows.
RECENT_RUNS_CHARTED = 20


def sync_run_last():
    """The latest run that actually ran (refused triggers are not a sync), or None."""
    return SyncRun.objects.exclude(status=Status.REFUSED).order_by("-started_at", "-pk").first()


def sync_run_in_progress():
    """The run holding the claim, if any (None also while a claim is being set up)."""
    holder = claims.current_holder()
    if holder is None:
        return None
    return holder.run


def sync_is_running():
    return claims.current_holder() is not None


@dataclass(frozen=True)
class RunHeartbeat:
    """How a running run's heartbeat looks: its age, and whether that is still normal."""

    beat_at: datetime | None  # None: the run holds no claim (so it cannot be beating)
    age_s: float | None
    stale: bool  # silent for longer than a live run ever is
    dead: bool  # silent past DIALPAD_SYNC_STALE_AFTER: the next sync takes its claim over

    @property
    def text(self):
        if self.beat_at is None:
            return "stale: it does not hold the sync claim (the next sync closes it)"
        if not self.stale:
            return f"last heartbeat {self.age_s:.0f} s ago"
        text = f"stale: no heartbeat for {self.age_s:.0f} s"
        return text + ("; the next sync takes over its claim" if self.dead else "")


def sync_run_heartbeat(run):
    """The RunHeartbeat of a running run; None for a run that has finished."""
    if not run.is_running:
        return None
    beat_at = claims.last_beat_of(run)
    if beat_at is None:
        return RunHeartbeat(beat_at=None, age_s=None, stale=True, dead=True)
    age = max(0.0, (timezone.now() - beat_at).total_seconds())
    return RunHeartbeat(beat_at=beat_at, age_s=age, stale=age >= claims.quiet_after(),
                     dead=age >= claims.stale_after().total_seconds())


@dataclass(frozen=True)
class HeldObject:
    """An object a needs-review run held back from marking gone, as its confirmation lists it.
    `marked`: confirming marks it gone (else `why` not: gone already, or read since)."""

    entity: str
    obj: object
    marked: bool
    why: str = ""


def held_gone_list(run):
    """Every object `run` held back from marking gone, entity by entity, with whether
    confirming would mark it: the rule of confirm_pending_gone (still not gone, and holding
    data read before the run started). Identities the mirror no longer has are left out."""
    listed = []
    for entity, identities in (run.pending_gone or {}).items():
        for row in held_rows(held_table(entity), list(identities)):
            if row.gone_at is not None:
                listed.append(HeldObject(entity, row, False, "already marked gone"))
            elif row.last_seen_at is not None and row.last_seen_at >= run.started_at:
                listed.append(HeldObject(entity, row, False,
                                         "read from Dialpad since the run: it stays"))
            else:
                listed.append(HeldObject(entity, row, True))
    return listed


# --- The admin index's sync health --------------------------------------------------------------


def sync_run_held():
    """The last finished run, if it holds gone marks waiting for an admin to confirm them (a
    later run supersedes it: it found those objects again, or held or marked them itself)."""
    last = (SyncRun.objects.exclude(status__in=[Status.REFUSED, Status.RUNNING])
            .order_by("-started_at", "-pk").defer("log", "traceback", "outcomes").first())
    return last if last is not None and last.can_confirm_gone else None


def sync_runs_recent(*, limit=RECENT_RUNS_CHARTED):
    """The last `limit` runs that ran (a refused trigger is not a run), oldest first, with
    what a chart of them needs (no log, no traceback)."""
    runs = list(SyncRun.objects.exclude(status=Status.REFUSED).order_by("-started_at", "-pk")
                .only("pk", "status", "trigger", "dry_run", "started_at", "finished_at",
                      "api_calls", "rate_limited", "retries")[:limit])
    return runs[::-1]


@dataclass(frozen=True)
class NextSync:
    """When the scheduled sync runs next (`at`), per its django-celery-beat task (`task`)."""

    task: object
    at: datetime

    @property
    def overdue(self):
        """Past its time by more than a minute: is beat running? (dialpad_console.health)."""
        return (timezone.now() - self.at).total_seconds() > 60


def sync_next_scheduled(*, now=None):
    """The next run of the enabled periodic sync task(s), or None: not scheduled (no such
    task, or disabled). A schedule that cannot be read is logged and counted as none."""
    from django_celery_beat.models import PeriodicTask

    now = now or timezone.now()
    tasks = PeriodicTask.objects.filter(task=SYNC_TASK_NAME, enabled=True).select_related(
        "interval", "crontab", "solar", "clocked")
    soonest = None
    for task in tasks:
        try:
            # As django-celery-beat's scheduler does: from the last run, else from the change.
            since = task.last_run_at or task.date_changed or now
            at = now + task.schedule.remaining_estimate(since)
            if task.start_time and task.start_time > at:
                at = task.start_time
        except Exception:  # a schedule beat could not read either: say "not scheduled"
            logger.warning("Cannot read the schedule of periodic task %r", task.name,
                           exc_info=True)
            continue
        if soonest is None or at < soonest.at:
            soonest = NextSync(task=task, at=at)
    return soonest
