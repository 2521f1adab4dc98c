"""The one writer of mirrored rows, with its rule for time.

The sync (a page of a listing), the services (Dialpad's answer to a push, or a re-read) and
the event path all store Dialpad's data through `write_rows`. Each row records when the data
it holds was read from Dialpad (its stamp: `last_seen_at`, or `fetched_at` for E911
addresses), and the writer never replaces a row with data read before what the row already
holds: a page a sync fetched before an admin's push cannot undo the push, whatever order the
two are written in. `mark_gone` follows the same rule: it marks only rows whose stamp
predates the read that found them missing.

Call these inside a transaction (the sync's page, a push's `storing()`): the rows they
compare are locked until it ends (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
transaction holds the database's write lock from its start, `transaction_mode` IMMEDIATE),
so nothing can be written between the comparison and the write.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from dialpad_console.bulk import insert_rows


@dataclass
class Written:
    """What write_rows did with each identity it was given."""

    created: list = field(default_factory=list)  # identities inserted
    changed: list = field(default_factory=list)  # (identity, pk, {column: (old, new)})
    unchanged: list = field(default_factory=list)  # identities already holding these values
    newer: list = field(default_factory=list)  # identities holding data read later: kept


@dataclass(frozen=True)
class Table:
    """How write_rows finds and stamps a model's rows."""

    model: type
    identity_field: str
    compared: tuple  # the columns whose difference makes a change
    uncompared: tuple = ()  # written along with a change, never a change themselves
    stamp: str = "last_seen_at"  # when the data a row holds was read from Dialpad
    mirrored: bool = True  # has gone_at (an E911 address has not)

    @classmethod
    def of(cls, mirror):
        """The table of an orgs.mirror EntityMirror."""
        return cls(mirror.model, mirror.identity_field, tuple(mirror.compared_fields),
                   uncompared=tuple(mirror.derived))


def write_rows(table, rows, *, read_at, touch=False, dry_run=False):
    """Store `rows` ({identity: {column: value}}) read from Dialpad at `read_at`.

    A new identity is inserted; a row whose values differ is updated (and brought back if it
    was gone); a row whose stamp is later than `read_at` is left as it is (`newer`). With
    `touch`, an unchanged row gets the new stamp too (a push's re-read: it knows the row
    was current at `read_at`). Returns a Written; `dry_run` writes nothing.
    """
    result = Written()
    if not rows:
        return result
    local = _local_rows(table, list(rows))
    for identity, values in rows.items():
        rec = local.get(identity)
        if rec is None:
            result.created.append(identity)
        elif rec["stamp"] is not None and rec["stamp"] > read_at:
            result.newer.append(identity)
        else:
            changes = _changes(table, rec, values)
            if changes:
                result.changed.append((identity, rec["pk"], changes))
            else:
                result.unchanged.append(identity)
    if dry_run:
        return result
    _insert(table, rows, result, read_at)
    _update(table, rows, result.changed, read_at)
    if touch and result.unchanged:
        table.model.objects.filter(**{f"{table.identity_field}__in": result.unchanged}).filter(
            _older_than(table, read_at)).update(**{table.stamp: read_at})
    return result


def _local_rows(table, identities):
    ident = table.identity_field
    columns = [ident, "pk", table.stamp, *(["gone_at"] if table.mirrored else []),
               *table.compared]
    queryset = table.model.objects.filter(**{f"{ident}__in": identities})
    if connection.features.has_select_for_update:
        queryset = queryset.select_for_update()
    local = {}
    for rec in queryset.values_list(*columns):
        values = dict(zip(columns, rec))
        values["stamp"] = values.pop(table.stamp)
        local[values[ident]] = values
    return local


def _changes(table, rec, values):
    changes = {column: (rec[column], values[column]) for column in table.compared
               if rec[column] != values[column]}
    if table.mirrored and rec["gone_at"] is not None:
        changes["gone_at"] = (rec["gone_at"], None)
    return changes


def _insert(table, rows, result, read_at):
    """INSERT the new identities; one that another writer inserted meanwhile (it could not
    be locked before it existed) is left to that writer's newer data."""
    if not result.created:
        return
    ident = table.identity_field
    insert_rows(table.model, [{ident: identity, **rows[identity], table.stamp: read_at}
                              for identity in result.created], ignore_conflicts=True)
    theirs = set(table.model.objects.filter(**{f"{ident}__in": result.created}).exclude(
        **{table.stamp: read_at}).values_list(ident, flat=True))
    if theirs:
        result.created = [i for i in result.created if i not in theirs]
        result.newer.extend(sorted(theirs, key=str))


def _update(table, rows, changed, read_at):
    """bulk_update the changed rows, grouped by the columns each writes."""
    by_fields = defaultdict(list)
    for identity, pk, changes in changed:
        obj = table.model(**{table.identity_field: identity}, **rows[identity])
        obj.pk = pk
        setattr(obj, table.stamp, read_at)
        fields = set(changes) | set(table.uncompared) | {table.stamp}
        if table.mirrored:
            obj.gone_at = None
            fields.add("gone_at")
        by_fields[tuple(sorted(fields))].append(obj)
    for fields, objs in by_fields.items():
        table.model.objects.bulk_update(objs, fields, batch_size=500)


def _older_than(table, read_at):
    """Rows whose data was read before `read_at` (or never stamped)."""
    return Q(**{f"{table.stamp}__lt": read_at}) | Q(**{f"{table.stamp}__isnull": True})


def mark_gone(table, pks, *, read_at, values=None):
    """Mark gone the rows `pks` that are not gone and hold data read before `read_at`: the
    read that found them missing (a complete listing that started at `read_at`, or Dialpad's
    answer to a delete). `values` ({column: value}) are written with the mark.
    Returns the pks marked."""
    queryset = table.model.objects.filter(pk__in=list(pks), gone_at__isnull=True).filter(
        _older_than(table, read_at))
    if connection.features.has_select_for_update:
        queryset = queryset.select_for_update()
    marked = list(queryset.values_list("pk", flat=True))
    if marked:
        table.model.objects.filter(pk__in=marked).update(
            gone_at=timezone.now(), **{table.stamp: read_at}, **(values or {}))
    return marked
