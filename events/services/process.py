"""Processing one stored event, exactly once.

The claim is a conditional UPDATE inside the processing transaction: it changes the row only
while the event is still pending, so of two workers given the same event (a redelivered
task, the sweep racing the queue) the second finds nothing to do. Processing is database
work only (the re-read of a change-log event's target runs after, in services.refresh), so
a worker killed half-way rolls everything back and the event stays pending for the sweep.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..choices import EventKind, EventStatus
from ..exceptions import Unhandled
from ..models import Event
from .refresh import refresh_key, request_refresh
from .sms import sms_event_store
from .values import id_or_none

logger = logging.getLogger("events.processing")

# Dialpad's name of a target type -> the console's kind. Dialpad's list is not documented:
# spellings seen in its API are accepted, anything else is stored and shown as unhandled.
TARGET_KINDS = {
    "user": "user", "office": "office", "department": "department",
    "callcenter": "callcenter", "call_center": "callcenter", "room": "room",
    "number": "number", "phone_number": "number", "company": "company",
}


@dataclass
class Processed:
    event: Event | None  # None: nothing to do (already processed, or no such event)
    refresh_id: int | None = None  # a re-read this event created, to run now


def event_process(*, event_id):
    """Process the stored event `event_id` unless it was processed already."""
    try:
        with transaction.atomic():
            claimed = Event.objects.filter(pk=event_id, status=EventStatus.PENDING).update(
                attempts=F("attempts") + 1)
            if not claimed:
                return Processed(None)
            event = Event.objects.get(pk=event_id)
            refresh_id = _process(event)
            return Processed(event, refresh_id)
    except Exception as exc:
        # A bug of ours (a database outage fails this write too, and the event stays pending
        # for the sweep). Shown on the event's page rather than retried forever.
        logger.exception("Processing event #%s failed", event_id)
        Event.objects.filter(pk=event_id, status=EventStatus.PENDING).update(
            status=EventStatus.FAILED, processed_at=timezone.now(),
            attempts=F("attempts") + 1,
            outcome=f"Processing failed ({type(exc).__name__}); see the worker's log.")
        raise


def _process(event):
    handler = {EventKind.CHANGELOG: _changelog, EventKind.SMS: _sms}.get(event.kind)
    now = timezone.now()
    try:
        if handler is None:
            raise Unhandled("Neither a change-log nor an SMS event: stored for an admin to "
                            "read, nothing done.")
        status, outcome, refresh_id = handler(event)
    except Unhandled as unhandled:
        status, outcome, refresh_id = EventStatus.UNHANDLED, str(unhandled), None
    event.status, event.outcome, event.processed_at = status, outcome, now
    event.save(update_fields=["status", "outcome", "processed_at", "refresh_key"])
    return refresh_id


def changelog_target(payload):
    """(kind, identity) of the object a change-log event names, or Unhandled."""
    target = payload.get("target")
    if not isinstance(target, dict):
        raise Unhandled("The change-log event names no target: nothing to re-read.")
    raw_type = str(target.get("type") or "").strip().lower().replace(" ", "_")
    kind = TARGET_KINDS.get(raw_type)
    if kind is None:
        raise Unhandled(f"The change log's target type {raw_type[:40]!r} is not one the "
                        "console mirrors: stored, nothing re-read.")
    raw_id = target.get("id")
    if kind == "number":
        ident = str(raw_id or "").strip()
        if not (ident.startswith("+") and ident[1:].isdigit() and 8 <= len(ident) <= 16):
            raise Unhandled(f"The change log's number {ident[:20]!r} is not an E.164 number.")
    elif kind == "company":
        ident = "company"
    else:
        ident = id_or_none(raw_id)
        if ident is None:
            raise Unhandled(f"The change log's {kind} id {str(raw_id)[:30]!r} is not an id.")
    return kind, ident


def _changelog(event):
    kind, ident = changelog_target(event.payload)
    event.refresh_key = refresh_key(kind, ident)
    refresh = request_refresh(kind, ident)
    label = "the company" if kind == "company" else f"{kind} {ident}"
    if refresh is None:
        return (EventStatus.REFRESHING,
                f"Folded into the re-read of {label} already under way.", None)
    return EventStatus.REFRESHING, f"A re-read of {label} is queued.", refresh.pk


def _sms(event):
    sms = sms_event_store(event)
    party = sms.contact_number or "an unknown number"
    way = "from" if sms.direction == "inbound" else "to"
    status = sms.message_status or "no status"
    direction = (sms.get_direction_display() or "SMS").capitalize()
    return (EventStatus.DONE,
            f"{direction} message {sms.message_id} {way} {party}: {status}.", None)
