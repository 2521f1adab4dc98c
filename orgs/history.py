"""The admin History of mirrored objects, written explicitly by whoever changed the data.

Bulk writes fire no signals, so history cannot come from signals; and ModelAdmin.save_model
logs success even when Dialpad refused, so it cannot come from there either. The sync and the
service layer call these functions right where they change rows.
"""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dialpad_console.bulk import insert_rows

SYNC_USERNAME = "dialpad-sync"

# Fields whose old and new values a History message spells out; for the rest (the payload,
# timestamps) it only names the field.
SHOWN_VALUES_MAX = 80

__all__ = ["ADDITION", "CHANGE", "DELETION", "sync_user", "describe_changes", "log_entries"]


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
    text = str(value)
    return text if len(text) <= SHOWN_VALUES_MAX else text[: SHOWN_VALUES_MAX - 1] + "…"


def describe_changes(changes):
    """'name: Old → New; payload' for {field: (old, new)}; payload and ids named only."""
    parts = []
    for field, (old, new) in changes.items():
        if field == "payload" or field.startswith("__"):
            continue
        parts.append(f"{field}: {_shown(old)} → {_shown(new)}")
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
