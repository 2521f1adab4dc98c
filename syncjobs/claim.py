"""One sync at a time: an atomic claim on the single SyncLock row, alive while it beats.

A claim is a conditional UPDATE ("set my token where the row is as I read it: free, or held
by a holder that has stopped beating") that must change exactly one row; the database
serialises concurrent UPDATEs, so of two triggers that race, exactly one wins, whatever
process, worker or host they run in. Nobody asks the workers what they are running.

A claim is alive while its holder beats. The run beats about once a second as it writes
pages (`heartbeat()` from the engine's progress tick), and `held()` beats for it from a
background thread while it waits on a slow Dialpad (429 waits, slow pages), so a live run
beats at least every ~2 × `beat_every()` seconds. A claim whose holder has not beaten for
DIALPAD_SYNC_STALE_AFTER seconds (120 by default) is dead -- its worker was killed, its host
lost -- and the next claim takes it over, recording on the dead run that it was abandoned.
An admin can also release a stuck run from its page (services.sync_run_release).

A run whose claim was taken over or released learns it at its next heartbeat (LostClaim) and
stops writing: the engine renews the claim inside the batch it is about to commit, so that
batch is rolled back rather than committed alongside another run's writes.

The heartbeat is "the process is alive", not "the run makes progress": a run that hangs
while its process lives is ended by the Celery task's hard time limit (which kills the
process, so the beats stop) or released by an admin.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections
from django.utils import timezone

from dialpad_console.formats import console_datetime

from .choices import Status
from .models import SyncLock, SyncRun

logger = logging.getLogger("syncjobs")

STALE_AFTER_DEFAULT_S = 120.0
# The background heartbeat beats when nobody has for this long (less with a short
# DIALPAD_SYNC_STALE_AFTER, as in tests): the engine's own tick beats about every second.
BEAT_EVERY_S = 5.0
# A live run beats at least every ~10 s: this much silence is no longer normal.
QUIET_AFTER_S = 30.0

# token -> time.monotonic() of this process's last successful beat, read by held()'s thread.
_last_beats = {}


class LostClaim(Exception):
    """Our claim was taken over or released: stop writing at once."""


def stale_after(setting="DIALPAD_SYNC_STALE_AFTER"):
    """How long a holder may go without beating before its claim is dead (timedelta), from
    `setting` (the sync's, or another claim's such as DIALPAD_BULK_STALE_AFTER)."""
    seconds = float(getattr(settings, setting, STALE_AFTER_DEFAULT_S))
    if seconds <= 0:
        raise ImproperlyConfigured(f"{setting} must be a number of seconds > 0.")
    return timedelta(seconds=seconds)


def beat_every(setting="DIALPAD_SYNC_STALE_AFTER"):
    """Seconds between the background heartbeat's beats (when the run itself is quiet)."""
    return min(BEAT_EVERY_S, stale_after(setting).total_seconds() / 4)


def quiet_after():
    """Seconds without a beat after which a running run is shown as stale."""
    return min(QUIET_AFTER_S, stale_after().total_seconds())


def _ensure_row():
    # INSERT ... ON CONFLICT DO NOTHING: safe when two processes race to create it (the
    # migration creates it too, but a flushed test database has none).
    SyncLock.objects.bulk_create([SyncLock(pk=1)], ignore_conflicts=True)


def claim(token):
    """Try to take the claim with `token`. True when we hold it now.

    A claim held by a holder that stopped beating is taken over, and every run still marked
    running is closed as abandoned (holding the claim, we know none of them runs).
    """
    if not token:
        raise ValueError("a claim needs a token")
    silent_since = timezone.now() - stale_after()
    _ensure_row()
    lock = SyncLock.objects.get(pk=1)
    if lock.token and lock.beat_at is not None and lock.beat_at > silent_since:
        return False
    # Compare-and-set on what we read: free, or the same holder still silent. Of two
    # claimers only one changes the row; a holder that beats meanwhile keeps its claim.
    unchanged = SyncLock.objects.filter(pk=1, token=lock.token)
    if lock.token:
        unchanged = unchanged.exclude(beat_at__gt=silent_since)
    now = timezone.now()
    if unchanged.update(token=token, run=None, claimed_at=now, beat_at=now) != 1:
        return False
    _last_beats[token] = time.monotonic()
    _abandon_dead_runs(taken_over=lock if lock.token else None)
    return True


