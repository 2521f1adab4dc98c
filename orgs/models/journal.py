"""The push journal, bulk pushes and one-time form submissions: the console's own records
of what it sent to Dialpad (not mirrored data)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from dialpad_console.formats import console_datetime

from ..permissions import PUSH_PERMISSIONS
from .mirror import DialpadUser


# How the journal names each push's `operation` (the services' names for them).
OPERATION_LABELS = {
    "operator_add": "Add operator",
    "operator_remove": "Remove operator",
    "operator_role_change": "Change operator's role",
    "office_e911_update": "Set office's E911 address",
    "user_e911_update": "Set user's E911 address",
    "number_assign": "Assign number",
    "number_unassign": "Unassign number",
    "department_create": "Create department",
    "department_update": "Edit department",
    "department_delete": "Delete department",
    "callcenter_create": "Create call center",
    "callcenter_update": "Edit call center",
    "callcenter_delete": "Delete call center",
    "room_create": "Create room",
    "room_rename": "Rename room",
    "room_delete": "Delete room",
    "user_move_office": "Move user to another office",
    "sms_send": "Send SMS",
    "bulk_message_start": "Start bulk message",
    "bulk_message_send": "Send bulk message batch",
    "channel_create": "Create channel",
    "channel_delete": "Delete channel",
    "channel_member_add": "Add channel member",
    "channel_member_remove": "Remove channel member",
    "schedule_create": "Schedule message",
    "schedule_update": "Edit scheduled message",
    "schedule_cancel": "Cancel scheduled message",
    "schedule_send_now": "Send scheduled message now",
    "events_post": "Set up webhook (create)",
    "events_patch": "Set up webhook (update)",
    "events_put": "Set up webhook (update)",
    "events_delete": "Set up webhook (delete)",
}


# Pushes to a group (or channel) about one of its members, named in the request's body.
MEMBER_OPERATIONS = frozenset({"operator_add", "operator_remove", "operator_role_change",
                               "channel_member_add", "channel_member_remove"})


def operation_label(operation):
    """An operation in words: "Add operator" for operator_add (any other: its name, spaced)."""
    return OPERATION_LABELS.get(operation) or operation.replace("_", " ").capitalize()


class PushRecord(models.Model):
    """One push the console sent (or refused to send) to Dialpad: the push journal.

    Every call of a service in `orgs.services` leaves exactly one row, whatever happened:
    Dialpad applied it, refused it, did not answer (outcome unknown), the input was invalid
    (nothing sent), or the acting user lacked the permission (nothing sent). `request` is a
    summary of what was sent (method, path, body); it never holds an API key or a secret.
    """

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        REFUSED = "refused", "Refused by Dialpad"
        UNKNOWN = "unknown", "Outcome unknown"
        INVALID = "invalid", "Invalid input (not sent)"
        DENIED = "denied", "Permission denied (not sent)"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="dialpad_pushes",
    )
    actor_username = models.CharField(
        max_length=150, blank=True, help_text="Kept if the console user is deleted later.",
    )
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    operation = models.CharField(max_length=64, db_index=True, help_text="e.g. operator_add")
    target_type = models.CharField(max_length=32, blank=True, db_index=True)
    target_id = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="A Dialpad id, or a phone number.",
    )
    target_repr = models.CharField(max_length=255, blank=True)
    request = models.JSONField(
        default=dict, blank=True,
        help_text="What was sent: method, path and body (never a secret).",
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, db_index=True)
    dialpad_status = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Dialpad's HTTP status, when it answered with an error.",
    )
    message = models.TextField(
        blank=True, help_text="Dialpad's reason when refused, or what the console found.",
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "push"
        verbose_name_plural = "push journal"
        # The four push permissions live here, together, so that an admin building a group
        # finds them side by side as "orgs | push | Can ..." (orgs.permissions names them).
        permissions = PUSH_PERMISSIONS
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="orgs_push_target_idx"),
        ]

    def __str__(self):
        target = self.target_repr or f"{self.target_type} {self.target_id}".strip()
        return f"{self.operation_label} {target}: {self.get_outcome_display()}"

    @property
    def operation_label(self):
        return operation_label(self.operation)

    @property
    def member_ref(self):
        """(kind, Dialpad id) of the user or room an operator push was about, read from the
        request sent (the target is the group): None for other pushes."""
        body = (self.request or {}).get("body")
        if self.operation not in MEMBER_OPERATIONS or not isinstance(body, dict):
            return None
        if body.get("user_id") is not None:
            return "user", body["user_id"]
        if body.get("operator_id") is not None:
            return body.get("operator_type") or "user", body["operator_id"]
        return None


class BulkPushJob(models.Model):
    """A bulk admin action: the same push for each selected row, one BulkPushItem per row.

    Up to BULK_INLINE_MAX items run inside the admin's request; more run as a Celery task
    (orgs.tasks) while the admin watches the job's page. Each item keeps its own outcome, so
    one refusal does not stop the rest and the page says which ones failed and why.
    """

    BULK_INLINE_MAX = 20

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    class Operation(models.TextChoices):
        OPERATOR_ADD = "operator_add", "Add users as operators"
        USER_E911_UPDATE = "user_e911_update", "Set users' E911 address"

    operation = models.CharField(max_length=32, choices=Operation.choices)
    description = models.CharField(max_length=255, help_text="What the admin asked for.")
    params = models.JSONField(
        default=dict, blank=True, help_text="The push's arguments, the same for every item.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="bulk_push_jobs",
    )
    created_by_username = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True,
    )
    run_inline = models.BooleanField(
        default=False, help_text="Run inside the admin's request (small jobs) or by a task.",
    )
    total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "bulk push"
        verbose_name_plural = "bulk pushes"

    def __str__(self):
        return self.description or f"Bulk push {self.pk}"

    @property
    def is_finished(self):
        return self.status == self.Status.FINISHED


class BulkPushItem(models.Model):
    """One row of a bulk push and what happened to it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        REFUSED = "refused", "Refused by Dialpad"
        UNKNOWN = "unknown", "Outcome unknown"
        INVALID = "invalid", "Invalid input (not sent)"
        DENIED = "denied", "Permission denied (not sent)"
        ERRORED = "errored", "The console failed"

    job = models.ForeignKey(BulkPushJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    user = models.ForeignKey(
        DialpadUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    target_repr = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(
        max_length=16, choices=Outcome.choices, default=Outcome.PENDING, db_index=True,
    )
    message = models.TextField(blank=True)
    push_record = models.ForeignKey(
        PushRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"],
                                    name="%(app_label)s_%(class)s_unique_position"),
        ]

    def __str__(self):
        return f"{self.target_repr}: {self.get_outcome_display()}"



class PushSubmission(models.Model):
    """A push form page, submitted: its one-time token, claimed before anything is sent.

    The token is unique: of two submits of the same page (a double click, two racing
    requests) one inserts this row and pushes, on any database; the other is shown what became
    of the first, its journal row or bulk push (orgs.admin.once). No finished_at: still sending.
    """

    token = models.CharField(max_length=64, unique=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    push_record = models.ForeignKey(PushRecord, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    bulk_job = models.ForeignKey(BulkPushJob, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"Push form {self.token[:8]}… submitted {console_datetime(self.created_at)}"
