"""Scheduled messages: created in Dialpad at least 10 minutes ahead (in the sender's office's
timezone by default), edited, cancelled, sent now; Dialpad's status read back."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from messaging import services
from messaging.models import ScheduledMessage
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from tests import factories
from tests.messaging.helpers import CUSTOMERS, a_sender, first_number
from tests.orgs.helpers_push import history_of, journal, set_read_timeout, \
    slow_only_the_first_write, writes

pytestmark = pytest.mark.django_db


def in_minutes(minutes):
    return timezone.now() + timedelta(minutes=minutes)


def schedule(actor, user, **kwargs):
    kwargs.setdefault("recipients", CUSTOMERS[:3])
    kwargs.setdefault("text", "Stand-up moved to 10:00.")
    kwargs.setdefault("send_at", in_minutes(60))
    return services.schedule_create(actor=actor, user=user, **kwargs)


def test_it_schedules_in_dialpad_and_keeps_its_id(org, messenger):
    user = a_sender(org)
    when = in_minutes(60).replace(microsecond=0)

    row = schedule(messenger, user, send_at=when)

    [post] = writes(org)
    assert post.path == "/api/v2/message/schedule"
    assert post.json["start_date"] == int(when.timestamp())
    assert post.json["timezone"] == user.office.timezone
    assert (row.status, row.scheduled_for, row.from_number) == ("active", when,
                                                                first_number(user))
    assert org.state.messaging.schedules[row.dialpad_id]["status"] == "active"
    assert history_of(row)[0].startswith("Scheduled in Dialpad for ")
    assert journal()[0].outcome == "succeeded"


def test_a_naive_time_is_read_in_the_timezone(org, messenger):
    tomorrow = (timezone.now() + timedelta(days=1)).date()
    naive = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, 30)

    row = schedule(messenger, a_sender(org), send_at=naive, timezone="Europe/London")

    assert row.scheduled_for == naive.replace(tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.parametrize("minutes, start", [(9, "That is less than 10 minutes away"),
                                            (-5, "That time has passed")])
def test_a_time_under_10_minutes_ahead_is_refused_with_the_earliest(org, messenger, minutes,
                                                                     start):
    user = a_sender(org)

    with pytest.raises(ValidationError) as error:
        schedule(messenger, user, send_at=in_minutes(minutes))

    [message] = error.value.message_dict["send_at"]
    assert message.startswith(f"{start}: Dialpad needs at least 10 minutes. The earliest is ")
    assert message.endswith(f"({user.office.timezone}).")
    assert writes(org) == [] and ScheduledMessage.objects.count() == 0


def test_an_unknown_timezone_is_refused_on_its_field(org, messenger):
    with pytest.raises(ValidationError) as error:
        schedule(messenger, a_sender(org), timezone="Mars/Olympus")

    assert "is not a timezone" in error.value.message_dict["timezone"][0]


def test_more_than_50_recipients_are_refused(org, messenger):
    with pytest.raises(ValidationError) as error:
        schedule(messenger, a_sender(org), recipients=CUSTOMERS[:51])

    assert "at most 50 recipients" in error.value.message_dict["recipients"][0]


def test_it_requires_the_send_sms_permission(org):
    with pytest.raises(PermissionDenied):
        schedule(factories.admin_who_may_push(), a_sender(org))

    assert ScheduledMessage.objects.count() == 0


def test_a_refusal_leaves_no_row(org, messenger):
    user = a_sender(org)
    org.state.users[user.pk]["state"] = "suspended"

    with pytest.raises(PushRefused) as error:
        schedule(messenger, user)

    assert "is suspended and cannot send messages" in str(error.value)
    assert ScheduledMessage.objects.count() == 0


def test_a_lost_answer_finds_the_schedule_it_made(org, messenger, settings):
    set_read_timeout(settings, 0.4)
    watcher = slow_only_the_first_write(org, 0.7, until_requests=2)

    row = schedule(messenger, a_sender(org))
    watcher.join()

    assert row.status == "active" and row.dialpad_id in org.state.messaging.schedules
    assert len(org.state.messaging.schedules) == 1
    assert "took effect" in journal()[0].message


def test_a_lost_answer_with_nothing_found_is_unknown_and_kept(org, messenger, settings):
    org.faults.drop_nth = {1}

    with pytest.raises(PushOutcomeUnknown):
        schedule(messenger, a_sender(org))

    row = ScheduledMessage.objects.get()
    assert (row.status, row.dialpad_id) == ("creating", None) and row.message


def test_the_same_form_schedules_once(org, messenger):
    key = uuid.uuid4()
    schedule(messenger, a_sender(org), request_key=key)

    with pytest.raises(ValidationError):
        schedule(messenger, a_sender(org), request_key=key)

    assert len(org.state.messaging.schedules) == 1


def test_an_edit_changes_the_text_and_time(org, messenger):
    row = schedule(messenger, a_sender(org))
    later = in_minutes(120).replace(microsecond=0)

    row = services.schedule_update(actor=messenger, schedule=row, text="At 11:00 now.",
                                   send_at=later)

    [_, patch] = writes(org)
    assert patch.json == {"user_id": row.user_dialpad_id, "text": "At 11:00 now.",
                          "start_date": int(later.timestamp())}
    assert (row.text, row.scheduled_for) == ("At 11:00 now.", later)
    assert org.state.messaging.schedules[row.dialpad_id]["text"] == "At 11:00 now."


def test_an_edit_that_changes_nothing_is_refused(org, messenger):
    row = schedule(messenger, a_sender(org))

    with pytest.raises(ValidationError) as error:
        services.schedule_update(actor=messenger, schedule=row, text=row.text)

    assert error.value.messages == ["Nothing to change: it is already so."]


def test_cancel_deletes_it_in_dialpad(org, messenger):
    row = schedule(messenger, a_sender(org))

    row = services.schedule_cancel(actor=messenger, schedule=row)

    assert row.status == "deleted"
    assert org.state.messaging.schedules[row.dialpad_id]["status"] == "deleted"
    assert history_of(row)[-1] == "Cancelled in Dialpad"


def test_send_now_sends_it(org, messenger):
    row = schedule(messenger, a_sender(org))

    row = services.schedule_send_now(actor=messenger, schedule=row)

    assert row.status == "sent" and org.state.sms_sent[-1]["schedule_id"] == row.dialpad_id


def test_a_cancelled_schedule_can_no_longer_change(org, messenger):
    row = services.schedule_cancel(actor=messenger, schedule=schedule(messenger, a_sender(org)))

    with pytest.raises(ValidationError) as error:
        services.schedule_send_now(actor=messenger, schedule=row)

    assert "is cancelled: it can no longer change" in error.value.messages[0]


def test_a_schedule_cancelled_or_sent_in_dialpad_shows_it_after_the_next_read(org, messenger):
    first = schedule(messenger, a_sender(org))
    second = schedule(messenger, a_sender(org), send_at=in_minutes(90))
    org.state.messaging.schedules[first.dialpad_id]["status"] = "deleted"
    org.state.messaging.advance(95 * 60)

    assert services.schedules_read() == 2

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("deleted", "sent")
