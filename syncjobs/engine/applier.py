"""Diff a page of Dialpad rows against the mirror and write only what changed.

For each page of a listing the applier loads, in one query, the local values of the compared
columns of that page's ids only, sorts the page into created / updated / unchanged, and writes
the page with one INSERT per table (dialpad_console.bulk) and bulk_update(fields=<the changed
columns>), plus one History entry per created or changed object (orgs.history.log_entries).
Across pages it keeps only the identities it has seen, for the gone pass (engine.gone).

An unchanged row is not written at all, not even `last_seen_at`: that column records when a
sync last saw the row *change* (or appear); a row that is not gone was seen by the last run
whose listing of its entity completed (its SyncRun says when). So a sync of an unchanged org
writes no mirror row and no History entry.
"""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from django.utils import timezone

from dialpad_console.bulk import insert_rows
from orgs.history import ADDITION, CHANGE, describe_changes, log_entries

from .gone import gone_pass


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

    @classmethod
    def for_mirror(cls, sync, mirror, **kwargs):
        """The applier of an entity described by orgs.mirror (an EntityMirror)."""
        return cls(sync, entity=mirror.name, model=mirror.model,
                   identity_field=mirror.identity_field, compared=mirror.compared_fields,
                   **kwargs)

    # --- per page -----------------------------------------------------------------------

    def apply(self, rows):
        if not rows:
            return
        sync = self.sync
        self.seen.update(rows)
        created, changed = self._diff(rows)
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
        # Written inside the run's open batch (RunContext.begin_batch): a commit per second of
        # work rather than per page.
        new_rows = [{self.identity_field: identity, **rows[identity], **stamps}
                    for identity in created]
        insert_rows(self.model, new_rows)
        new_objs = self._inserted(new_rows)
        changed_objs = self._update(changed, rows, stamps)
        sync.note_created(self.model, created)
        self._log(new_objs, changed_objs, rows)

    def _diff(self, rows):
        """(created identities, [(identity, pk, {column: (old, new)})]) of this page."""
        ident = self.identity_field
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
        return created, changed

    def _update(self, changed, rows, stamps):
        """bulk_update the changed rows, grouped by the columns each writes."""
        by_fields = defaultdict(list)
        changed_objs = []
        for identity, pk, changes in changed:
            obj = self.model(**{self.identity_field: identity}, **rows[identity], **stamps)
            obj.pk = pk
            if self.mirrored:
                obj.gone_at = None
            fields = sorted(set(changes) | set(self.uncompared) | set(stamps))
            by_fields[tuple(fields)].append(obj)
            changed_objs.append((obj, changes))
        for fields, objs in by_fields.items():
            self.model.objects.bulk_update(objs, fields, batch_size=500)
        return changed_objs

    def _log(self, new_objs, changed_objs, rows):
        sync = self.sync
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
        gone_pass(self)


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


def _change_message(changes):
    back = "gone_at" in changes
    rest = {k: v for k, v in changes.items() if k != "gone_at"}
    text = describe_changes(rest) if rest else ""
    if back:
        text = "back in Dialpad" + (f"; {text}" if text else "")
    return (text or "changed") + "."
