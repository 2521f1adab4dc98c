"""Messaging: what the console sent (SMS, bulk jobs and their batches, schedules) and what it
mirrors (channels and their members, the company's SMS opt-out list).

Sent messages are the console's own records: a row per send, written before the request goes
out and finished with Dialpad's answer, so a send is never lost from the record whatever
happens in between (a crash leaves it "sending", which the page shows as unknown). Channels,
members and opt-outs are mirrored rows, written only through orgs.mirror's one writer (by the
sync, and by the services after a push), like the org's.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from dialpad_console.formats import console_datetime
from orgs.models import DialpadUser, Mirrored, PushRecord

from .choices import (
    BatchState,
    JobStatus,
    MessageStatus,
    OptOutState,
    ScheduleStatus,
    SenderKind,
    SendOutcome,
)


class SentBy(models.Model):
    """Who asked for a send, kept if their login is deleted later."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_username = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # One send per compose form: a form submitted twice finds its first send by this key.
    request_key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True
        constraints = [models.UniqueConstraint(fields=["request_key"],
                                               name="%(app_label)s_%(class)s_one_per_form")]


class SmsMessage(SentBy):
    """One SMS the console sent (or tried to): to at most 10 recipients.

    The text is stored: the admin wrote it. `outcome` is the console's view (sent, refused
    with Dialpad's reason, unknown after an ambiguous answer); `message_status` and
    `message_delivery_result` are Dialpad's.
    """

    sender_kind = models.CharField(max_length=8, choices=SenderKind.choices)
    sender_label = models.CharField(max_length=255, help_text="Who the message is sent as.")
    from_number = models.CharField(max_length=20, blank=True)
    user = models.ForeignKey(DialpadUser, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", help_text="The user who sends.")
    sender_group_type = models.CharField(max_length=16, blank=True)
    sender_group_id = models.BigIntegerField(null=True, blank=True)
    recipients = models.JSONField(default=list, help_text="E.164 numbers it was sent to.")
    opted_out = models.JSONField(default=list, blank=True,
                                 help_text="Recipients left out: they opted out of SMS.")
    text = models.TextField(blank=True)
    text_length = models.PositiveIntegerField(default=0)
    media_bytes = models.PositiveIntegerField(default=0)
    dialpad_id = models.BigIntegerField(null=True, blank=True, db_index=True,
                                        verbose_name="Dialpad ID")
    message_status = models.CharField(max_length=16, blank=True,
                                      choices=MessageStatus.choices)
    message_delivery_result = models.CharField(max_length=32, blank=True)
    outcome = models.CharField(max_length=16, choices=SendOutcome.choices,
                               default=SendOutcome.SENDING, db_index=True)
    message = models.TextField(blank=True, help_text="Dialpad's reason, or what was found.")
    push_record = models.ForeignKey(PushRecord, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta(SentBy.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = "SMS"
        verbose_name_plural = "SMS sent"
        permissions = [("send_sms", "Can send SMS, bulk and scheduled messages through Dialpad")]
        constraints = [
            # A refused send changed nothing: the same form may try again.
            models.UniqueConstraint(fields=["request_key"], condition=~models.Q(outcome="refused"),
                                    name="%(app_label)s_%(class)s_one_send_per_form"),
        ]

    def __str__(self):
        who = ", ".join(self.recipients[:3]) + ("…" if len(self.recipients) > 3 else "")
        return f"SMS to {who or 'nobody'}"


class BulkMessageJob(SentBy):
    """A message to more than 10 recipients, sent as batches of up to 50 (BulkMessageBatch),
    by a Celery task; one worker runs a job at a time (`claim_token`, alive while `beat_at`
    moves), and a job whose worker died is resumed without sending any batch twice."""

    title = models.CharField(max_length=200, help_text="Names the job's batches in Dialpad.")
    user = models.ForeignKey(DialpadUser, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", help_text="The user who sends.")
    user_dialpad_id = models.BigIntegerField()
    from_number = models.CharField(max_length=20)
    sender_label = models.CharField(max_length=255)
    text = models.TextField()
    media = models.TextField(blank=True, help_text="Base64, as sent with each batch.")
    media_bytes = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, help_text="Recipients to send to.")
    opted_out = models.JSONField(default=list, blank=True,
                                 help_text="Recipients left out: they opted out of SMS.")
    status = models.CharField(max_length=16, choices=JobStatus.choices,
                              default=JobStatus.QUEUED, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    beat_at = models.DateTimeField(null=True, blank=True)
    delivery_final = models.BooleanField(default=False, help_text=(
        "Every recipient's delivery status is final (or reading it back has stopped)."))
    delivery_read_at = models.DateTimeField(null=True, blank=True)

    class Meta(SentBy.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = "bulk message"

    def __str__(self):
        return f"Bulk message to {self.total} recipients ({console_datetime(self.created_at)})"

    @property
    def is_finished(self):
        return self.status == JobStatus.FINISHED


class BulkMessageBatch(models.Model):
    """Up to 50 recipients of a job: one Dialpad bulk message, with its own state.

    pending -> sending (claimed: the request may be on its way) -> sent | refused | unknown.
    A batch found "sending" or "unknown" by the next run is read back from Dialpad (by its
    title) before anything else: found, it is sent; not found, it goes back to pending.
    """

    job = models.ForeignKey(BulkMessageJob, on_delete=models.CASCADE, related_name="batches")
    position = models.PositiveIntegerField()
    recipients = models.JSONField(default=list)
    skipped = models.JSONField(default=list, blank=True,
                               help_text="Left out when sent: they opted out meanwhile.")
    state = models.CharField(max_length=16, choices=BatchState.choices,
                             default=BatchState.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    dialpad_id = models.CharField(max_length=64, blank=True, db_index=True,
                                  verbose_name="Dialpad ID")
    status = models.CharField(max_length=16, blank=True, help_text="Dialpad's: pending, complete")
    message = models.TextField(blank=True)
    push_record = models.ForeignKey(PushRecord, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    delivery_final = models.BooleanField(default=False)
    delivery_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        verbose_name_plural = "bulk message batches"
        constraints = [
            models.UniqueConstraint(fields=["job", "position"],
                                    name="%(app_label)s_%(class)s_unique_position"),
        ]

    def __str__(self):
        return f"Batch {self.position} of job {self.job_id}"

    @property
    def title(self):
        """How Dialpad names this batch, and how the console finds it again."""
        return f"{self.job.title} #{self.job_id}.{self.position}"


class BulkRecipient(models.Model):
    """One recipient of a batch and its delivery, as last read from Dialpad."""

    batch = models.ForeignKey(BulkMessageBatch, on_delete=models.CASCADE,
                              related_name="deliveries")
    job = models.ForeignKey(BulkMessageJob, on_delete=models.CASCADE, related_name="+")
    phone_number = models.CharField(max_length=20)
    attempted_send = models.BooleanField(default=False)
    delivery_method = models.CharField(max_length=16, blank=True)
    delivery_status = models.CharField(max_length=16, blank=True, db_index=True)
    error_message = models.TextField(blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.phone_number}: {self.delivery_status or 'not read yet'}"

    class Meta:
        ordering = ["batch", "phone_number"]
        constraints = [models.UniqueConstraint(fields=["batch", "phone_number"],
                                               name="%(app_label)s_%(class)s_unique_number")]


class ScheduledMessage(SentBy):
    """A message Dialpad sends at its time (so it goes out even if the console is down).

    Created only once Dialpad accepted it; `status` is Dialpad's (active, deleted, sent), kept
    up to date by re-reads; `read_at` is when the row's data was read from Dialpad.
    """

    # None until Dialpad's answer names it (the row is written before the request goes out).
    dialpad_id = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                  verbose_name="Dialpad ID")
    user = models.ForeignKey(DialpadUser, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", help_text="The user who sends.")
    user_dialpad_id = models.BigIntegerField()
    from_number = models.CharField(max_length=20, blank=True)
    to_numbers = models.JSONField(default=list)
    opted_out = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    media_bytes = models.PositiveIntegerField(default=0)
    scheduled_for = models.DateTimeField(db_index=True)
    timezone = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=ScheduleStatus.choices,
                              default=ScheduleStatus.ACTIVE, db_index=True)
    payload = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True, help_text="What the console found, if unsure.")

    class Meta(SentBy.Meta):
        ordering = ["scheduled_for", "pk"]
        verbose_name = "scheduled message"

    def __str__(self):
        return (f"Message to {len(self.to_numbers)} recipient(s) at "
                f"{console_datetime(self.scheduled_for)}")


class Channel(Mirrored):
    """A Dialpad channel, mirrored by the full sync (Dialpad answers its id and name)."""

    dialpad_id = models.BigIntegerField(primary_key=True, verbose_name="Dialpad ID")
    name = models.CharField(max_length=255, db_index=True)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_channels", "Can create and delete channels and add and remove "
                        "their members in Dialpad")]

    def __str__(self):
        return f"#{self.name}"


class ChannelMember(Mirrored):
    """A user in a channel (`key` is "channel_id:user_id")."""

    key = models.CharField(max_length=48, unique=True)
    channel_dialpad_id = models.BigIntegerField(db_index=True)
    user_dialpad_id = models.BigIntegerField(db_index=True)
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="members")
    user = models.ForeignKey(DialpadUser, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="channel_memberships")
    name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["channel_dialpad_id", "name"]
        verbose_name = "channel member"

    def __str__(self):
        return f"{self.name or self.user_dialpad_id} in {self.channel or self.channel_dialpad_id}"

    @staticmethod
    def make_key(channel_id, user_id):
        return f"{channel_id}:{user_id}"


class SmsOptOut(Mirrored):
    """A number on the company's SMS opt-out list (it texted STOP), or that opted back in.

    Mirrored from both of Dialpad's listings (opted out, opted back in); gone when Dialpad
    lists it in neither.
    """

    number = models.CharField(max_length=20, unique=True, help_text="E.164.")
    state = models.CharField(max_length=16, choices=OptOutState.choices, db_index=True)
    changed_at = models.DateTimeField(null=True, blank=True,
                                      help_text="When it moved to this state.")
    scope_level = models.CharField(max_length=16, blank=True)
    scope_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "SMS opt-out"

    def __str__(self):
        return self.number
