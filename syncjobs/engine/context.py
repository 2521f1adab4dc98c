"""One run's state and bookkeeping, and how a run ends; the steps themselves are in `steps`.

Each page is written in a short transaction of its own (engine.applier), never held open
while the run waits for Dialpad: admins log in, browse and push while a sync runs, and on
SQLite a writer waits for the page's transaction instead of failing. No listing is held in
memory: across pages the run keeps only the ids it has seen (for the gone pass) and the ids
of the rows a foreign key may point at.

A value from Dialpad that a column cannot hold (a negative ring_seconds, an id out of range)
is stored safely (None, the raw value kept in the payload) and recorded as a warning on the
run: one bad row never stops an entity or a run.

A failure part-way stops the run: entities already complete stay synced, the one in progress
keeps every page written (a crash rolls back the page being written) and nothing more is
marked gone. "Dialpad refused" (failed / partial) and "we crashed" (errored, with the
traceback) are recorded apart.
"""

from __future__ import annotations

import logging
import time
import traceback as traceback_module

from django.conf import settings
from django.utils import timezone

from dialpad_console.dialpad import AuthError, ConfigurationError, DialpadError, get_client
from orgs import mirror as m
from orgs.history import sync_user

from .. import claim as claims
from ..choices import Status
from .concurrency import Prefetch
from .memberships import MEMBERSHIP_REFERENCES

logger = logging.getLogger("syncjobs")

# Progress is saved (and the claim renewed) at most this often.
PROGRESS_EVERY_S = 1.0
# Every model a mirrored row may point at (an entity's references, a membership's group and
# operator): their ids are loaded once, and kept up to date as rows are created.
REFERENCED_MODELS = {
    model for refs in (*(mirror.references for mirror in m.ENTITY_MIRRORS.values()),
                       MEMBERSHIP_REFERENCES)
    for model in refs.values()
}


