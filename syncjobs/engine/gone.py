"""The gone pass: what Dialpad no longer lists is marked gone, never deleted.

Only after a listing completed are the rows it did not have marked gone, and only those whose
data was read before the listing started (orgs.mirror.mark_gone): a row a push created or
changed while the listing ran is not "missing", it is newer than the listing. Through the
safety valve: if that is more than DIALPAD_SYNC_MAX_GONE_SHARE of the entity and at least
DIALPAD_SYNC_MIN_GONE_HELD objects, none are marked, the run finishes "needs review" and keeps
the identities for an admin to review (`held_gone_list`) and confirm (`confirm_pending_gone`),
from the run's admin page. A run that stops part-way marks nothing
gone for the entity in progress or any after it: the pass runs only when a step's listing
ended.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from orgs import mirror as m
from orgs.history import CHANGE, log_entries, sync_user
from orgs.models import OperatorMembership

from .. import claim as claims
from ..choices import Status
from ..models import SyncRun

# A membership's History entry names its group and operator: load them with it.
MEMBERSHIP_RELATED = [column.removesuffix("_id") for column in
                      (*m.OPERATOR_COLUMNS.values(), *m.GROUP_COLUMNS.values())]


def gone_pass(applier):
    """Mark gone the rows of `applier`'s entity (in its scope) that its listing did not have.

    `applier.seen` holds every identity of the complete listing (and those listed but
    unreadable, which are kept as they are).
    """
    sync = applier.sync
    # Still ours? A run released or taken over must not mark anything gone.
    claims.heartbeat(sync.token)
    alive = applier.model.objects.filter(gone_at__isnull=True)
    stamp = applier.table.stamp
    listed_before = Q(**{f"{stamp}__lt": applier.listing_started}) | Q(
        **{f"{stamp}__isnull": True})
    missing = [
        (identity, pk)
        for identity, pk in alive.filter(listed_before, **applier.scope).values_list(
            applier.identity_field, "pk").iterator(chunk_size=5000)
        if identity not in applier.seen
    ]
    if not missing:
        return
    # The share is of the whole entity (memberships: users' and rooms' together).
    total = alive.count()
    share = len(missing) / total
    limit, at_least = sync.max_gone_share, sync.min_gone_held
    if share > limit and len(missing) >= at_least:
        held = sorted(identity for identity, _pk in missing)
        sync.run.pending_gone.setdefault(applier.entity, []).extend(held)
        applier.counts["held"] = applier.counts.get("held", 0) + len(held)
        sync.held = True
        sync.run.append_log(
            f"Safety valve: {applier.entity}: {len(missing)} of {total} "
            f"({share:.0%}) would be marked gone, more than the {limit:.0%} allowed "
            f"(DIALPAD_SYNC_MAX_GONE_SHARE) and at least {at_least} "
            f"(DIALPAD_SYNC_MIN_GONE_HELD). None were marked: confirm them from this "
            f"run's page if Dialpad really lost them."
        )
        return
    if sync.dry_run:
        applier.counts["gone"] += len(missing)
        return
    applier.counts["gone"] += mark_gone(
        applier.table, [pk for _identity, pk in missing], read_at=applier.listing_started,
        run=sync.run, actor=sync.actor)


def mark_gone(table, pks, *, read_at, run, actor, note=""):
    """Mark gone these rows (still not gone, and holding data read before `read_at`) and
    write their History; returns how many."""
    marked = 0
    message = f"Sync run #{run.pk}: gone from Dialpad (not in a complete listing){note}."
    related = MEMBERSHIP_RELATED if table.model is OperatorMembership else []
    for start in range(0, len(pks), 500):
        with transaction.atomic():
            done = m.mark_gone(table, pks[start:start + 500], read_at=read_at)
            if not done:
                continue
            objs = list(table.model.objects.select_related(*related).filter(pk__in=done))
            log_entries(actor=actor, action_flag=CHANGE, entries=[(o, message) for o in objs])
            marked += len(done)
    return marked


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
        who = actor.get_username()
        total = sum(_confirm_entity(run, entity, identities, who)
                    for entity, identities in run.pending_gone.items())
        run.gone_confirmed_by = actor
        run.gone_confirmed_at = timezone.now()
        run.append_log(f"{who} confirmed the held gone marks: {total} marked gone.")
        run.status = Status.SUCCEEDED
        run.save(update_fields=["gone_confirmed_by", "gone_confirmed_at", "log", "status",
                                "counts"])
        return True, f"{total} objects marked gone (held by {run}, confirmed by {who})."
    finally:
        claims.release(token)


def held_table(entity):
    """The mirror table of a sync entity whose gone marks a run may hold."""
    if entity == "memberships":
        return m.Table(OperatorMembership, "key", tuple(m.MEMBERSHIP_COMPARED_FIELDS))
    return m.Table.of(m.ENTITY_MIRRORS[entity])


def held_rows(table, identities):
    """The rows of these identities (any state), in chunks the database takes, with what
    their names show."""
    related = MEMBERSHIP_RELATED if table.model is OperatorMembership else []
    for start in range(0, len(identities), 500):
        yield from table.model.objects.select_related(*related).filter(
            **{f"{table.identity_field}__in": identities[start:start + 500]})


def _confirm_entity(run, entity, identities, who):
    """Mark gone the held `identities` of one entity still not gone; returns how many."""
    table = held_table(entity)
    pks = [row.pk for row in held_rows(table, identities) if row.gone_at is None]
    # Only rows not written since the held run started: a later push's data stands.
    marked = mark_gone(table, pks, read_at=run.started_at, run=run, actor=sync_user(),
                       note=f"; confirmed by {who}")
    counts = run.counts.setdefault(
        entity, {"created": 0, "updated": 0, "unchanged": 0, "gone": 0})
    counts["gone"] = counts.get("gone", 0) + marked
    counts["held"] = 0
    return marked
