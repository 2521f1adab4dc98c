"""What a change tells the webhooks: the event payloads, built in one place.

- ``api_change(request, payload)``: the change-log event of a successful write through the
  API, derived from its route (the app calls it once per write, so no handler has to);
- ``changelog_event(...)``: a change-log event as Dialpad documents it (``date`` in unix
  milliseconds, ``action``, ``note``, ``additional_data``, ``target``, ``changed_by``);
- ``sms_event(state, sms)``: the SMS event of a message (a row of ``state.sms_sent``).
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timezone

from .state import TARGET_TYPES

API = "/api/v2"
# Who made a change through the API, as the change log names it.
API_CHANGED_BY = {"id": None, "name": "Dialpad API", "type": "api"}
_TYPES = {"offices": "office", "departments": "department", "callcenters": "callcenter",
          "rooms": "room", "users": "user"}
_VERBS = {"POST": "created", "PATCH": "updated", "PUT": "updated", "DELETE": "deleted"}
_SUB_ACTIONS = {
    ("operators", "POST"): "added_operator",
    ("operators", "DELETE"): "removed_operator",
    ("e911", "PUT"): "updated_e911_address",
    ("assign_number", "POST"): "assigned_number",
    ("unassign_number", "POST"): "unassigned_number",
    ("move_office", "PATCH"): "moved_office",
}


def changelog_event(*, action: str, target_type: str, target_id, changed_by: dict,
                    note: str = "", additional_data: dict | None = None) -> dict:
    return {
        "action": action,
        "additional_data": additional_data or {},
        "changed_by": {k: v for k, v in changed_by.items() if v is not None},
        "date": int(time.time() * 1000),
        "note": note,
        "target": {"id": target_id, "type": target_type},
    }


def api_change(request, payload) -> dict | None:
    """The change-log event of a write the API just applied, or None (SMS, webhooks and
    event subscriptions change no org object)."""
    parts = request.template.removeprefix(API + "/").split("/")
    payload = payload if isinstance(payload, dict) else {}
    if parts[0] == "numbers":
        return _number_change(request, parts, payload)
    target_type = _TYPES.get(parts[0])
    if target_type is None or request.method not in _VERBS:
        return None
    verb = _VERBS[request.method]
    if len(parts) == 1:  # created: the new object's id is in the answer
        target_id, action = payload.get("id"), f"{verb}_{target_type}"
    else:
        target_id = request.params.get("id")
        sub = parts[2] if len(parts) > 2 else None
        action = (_SUB_ACTIONS.get((sub, request.method)) or f"{verb}_{sub}" if sub
                  else f"{verb}_{target_type}")
    if target_id is None:
        return None
    return changelog_event(action=action, target_type=target_type, target_id=target_id,
                           changed_by=API_CHANGED_BY, note=f"{request.method} {request.path}",
                           additional_data=_details(request, payload))


def _number_change(request, parts, payload):
    number = payload.get("number")
    if not number or request.method not in ("POST", "DELETE"):
        return None
    if request.method == "DELETE":
        released = str(request.query.get("release", "")).lower() in ("true", "1")
        action = "released_number" if released else "unassigned_number"
    else:
        action = "assigned_number"
    return changelog_event(action=action, target_type="number", target_id=number,
                           changed_by=API_CHANGED_BY, note=f"{request.method} {request.path}",
                           additional_data=_details(request, payload))


def _details(request, payload) -> dict:
    """A little of what changed (free form, as Dialpad's additional_data is)."""
    body = request.body if isinstance(request.body, dict) else {}
    keys = ("operator_type", "operator_id", "user_id", "role", "number", "office_id", "name")
    details = {k: body[k] for k in keys if body.get(k) is not None}
    if payload.get("number") and "number" not in details:
        details["number"] = payload["number"]
    return details


# --- SMS -----------------------------------------------------------------------------------

def _unix_ms(iso: str | None) -> int:
    if not iso:
        return int(time.time() * 1000)
    when = datetime.fromisoformat(iso)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return int(when.timestamp() * 1000)


def contact_id(number: str) -> int:
    """A stable id for the external party of a number (the simulator keeps no contacts)."""
    return int(hashlib.sha1(number.encode()).hexdigest()[:13], 16)


def _target(state, sms: dict) -> dict:
    ttype, tid = sms.get("target_type"), sms.get("target_id")
    row = state.table(ttype).get(tid) if ttype in TARGET_TYPES else None
    row = row or {}
    name = row.get("display_name") or row.get("name") or ""
    numbers = row.get("phone_numbers") or []
    return {"id": tid, "type": ttype, "name": name,
            "phone_number": numbers[0] if numbers else None}


def sms_event(state, sms: dict) -> dict:
    """The SMS event of a message, as Dialpad sends it (`internal` is for the subscription
    filter only and is never sent)."""
    outbound = sms.get("direction") == "outbound"
    recipients = list(sms.get("to_numbers") or [])
    contact_number = (recipients[0] if recipients else None) if outbound \
        else sms.get("from_number")
    owner = state.numbers.get(contact_number) if contact_number else None
    target = _target(state, sms)
    return {
        "contact": {"id": contact_id(contact_number or ""),
                    "name": sms.get("contact_name") or "", "phone_number": contact_number},
        "created_date": _unix_ms(sms.get("created_date")),
        "direction": sms.get("direction"),
        "from_number": sms.get("from_number"),
        "id": sms["id"],
        "internal": bool(owner and owner.get("status") not in (None, "available")),
        "message_delivery_result": sms.get("message_delivery_result"),
        "message_status": sms.get("message_status"),
        "mms": bool(sms.get("mms")),
        "sender_id": sms.get("user_id") if target["type"] != "user" else None,
        "target": target,
        "text": sms.get("text") or "",
        "to_number": recipients,
    }
