"""Bulk messages: ``/message/bulk`` (send, list) and ``/message/bulk/{id}`` (get, update).

As the spec says: up to 50 recipients; the from-number must belong to the sending user and
be A2P-registered; sending is asynchronous (the answer says the batch was created, each
recipient's ``delivery_status`` is read back later; see dialpad_sim.messaging for the clock).
The key has no user of its own (a company key), so ``user_id`` names the sender, and the
reads are scoped to it when it is given.
"""

from __future__ import annotations

from ..messaging import OPTED_OUT_ERROR
from ..schemas import check_e164
from ..state import SimError
from ..wire import decode_cursor, encode_cursor
from .common import API, as_int
from .sms import active_user, check_media

MAX_RECIPIENTS = 50
LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX = 20, 100


def bulk_send(app, r):
    s = app.state
    m = s.messaging
    m.tick(s.sms_sent)
    b = r.body
    if b.get("user_id") is None:
        raise SimError(400, "user_id: is required with a company API key (who sends?)")
    sender = active_user(s, b["user_id"])
    to_numbers = b.get("to_numbers") or []
    if not to_numbers:
        raise SimError(400, "to_numbers: give 1 to 50 recipients")
    for i, number in enumerate(to_numbers):
        check_e164(f"to_numbers[{i}]", number)
    if not (b.get("text") or "").strip():
        raise SimError(400, "text: is required")
    check_media(b.get("media"))
    from_number = b["from_number"]
    if from_number not in (sender.get("phone_numbers") or []):
        raise SimError(400, f"from_number: {from_number} does not belong to user "
                            f"{sender['id']}")
    if from_number not in m.a2p_numbers:
        raise SimError(400, f"from_number: {from_number} is not A2P-registered; bulk "
                            "messages need a number registered to an A2P (10DLC) campaign")
    key = m.new_key()
    message = {
        "bulk_message_id": key, "classified_spam": False, "created_date": int(m.now()),
        "from_number": from_number, "media": b.get("media"),
        "num_recipients": len(dict.fromkeys(to_numbers)),
        "recipients": [_recipient(s, n) for n in dict.fromkeys(to_numbers)],
        "sms_has_errors": False, "status": "pending", "text": b["text"],
        "title": b.get("title"), "user_id": sender["id"],
    }
    m.bulk_messages[key] = message
    m.bulk_owner[key] = sender["id"]
    if any(rec.get("error_message") for rec in message["recipients"]):
        message["sms_has_errors"] = True
    return {"bulk_message": message, "message": "Bulk message created", "success": True}


def _recipient(s, number: str) -> dict:
    """One recipient, as it starts: pending; an opted-out number fails at once."""
    internal = number in s.numbers and s.numbers[number].get("target_type") is not None
    recipient = {"attempted_send": False, "delivery_method": "internal" if internal else "sms",
                 "phone_number": number}
    if not internal and s.messaging.is_opted_out(number):
        recipient.update(attempted_send=True, delivery_status="failed",
                         error_message=OPTED_OUT_ERROR)
    elif not internal:
        recipient["delivery_status"] = "pending"
    return recipient


def _get(app, r) -> dict:
    m = app.state.messaging
    key = r.params["id"]
    message = m.bulk_messages.get(key)
    user_id = r.body.get("user_id")
    if message is None or (user_id is not None
                           and m.bulk_owner.get(key) != as_int(user_id, "user_id")):
        raise SimError(404, f"bulk message {key} not found")
    return message


def bulk_get(app, r):
    app.state.messaging.tick(app.state.sms_sent)
    return _get(app, r)


def bulk_update(app, r):
    app.state.messaging.tick(app.state.sms_sent)
    message = _get(app, r)
    if any(rec.get("attempted_send") for rec in message["recipients"]):
        raise SimError(400, f"bulk message {message['bulk_message_id']} is already being "
                            "sent and can no longer be changed")
    if r.body.get("text") is not None:
        if not r.body["text"].strip():
            raise SimError(400, "text: must not be blank")
        message["text"] = r.body["text"]
    if r.body.get("media") is not None:
        check_media(r.body["media"])
        message["media"] = r.body["media"]
    return {"bulk_message": message, "message": "Bulk message updated", "success": True}


def bulk_list(app, r):
    """The user's bulk messages, newest first; cursor and limit come in the body."""
    s = app.state
    m = s.messaging
    m.tick(s.sms_sent)
    if r.body.get("user_id") is None:
        raise SimError(400, "user_id: is required with a company API key (whose messages?)")
    owner = as_int(r.body["user_id"], "user_id")
    keys = [k for k, uid in m.bulk_owner.items() if uid == owner][::-1]
    items, cursor = page_by_offset(keys, r.body, "bulk")
    return {"bulk_messages": [m.bulk_messages[k] for k in items], "cursor": cursor,
            "has_more": cursor is not None}


def page_by_offset(keys: list, body: dict, kind: str) -> tuple[list, str | None]:
    """One page of `keys` for a listing whose cursor and limit are in the body."""
    limit = body.get("limit")
    limit = LIST_LIMIT_DEFAULT if limit is None else as_int(limit, "limit")
    if not 1 <= limit <= LIST_LIMIT_MAX:
        raise SimError(400, f"limit: must be between 1 and {LIST_LIMIT_MAX} (got {limit})")
    start = decode_cursor(kind, body["cursor"]) if body.get("cursor") else 0
    if not isinstance(start, int) or start < 0:
        raise SimError(400, "cursor: not a cursor this API returned")
    page = keys[start:start + limit]
    more = start + limit < len(keys)
    return page, encode_cursor(kind, start + limit) if more else None


def register(route) -> None:
    route(f"{API}/message/bulk", get=bulk_list, post=bulk_send)
    route(f"{API}/message/bulk/{{id}}", get=bulk_get, patch=bulk_update)
