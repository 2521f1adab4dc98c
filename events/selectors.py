"""Reads of events for the admin, the health check and the messaging app."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.utils import timezone

from django.conf import settings

from .choices import FINAL_SMS_STATUSES as FINAL_STATUSES, EventStatus
from .models import Event, RefreshTarget, SmsEvent

# An event still waiting after this long means the workers are not keeping up (or none runs).
BACKLOG_AFTER = timedelta(minutes=2)


def secrets_configured():
    return bool(settings.DIALPAD_WEBHOOK_SECRET)


@dataclass(frozen=True)
class EventFlow:
    """Whether events flow: when the last one came, and what is waiting too long."""

    configured: bool
    last_received_at: datetime | None
    waiting: int  # events and re-reads waiting longer than BACKLOG_AFTER

    @property
    def age_seconds(self):
        if self.last_received_at is None:
            return None
        return max(0.0, (timezone.now() - self.last_received_at).total_seconds())


def event_flow():
    cutoff = timezone.now() - BACKLOG_AFTER
    last = Event.objects.aggregate(last=Max("received_at"))["last"]
    waiting = Event.objects.filter(status=EventStatus.PENDING, received_at__lt=cutoff).count()
    waiting += RefreshTarget.objects.filter(created_at__lt=cutoff).filter(
        Q(retry_after__isnull=True) | Q(retry_after__lt=cutoff)).count()
    return EventFlow(configured=secrets_configured(), last_received_at=last, waiting=waiting)


def age_text(seconds):
    if seconds is None:
        return "never"
    if seconds < 90:
        return f"{seconds:.0f} s ago"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} days ago"


# --- SMS ---------------------------------------------------------------------------------


def sms_events_for(message_id):
    """The SMS events of one Dialpad message, oldest first (a QuerySet of SmsEvent)."""
    return SmsEvent.objects.filter(message_id=message_id).select_related("event").order_by(
        "event__received_at", "pk")


def sms_delivery_status(message_id):
    """(message_status, delivery_result) of a message now, or None if no event named it.

    Events may arrive out of order: a final status wins over "pending", and among equals
    the last received wins.
    """
    latest = sms_events_for(message_id).annotate(final=Case(
        When(message_status__in=FINAL_STATUSES, then=Value(1)), default=Value(0),
        output_field=IntegerField())).order_by("-final", "-event__received_at", "-pk").first()
    return (latest.message_status, latest.delivery_result) if latest else None


def sms_conversations():
    """One row per external number: {contact_number, messages, last_at}, latest first."""
    return (SmsEvent.objects.exclude(contact_number="").values("contact_number")
            .annotate(messages=Count("message_id", distinct=True), last_at=Max("created_at"))
            .order_by("-last_at"))


def sms_conversation(contact_number):
    """The messages exchanged with one external number, oldest first: the latest event of
    each message (its current status), as SmsEvent rows."""
    by_message = {}
    events = SmsEvent.objects.filter(contact_number=contact_number).select_related("event")
    for sms in events.order_by("event__received_at", "pk"):
        current = by_message.get(sms.message_id)
        if current is None or _rank(sms) >= _rank(current):
            by_message[sms.message_id] = sms
    return sorted(by_message.values(), key=lambda s: (s.created_at or s.event.received_at,
                                                      s.message_id))


def _rank(sms):
    return 1 if sms.message_status in FINAL_STATUSES else 0
