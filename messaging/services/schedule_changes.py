"""Changing a scheduled message in Dialpad: edit it, cancel it, or send it now. Needs
`messaging.send_sms`. Only an active schedule can change; a lost answer is settled by reading
the schedule back."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from dialpad_console.dialpad import NotFoundError, endpoints
from orgs.history import CHANGE
from orgs.services._push import Push, is_object_with, log, raise_errors, validated_by

from .. import permissions
from ..choices import ScheduleStatus
from ..models import ScheduledMessage
from ..senders import Sender
from ._rules import SCHEDULE_MAX_RECIPIENTS, check_content, check_recipients
from .schedules import check_time, local_time, store_schedule


def active_schedule_rules(*, schedule, **_):
    if not isinstance(schedule, ScheduledMessage) or not schedule.dialpad_id:
        raise ValidationError({"__all__": ["Choose a schedule Dialpad has confirmed."]})
    if schedule.status != ScheduleStatus.ACTIVE:
        raise ValidationError({"__all__": [
            f"This message is {schedule.get_status_display().lower()}: it can no longer "
            "change."]})
    return {}


def schedule_update_rules(*, schedule, text=None, send_at=None, timezone=None, recipients=None,
                          **_):
    """The fields that change ({} is an error: nothing to change), checked as for a new
    schedule."""
    active_schedule_rules(schedule=schedule)
    errors, fields = {}, {}
    if recipients is not None:
        sender = Sender("user", user=schedule.user) if schedule.user else None
        numbers, _opted_out = check_recipients(errors, recipients, sender,
                                               at_most=SCHEDULE_MAX_RECIPIENTS)
        if numbers != schedule.to_numbers:
            fields["to_numbers"] = numbers
    if text is not None and text != schedule.text:
        fields["text"], _media = check_content(errors, text, None)
    tz_name = timezone or schedule.timezone
    if send_at is not None or tz_name != schedule.timezone:
        start, tz_name = check_time(errors, send_at or schedule.scheduled_for, tz_name)
        if start is not None and start != schedule.scheduled_for:
            fields["start_date"] = int(start.timestamp())
        if tz_name != schedule.timezone:
            fields["timezone"] = tz_name
    raise_errors(errors)
    if not fields:
        raise ValidationError({"__all__": ["Nothing to change: it is already so."]})
    return {"fields": fields}


def _reread(push, schedule):
    def read():
        request = endpoints.schedule_get(schedule.dialpad_id, user_id=schedule.user_dialpad_id)
        try:
            return push.client.request(request.method, request.path, json=request.body)
        except NotFoundError:  # Dialpad may forget a schedule once it is gone
            return {"schedule_id": schedule.dialpad_id, "status": ScheduleStatus.DELETED}
    return read


def _matches(fields):
    def applied(state):
        return all(str(state.get("scheduled_time" if name == "start_date" else name)) ==
                   str(value) for name, value in fields.items())
    return applied


@validated_by(schedule_update_rules)
def schedule_update(*, actor, schedule, text=None, send_at=None, timezone=None,
                    recipients=None, preview=False):
    """Edit an active schedule's text, time, timezone or recipients. Returns it.

    PATCH /api/v2/message/schedule/{id} with the fields that change.
    """
    push = Push(actor=actor, operation="schedule_update", permission=permissions.SEND_SMS,
                target=schedule, preview=preview)
    push.authorize()
    fields = push.validate(schedule_update_rules, schedule=schedule, text=text,
                           send_at=send_at, timezone=timezone, recipients=recipients)["fields"]
    plan = push.plan(endpoints.schedule_update(schedule.dialpad_id,
                                               user_id=schedule.user_dialpad_id, **fields))
    if preview:
        return plan
    with push:
        answer = push.send(reread=_reread(push, schedule), applied=_matches(fields),
                           what="the edit", expect=is_object_with("schedule_id"))
        with push.storing():
            row = store_schedule(schedule, answer, read_at=push.started_at)
            log(actor, row, f"Edited in Dialpad ({', '.join(sorted(fields))}); now "
                            f"{local_time(row)}", CHANGE)
        return push.succeeded(f"Edited the scheduled message ({', '.join(sorted(fields))})",
                              row)


def _final_change(*, actor, schedule, preview, operation, request, status, done, note=""):
    """Cancel or send now: a push that ends the schedule (its status becomes `status`)."""
    push = Push(actor=actor, operation=operation, permission=permissions.SEND_SMS,
                target=schedule, preview=preview)
    push.authorize()
    push.validate(active_schedule_rules, schedule=schedule)
    plan = push.plan(request, note=note)
    if preview:
        return plan
    with push:
        read = _reread(push, schedule)
        push.send(reread=read, applied=lambda state: state.get("status") == status,
                  what=done.lower(), expect=lambda answer: isinstance(answer, dict))
        state = push.read(endpoints.item(endpoints.SCHEDULES, schedule.dialpad_id)) or {}
        with push.storing():
            row = store_schedule(schedule, {**state, "schedule_id": schedule.dialpad_id,
                                            "status": status}, read_at=push.started_at)
            log(actor, row, f"{done} in Dialpad", CHANGE)
        return push.succeeded(f"{done}: the message to {len(row.to_numbers)} recipients "
                              f"planned for {local_time(row)}", row)


@validated_by(active_schedule_rules)
def schedule_cancel(*, actor, schedule, preview=False):
    """Cancel an active schedule: it will not be sent. DELETE /api/v2/message/schedule/{id}."""
    return _final_change(
        actor=actor, schedule=schedule, preview=preview, operation="schedule_cancel",
        request=endpoints.schedule_delete(schedule.dialpad_id, user_id=schedule.user_dialpad_id),
        status=ScheduleStatus.DELETED, done="Cancelled")


@validated_by(active_schedule_rules)
def schedule_send_now(*, actor, schedule, preview=False):
    """Send an active schedule's message now (Dialpad then ends the schedule).
    POST /api/v2/message/schedule/{id}/send."""
    return _final_change(
        actor=actor, schedule=schedule, preview=preview, operation="schedule_send_now",
        request=endpoints.schedule_send_now(schedule.dialpad_id,
                                            user_id=schedule.user_dialpad_id),
        status=ScheduleStatus.SENT, done="Sent now",
        note=f"It goes out at once to {len(schedule.to_numbers)} recipients, instead of at "
             f"{local_time(schedule)}.")
