"""SMS events: messages sent and received, and updates of their delivery status.

Each SMS event becomes an `SmsEvent` row (the message as Dialpad reported it at that moment).
The messaging app links them to its own sent messages by Dialpad's message id:

- `sms_events_for(message_id)`, `sms_delivery_status(message_id)` (events.selectors, also
  offered here): the events of one message, and its current (status, delivery result);
- `on_sms_event(handler)`: `handler(sms_event)` is called for each new SmsEvent, inside
  the transaction that stores it (so a failing handler stores nothing and the event is
  retried), for messaging to update its sent-message row.
"""

from ..exceptions import Unhandled
from ..models import SmsEvent
from .values import event_time, id_or_none, text_of as _text

_SMS_HANDLERS = []


def on_sms_event(handler):
    """Call `handler(sms_event)` for every SMS event stored from now on (a decorator too)."""
    if handler not in _SMS_HANDLERS:
        _SMS_HANDLERS.append(handler)
    return handler


def _party(value):
    return value if isinstance(value, dict) else {}


def _numbers(value):
    if isinstance(value, str):
        return [value]
    return [str(n) for n in value if isinstance(n, (str, int))] if isinstance(value, list) \
        else []


def sms_fields(payload):
    """The columns of an SmsEvent from an SMS event's payload; Unhandled without an id."""
    message_id = id_or_none(payload.get("id"))
    if message_id is None:
        raise Unhandled("The SMS event carries no message id: stored, nothing linked.")
    target, contact = _party(payload.get("target")), _party(payload.get("contact"))
    direction = _text(payload.get("direction"), 16).lower()
    to_numbers = _numbers(payload.get("to_number", payload.get("to_numbers")))
    from_number = _text(payload.get("from_number"), 32)
    # The external party: the contact's number, else the sender (inbound) or first receiver.
    contact_number = _text(contact.get("phone_number"), 32) or (
        from_number if direction == "inbound" else (to_numbers[0][:32] if to_numbers else ""))
    return {
        "message_id": message_id,
        "direction": direction if direction in ("inbound", "outbound") else "",
        "created_at": event_time(payload.get("created_date")),
        "message_status": _text(payload.get("message_status"), 32),
        "delivery_result": _text(payload.get("message_delivery_result"), 32),
        "target_type": _text(target.get("type"), 32),
        "target_id": id_or_none(target.get("id")),
        "target_name": _text(target.get("name"), 255),
        "target_number": _text(target.get("phone_number"), 32),
        "contact_id": _text(contact.get("id"), 64),
        "contact_name": _text(contact.get("name"), 255),
        "contact_number": contact_number,
        "sender_id": id_or_none(payload.get("sender_id")),
        "from_number": from_number,
        "to_numbers": to_numbers,
        "mms": bool(payload.get("mms")),
        "text": _text(payload.get("text"), 10_000),
        "has_text": "text" in payload,
    }


def sms_event_store(event):
    """The SmsEvent of a stored SMS event (in the caller's transaction), handlers called."""
    sms = SmsEvent.objects.create(event=event, **sms_fields(event.payload))
    for handler in list(_SMS_HANDLERS):
        handler(sms)
    return sms
