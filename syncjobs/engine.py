"""The org sync: list Dialpad page by page, diff each page against the mirror, apply the diff.

`run_sync()` is the one entry point (the Celery task, `manage.py sync_org` and the benchmark
call it). It takes the claim (one run at a time, see syncjobs.claim), records a SyncRun, and
walks the entities in dependency order:

    company, offices (+ their E911 addresses), departments, call centers, rooms,
    users (+ users' operator memberships, from each user's `group_details`), numbers,
    rooms' operator memberships, and rooms' desk phones (when DIALPAD_SYNC_DESKPHONES is on).

For each page of a listing it loads, in one query, the local values of the compared columns
of that page's ids only, sorts the page into created / updated / unchanged, and writes the
page with one INSERT per table (syncjobs.bulk) and bulk_update(fields=<the changed columns>),
plus one History entry per created or changed object (orgs.history.log_entries), committing
about once a second. No listing is held in memory: across pages the run keeps only the ids
it has seen (for the gone pass) and the names and ids of offices, departments and rooms (a
few thousand, for membership History and the operator listings). The next page is fetched
in a background thread while this one is written, and the per-group operator listings run
in the background from the moment the rooms are listed.

An unchanged row is not written at all, not even `last_seen_at`: that column records when a
sync last saw the row *change* (or appear); a row that is not gone was seen by the last run
whose listing of its entity completed (its SyncRun says when). So a sync of an unchanged org
writes no mirror row and no History entry.

Gone: only after a listing completed, rows the listing did not have are marked gone (never
deleted), through the safety valve: if that is more than DIALPAD_SYNC_MAX_GONE_SHARE of the
entity, none are marked, the run finishes "needs review" and keeps the ids for an admin to
confirm. A failure part-way stops the run: entities already complete stay synced, the one in
progress keeps every row (pages already written stay written), and nothing more is marked
gone.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import traceback as traceback_module
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dialpad_console.dialpad import (
    AuthError,
    ConfigurationError,
    DialpadError,
    get_client,
    parse_id,
)
from orgs import mirror as m
from orgs.history import ADDITION, CHANGE, describe_changes, log_entries, sync_user
from orgs.models import (
    CallCenter,
    Department,
    DialpadUser,
    E911Address,
    Office,
    OperatorMembership,
    Room,
)

from . import claim as claims
from dialpad_console.bulk import insert_rows
from .choices import Status, Trigger
from .models import SyncRun

logger = logging.getLogger("syncjobs")

# Entities in the order they are synced (and shown in counts).
ENTITIES = (
    "company", "offices", "office_e911", "departments", "callcenters", "rooms", "users",
    "numbers", "memberships", "deskphones",
)
# Groups in these states have no operators worth a call.
INACTIVE_STATES = ("cancelled", "deleted")
# Concurrent operator / desk phone listings: hides the round trip; the pacer keeps the rate.
FAN_OUT_THREADS = 2
# Progress is saved (and the claim renewed) at most this often.
PROGRESS_EVERY_S = 1.0


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
        _abandon_stale_runs()
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
        since = timezone.localtime(holder.run.started_at).strftime("%Y-%m-%d %H:%M:%S")
        why = f"sync run #{holder.run_id} has been running since {since}"
    else:
        why = "another sync is starting"
    now = timezone.now()
    message = (f"Refused ({Trigger(trigger).label}): {why}. Only one sync runs at a time; "
               "try again when it has finished.")
    return SyncRun.objects.create(
        trigger=trigger, requested_by_id=requested_by_id, status=Status.REFUSED,
        started_at=now, finished_at=now, error=message,
        log=f"{now:%H:%M:%S} {message}\n",
    )


def _abandon_stale_runs():
    """Runs still marked running while we hold the claim died with their worker."""
    for run in SyncRun.objects.filter(status=Status.RUNNING):
        run.append_log("Abandoned: its claim expired (the worker was killed or timed out).")
        run.finish(Status.ERRORED, error="Abandoned: the run stopped without finishing "
                                         "(worker killed or time limit); nothing was marked gone.")


class _Target:
    """What orgs.history.log_entries reads from an object: `_meta`, `pk` and str().

    Used for memberships, whose own __str__ would load five related rows per object.
    """

    __slots__ = ("_meta", "pk", "_text")

    def __init__(self, model, pk, text):
        self._meta = model._meta
        self.pk = pk
        self._text = text

    def __str__(self):
        return self._text


class _Prefetch:
    """Iterate `iterable` in a background thread, at most `depth` items ahead.

    The next page is on its way while this one is being written; errors are re-raised in the
    consumer. Closing the iterator early (an error while writing) stops the producer.
    """

    def __init__(self, iterable, depth=2):
        self._queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._produce, args=(iterable,), name="sync-prefetch", daemon=True
        )
        self._thread.start()

    def _produce(self, iterable):
        try:
            for item in iterable:
                if not self._put(("item", item)):
                    return
            self._put(("done", None))
        except BaseException as exc:  # noqa: BLE001 -- handed to the consumer
            self._put(("error", exc))

    def _put(self, entry):
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self):
        try:
            while True:
                kind, value = self._queue.get()
                if kind == "item":
                    yield value
                elif kind == "done":
                    return
                else:
                    raise value
        finally:
            self._stop.set()


class Applier:
    """Diff and apply pages of rows for one model, then the gone pass.

    `rows` given to apply() are {identity: {column: value}} with every referenced id already
    checked. Only `compared` columns decide whether a row changed; `uncompared` columns are
    written along with a change (e.g. a membership's payload).
    """

    def __init__(self, sync, *, entity, model, identity_field, compared, uncompared=(),
                 mirrored=True, touch=None, describe=None, scope=None):
        self.sync = sync
        self.entity = entity
        self.model = model
        self.identity_field = identity_field
        self.compared = list(compared)
        self.uncompared = list(uncompared)
        self.mirrored = mirrored
        self.touch = touch or (lambda now: {})
        self.describe = describe
        self.scope = scope or {}
        self.seen = set()
        self.counts = sync.counts_for(entity)

    # --- per page -----------------------------------------------------------------------

    def apply(self, rows):
        if not rows:
            return
        sync = self.sync
        ident = self.identity_field
        self.seen.update(rows)
        extra = ["gone_at"] if self.mirrored else []
        local = {
            rec[0]: rec
            for rec in self.model.objects.filter(**{f"{ident}__in": list(rows)}).values_list(
                ident, "pk", *extra, *self.compared
            )
        }
        offset = 2 + len(extra)
        created, changed = [], []
        for identity, values in rows.items():
            rec = local.get(identity)
            if rec is None:
                created.append(identity)
                continue
            changes = {}
            for i, column in enumerate(self.compared):
                old, new = rec[offset + i], values[column]
                if old != new:
                    changes[column] = (old, new)
            if self.mirrored and rec[2] is not None:
                changes["gone_at"] = (rec[2], None)
            if changes:
                changed.append((identity, rec[1], changes))
        self.counts["created"] += len(created)
        self.counts["updated"] += len(changed)
        self.counts["unchanged"] += len(rows) - len(created) - len(changed)
        if sync.dry_run or not (created or changed):
            sync.note_created(self.model, created)
            return
        now = timezone.now()
        stamps = dict(self.touch(now))
        if self.mirrored:
            stamps["last_seen_at"] = now
        # Written inside the run's open batch (OrgSync.begin_batch): a commit per second of
        # work rather than per page.
        new_rows = [{ident: identity, **rows[identity], **stamps} for identity in created]
        insert_rows(self.model, new_rows)
        new_objs = self._inserted(new_rows)
        by_fields = defaultdict(list)
        changed_objs = []
        for identity, pk, changes in changed:
            obj = self.model(**{ident: identity}, **rows[identity], **stamps)
            obj.pk = pk
            if self.mirrored:
                obj.gone_at = None
            fields = sorted(set(changes) | set(self.uncompared) | set(stamps))
            by_fields[tuple(fields)].append(obj)
            changed_objs.append((obj, changes))
        for fields, objs in by_fields.items():
            self.model.objects.bulk_update(objs, fields, batch_size=500)
        sync.note_created(self.model, created)
        prefix = f"Sync run #{sync.run.pk}"
        if new_objs:
            log_entries(
                actor=sync.actor, action_flag=ADDITION,
                entries=[(o, f"{prefix}: created from Dialpad.") for o in new_objs],
            )
        if changed_objs:
            log_entries(
                actor=sync.actor, action_flag=CHANGE,
                entries=[(self._target(o, rows), f"{prefix}: {_change_message(changes)}")
                         for o, changes in changed_objs],
            )

    def _inserted(self, new_rows):
        """The rows just inserted, as objects for their History entries."""
        if not new_rows:
            return []
        ident = self.identity_field
        if self.model._meta.pk.attname == ident:
            pks = {row[ident]: row[ident] for row in new_rows}
        else:
            pks = dict(self.model.objects.filter(
                **{f"{ident}__in": [row[ident] for row in new_rows]}
            ).values_list(ident, "pk"))
        describe = self.describe or self._model_str
        return [
            _Target(self.model, pks[row[ident]], describe(row[ident], row)[:200])
            for row in new_rows
        ]

    def _model_str(self, identity, row):
        # The model's own __str__, read from the row's values: the mirror models' __str__
        # use only their own columns, and a full instance per new row would cost a second.
        return str(self.model.__str__(SimpleNamespace(pk=identity, **row)))

    def _target(self, obj, rows):
        if self.describe is None:
            return obj
        identity = getattr(obj, self.identity_field)
        return _Target(self.model, obj.pk, self.describe(identity, rows[identity])[:200])

    # --- after a complete listing ---------------------------------------------------------

    def finish(self):
        """Mark gone what the complete listing did not have (through the safety valve)."""
        sync = self.sync
        ident = self.identity_field
        alive = self.model.objects.filter(gone_at__isnull=True)
        missing = [
            (identity, pk)
            for identity, pk in alive.filter(**self.scope).values_list(ident, "pk").iterator(
                chunk_size=5000)
            if identity not in self.seen
        ]
        if not missing:
            return
        # The share is of the whole entity (memberships: users' and rooms' together).
        total = alive.count()
        share = len(missing) / total
        limit = sync.max_gone_share
        if share > limit:
            held = sorted(identity for identity, _pk in missing)
            sync.run.pending_gone.setdefault(self.entity, []).extend(held)
            self.counts["held"] = self.counts.get("held", 0) + len(held)
            sync.held = True
            sync.run.append_log(
                f"Safety valve: {self.entity}: {len(missing)} of {total} "
                f"({share:.0%}) would be marked gone, more than the {limit:.0%} allowed "
                f"(DIALPAD_SYNC_MAX_GONE_SHARE). None were marked: confirm them from this "
                f"run's page if Dialpad really lost them."
            )
            return
        self.counts["gone"] += len(missing)
        if not sync.dry_run:
            mark_gone(self.model, [pk for _identity, pk in missing], run=sync.run,
                      actor=sync.actor)


def _change_message(changes):
    back = "gone_at" in changes
    rest = {k: v for k, v in changes.items() if k != "gone_at"}
    text = describe_changes(rest) if rest else ""
    if back:
        text = "back in Dialpad" + (f"; {text}" if text else "")
    return (text or "changed") + "."


def mark_gone(model, pks, *, run, actor, note=""):
    """Set gone_at on these rows (still not gone) and write their History; returns how many."""
    marked = 0
    message = f"Sync run #{run.pk}: gone from Dialpad (not in a complete listing){note}."
    related = (
        ["user", "room", "office", "department", "callcenter"]
        if model is OperatorMembership else []
    )
    for start in range(0, len(pks), 500):
        batch = pks[start:start + 500]
        with transaction.atomic():
            objs = list(
                model.objects.select_related(*related).filter(pk__in=batch, gone_at__isnull=True)
            )
            if not objs:
                continue
            model.objects.filter(pk__in=[o.pk for o in objs]).update(gone_at=timezone.now())
            log_entries(actor=actor, action_flag=CHANGE,
                        entries=[(o, message) for o in objs])
            marked += len(objs)
    return marked


class OrgSync:
    """One run's state: the client, the counts, what was seen, and the steps."""

    def __init__(self, run, *, token, client=None, dry_run=False):
        self.run = run
        self.token = token
        self.client = client
        self.dry_run = dry_run
        self.held = False
        self.completed = []
        self.max_gone_share = float(getattr(settings, "DIALPAD_SYNC_MAX_GONE_SHARE", 0.10))
        self.deskphones = bool(getattr(settings, "DIALPAD_SYNC_DESKPHONES", False))
        self._last_save = 0.0
        self._batch = None
        self._stats_base = None
        self.actor = None
        # Ids of rows that exist (or, in a dry run, would): a foreign key to anything else is
        # stored as None rather than failing the page on the database's constraint.
        self.known = {}
        # Names for membership History entries, and the groups / rooms to list.
        self.group_names = {}
        self.room_names = {}
        self.listed_groups = {"office": [], "department": []}
        self.listed_rooms = []
        self.fan_outs = {}
        # Identities listed but unreadable, per entity (kept as they are, never gone).
        self.skipped = {}

    # --- bookkeeping ----------------------------------------------------------------------

    def counts_for(self, entity):
        counts = self.run.counts.setdefault(
            entity, {"created": 0, "updated": 0, "unchanged": 0, "gone": 0}
        )
        return counts

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
        # Renew the claim inside the batch: if it was lost, the batch is rolled back, not
        # committed alongside another run's writes.
        claims.heartbeat(self.token)
        self.commit_batch()
        stats = self.stats()
        self.run.api_calls = stats["calls"]
        self.run.retries = stats["retries"]
        self.run.rate_limited = stats["rate_limited"]
        self.run.save(update_fields=[
            "phase", "progress", "counts", "timings", "api_calls", "retries", "rate_limited",
            "log", "pending_gone", "outcomes",
        ])
        self.begin_batch()

    def begin_batch(self):
        """Open the transaction the next pages are written in (closed by commit_batch)."""
        if self._batch is None:
            self._batch = transaction.atomic()
            self._batch.__enter__()

    def commit_batch(self):
        if self._batch is not None:
            batch, self._batch = self._batch, None
            batch.__exit__(None, None, None)

    def rollback_batch(self, exc):
        if self._batch is not None:
            batch, self._batch = self._batch, None
            batch.__exit__(type(exc), exc, exc.__traceback__)

    def pages(self, path, params=None, *, label):
        """The listing's pages, fetched one ahead, with progress after each."""
        listed = 0
        for number, items in enumerate(_Prefetch(self.client.iter_pages(path, params)), 1):
            listed += len(items)
            yield items
            self.tick(f"{label}: page {number}, {listed:,} listed")

    def check_refs(self, values, references):
        for column, model in references.items():
            value = values.get(column)
            if value is not None and value not in self.known[model]:
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
                values = mirror.fields(payload)
            except (ValueError, TypeError) as exc:
                if identity is not None:
                    applier.seen.add(identity)
                    self.skipped.setdefault(mirror.name, set()).add(identity)
                self.run.add_outcome(
                    entity=mirror.name, identity=_payload_id(payload), outcome="skipped",
                    reason=f"could not read it: {exc}",
                )
                continue
            self.check_refs(values, mirror.references)
            values["payload"] = m.clean_payload(payload)
            rows[identity] = values
        return rows

    def applier(self, mirror, **kwargs):
        return Applier(
            self, entity=mirror.name, model=mirror.model, identity_field=mirror.identity_field,
            compared=mirror.compared_fields, **kwargs,
        )

    # --- the run --------------------------------------------------------------------------

    def execute(self):
        """Run every step; finish the run with the right status whatever happens."""
        run = self.run
        phase = "setup"
        try:
            if self.client is None:
                self.client = get_client()
            self._stats_base = self.client.stats.snapshot()
            if not self.dry_run:
                self.actor = sync_user()
            self.known = {
                model: set(model.objects.values_list("pk", flat=True))
                for model in (Office, Department, CallCenter, Room, DialpadUser)
            }
            run.append_log(
                "Started" + (" (dry run: nothing will be written)" if self.dry_run else "")
                + f" against {self.client.base_url}."
            )
            for phase, step in self.steps():
                run.phase = phase
                self.tick(f"{phase}: starting", force=True)
                started = time.monotonic()
                step()
                self.commit_batch()
                elapsed = time.monotonic() - started
                run.timings[phase] = round(elapsed, 3)
                self.completed.append(phase)
                run.append_log(f"{phase}: done in {elapsed:.1f} s ({self._count_text(phase)}).")
            status = Status.NEEDS_REVIEW if self.held else Status.SUCCEEDED
            run.finish(status, stats=self.stats())
        except (AuthError, ConfigurationError) as exc:
            self.commit_batch()
            run.append_log(f"{phase}: Dialpad refused the key or settings: {exc}")
            run.finish(Status.FAILED, error=f"{phase}: {exc}", stats=self.stats())
        except DialpadError as exc:
            # Pages written before Dialpad failed are consistent: keep them.
            self.commit_batch()
            status = Status.PARTIAL if self.completed else Status.FAILED
            kept = ", ".join(self.completed) or "none"
            run.append_log(
                f"{phase}: stopped: {exc}. Entities synced completely: {kept}. "
                f"Nothing of {phase} or later was marked gone."
            )
            run.finish(status, error=f"{phase}: {exc}", stats=self.stats())
        except Exception as exc:  # noqa: BLE001 -- recorded as "errored", with the traceback
            # A page may be half written: roll back the open batch (at most a second's pages).
            self.rollback_batch(exc)
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

    def _count_text(self, phase):
        keys = {"offices": ["offices", "office_e911"], "users": ["users", "memberships"],
                "room_operators": ["memberships"]}.get(phase, [phase])
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

    def steps(self):
        steps = [
            ("company", self.sync_company),
            ("offices", self.sync_offices),
            ("departments", lambda: self.sync_groups(m.DEPARTMENTS, "/api/v2/departments")),
            ("callcenters", lambda: self.sync_groups(m.CALLCENTERS, "/api/v2/callcenters")),
            ("rooms", self.sync_rooms),
            ("users", self.sync_users),
            ("numbers", self.sync_numbers),
            ("room_operators", self.sync_room_operators),
        ]
        if self.deskphones:
            steps.append(("deskphones", self.sync_deskphones))
        return steps

    # --- steps ----------------------------------------------------------------------------

    def sync_company(self):
        payload = self.client.get("/api/v2/company")
        if not isinstance(payload, dict) or not payload.get("id"):
            raise DialpadError("GET /api/v2/company answered without a company id",
                               method="GET", path="/api/v2/company", status=200)
        applier = self.applier(m.COMPANY)
        applier.apply(self.rows_from(m.COMPANY, [payload], applier))
        applier.finish()

    def sync_offices(self):
        offices = self.applier(m.OFFICES)
        e911 = Applier(
            self, entity="office_e911", model=E911Address, identity_field="office_id",
            compared=m.E911_FIELDS, mirrored=False, touch=lambda now: {"fetched_at": now},
        )
        for page in self.pages("/api/v2/offices", label="offices"):
            rows = self.rows_from(m.OFFICES, page, offices)
            offices.apply(rows)
            self.note_groups("office", rows)
            addresses = {
                oid: m.e911_fields(values["payload"]["e911_address"])
                for oid, values in rows.items()
                if isinstance(values["payload"].get("e911_address"), dict)
            }
            e911.apply(addresses)
        offices.finish()
        # An office's address goes with the office: no gone pass of its own.

    def sync_groups(self, mirror, path):
        applier = self.applier(mirror)
        group_type = {"departments": "department", "callcenters": "callcenter"}[mirror.name]
        for page in self.pages(path, label=mirror.name):
            rows = self.rows_from(mirror, page, applier)
            applier.apply(rows)
            self.note_groups(group_type, rows)
        applier.finish()

    def note_groups(self, group_type, rows):
        for gid, values in rows.items():
            self.group_names[(group_type, gid)] = values["name"]
            if group_type in self.listed_groups and values["state"] not in INACTIVE_STATES:
                self.listed_groups[group_type].append(gid)

    def sync_rooms(self):
        applier = self.applier(m.ROOMS)
        for page in self.pages("/api/v2/rooms", label="rooms"):
            rows = self.rows_from(m.ROOMS, page, applier)
            applier.apply(rows)
            for rid, values in rows.items():
                self.room_names[rid] = values["name"]
                if values["state"] not in INACTIVE_STATES:
                    self.listed_rooms.append(rid)
        applier.finish()
        self.start_fan_outs()

    def membership_applier(self, operator_type, describe):
        return Applier(
            self, entity="memberships", model=OperatorMembership, identity_field="key",
            compared=m.MEMBERSHIP_COMPARED_FIELDS, uncompared=["payload"],
            describe=describe, scope={"operator_type": operator_type},
        )

    def membership_values(self, group_type, group_id, operator_type, operator_id, role, detail):
        values = m.membership_fields(
            group_type=group_type, group_id=group_id, operator_type=operator_type,
            operator_id=operator_id, role=role,
        )
        self.check_refs(values, {
            "office_id": Office, "department_id": Department, "callcenter_id": CallCenter,
            "user_id": DialpadUser, "room_id": Room,
        })
        values["payload"] = m.clean_payload(detail)
        return values

    def group_name(self, group_type, group_id):
        return self.group_names.get((group_type, group_id)) or f"{group_type} {group_id}"

    def sync_users(self):
        users = self.applier(m.USERS)
        user_names = {}

        def describe(key, values):
            name = user_names.get(values["operator_id"]) or f"user {values['operator_id']}"
            group = self.group_name(values["group_type"], values["group_id"])
            return f"{name} as {values['role']} of {group}"

        memberships = self.membership_applier("user", describe)
        for page in self.pages("/api/v2/users", {"state": "all"}, label="users"):
            rows = self.rows_from(m.USERS, page, users)
            users.apply(rows)
            user_names.clear()
            member_rows = {}
            for uid, values in rows.items():
                user_names[uid] = (
                    values["display_name"]
                    or f"{values['first_name']} {values['last_name']}".strip()
                )
                try:
                    groups = m.user_memberships(values["payload"])
                except (ValueError, TypeError, AttributeError) as exc:
                    self.run.add_outcome(
                        entity="memberships", identity=uid, outcome="skipped",
                        reason=f"could not read the user's group_details: {exc}",
                    )
                    self.skipped.setdefault("users", set()).add(uid)
                    continue
                details = values["payload"].get("group_details") or []
                for (group_type, group_id, role), detail in zip(groups, _group_details(details)):
                    key = OperatorMembership.make_key(group_type, group_id, "user", uid)
                    member_rows[key] = self.membership_values(
                        group_type, group_id, "user", uid, role, detail
                    )
            memberships.apply(member_rows)
        users.finish()
        # A user we could not read keeps the memberships it had.
        unreadable = sorted(self.skipped.get("users", ()))
        for start in range(0, len(unreadable), 500):
            memberships.seen.update(OperatorMembership.objects.filter(
                operator_type="user", operator_id__in=unreadable[start:start + 500],
            ).values_list("key", flat=True))
        # Users are listed with state=all, so every membership a listed user does not name
        # in its group_details (and every membership of a user not listed) is gone.
        memberships.finish()

    def sync_numbers(self):
        applier = self.applier(m.NUMBERS)
        for page in self.pages("/api/v2/numbers", label="numbers"):
            applier.apply(self.rows_from(m.NUMBERS, page, applier))
        applier.finish()

    def start_fan_outs(self):
        """Start the per-group and per-room listings in the background, right after rooms.

        They need only the offices, departments and rooms just listed, and cost the
        simulator (or Dialpad) time rather than us, so they overlap the users and numbers
        pages; their compact answers wait until their step applies them.
        """
        calls = []
        if self.listed_rooms:
            calls = [(("office", gid), f"/api/v2/offices/{gid}/operators")
                     for gid in self.listed_groups["office"]]
            calls += [(("department", gid), f"/api/v2/departments/{gid}/operators")
                      for gid in self.listed_groups["department"]]
        self.fan_outs["room_operators"] = _FanOut(self.client, calls, _operator_rooms)
        if self.deskphones:
            calls = [(rid, f"/api/v2/rooms/{rid}/deskphones") for rid in self.listed_rooms]
            self.fan_outs["deskphones"] = _FanOut(self.client, calls, _deskphone_items)

    def fan_out_results(self, name, label):
        fan_out = self.fan_outs[name]
        total = len(fan_out)
        for done, result in enumerate(fan_out.results(), 1):
            yield result
            self.tick(f"{label}: {done:,} of {total:,} listed")

    def sync_room_operators(self):
        """Rooms' memberships: one operators listing per office and per department.

        Users' memberships came free with the users listing (group_details); rooms have no
        such field, and may only operate offices and departments (never call centers), so
        these are the only listings needed: one call per active office and department (none
        when the org has no room), a few in flight at once, started in the background as
        soon as the rooms were listed.
        """
        def describe(key, values):
            room = self.room_names.get(values["operator_id"]) or f"room {values['operator_id']}"
            group = self.group_name(values["group_type"], values["group_id"])
            return f"{room} as {values['role']} of {group}"

        memberships = self.membership_applier("room", describe)
        rows = {}
        for (group_type, group_id), rooms in self.fan_out_results("room_operators",
                                                                   "room operators"):
            for room_id, role, name in rooms:
                key = OperatorMembership.make_key(group_type, group_id, "room", room_id)
                rows[key] = self.membership_values(
                    group_type, group_id, "room", room_id, role,
                    {"group_type": group_type, "group_id": group_id, "role": role},
                )
                self.room_names.setdefault(room_id, name)
            if len(rows) >= 500:
                memberships.apply(rows)
                rows = {}
        memberships.apply(rows)
        memberships.finish()

    def sync_deskphones(self):
        """Rooms' desk phones: one call per active room (so off unless configured)."""
        applier = self.applier(m.DESKPHONES)
        rows = {}
        for _rid, items in self.fan_out_results("deskphones", "desk phones"):
            rows.update(self.rows_from(m.DESKPHONES, items, applier))
            if len(rows) >= 200:
                applier.apply(rows)
                rows = {}
        applier.apply(rows)
        applier.finish()


def _operator_rooms(answer):
    """[(room_id, role, name)] from an operators listing (its users come from group_details)."""
    found = []
    for room in (answer or {}).get("rooms") or []:
        if isinstance(room, dict):
            room_id = parse_id(room.get("id"))
            if room_id is not None:
                found.append((room_id, room.get("role") or "operator", room.get("name") or ""))
    return found


def _deskphone_items(answer):
    return [item for item in (answer or {}).get("items") or [] if isinstance(item, dict)]


class _FanOut:
    """GET many paths with a few threads; results come back in order, compact.

    `parse` runs in the worker thread, so only what the sync needs is kept (an operators
    listing carries every operator's full user payload; we keep room ids). The threads touch
    no database. The first error is raised by results(); cancel() drops what is left.
    """

    def __init__(self, client, calls, parse, threads=FAN_OUT_THREADS):
        self._calls = calls
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sync-fan-out")
        self._futures = [
            self._pool.submit(lambda path=path: parse(client.get(path))) for _key, path in calls
        ]

    def __len__(self):
        return len(self._calls)

    def results(self):
        try:
            for (key, _path), future in zip(self._calls, self._futures):
                yield key, future.result()
        finally:
            self.cancel()

    def cancel(self):
        self._pool.shutdown(wait=False, cancel_futures=True)


def _group_details(details):
    """The group_details entries that user_memberships() keeps, in the same order."""
    for detail in details:
        if (isinstance(detail, dict) and detail.get("group_type") in m.GROUP_COLUMNS
                and parse_id(detail.get("group_id")) is not None):
            yield detail


def _payload_id(payload):
    if isinstance(payload, dict):
        return payload.get("id") or payload.get("number") or "?"
    return "?"


def confirm_pending_gone(*, actor, run):
    """Apply the gone marks a needs-review run held back. Returns (ok, message).

    Refused while another sync runs, for dry runs, when already confirmed, and when a later
    run has listed the org since (its own result is the one to trust).
    """
    if not run.can_confirm_gone:
        return False, f"{run} has no held gone marks to confirm."
    later = SyncRun.objects.filter(started_at__gt=run.started_at, dry_run=False).exclude(
        status=Status.REFUSED
    ).order_by("started_at").first()
    if later is not None:
        return False, (f"{later} has run since {run}: confirm the gone marks of the latest "
                       "run instead, if it held any.")
    token = uuid.uuid4().hex
    if not claims.claim(token):
        return False, "A sync is running: confirm once it has finished."
    try:
        models = {name: mirror.model for name, mirror in m.ENTITY_MIRRORS.items()}
        models["memberships"] = OperatorMembership
        identity_fields = {name: mirror.identity_field for name, mirror in m.ENTITY_MIRRORS.items()}
        identity_fields["memberships"] = "key"
        who = actor.get_username()
        total = 0
        for entity, identities in run.pending_gone.items():
            model = models[entity]
            field = identity_fields[entity]
            pks = []
            for start in range(0, len(identities), 500):
                pks += list(model.objects.filter(
                    **{f"{field}__in": identities[start:start + 500]}, gone_at__isnull=True
                ).values_list("pk", flat=True))
            marked = mark_gone(model, pks, run=run, actor=sync_user(),
                               note=f"; confirmed by {who}")
            counts = run.counts.setdefault(
                entity, {"created": 0, "updated": 0, "unchanged": 0, "gone": 0})
            counts["gone"] = counts.get("gone", 0) + marked
            counts["held"] = 0
            total += marked
        run.gone_confirmed_by = actor
        run.gone_confirmed_at = timezone.now()
        run.append_log(f"{who} confirmed the held gone marks: {total} marked gone.")
        run.status = Status.SUCCEEDED
        run.save(update_fields=["gone_confirmed_by", "gone_confirmed_at", "log", "status",
                                "counts"])
        return True, f"{total} objects marked gone (held by {run}, confirmed by {who})."
    finally:
        claims.release(token)
