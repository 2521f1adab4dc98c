"""The events app's vocabularies: (value, label) pairs, as TextChoices."""

from django.db import models


def _choices(name, pairs):
    """TextChoices `name` with a member per (value, label), named by the value in capitals."""
    return models.TextChoices(name, [(value.upper(), (value, label)) for value, label in pairs])


EventKind = _choices("EventKind", [
    ("changelog", "change log"), ("sms", "SMS"), ("unknown", "unknown")])
EventStatus = _choices("EventStatus", [
    ("pending", "waiting to be processed"), ("refreshing", "re-read queued"), ("done", "done"),
    ("unhandled", "stored, nothing to do"), ("failed", "failed")])
# Which secret an event's signature matched.
Verified = _choices("Verified", [
    ("current", "with the current secret"),
    ("previous", "with the previous secret (rotation)")])
SmsDirection = _choices("SmsDirection", [("inbound", "inbound"), ("outbound", "outbound")])

# A message's status only moves forward: a late "pending" never hides one of these.
FINAL_SMS_STATUSES = ("success", "failed", "delivered", "undelivered")
