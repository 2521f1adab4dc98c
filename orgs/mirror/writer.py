"""Storing one payload Dialpad just returned (a push's answer or a re-read), through the
one writer of mirrored rows (orgs.mirror.pages)."""

import logging

from django.utils import timezone

from .fields import clean_payload
from .pages import Table, write_rows

logger = logging.getLogger("orgs.mirror")


def upsert_from_payload(mirror, payload, *, read_at=None):
    """Create or update one mirror row from a payload read from Dialpad at `read_at` (now,
    by default: the answer just arrived).

    Returns (obj, changes) where changes is {column: (old, new)} for the compared columns
    (empty when nothing changed, or when the row already holds data read later;
    {"__created__": ...} when the row is new).
    """
    read_at = read_at or timezone.now()
    identity = mirror.identity(payload)
    values, problems = mirror.columns(payload)
    for column, raw in problems:
        logger.warning("%s %s: Dialpad sent %s=%r, which the console cannot store; kept in "
                       "the payload", mirror.name, identity, column, raw)
    for column, model in mirror.references.items():
        if values.get(column) is not None and not model.objects.filter(pk=values[column]).exists():
            values[column] = None
    values["payload"] = clean_payload(payload)
    written = write_rows(Table.of(mirror), {identity: values}, read_at=read_at, touch=True)
    obj = mirror.model.objects.get(**{mirror.identity_field: identity})
    if written.created:
        return obj, {"__created__": (None, str(obj))}
    if not written.changed:
        return obj, {}
    [(_identity, _pk, changes)] = written.changed
    if "gone_at" in changes:
        changes["gone_at"] = ("gone", None)
    return obj, changes
