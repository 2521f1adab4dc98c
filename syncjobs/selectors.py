"""Reads of sync runs for the admin and the commands."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from . import claim as claims
from .choices import Status
from .engine import held_rows, held_table
from .models import SyncRun


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
