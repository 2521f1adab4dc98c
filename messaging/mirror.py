"""How channels, their members and the SMS opt-out list become mirror rows.

The same descriptions as the org's (orgs.mirror.EntityMirror, Table): the sync pages
through the listings with them (syncjobs.engine.messaging), and the services store a push's
answer with them, all through orgs.mirror's one writer (`write_rows`, `mark_gone`).
"""

from datetime import datetime, timezone as dt_timezone

from dialpad_console.dialpad.ids import parse_id
from orgs.mirror import EntityMirror, Table, clean_payload
from orgs.models import DialpadUser

from .models import Channel, ChannelMember, SmsOptOut


def _text(payload, key, max_length=255):
    value = payload.get(key)
    return "" if value is None else str(value)[:max_length]


def channel_fields(p):
    return {"name": _text(p, "name")}


def _millis(value):
    """A Unix time in milliseconds (as a JSON string or number) as an aware datetime."""
    number = parse_id(value)
    if number is None:
        return None
    try:
        return datetime.fromtimestamp(number / 1000, tz=dt_timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def opt_out_fields(p):
    scope = p.get("opt_out_scope_info") if isinstance(p.get("opt_out_scope_info"), dict) else {}
    return {
        "state": _text(p, "opt_out_state", 16),
        "changed_at": _millis(p.get("date")),
        "scope_level": _text(scope, "opt_out_scope_level", 16),
        "scope_id": parse_id(scope.get("scope_id")),
    }


CHANNELS = EntityMirror("channels", Channel, "dialpad_id", lambda p: parse_id(p.get("id")),
                        channel_fields, {})
SMS_OPT_OUTS = EntityMirror("sms_opt_outs", SmsOptOut, "number",
                            lambda p: p.get("external_endpoint") or None, opt_out_fields, {})
CHANNEL_MEMBER_COLUMNS = ("channel_dialpad_id", "user_dialpad_id", "channel_id", "user_id",
                          "name")
CHANNEL_MEMBERS = Table(ChannelMember, "key", CHANNEL_MEMBER_COLUMNS, uncompared=("payload",))
CHANNEL_TABLE = Table.of(CHANNELS)
OPT_OUT_TABLE = Table.of(SMS_OPT_OUTS)


def member_rows(channel_id, items, *, channel_exists=True, known_users=None):
    """{key: columns} of a channel's members listing; a member whose user the mirror does not
    have is kept with its Dialpad id (`user_id` None)."""
    ids = [parse_id(item.get("id")) for item in items if isinstance(item, dict)]
    if known_users is None:
        known_users = set(DialpadUser.objects.filter(pk__in=[i for i in ids if i]).values_list(
            "pk", flat=True))
    rows = {}
    for item in items:
        user_id = parse_id(item.get("id")) if isinstance(item, dict) else None
        if user_id is None:
            continue
        rows[ChannelMember.make_key(channel_id, user_id)] = {
            "channel_dialpad_id": channel_id, "user_dialpad_id": user_id,
            "channel_id": channel_id if channel_exists else None,
            "user_id": user_id if user_id in known_users else None,
            "name": _text(item, "name"), "payload": clean_payload(item),
        }
    return rows
