"""Scheduled messages: ``/message/schedule`` (create, list), ``/{id}`` (get, update,
delete) and ``/{id}/send``.

As the spec says: ``start_date`` (Unix seconds) at least 10 minutes ahead; to phone numbers
(up to 10, or up to 50 with ``is_bulk``) or to a channel; the from-number must be the user's
own. Lists show active schedules only, one user's at a time; a schedule fires at its time
(dialpad_sim.messaging), after which a GET shows it ``sent``.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..schemas import check_e164
from ..state import SimError
from .bulk import page_by_offset
from .common import API, as_int
from .sms import active_user, check_media

MIN_LEAD_SECONDS = 600
MAX_RECIPIENTS, MAX_BULK_RECIPIENTS = 10, 50


def _tick(app):
    app.state.messaging.tick(app.state.sms_sent)
    return app.state.messaging


def schedule_create(app, r):
    s = app.state
    m = _tick(app)
    b = r.body
    if b.get("user_id") is None:
        raise SimError(400, "user_id: is required with a company API key (who sends?)")
    sender = active_user(s, b["user_id"])
    schedule = {"schedule_id": m.new_key(), "created_date": int(m.now()),
                "status": "active", "user_id": sender["id"]}
    _set_recipients(s, schedule, b, is_bulk=bool(b.get("is_bulk")))
    if not schedule.get("to_numbers") and not schedule.get("channel_hashtag"):
        raise SimError(400, "to_numbers: give 1 to 10 recipients (or a channel_hashtag)")
    if b.get("start_date") is None:
        raise SimError(400, "start_date: is required")
    _set_fields(s, schedule, b, sender)
    if not (schedule.get("text") or "").strip() and not schedule.get("media"):
        raise SimError(400, "text: is required (or a media attachment)")
    schedule.setdefault("from_number", (sender.get("phone_numbers") or [None])[0])
    m.schedules[schedule["schedule_id"]] = schedule
    return schedule


def _set_recipients(s, schedule: dict, b: dict, *, is_bulk: bool) -> None:
    to_numbers, hashtag = b.get("to_numbers"), b.get("channel_hashtag")
    if to_numbers is None and hashtag is None:
        return
    if to_numbers and hashtag:
        raise SimError(400, "to_numbers: give phone numbers or a channel_hashtag, not both")
    if hashtag:
        name = hashtag.lstrip("#")
        if not any(c["name"] == name for c in s.messaging.channels.values()):
            raise SimError(404, f"channel_hashtag: no channel #{name}")
        schedule.update(channel_hashtag=hashtag, to_numbers=None)
        return
    limit = MAX_BULK_RECIPIENTS if is_bulk else MAX_RECIPIENTS
    if not to_numbers or len(to_numbers) > limit:
        more = "" if is_bulk else " (up to 50 with is_bulk)"
        raise SimError(400, f"to_numbers: give 1 to {limit} recipients{more} "
                            f"(got {len(to_numbers)})")
    for i, number in enumerate(to_numbers):
        check_e164(f"to_numbers[{i}]", number)
    schedule.update(to_numbers=list(dict.fromkeys(to_numbers)), channel_hashtag=None)


def _set_fields(s, schedule: dict, b: dict, sender: dict) -> None:
    """start_date, timezone, text, media and from_number, from a create or update body."""
    m = s.messaging
    if b.get("start_date") is not None:
        start = as_int(b["start_date"], "start_date")
        if start < m.now() + MIN_LEAD_SECONDS:
            raise SimError(400, "start_date: must be at least 10 minutes in the future")
        schedule["scheduled_time"] = start
    if b.get("timezone") is not None:
        try:
            ZoneInfo(b["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise SimError(400, f"timezone: {b['timezone']!r} is not a timezone name such as "
                                "'America/Los_Angeles'") from None
        schedule["timezone"] = b["timezone"]
    else:
        schedule.setdefault("timezone", sender.get("timezone") or "UTC")
    if b.get("text") is not None:
        schedule["text"] = b["text"]
    if b.get("media") is not None:
        check_media(b["media"])
        schedule["media"] = b["media"]
    if b.get("from_number") is not None:
        if b["from_number"] not in (sender.get("phone_numbers") or []):
            raise SimError(400, f"from_number: {b['from_number']} does not belong to user "
                                f"{sender['id']}")
        schedule["from_number"] = b["from_number"]


def _schedule(app, r, *, active=False) -> dict:
    m = _tick(app)
    key = r.params["id"]
    schedule = m.schedules.get(key)
    user_id = r.body.get("user_id")
    if schedule is None or (user_id is not None
                            and schedule["user_id"] != as_int(user_id, "user_id")):
        raise SimError(404, f"schedule {key} not found")
    if active and schedule["status"] != "active":
        raise SimError(400, f"schedule {key} is {schedule['status']} and can no longer be "
                            "changed")
    return schedule


def schedule_get(app, r):
    return _schedule(app, r)


def schedule_update(app, r):
    schedule = _schedule(app, r, active=True)
    s = app.state
    b = r.body
    sender = active_user(s, b["user_id"] if b.get("user_id") is not None
                         else schedule["user_id"])
    updated = dict(schedule, user_id=sender["id"])
    _set_recipients(s, updated, b, is_bulk=len(b.get("to_numbers") or []) > MAX_RECIPIENTS)
    _set_fields(s, updated, b, sender)
    schedule.clear()
    schedule.update(updated)
    return schedule


def schedule_delete(app, r):
    schedule = _schedule(app, r, active=True)
    schedule["status"] = "deleted"
    return {"message": "Schedule deleted", "schedule_id": schedule["schedule_id"],
            "success": True}


def schedule_send_now(app, r):
    schedule = _schedule(app, r, active=True)
    app.state.messaging.fire(schedule, app.state.sms_sent)
    return {"message": "Scheduled message sent", "schedule_id": schedule["schedule_id"],
            "success": True}


def schedules_list(app, r):
    m = _tick(app)
    if r.body.get("user_id") is None:
        raise SimError(400, "user_id: is required with a company API key (whose schedules?)")
    owner = as_int(r.body["user_id"], "user_id")
    keys = [k for k, sch in m.schedules.items()
            if sch["user_id"] == owner and sch["status"] == "active"]
    items, cursor = page_by_offset(keys, r.body, "schedules")
    return {"cursor": cursor, "has_more": cursor is not None,
            "schedules": [m.schedules[k] for k in items]}


def register(route) -> None:
    route(f"{API}/message/schedule", get=schedules_list, post=schedule_create)
    route(f"{API}/message/schedule/{{id}}/send", post=schedule_send_now)
    route(f"{API}/message/schedule/{{id}}", get=schedule_get, patch=schedule_update,
          delete=schedule_delete)
