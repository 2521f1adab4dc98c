"""Diff a page of Dialpad rows against the mirror and write only what changed.

Each page is written through orgs.mirror's one writer (`write_rows`), in a transaction of its
own, with the time the page was read from Dialpad: the writer compares the page with the
page's rows only (one query), inserts the new ones, updates the changed columns, and keeps a
row that holds data read after the page (a push made while the sync ran). History gets one
entry per created or changed object (orgs.history.log_entries). Across pages the applier
keeps only the identities it has seen and when its listing started, for the gone pass
(engine.gone).

An unchanged row is not written at all, not even its stamp: a sync of an unchanged org
writes no mirror row and no History entry.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from orgs.history import ADDITION, CHANGE, describe_changes, log_entries, related_names
from orgs.mirror import Table, write_rows

from .gone import gone_pass


class Applier:
    """Diff and apply pages of rows for one model, then the gone pass.

    `rows` given to apply() are {identity: {column: value}} with every referenced id already
    checked. Only the table's compared columns decide whether a row changed; its uncompared
    columns are written along with a change (e.g. a membership's payload).
    """

    def __init__(self, sync, *, entity, table, describe=None, scope=None):
        self.sync = sync
        self.entity = entity
        self.table = table
        self.model = table.model
        self.identity_field = table.identity_field
        self.describe = describe
        self.scope = scope or {}
        self.seen = set()
        # When this listing started reading Dialpad: the gone pass spares what was written
        # later. Until its first page, when the applier was made (earlier still).
        self.listing_started = timezone.now()
        self._first_read = None
        self.counts = sync.counts_for(entity)

    @classmethod
    def for_mirror(cls, sync, mirror, **kwargs):
        """The applier of an entity described by orgs.mirror (an EntityMirror)."""
        return cls(sync, entity=mirror.name, table=Table.of(mirror), **kwargs)

    # --- per page -----------------------------------------------------------------------

    def apply(self, rows, *, read_at):
        """Write one page read from Dialpad at `read_at`, in a transaction of its own."""
        if self._first_read is None or read_at < self._first_read:
            self._first_read = self.listing_started = read_at
        if not rows:
            return
        sync = self.sync
        self.seen.update(rows)
        with transaction.atomic():
            written = write_rows(self.table, rows, read_at=read_at, dry_run=sync.dry_run)
            if not sync.dry_run:
                self._log(written, rows)
        self.counts["created"] += len(written.created)
        self.counts["updated"] += len(written.changed)
        self.counts["unchanged"] += len(written.unchanged)
        if written.newer:
            self.counts["newer"] = self.counts.get("newer", 0) + len(written.newer)
        sync.note_created(self.model, written.created)

    def _log(self, written, rows):
        sync = self.sync
        prefix = f"Sync run #{sync.run.pk}"
        if written.created:
            log_entries(
                actor=sync.actor, action_flag=ADDITION,
                entries=[(self._target(identity, pk, rows), f"{prefix}: created from Dialpad.")
                         for identity, pk in self._created_pks(written.created)],
            )
        if written.changed:
            # The offices (...) a page's changes point at, named with one query per kind.
            names = related_names(self.model, [changes for _, _, changes in written.changed])
            log_entries(
                actor=sync.actor, action_flag=CHANGE,
                entries=[(self._target(identity, pk, rows),
                          f"{prefix}: {_change_message(changes, self.model, names)}")
                         for identity, pk, changes in written.changed],
            )

    def _created_pks(self, identities):
        ident = self.identity_field
        if self.model._meta.pk.attname == ident:
            return [(identity, identity) for identity in identities]
        pks = dict(self.model.objects.filter(**{f"{ident}__in": identities}).values_list(
            ident, "pk"))
        return [(identity, pks[identity]) for identity in identities]

    def _target(self, identity, pk, rows):
        """The object a History entry is about, named without loading it."""
        describe = self.describe or self._model_str
        return _Target(self.model, pk, describe(identity, rows[identity])[:200])

    def _model_str(self, identity, row):
        # The model's own __str__, read from the row's values: the mirror models' __str__
        # use only their own columns, and a full instance per new row would cost a second.
        return str(self.model.__str__(SimpleNamespace(pk=identity, **{
            self.identity_field: identity, **row})))

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


def _change_message(changes, model, names):
    back = "gone_at" in changes
    rest = {k: v for k, v in changes.items() if k != "gone_at"}
    text = describe_changes(rest, model, names) if rest else ""
    if back:
        text = "back in Dialpad" + (f"; {text}" if text else "")
    return (text or "changed") + "."
