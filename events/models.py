"""What the console keeps of Dialpad's events.

An `Event` is written by the receiver before anything else happens, so that nothing Dialpad
sent is lost to a broker outage or a killed worker: the sweep processes what was left
pending. The raw token is never stored, only the verified payload (which holds no secret).
"""

from django.db import models
from django.utils import timezone

from .choices import EventKind, EventStatus, SmsDirection, Verified


class Event(models.Model):
    """One verified delivery from Dialpad's webhook."""

    kind = models.CharField(max_length=16, choices=EventKind.choices, db_index=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    verified = models.CharField(
        max_length=16, choices=Verified.choices,
        help_text="Which secret the signature matched (the previous one during a rotation).")
    dedupe_key = models.CharField(
        max_length=64, unique=True,
        help_text="A hash of the event's content: the same event delivered twice is one row.")
    payload = models.JSONField(help_text="The event as Dialpad sent it (verified).")
    status = models.CharField(max_length=16, choices=EventStatus.choices,
                              default=EventStatus.PENDING, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(
        default=0, help_text="How many times processing this event started.")
    outcome = models.TextField(blank=True, help_text="What the console did with it.")
    # Read from the payload when it is stored, for the admin's filters and searches.
    occurred_at = models.DateTimeField(null=True, blank=True,
                                       help_text="When Dialpad says it happened.")
    action = models.CharField(max_length=100, blank=True, db_index=True)
    target_type = models.CharField(max_length=32, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    changed_by = models.CharField(max_length=255, blank=True)
    # "user:123" when a re-read of a mirrored object was asked for (see RefreshTarget).
    refresh_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "received_at"],
                                name="%(app_label)s_%(class)s_status_recv")]
        permissions = [("manage_webhooks", "Can set up Dialpad's webhook and event "
                                           "subscriptions")]

    def __str__(self):
        what = self.action or self.get_kind_display()
        target = f" {self.target_type} {self.target_id}" if self.target_id else ""
        return f"Event #{self.pk}: {what}{target}"


class RefreshTarget(models.Model):
    """A re-read of one mirrored object that change-log events asked for.

    One row per object: an event for an object that already has a row only bumps
    `requests`, so a burst costs one read. The reader claims the row atomically and, when
    it is done, deletes it only if no event came meanwhile (else it reads again).
    """

    key = models.CharField(max_length=64, unique=True, help_text='"user:123", "number:+1…"')
    kind = models.CharField(max_length=16)
    target_id = models.CharField(max_length=32)
    requests = models.PositiveIntegerField(default=1)
    reason = models.CharField(max_length=255, blank=True,
                              help_text="Why, when no event asked for it (a follow-up read).")
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    retry_after = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return f"re-read of {self.kind} {self.target_id}"


class SmsEvent(models.Model):
    """One SMS event: a message sent or received, or an update of its delivery status.

    Dialpad repeats the whole message in each delivery-status event, so the latest event of a
    `message_id` holds its current status (selectors.sms_message_latest).
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="sms")
    message_id = models.BigIntegerField(db_index=True)
    direction = models.CharField(max_length=16, choices=SmsDirection.choices, blank=True)
    created_at = models.DateTimeField(null=True, blank=True, db_index=True,
                                      help_text="When the message was sent (Dialpad's date).")
    message_status = models.CharField(max_length=32, blank=True)
    delivery_result = models.CharField(max_length=32, blank=True)
    target_type = models.CharField(max_length=32, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    target_name = models.CharField(max_length=255, blank=True)
    target_number = models.CharField(max_length=32, blank=True)
    contact_id = models.CharField(max_length=64, blank=True)
    contact_name = models.CharField(max_length=255, blank=True)
    contact_number = models.CharField(max_length=32, blank=True, db_index=True,
                                      help_text="The external party's number.")
    sender_id = models.BigIntegerField(null=True, blank=True,
                                       help_text="The user who sent it for a group.")
    from_number = models.CharField(max_length=32, blank=True)
    to_numbers = models.JSONField(default=list, blank=True)
    mms = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    has_text = models.BooleanField(
        default=False, help_text="Dialpad includes the text only when the API key has the "
                                 "message-content scope.")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "SMS event"

    def __str__(self):
        return f"SMS {self.message_id} ({self.direction}, {self.message_status or '?'})"