def _abandon_dead_runs(*, taken_over):
    for run in SyncRun.objects.filter(status=Status.RUNNING):
        if taken_over is not None and taken_over.run_id == run.pk:
            reason = f"{silence_text(taken_over.beat_at)}; its claim was taken over"
        else:
            reason = "it no longer held the sync claim (it stopped without finishing)"
        run.abandon(reason=reason)


def silence_text(beat_at, now=None):
    """'no heartbeat since 2026-01-02 03:04:05 (130 s)'."""
    if beat_at is None:
        return "no heartbeat"
    seconds = ((now or timezone.now()) - beat_at).total_seconds()
    since = console_datetime(beat_at)
    return f"no heartbeat since {since} ({seconds:.0f} s)"


def attach_run(token, run):
    """Name the run that holds the claim (shown to whoever is refused)."""
    SyncLock.objects.filter(pk=1, token=token).update(run=run)


def heartbeat(token):
    """Record that our claim's holder is alive; raise LostClaim if the claim is not ours."""
    if not token:
        raise ValueError("a heartbeat needs a token")
    if SyncLock.objects.filter(pk=1, token=token).update(beat_at=timezone.now()) != 1:
        _last_beats.pop(token, None)
        raise LostClaim("The sync claim was taken over or released: this run stops here.")
    _last_beats[token] = time.monotonic()


def release(token):
    if not token:
        return
    _last_beats.pop(token, None)
    SyncLock.objects.filter(pk=1, token=token).update(token="", beat_at=None)


def release_run(run):
    """Free the claim if `run` holds it (an admin's release). True when it did."""
    return SyncLock.objects.filter(pk=1, run=run).exclude(token="").update(
        token="", beat_at=None) == 1


def current_holder():
    """The SyncLock row if a live claim is held (its `run` may still be None), else None."""
    return SyncLock.objects.select_related("run").filter(
        pk=1, beat_at__gt=timezone.now() - stale_after()
    ).exclude(token="").first()


def last_beat_of(run):
    """When the holder of `run`'s claim last beat, or None when `run` holds no claim."""
    return SyncLock.objects.filter(pk=1, run=run).exclude(token="").values_list(
        "beat_at", flat=True).first()


@contextmanager
def held(token, *, beat=None, every=None):
    """Keep beating for `token` from a background thread while the body runs.

    The thread beats only when nobody has for `beat_every()` seconds (the engine's tick
    usually has), on its own database connection, closed when it stops. If it finds the
    claim lost it stops beating; the run itself learns it at its next tick.

    Other claims alive while they beat (a bulk message job's, messaging.claims) pass their
    own `beat(token)`, which raises LostClaim when the claim is gone, and its period.
    """
    beater = _Beater(token, beat=beat or heartbeat, every=every or beat_every())
    beater.start()
    try:
        yield beater
    finally:
        beater.stop()


class _Beater(threading.Thread):
    def __init__(self, token, *, beat, every):
        super().__init__(name="claim-heartbeat", daemon=True)
        self.token = token
        self.beat = beat
        self.every = every
        self.lost = False
        self._stop_event = threading.Event()

    def run(self):
        try:
            while not self._stop_event.wait(min(1.0, self.every / 2)):
                if time.monotonic() - _last_beats.get(self.token, 0.0) < self.every:
                    continue
                try:
                    # A second writer beside the run: on SQLite this is safe only while the
                    # run holds no read transaction across its Dialpad waits (IMMEDIATE
                    # batches, or none open while it waits), as for any concurrent write.
                    self.beat(self.token)
                    _last_beats[self.token] = time.monotonic()
                except LostClaim:
                    self.lost = True
                    logger.warning("Sync claim lost: the background heartbeat stops.")
                    return
                except DatabaseError as exc:
                    # e.g. SQLite busy while the run commits a long batch: try again soon.
                    logger.warning("Heartbeat failed, retrying: %s", exc)
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self):
        self._stop_event.set()
        self.join(timeout=30)
