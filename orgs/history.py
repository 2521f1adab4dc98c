"""The admin History of mirrored objects, written explicitly by whoever changed the data.

Bulk writes fire no signals, so history cannot come from signals; and ModelAdmin.save_model
logs success even when Dialpad refused, so it cannot come from there either. The sync and the
service layer call these functions right where they change rows.
"""

from datetime import datetime

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from dialpad_console.bulk import insert_rows
from dialpad_console.formats import console_datetime

SYNC_USERNAME = "dialpad-sync"

# Fields whose old and new values a History message spells out; for the rest (the payload,
# timestamps) it only names the field.
SHOWN_VALUES_MAX = 80

__all__ = ["ADDITION", "CHANGE", "DELETION", "sync_user", "describe_changes", "field_label",
           "log_entries", "related_names"]


def sync_user():
    """The inactive Django user that sync-discovered changes are attributed to."""
    user, _ = get_user_model().objects.get_or_create(
        username=SYNC_USERNAME,
        defaults={"is_active": False, "first_name": "Dialpad", "last_name": "sync"},
    )
    return user


def _shown(value):
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return console_datetime(value)
    text = str(value)
    return text if len(text) <= SHOWN_VALUES_MAX else text[: SHOWN_VALUES_MAX - 1] + "…"


def field_label(model, name):
    """How a History message names a column: the field's verbose name ("ring seconds",
    "office"), the column name only for what the model does not know."""
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def related_names(model, all_changes):
    """{(related model, pk): name} of the rows the foreign keys in `all_changes` (a list of
    {field: (old, new)}) point at, one query per related model: so that a History message
    names an office, not its id."""
    if model is None:
        return {}
    wanted = {}
    for changes in all_changes:
        for name, values in changes.items():
            field = _foreign_key(model, name)
            if field is not None:
                wanted.setdefault(field.related_model, set()).update(
                    v for v in values if v is not None)
    return {(related, pk): str(obj) for related, pks in wanted.items()
            for pk, obj in related._default_manager.in_bulk(pks).items()}


def _foreign_key(model, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.many_to_one else None


def describe_changes(changes, model=None, names=None):
    """'office: Berlin → Paris; ring seconds: 20 → 30' for {field: (old, new)}: fields by
    their labels (given the `model`), rows a foreign key points at by name (`names` as
    related_names gives, or looked up here), the payload and ids named only."""
    if names is None:
        names = related_names(model, [changes])
    parts = []
    for field, (old, new) in changes.items():
        if field == "payload" or field.startswith("__"):
            continue
        foreign_key = _foreign_key(model, field) if model is not None else None
        if foreign_key is not None:
            related = foreign_key.related_model
            old, new = (names.get((related, v), v) for v in (old, new))
        parts.append(f"{field_label(model, field)}: {_shown(old)} → {_shown(new)}")
    if "payload" in changes and not parts:
        parts.append("other fields in Dialpad's payload")
    return "; ".join(parts)


def log_entries(*, actor, entries, action_flag):
    """Write one History entry per (obj, message) in `entries`, as `actor`.

    The rows are exactly those `LogEntry.objects.log_actions` writes (content type, object
    id, repr cut to 200 characters, flag, message), but inserted with one lean `executemany`:
    a first sync writes tens of thousands of them, and building a LogEntry instance for each
    and passing it through bulk_create's compiler cost a quarter of that sync's time.
    """
    now = timezone.now()
    content_types = {}
    rows = []
    for obj, message in entries:
        model = obj._meta.model
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(
                model, for_concrete_model=False
            ).pk
        rows.append({
            "action_time": now,
            "user_id": actor.pk,
            "content_type_id": content_types[model],
            "object_id": str(obj.pk),
            "object_repr": str(obj)[:200],
            "action_flag": action_flag,
            "change_message": message,
        })
    insert_rows(LogEntry, rows)
    return len(rows)
