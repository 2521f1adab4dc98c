"""Scheduled messages: Dialpad sends them at their time, so they go out even if the console
is down. Needs `messaging.send_sms`.

A schedule is sent as a user, from one of its numbers, to at most 50 recipients, at least 10
minutes ahead, in a timezone (the sender's office's by default). The row (ScheduledMessage)
is written before the request goes out and keeps Dialpad's id; edits, cancellations and
"send now" push through here; `schedules_read` brings Dialpad's status back (a schedule
cancelled or sent in Dialpad shows that after the next read).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dialpad_console.dialpad import DialpadError, NotFoundError, endpoints, get_client
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.history import ADDITION
from orgs.mirror import Table, write_rows
from orgs.services._push import Push, is_object_with, log, raise_errors, validated_by

from .. import permissions
from ..choices import ScheduleStatus
from ..models import ScheduledMessage
from ..senders import resolve_user_sender
from ._rules import (
    SCHEDULE_MAX_RECIPIENTS, attempt, check_content, check_recipients, media_size,
    opted_out_note,
)

MIN_LEAD = timedelta(minutes=10)
# The columns a read of a schedule sets (ScheduleProto), compared by the one writer's rule
# for time: a read never puts older data over newer.
SCHEDULES = Table(ScheduledMessage, "dialpad_id", ("status", "scheduled_for", "timezone",
                                                   "text", "to_numbers", "from_number"),
                  uncompared=("payload",), stamp="read_at", mirrored=False)
# A schedule read this long ago is read again by the follow-up, even if not due.
READ_EVERY = timedelta(minutes=10)


def check_time(errors, send_at, tz_name, *, now=None):
    """(the time as aware UTC, the timezone): at least 10 minutes ahead; a naive time is read
    in `tz_name`. The message names the earliest time allowed, in that timezone."""
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        errors.setdefault("timezone", []).append(
            f"“{tz_name}” is not a timezone; use a name such as America/New_York.")
        return None, tz_name
    if send_at is None:
        errors.setdefault("send_at", []).append("Choose when to send it.")
        return None, tz_name
    if timezone.is_naive(send_at):
        send_at = send_at.replace(tzinfo=zone)
    now = now or timezone.now()
    earliest = (now + MIN_LEAD + timedelta(minutes=1)).astimezone(zone).replace(
        second=0, microsecond=0)
    if send_at < now + MIN_LEAD:
        why = "That time has passed" if send_at <= now else "That is less than 10 minutes away"
        errors.setdefault("send_at", []).append(
            f"{why}: Dialpad needs at least 10 minutes. The earliest is "
            f"{earliest:%Y-%m-%d %H:%M} ({tz_name}).")
    # Dialpad takes whole seconds.
    return send_at.astimezone(dt_timezone.utc).replace(microsecond=0), tz_name


def schedule_rules(*, user, recipients, text, send_at, timezone=None, from_number=None,
                   media=None, **_):
    errors = {}
    sender = attempt(errors, resolve_user_sender, user=user, from_number=from_number)
    numbers, opted_out = check_recipients(errors, recipients, sender,
                                          at_most=SCHEDULE_MAX_RECIPIENTS)
    text, encoded = check_content(errors, text, media)
    tz_name = timezone or (sender.timezone if sender is not None else "UTC")
    start, tz_name = check_time(errors, send_at, tz_name)
    raise_errors(errors)
    return {"sender": sender, "numbers": numbers, "opted_out": opted_out, "text": text,
            "encoded_media": encoded, "start": start, "timezone": tz_name}


@validated_by(schedule_rules)
def schedule_create(*, actor, user, recipients, text, send_at, timezone=None,
                    from_number=None, media=None, request_key=None, preview=False):
    """Schedule a message through Dialpad; returns the ScheduledMessage (active).

    POST /api/v2/message/schedule.
    """
    push = Push(actor=actor, operation="schedule_create", permission=permissions.SEND_SMS,
                target_type="scheduled message", preview=preview)
    push.authorize()
    values = push.validate(schedule_rules, user=user, recipients=recipients, text=text,
                           send_at=send_at, timezone=timezone, from_number=from_number,
                           media=media)
    sender = values["sender"]
    request = endpoints.schedule_create(
        user_id=sender.user.pk, to_numbers=values["numbers"], text=values["text"],
        start_date=int(values["start"].timestamp()), timezone=values["timezone"],
        from_number=sender.from_number, media=values["encoded_media"])
    plan = push.plan(request, note=opted_out_note(values["opted_out"]))
    if preview:
        return plan
    row = _record(push, actor, values, request_key)
    push.target_id, push.target_repr = str(row.pk), str(row)
    with push:
        try:
            answer = push.send(reread=lambda: _find_new(push.client, row),
                               applied=lambda found: bool(found.get("schedule_id")),
                               what="the schedule", expect=is_object_with("schedule_id"))
        except PushOutcomeUnknown as exc:
            ScheduledMessage.objects.filter(pk=row.pk).update(message=exc.message)
            raise
        except PushRefused:
            row.delete()  # nothing was scheduled: no row
            raise
        row = store_schedule(row, answer, read_at=push.started_at)
        log(actor, row, f"Scheduled in Dialpad for {local_time(row)}", ADDITION)
        return push.succeeded(f"Scheduled a message to {len(row.to_numbers)} recipients for "
                              f"{local_time(row)}", row)


def _record(push, actor, values, request_key):
    sender = values["sender"]
    try:
        with transaction.atomic():
            return ScheduledMessage.objects.create(
                created_by=actor, created_by_username=actor.get_username(),
                request_key=request_key or uuid.uuid4(), user=sender.user,
                user_dialpad_id=sender.user.pk, from_number=sender.from_number,
                to_numbers=values["numbers"], opted_out=values["opted_out"],
                text=values["text"], media_bytes=media_size(values["encoded_media"]),
                scheduled_for=values["start"], timezone=values["timezone"],
                status=ScheduleStatus.CREATING)
    except IntegrityError:
        push.invalid(ValidationError(
            "This message was already scheduled from this form; nothing was scheduled again.",
            code="already_sent"))


def _find_new(client, row):
    """The user's active schedule that this create made, if it made one ({} if not): same
    time and text, and not one the console already knows."""
    known = set(ScheduledMessage.objects.exclude(dialpad_id=None).values_list("dialpad_id",
                                                                             flat=True))
    cursor = None
    for _ in range(5):
        read = endpoints.schedules_list(user_id=row.user_dialpad_id, cursor=cursor)
        page = client.request(read.method, read.path, json=read.body) or {}
        for schedule in page.get("schedules") or []:
            if (isinstance(schedule, dict) and schedule.get("schedule_id") not in known
                    and _epoch(schedule.get("scheduled_time")) == row.scheduled_for
                    and schedule.get("text") == row.text):
                return schedule
        cursor = page.get("cursor")
        if not cursor:
            return {}
    return {}


def _epoch(value):
    try:
        return datetime.fromtimestamp(int(value), tz=dt_timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def schedule_fields(answer):
    """The row's columns from a ScheduleProto."""
    fields = {"status": answer.get("status") or ScheduleStatus.ACTIVE,
              "payload": {k: v for k, v in answer.items() if k != "media"}}
    start = _epoch(answer.get("scheduled_time"))
    if start is not None:
        fields["scheduled_for"] = start
    for name in ("timezone", "text", "from_number"):
        if answer.get(name) is not None:
            fields[name] = answer[name]
    if isinstance(answer.get("to_numbers"), list):
        fields["to_numbers"] = answer["to_numbers"]
    return fields


