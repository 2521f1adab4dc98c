"""Sync runs, and the single lock row that lets only one of them run at a time."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Concat
from django.utils import timezone

from dialpad_console.logs import log_sync_run

from .choices import Status, Trigger

# Keep the log readable in the admin and the row small: the last lines win.
LOG_MAX_CHARS = 100_000
OUTCOMES_MAX = 500
# Written only by SyncRun.abandon(): finishing a run never overwrites them.
ABANDON_FIELDS = ("abandoned_at", "abandoned_by", "abandon_reason")


class SyncRun(models.Model):
    """One run of the org sync: who or what started it, how it went, what it changed.

    The engine updates the row as it goes (phase, progress, counts, log), so the admin shows a
    run in flight. `counts` is {entity: {created, updated, unchanged, gone}}; `timings` is
    {phase: seconds}; `pending_gone` is {entity: [identity, ...]} held back by the safety
    valve until an admin confirms; `outcomes` lists objects that could not be mirrored and why.
    """

    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    dry_run = models.BooleanField(
        default=False, help_text="Compared only: nothing was written to the mirror."
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.RUNNING, db_index=True
    )
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    phase = models.CharField(max_length=32, blank=True)
    progress = models.CharField(max_length=255, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    api_calls = models.PositiveIntegerField(default=0)
    retries = models.PositiveIntegerField(default=0)
    rate_limited = models.PositiveIntegerField(
        default=0, verbose_name="429s", help_text="Calls Dialpad answered with 429."
    )
    error = models.TextField(blank=True, help_text="What Dialpad answered when it refused.")
    traceback = models.TextField(blank=True, help_text="Where we crashed (errored runs).")
    log = models.TextField(blank=True)
    pending_gone = models.JSONField(default=dict, blank=True)
    outcomes = models.JSONField(default=list, blank=True)
    gone_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    gone_confirmed_at = models.DateTimeField(null=True, blank=True)
    abandoned_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the run was closed without finishing: its worker stopped beating, "
                  "or an admin released it.",
    )
    abandoned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="The admin who released it (empty: the next run did).",
    )
    abandon_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "sync run"
        permissions = [("run_sync", "Can start a sync now")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            # Belt and braces under the lock row: the database itself refuses a second
            # running run.
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status=Status.RUNNING),
                name="%(app_label)s_%(class)s_one_running",
            ),
        ]

    def __str__(self):
        return f"Sync run #{self.pk}"

    # --- derived ------------------------------------------------------------------------

    @property
    def is_running(self):
        return self.status == Status.RUNNING

    @property
    def duration(self):
        """Seconds from start to finish (to now while running)."""
        if self.started_at is None:
            return None
        end = self.finished_at or timezone.now()
        return (end - self.started_at).total_seconds()

    def counts_summary(self):
        """'users +3 ~2 -1, numbers +1' for the entities where something happened."""
        parts = []
        for entity, c in (self.counts or {}).items():
            bits = []
            if c.get("created"):
                bits.append(f"+{c['created']}")
            if c.get("updated"):
                bits.append(f"~{c['updated']}")
            if c.get("gone"):
                bits.append(f"-{c['gone']}")
            if c.get("held"):
                bits.append(f"{c['held']} held")
            if bits:
                parts.append(f"{entity} {' '.join(bits)}")
        return ", ".join(parts) or "no changes"

    @property
    def pending_gone_total(self):
        return sum(len(v) for v in (self.pending_gone or {}).values())

    @property
    def can_confirm_gone(self):
        return (
            self.status == Status.NEEDS_REVIEW and not self.dry_run
            and self.gone_confirmed_at is None and self.pending_gone_total > 0
        )

    # --- helpers that write ---------------------------------------------------------------

    def start(self):
        """Save the run as running, now. Call only while holding the sync claim."""
        self.status = Status.RUNNING
        self.started_at = timezone.now()
        self.finished_at = None
        self.save()

    start.alters_data = True

    def append_log(self, line):
        """Add a timestamped line to the log (saved with the next save)."""
        stamp = timezone.localtime().strftime("%H:%M:%S")  # the console's time zone
        self.log = (self.log + f"{stamp} {line}\n")[-LOG_MAX_CHARS:]

    append_log.alters_data = True

    def add_outcome(self, *, entity, identity, outcome, reason):
        """Record what happened to one object (e.g. a payload without an id), capped."""
        if len(self.outcomes) < OUTCOMES_MAX:
            self.outcomes.append(
                {"entity": entity, "id": str(identity), "outcome": outcome, "reason": reason}
            )

    add_outcome.alters_data = True

    def finish(self, status, *, error="", traceback="", stats=None):
        """Record the end of the run: status, Dialpad's error or our traceback, API stats.

        Only a run still marked running is finished: one that was abandoned meanwhile (its
        claim released by an admin or taken over) keeps that record, and only gets a line
        in its log saying it stopped.
        """
        self.status = status
        self.finished_at = timezone.now()
        self.phase = ""
        if error:
            self.error = error
        if traceback:
            self.traceback = traceback
        if stats:
            self.api_calls = stats.get("calls", 0)
            self.retries = stats.get("retries", 0)
            self.rate_limited = stats.get("rate_limited", 0)
        self.append_log(f"Finished: {self.get_status_display()}.")
        if self.pk is None:
            self.save()
            log_sync_run(self)  # one log line per run, with its figures
            return
        values = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields
                  if not f.primary_key and f.name not in ABANDON_FIELDS}
        if SyncRun.objects.filter(pk=self.pk, status=Status.RUNNING).update(**values) != 1:
            stamp = timezone.localtime().strftime("%H:%M:%S")
            # In the database, not from this object: someone else wrote the row meanwhile.
            SyncRun.objects.filter(pk=self.pk).update(log=_log_plus(
                f"{stamp} Stopped ({self.get_status_display().lower()}) after it had been "
                "abandoned: nothing more was written.\n"
            ))
            self.refresh_from_db()
        log_sync_run(self)  # one log line per run, with its figures

    finish.alters_data = True

    def abandon(self, *, reason, by=None):
        """Close a run that stopped without finishing, saying who and why. True if it did.

        Called by the run that took over its dead claim (`by` None) or for an admin who
        released it (`by`; the reason names them too); a run no longer marked running is
        left as it is.
        """
        now = timezone.now()
        changed = SyncRun.objects.filter(pk=self.pk, status=Status.RUNNING).update(
            status=Status.ERRORED, finished_at=now, phase="",
            error=f"Abandoned: {reason}.", abandoned_at=now, abandoned_by=by,
            abandon_reason=reason,
            log=_log_plus(f"{timezone.localtime(now):%H:%M:%S} Abandoned: {reason}.\n"),
        )
        if changed:
            self.refresh_from_db()
        return changed == 1

    abandon.alters_data = True


def _log_plus(text):
    """The run's log with `text` appended, in the database (an UPDATE's value)."""
    return Concat(models.F("log"), models.Value(text), output_field=models.TextField())


class SyncLock(models.Model):
    """The one row whose conditional UPDATE claims the right to sync (see syncjobs.claim).

    A claim sets `token`; its holder moves `beat_at` forward as it runs. A claim whose
    `beat_at` is older than DIALPAD_SYNC_STALE_AFTER is dead (a worker killed mid-run) and
    may be taken over.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=64, blank=True)
    run = models.ForeignKey(
        SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    beat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the holder last beat (empty: nobody holds it)."
    )

    class Meta:
        verbose_name = "sync lock"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1), name="%(app_label)s_%(class)s_single_row"
            ),
        ]

    def __str__(self):
        return "Sync lock"
