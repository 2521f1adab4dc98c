"""Sending an SMS: ``POST /sms``, checked the way Dialpad checks it, kept in ``sms_sent``."""

from __future__ import annotations

import base64
import binascii

import phonenumbers

from ..schemas import check_e164
from ..state import SimError, now_iso
from .common import API, as_int

_MAX_MEDIA_BYTES = 500 * 1024
# The number statuses that belong to someone in the company who may send from them.
_SENDING_STATUSES = ("user", "office", "department", "call_center")


def sms_send(app, r):
    s = app.state
    b = r.body
    to_numbers = list(b.get("to_numbers") or [])
    _check_content(b, to_numbers)
    sender = _sending_user(s, b)
    from_number = b.get("from_number")
    _check_from_number(s, from_number, sender)
    group = _sender_group(s, b)
    country = ((sender or {}).get("country") or "us").upper()
    recipients = _recipients(to_numbers, country, infer=b.get("infer_country_code"))
    if from_number is None:
        if group is not None:
            _check_operates(s, sender, b["sender_group_type"], group)
        from_number = _default_from_number(group if group is not None else sender)
    target_type, target_id = _sms_target(s, b, group, sender, from_number)
    status, result = _outcome(s, from_number, recipients)
    sms = {
        "created_date": now_iso(),
        "device_type": "public_api",
        "direction": "outbound",
        "from_number": from_number,
        "id": s.new_id(),
        "message_delivery_result": result,
        "message_status": status,
        "target_id": target_id,
        "target_type": target_type,
        "text": b.get("text") or "",
        "to_numbers": recipients,
        "user_id": sender["id"] if sender else None,
    }
    s.sms_sent.append(sms)
    return sms


def _check_content(b: dict, to_numbers: list) -> None:
    if not to_numbers and not b.get("channel_hashtag"):
        raise SimError(400, "to_numbers: give 1 to 10 recipients (or a channel_hashtag)")
    text = b.get("text") or ""
    if not text.strip() and not b.get("media"):
        raise SimError(400, "text: is required (or a media attachment)")
    check_media(b.get("media"))


def check_media(media) -> None:
    """A media attachment must be base64 of at most 500 KiB (SMS, bulk and schedules)."""
    if not media:
        return
    try:
        raw = base64.b64decode(media, validate=True)
    except (binascii.Error, ValueError):
        raise SimError(400, "media: must be base64-encoded") from None
    if len(raw) > _MAX_MEDIA_BYTES:
        raise SimError(400, f"media: must be at most 500 KiB (got {len(raw) // 1024} KiB)")


def _sending_user(s, b: dict) -> dict | None:
    if b.get("user_id") is None:
        return None
    return active_user(s, b["user_id"])


def active_user(s, user_id) -> dict:
    """The user who sends: it must exist and be active."""
    sender = s.get("user", as_int(user_id, "user_id"), field="user_id")
    if sender.get("state") != "active":
        raise SimError(400, f"user_id: user {sender['id']} is {sender.get('state')} "
                            "and cannot send messages")
    return sender


def _check_from_number(s, from_number: str | None, sender: dict | None) -> None:
    if from_number is not None:
        row = s.numbers.get(from_number)
        if row is None or row.get("status") not in _SENDING_STATUSES:
            raise SimError(400, f"from_number: {from_number} is not assigned to a user or "
                                "a user group of the company")
    elif sender is None:
        raise SimError(400, "user_id: is required (or from_number)")


def _sender_group(s, b: dict) -> dict | None:
    if (b.get("sender_group_id") is None) != (b.get("sender_group_type") is None):
        raise SimError(400, "sender_group_type: give sender_group_id and sender_group_type "
                            "together")
    if b.get("sender_group_id") is None:
        return None
    gid = as_int(b["sender_group_id"], "sender_group_id")
    return s.get(b["sender_group_type"], gid, field="sender_group_id")


def _check_operates(s, sender: dict, group_type: str, group: dict) -> None:
    """A user sends on behalf of a group only if it is one of the group's operators."""
    if ("user", sender["id"]) not in s.memberships.get((group_type, group["id"]), {}):
        label = "call center" if group_type == "callcenter" else group_type
        raise SimError(400, f"sender_group_id: user {sender['id']} is not an operator of "
                            f"{label} {group['id']} and cannot send on its behalf")


def _outcome(s, from_number: str, recipients: list) -> tuple[str, str | None]:
    """(message_status, message_delivery_result) as Dialpad answers at once.

    A toll-free number cannot send here (it has no toll-free verification): invalid_source.
    An opted-out recipient is rejected; an unreachable one is an invalid destination.
    Anything else is accepted and pending.
    """
    messaging = s.messaging
    if (s.numbers.get(from_number) or {}).get("type") == "tollfree":
        return "failed", "invalid_source"
    if any(messaging.is_opted_out(n) for n in recipients):
        return "failed", "rejected"
    if any(messaging.is_unreachable(n) for n in recipients):
        return "failed", "invalid_destination"
    return "pending", None


def _recipients(to_numbers: list, country: str, *, infer) -> list[str]:
    """The recipients in E.164; with ``infer``, local numbers are read in the sender's country."""
    normalized = []
    for i, n in enumerate(to_numbers):
        if not isinstance(n, str):
            raise SimError(400, f"to_numbers[{i}]: must be a string")
        if infer and not n.startswith("+"):
            try:
                parsed = phonenumbers.parse(n, country)
                n = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            except phonenumbers.NumberParseException:
                pass
        check_e164(f"to_numbers[{i}]", n)
        normalized.append(n)
    return normalized


def _default_from_number(source: dict) -> str:
    numbers = source.get("phone_numbers") or []
    if not numbers:
        raise SimError(400, "user_id: the sender has no phone number to send from")
    return numbers[0]


def _sms_target(s, b: dict, group, sender, from_number: str) -> tuple[str, int]:
    """Whom the message is sent as: the group, else the user, else the number's owner."""
    if group is not None:
        return b["sender_group_type"], group["id"]
    if sender is not None:
        return "user", sender["id"]
    row = s.numbers[from_number]
    return row["target_type"], row["target_id"]


def register(route) -> None:
    route(f"{API}/sms", post=sms_send)