def store_schedule(row, answer, *, read_at):
    """The row as Dialpad's answer (or a read) has it, by the one writer's rule for time (in
    a transaction: the writer locks the row it compares)."""
    with transaction.atomic():
        if not row.dialpad_id:
            row.dialpad_id = str(answer["schedule_id"])
            row.save(update_fields=["dialpad_id"])
        current = {name: getattr(row, name) for name in SCHEDULES.compared}
        write_rows(SCHEDULES, {row.dialpad_id: {**current, **schedule_fields(answer)}},
                   read_at=read_at, touch=True)
    row.refresh_from_db()
    return row


def local_time(row):
    """The schedule's time in its own timezone: "2026-12-01 09:30 (America/New_York)"."""
    try:
        zone = ZoneInfo(row.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt_timezone.utc
    return f"{row.scheduled_for.astimezone(zone):%Y-%m-%d %H:%M} ({row.timezone})"


def schedules_read(*, due_only=False):
    """Read the active schedules back from Dialpad (those due, or not read for a while, with
    `due_only`); returns how many were read."""
    rows = ScheduledMessage.objects.filter(status=ScheduleStatus.ACTIVE).exclude(dialpad_id=None)
    if due_only:
        now = timezone.now()
        rows = rows.filter(scheduled_for__lte=now) | rows.filter(read_at__lt=now - READ_EVERY)
    read = 0
    with get_client() as client:
        for row in rows.distinct():
            request = endpoints.schedule_get(row.dialpad_id, user_id=row.user_dialpad_id)
            read_at = timezone.now()
            try:
                answer = client.request(request.method, request.path, json=request.body)
            except NotFoundError:
                answer = {"schedule_id": row.dialpad_id, "status": ScheduleStatus.DELETED}
            except DialpadError:
                break  # read again at the next follow-up
            if isinstance(answer, dict):
                store_schedule(row, answer, read_at=read_at)
                read += 1
    return read