class RunContext:
    """One run's state: the client, the counts, what was seen; progress and how it ends.

    A subclass (steps.OrgSync) provides `steps()`: [(phase, callable)], run in order.
    """

    def __init__(self, run, *, token, client=None, dry_run=False):
        self.run = run
        self.token = token
        self.client = client
        self.dry_run = dry_run
        self.held = False
        self.completed = []
        self.max_gone_share = float(getattr(settings, "DIALPAD_SYNC_MAX_GONE_SHARE", 0.10))
        self.min_gone_held = int(getattr(settings, "DIALPAD_SYNC_MIN_GONE_HELD", 5))
        self.deskphones = bool(getattr(settings, "DIALPAD_SYNC_DESKPHONES", False))
        self._last_save = 0.0
        self._stats_base = None
        self.actor = None
        # Ids of rows that exist (or, in a dry run, would): a foreign key to anything else is
        # stored as None rather than failing the page on the database's constraint.
        self.known = {}
        # Background listings (concurrency.FanOut) by step, cancelled however the run ends.
        self.fan_outs = {}
        # Identities listed but unreadable, per entity (kept as they are, never gone).
        self.skipped = {}

    def steps(self):
        raise NotImplementedError

    # --- the run --------------------------------------------------------------------------

    def execute(self):
        """Run every step; finish the run with the right status whatever happens."""
        run = self.run
        phase = "setup"
        try:
            self._setup()
            for phase, step in self.steps():
                self._run_step(phase, step)
            status = Status.NEEDS_REVIEW if self.held else Status.SUCCEEDED
            run.finish(status, stats=self.stats())
        except (AuthError, ConfigurationError) as exc:
            run.append_log(f"{phase}: Dialpad refused the key or settings: {exc}")
            run.finish(Status.FAILED, error=f"{phase}: {exc}", stats=self.stats())
        except DialpadError as exc:
            # Pages written before Dialpad failed are consistent: keep them.
            status = Status.PARTIAL if self.completed else Status.FAILED
            kept = ", ".join(self.completed) or "none"
            run.append_log(
                f"{phase}: stopped: {exc}. Entities synced completely: {kept}. "
                f"Nothing of {phase} or later was marked gone."
            )
            run.finish(status, error=f"{phase}: {exc}", stats=self.stats())
        except Exception as exc:  # noqa: BLE001 -- recorded as "errored", with the traceback
            # The page being written was rolled back with its transaction.
            logger.exception("Sync run #%s crashed", run.pk)
            run.append_log(f"{phase}: crashed: {type(exc).__name__}: {exc}")
            run.finish(
                Status.ERRORED, error=f"{phase}: {type(exc).__name__}: {exc}",
                traceback=traceback_module.format_exc(), stats=self.stats(),
            )
        finally:
            for fan_out in self.fan_outs.values():
                fan_out.cancel()
        return run

    def _setup(self):
        if self.client is None:
            self.client = get_client()
        self._stats_base = self.client.stats.snapshot()
        if not self.dry_run:
            self.actor = sync_user()
        self.known = {
            model: set(model.objects.values_list("pk", flat=True)) for model in REFERENCED_MODELS
        }
        self.run.append_log(
            "Started" + (" (dry run: nothing will be written)" if self.dry_run else "")
            + f" against {self.client.base_url}."
        )

    def _run_step(self, phase, step):
        run = self.run
        run.phase = phase
        self.tick(f"{phase}: starting", force=True)
        started = time.monotonic()
        step()
        elapsed = time.monotonic() - started
        run.timings[phase] = round(elapsed, 3)
        self.completed.append(phase)
        run.append_log(f"{phase}: done in {elapsed:.1f} s ({self._count_text(phase)}).")

    def _count_text(self, phase):
        keys = {"offices": ["offices", "office_e911"], "users": ["users", "memberships"],
                "room_operators": ["memberships"],
                "channels": ["channels", "channel_members"]}.get(phase, [phase])
        parts = []
        for key in keys:
            c = self.run.counts.get(key)
            if c:
                parts.append(
                    f"{key}: {c['created']} created, {c['updated']} updated, "
                    f"{c['unchanged']} unchanged, {c['gone']} gone"
                    + (f", {c['held']} held" if c.get("held") else "")
                )
        return "; ".join(parts) or "nothing"

    # --- bookkeeping ----------------------------------------------------------------------

    def counts_for(self, entity):
        return self.run.counts.setdefault(
            entity, {"created": 0, "updated": 0, "unchanged": 0, "gone": 0}
        )

    def note_created(self, model, identities):
        if model in self.known:
            self.known[model].update(identities)

    def stats(self):
        now = self.client.stats.snapshot() if self.client is not None else {}
        base = self._stats_base or {}
        return {k: now.get(k, 0) - base.get(k, 0) for k in ("calls", "retries", "rate_limited")}

    def tick(self, progress, *, force=False):
        """Show progress in the run (throttled) and renew the claim."""
        self.run.progress = progress[:255]
        if not force and time.monotonic() - self._last_save < PROGRESS_EVERY_S:
            return
        self._last_save = time.monotonic()
        # Between pages, outside any transaction: if the claim was lost (LostClaim), the run
        # stops before writing another page alongside another run's.
        claims.heartbeat(self.token)
        stats = self.stats()
        self.run.api_calls = stats["calls"]
        self.run.retries = stats["retries"]
        self.run.rate_limited = stats["rate_limited"]
        self.run.save(update_fields=[
            "phase", "progress", "counts", "timings", "api_calls", "retries", "rate_limited",
            "log", "pending_gone", "outcomes",
        ])

    # --- reading listings -----------------------------------------------------------------

    def pages(self, listing, *, label):
        """(read_at, items) for each page of an endpoints.Listing, fetched one ahead, with
        progress after each; `read_at` is when the page's request was sent."""
        listed = 0
        pages = _timed(self.client.iter_pages(listing.path, listing.params))
        for number, (read_at, items) in enumerate(Prefetch(pages), 1):
            listed += len(items)
            yield read_at, items
            self.tick(f"{label}: page {number}, {listed:,} listed")

    def fan_out_results(self, name, label):
        """The results of the background listings started as `name`, with progress."""
        fan_out = self.fan_outs[name]
        total = len(fan_out)
        for done, result in enumerate(fan_out.results(), 1):
            yield result
            self.tick(f"{label}: {done:,} of {total:,} listed")

    def check_refs(self, values, references):
        """A foreign key to a row that does not exist is stored as None. A row this run has
        not seen may have been created by a push meanwhile: the database says."""
        for column, model in references.items():
            value = values.get(column)
            if value is None or value in self.known[model]:
                continue
            if model.objects.filter(pk=value).exists():
                self.known[model].add(value)
            else:
                values[column] = None

    def rows_from(self, mirror, payloads, applier):
        """{identity: values} of the payloads; one that cannot be read is skipped, and
        recorded, but still counts as listed (so it is never marked gone for it)."""
        rows = {}
        for payload in payloads:
            if not isinstance(payload, dict):
                self.run.add_outcome(entity=mirror.name, identity="?", outcome="skipped",
                                     reason=f"not an object: {str(payload)[:80]}")
                continue
            identity = None
            try:
                identity = mirror.identity(payload)
                if identity is None:
                    raise ValueError("no identity in the payload")
                values, problems = mirror.columns(payload)
            except (ValueError, TypeError) as exc:
                if identity is not None:
                    applier.seen.add(identity)
                    self.skipped.setdefault(mirror.name, set()).add(identity)
                self.run.add_outcome(
                    entity=mirror.name, identity=_payload_id(payload), outcome="skipped",
                    reason=f"could not read it: {exc}",
                )
                continue
            for column, raw in problems:
                self.run.add_outcome(
                    entity=mirror.name, identity=identity, outcome="warning",
                    reason=f"{column}: Dialpad sent {raw!r}, which the console cannot store; "
                           f"stored as {values[column]!r} (the payload keeps the value)",
                )
            self.check_refs(values, mirror.references)
            values["payload"] = m.clean_payload(payload)
            rows[identity] = values
        return rows


def _timed(pages):
    """(the time each page's request is sent, the page), for each page of `pages`."""
    while True:
        read_at = timezone.now()
        try:
            items = next(pages)
        except StopIteration:
            return
        yield read_at, items


def _payload_id(payload):
    if isinstance(payload, dict):
        return payload.get("id") or payload.get("number") or "?"
    return "?"
