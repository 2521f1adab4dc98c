"""Messaging's enums as TextChoices: Dialpad's values as its spec spells them, and the
console's own states of a send. Each is built from (value, label) pairs."""

from django.db import models


def _choices(name, *pairs):
    """TextChoices `name` whose members are the (value, label) pairs (member VALUE)."""
    return models.TextChoices(name, [(value.upper(), (value, label)) for value, label in pairs])


SenderKind = _choices("SenderKind", ("number", "From a number"), ("user", "As a user"),
                      ("group", "As a user, on behalf of a group"))
SendOutcome = _choices(
    "SendOutcome", ("sending", "Sending (or the console stopped while sending)"),
    ("sent", "Sent"), ("refused", "Refused by Dialpad"), ("unknown", "Outcome unknown"))
# SMSProto.message_status
MessageStatus = _choices("MessageStatus", ("pending", "Pending"), ("success", "Success"),
                         ("failed", "Failed"))
JobStatus = _choices("JobStatus", ("queued", "Queued"), ("running", "Sending"),
                     ("finished", "Finished"))
BatchState = _choices(
    "BatchState", ("pending", "Waiting"), ("sending", "Sending (outcome being settled)"),
    ("sent", "Sent"), ("refused", "Refused by Dialpad"),
    ("unknown", "Outcome unknown (read back before any re-send)"),
    ("skipped", "Not sent (every recipient opted out meanwhile)"))
# ScheduleProto.status, and the console's own "creating": the row is written before the
# request goes out, and stays so if Dialpad's answer was lost (outcome unknown).
ScheduleStatus = _choices(
    "ScheduleStatus", ("creating", "Not confirmed by Dialpad"), ("active", "Scheduled"),
    ("deleted", "Cancelled"), ("sent", "Sent"))
# SmsOptOutEntryProto.opt_out_state
OptOutState = _choices("OptOutState", ("opted_out", "Opted out"),
                       ("opted_back_in", "Opted back in"))

# SMSProto.message_delivery_result, in plain words.
DELIVERY_RESULTS = {
    "accepted": "accepted by the carrier", "internal_error": "an error inside Dialpad",
    "invalid_destination": "a recipient is not a valid number",
    "invalid_source": "the sender number can't send messages",
    "no_route": "no route to a recipient's carrier",
    "not_supported": "the message is not supported (e.g. MMS to this destination)",
    "rejected": "rejected (e.g. a recipient has opted out)",
    "rejected_spam": "rejected as spam", "time_out": "timed out",
}
# BulkMessageRecipient.delivery_status values that will not change any more.
FINAL_DELIVERY = frozenset({"delivered", "failed", "undelivered"})
