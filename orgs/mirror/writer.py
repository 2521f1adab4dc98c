"""Storing one payload Dialpad just returned: the writer the services use after a push.

The sync writes the same columns in bulk (syncjobs); both read them from orgs.mirror.fields.
"""

from django.utils import timezone

from .fields import clean_payload


def upsert_from_payload(mirror, payload, *, seen_at=None):
    """Create or update one mirror row from a payload Dialpad just returned.

    Returns (obj, changes) where changes is {column: (old, new)} for the compared columns
    (empty when nothing changed, {"__created__": ...} when the row is new). Used by the service
    layer after a successful push; the sync uses the same `fields` in bulk instead.
    """
    seen_at = seen_at or timezone.now()
    identity = mirror.identity(payload)
    values = mirror.fields(payload)
    for column, model in mirror.references.items():
        if values.get(column) is not None and not model.objects.filter(pk=values[column]).exists():
            values[column] = None
    values["payload"] = clean_payload(payload)
    obj = mirror.model.objects.filter(**{mirror.identity_field: identity}).first()
    if obj is None:
        obj = mirror.model.objects.create(
            **{mirror.identity_field: identity}, **values, last_seen_at=seen_at
        )
        return obj, {"__created__": (None, str(obj))}
    changes = {}
    for column, new in values.items():
        old = getattr(obj, column)
        if old != new:
            changes[column] = (old, new)
            setattr(obj, column, new)
    obj.last_seen_at = seen_at
    update_fields = list(changes) + ["last_seen_at"]
    if obj.gone_at is not None:
        obj.gone_at = None
        update_fields.append("gone_at")
        changes["gone_at"] = ("gone", None)
    obj.save(update_fields=update_fields)
    return obj, changes
