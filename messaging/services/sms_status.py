"""Delivery status of the console's own SMS, from Dialpad's SMS events.

Dialpad has no endpoint to read an SMS back: its `message_status` and
`message_delivery_result` after the send arrive as SMS events (the events app stores each
as an SmsEvent). Every stored event updates the console's sent message with that id, and a
message whose events came before its own row was written takes them when it is written.
"""

from events.selectors import sms_delivery_status

from ..models import SmsMessage


def sms_status_follow(sms_event):
    """Called for each stored SmsEvent (events.services.on_sms_event), in its transaction."""
    sms_status_apply(message_id=sms_event.message_id)


def sms_status_apply(*, message_id):
    """Set the sent message's status to what its events say now (a final status wins over
    a late "pending"). Returns how many rows changed (0: not the console's, or no event)."""
    if message_id is None:
        return 0
    current = sms_delivery_status(message_id)
    if current is None:
        return 0
    status, result = current
    return SmsMessage.objects.filter(dialpad_id=message_id).exclude(
        message_status=status, message_delivery_result=result).update(
        message_status=status[:16], message_delivery_result=result[:32])
