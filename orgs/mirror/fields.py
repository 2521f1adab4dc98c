"""How a Dialpad payload becomes a mirror row's columns: one mapping, used by every writer.

Each function reads one kind of payload and returns the model columns it sets (other than the
identity). The sync compares exactly these columns (plus `payload`) to decide created /
updated / unchanged, and the services and the event path store the same columns, so a sync
right after a push finds nothing to change.
"""

from datetime import timezone as dt_timezone

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dialpad_console.dialpad.ids import parse_id

from ..kinds import GROUP_KINDS, NUMBER_TARGET_KINDS
from ..models import DialpadUser, search_text

# Never kept in a stored payload: a desk phone's SIP password, a webhook's secret.
SECRET_KEYS = frozenset({"password", "secret", "signature", "sip_password"})
# Presence that changes by the minute (on a call, online, on duty, do-not-disturb): not kept
# either, or every sync would rewrite thousands of unchanged users and flood their History.
VOLATILE_KEYS = frozenset({
    "do_not_disturb", "duty_status_reason", "duty_status_started", "is_available",
    "is_on_duty", "is_online", "muted", "on_duty_started", "on_duty_status", "session_type",
    "status_message",
})
_DROPPED_KEYS = SECRET_KEYS | VOLATILE_KEYS


def clean_payload(payload):
    """The payload with every secret-looking and presence key removed, recursively."""
    # Recurse only into containers: a sync cleans ~40,000 payloads of the large org.
    if isinstance(payload, dict):
        return {
            k: clean_payload(v) if isinstance(v, (dict, list)) else v
            for k, v in payload.items() if k not in _DROPPED_KEYS
        }
    if isinstance(payload, list):
        return [clean_payload(v) if isinstance(v, (dict, list)) else v for v in payload]
    return payload


def _text(payload, key, max_length=255):
    value = payload.get(key)
    return "" if value is None else str(value)[:max_length]


def _int_or_none(value):
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None


def _datetime_or_none(value):
    if not value:
        return None
    parsed = parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt_timezone.utc)
    return parsed


def company_fields(p):
    return {
        "name": _text(p, "name"),
        "domain": _text(p, "domain"),
        "country": _text(p, "country", 8),
        "account_type": _text(p, "account_type", 32),
        "state": _text(p, "state", 16),
        "admin_email": _text(p, "admin_email", 254),
    }


def office_fields(p):
    return {
        "name": _text(p, "name"),
        "state": _text(p, "state", 16),
        "country": _text(p, "country", 8),
        "timezone": _text(p, "timezone", 64),
        "is_primary_office": bool(p.get("is_primary_office")),
        "availability_status": _text(p, "availability_status", 16),
        "ring_seconds": _int_or_none(p.get("ring_seconds")),
    }


def call_group_fields(p):
    return {
        "office_id": parse_id(p.get("office_id")),
        "name": _text(p, "name"),
        "description": _text(p, "group_description", 10_000),
        "state": _text(p, "state", 16),
        "timezone": _text(p, "timezone", 64),
        "availability_status": _text(p, "availability_status", 16),
        "ring_seconds": _int_or_none(p.get("ring_seconds")),
    }


def room_fields(p):
    return {
        "office_id": parse_id(p.get("office_id")),
        "name": _text(p, "name"),
        "state": _text(p, "state", 16),
        "country": _text(p, "country", 8),
    }


def user_fields(p):
    emails = [str(e) for e in (p.get("emails") or [])]
    fields = {
        "office_id": parse_id(p.get("office_id")),
        "first_name": _text(p, "first_name"),
        "last_name": _text(p, "last_name"),
        "display_name": _text(p, "display_name"),
        "email": emails[0][:254] if emails else "",
        "emails": "\n".join(emails),
        "extension": _text(p, "extension", 16),
        "state": _text(p, "state", 16),
        "timezone": _text(p, "timezone", 64),
        "country": _text(p, "country", 8),
        "license": _text(p, "license", 32),
        "job_title": _text(p, "job_title"),
        "is_admin": bool(p.get("is_admin")),
        "is_super_admin": bool(p.get("is_super_admin")),
        "date_added": _datetime_or_none(p.get("date_added")),
    }
    # Derived from the columns above (DialpadUser.save does the same): written with them,
    # never a change of its own (EntityMirror.derived).
    fields["search_text"] = search_text(*(fields[name] for name in DialpadUser.SEARCHED_FIELDS))
    return fields


# Which PhoneNumber column holds the link for each target type the console mirrors.
NUMBER_TARGET_COLUMNS = {name: kind.number_column for name, kind in NUMBER_TARGET_KINDS.items()}


def number_fields(p):
    number = _text(p, "number", 20)
    target_type = _text(p, "target_type", 16)
    target_id = parse_id(p.get("target_id"))
    fields = {
        "digits": "".join(ch for ch in number if ch.isdigit()),
        "area_code": _text(p, "area_code", 8),
        "status": _text(p, "status", 16),
        "type": _text(p, "type", 16),
        "office_id": parse_id(p.get("office_id")),
        "target_type": target_type,
        "target_id": target_id,
    }
    for kind, column in NUMBER_TARGET_COLUMNS.items():
        fields[column] = target_id if target_type == kind else None
    return fields


def deskphone_fields(p):
    owner_is_room = p.get("owner_type") == "room"
    return {
        "room_id": parse_id(p.get("owner_id")) if owner_is_room else None,
        "name": _text(p, "name"),
        "type": _text(p, "type", 32),
        "mac_address": _text(p, "mac_address", 32),
        "phone_number": _text(p, "phone_number", 20),
    }


E911_FIELDS = ("address", "address2", "city", "state", "zip", "country")


def e911_fields(p):
    lengths = {"city": 128, "state": 64, "zip": 32, "country": 8}
    return {name: _text(p or {}, name, lengths.get(name, 255)) for name in E911_FIELDS}


GROUP_MODELS = {name: kind.model for name, kind in GROUP_KINDS.items()}
GROUP_COLUMNS = {name: f"{name}_id" for name in GROUP_KINDS}
OPERATOR_COLUMNS = {"user": "user_id", "room": "room_id"}


def membership_fields(*, group_type, group_id, operator_type, operator_id, role):
    """The columns of an OperatorMembership row (its identity is `key`)."""
    fields = {
        "group_type": group_type,
        "group_id": group_id,
        "operator_type": operator_type,
        "operator_id": operator_id,
        "role": role or "operator",
        "office_id": None,
        "department_id": None,
        "callcenter_id": None,
        "user_id": None,
        "room_id": None,
    }
    fields[GROUP_COLUMNS[group_type]] = group_id
    fields[OPERATOR_COLUMNS[operator_type]] = operator_id
    return fields


MEMBERSHIP_COMPARED_FIELDS = list(
    membership_fields(group_type="office", group_id=0, operator_type="user", operator_id=0, role="").keys()
)


def user_membership_details(user_payload):
    """(group_type, group_id, role, detail) for each group a user payload's `group_details`
    names: the one reading of a user's memberships, for the sync and the services alike.
    Entries of another group type or without a readable id are left out."""
    found = []
    for detail in (user_payload or {}).get("group_details") or []:
        if not isinstance(detail, dict):
            continue
        group_type = detail.get("group_type")
        group_id = parse_id(detail.get("group_id"))
        if group_type in GROUP_COLUMNS and group_id is not None:
            found.append((group_type, group_id, detail.get("role") or "operator", detail))
    return found


def user_memberships(user_payload):
    """(group_type, group_id, role) for each group the user's `group_details` lists."""
    return [entry[:3] for entry in user_membership_details(user_payload)]
