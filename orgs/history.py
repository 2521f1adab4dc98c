"""The admin History of mirrored objects, written explicitly by whoever changed the data.

Bulk writes fire no signals, so history cannot come from signals; and ModelAdmin.save_model
logs success even when Dialpad refused, so it cannot come from there either. The sync and the
service layer call these functions right where they change rows.
"""

from collections import defaultdict

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model

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

    Entries that share a message are written together by one `log_actions` call, so a sync
    that creates thousands of rows writes their History in a handful of queries.
    """
    by_message = defaultdict(list)
    for obj, message in entries:
        by_message[message].append(obj)
    written = []
    for message, objs in by_message.items():
        written.extend(
            LogEntry.objects.log_actions(
                user_id=actor.pk, queryset=objs, action_flag=action_flag, change_message=message
            )
        )
    return written
