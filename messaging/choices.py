"""Messaging's enums as TextChoices: Dialpad's values as its spec spells them, and the
console's own states of a send."""

from django.db import models


class SenderKind(models.TextChoices):
    NUMBER = "number", "From a number"
    USER = "user", "As a user"
    GROUP = "group", "As a user, on behalf of a group"


class SendOutcome(models.TextChoices):
    SENDING = "sending", "Sending (or the console stopped while sending)"
    SENT = "sent", "Sent"
    REFUSED = "refused", "Refused by Dialpad"
    UNKNOWN = "unknown", "Outcome unknown"


class MessageStatus(models.TextChoices):  # SMSProto.message_status
    PENDING = "pending", "Pending"
    SUCCESS = "success", "Success"
    FAILED = "failed", "Failed"


# SMSProto.message_delivery_result, in plain words.
DELIVERY_RESULTS = {
    "accepted": "accepted by the carrier",
    "internal_error": "an error inside Dialpad",
    "invalid_destination": "a recipient is not a valid number",
    "invalid_source": "the sender number can't send messages",
    "no_route": "no route to a recipient's carrier",
    "not_supported": "the message is not supported (e.g. MMS to this destination)",
    "rejected": "rejected (e.g. a recipient has opted out)",
    "rejected_spam": "rejected as spam",
    "time_out": "timed out",
}


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Sending"
    FINISHED = "finished", "Finished"


class BatchState(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Sending (outcome being settled)"
    SENT = "sent", "Sent"
    REFUSED = "refused", "Refused by Dialpad"
    UNKNOWN = "unknown", "Outcome unknown (read back before any re-send)"
    SKIPPED = "skipped", "Not sent (every recipient opted out meanwhile)"


# BulkMessageRecipient.delivery_status values that will not change any more.
FINAL_DELIVERY = frozenset({"delivered", "failed", "undelivered"})


class ScheduleStatus(models.TextChoices):
    """ScheduleProto.status, and the console's own "creating": the row is written before the
    request goes out, and stays so if Dialpad's answer was lost (outcome unknown)."""

    CREATING = "creating", "Not confirmed by Dialpad"
    ACTIVE = "active", "Scheduled"
    DELETED = "deleted", "Cancelled"
    SENT = "sent", "Sent"


class OptOutState(models.TextChoices):  # SmsOptOutEntryProto.opt_out_state
    OPTED_OUT = "opted_out", "Opted out"
    OPTED_BACK_IN = "opted_back_in", "Opted back in"
