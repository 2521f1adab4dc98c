"""Sync run choices (values are stored; labels are what the admin shows)."""

from django.db import models


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    MANUAL = "manual", "Sync now (admin)"
    COMMAND = "command", "Command line"
    WEBHOOK = "webhook", "Webhook"


class Status(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    # Dialpad refused or kept failing before any entity was synced completely.
    FAILED = "failed", "Failed"
    # Some entities were synced completely, then Dialpad failed: those are fresh, the rest
    # kept what they had and nothing of them was marked gone.
    PARTIAL = "partial", "Partial"
    # We crashed (a bug, a database error, the time limit): see the traceback.
    ERRORED = "errored", "Errored"
    # The safety valve held back gone marks; an admin confirms them from the run's page.
    NEEDS_REVIEW = "needs_review", "Needs review"
    # A trigger that came while another run held the claim: recorded, never run.
    REFUSED = "refused", "Refused (another sync was running)"


FINISHED_STATUSES = frozenset(s for s in Status.values if s != Status.RUNNING)
