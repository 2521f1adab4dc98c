"""The events app's vocabularies."""

from django.db import models


class EventKind(models.TextChoices):
    CHANGELOG = "changelog", "change log"
    SMS = "sms", "SMS"
    UNKNOWN = "unknown", "unknown"


class EventStatus(models.TextChoices):
    PENDING = "pending", "waiting to be processed"
    REFRESHING = "refreshing", "re-read queued"
    DONE = "done", "done"
    UNHANDLED = "unhandled", "stored, nothing to do"
    FAILED = "failed", "failed"


class Verified(models.TextChoices):
    CURRENT = "current", "with the current secret"
    PREVIOUS = "previous", "with the previous secret (rotation)"


class SmsDirection(models.TextChoices):
    INBOUND = "inbound", "inbound"
    OUTBOUND = "outbound", "outbound"


# A message's status only moves forward: a late "pending" never hides one of these.
FINAL_SMS_STATUSES = ("success", "failed", "delivered", "undelivered")
