"""Scheduled messages from the admin: schedule (the earliest time named on the field), the
list in each schedule's timezone, edit / cancel / send now through confirmation pages."""

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging import services
from messaging.models import ScheduledMessage
from tests.messaging.helpers import CUSTOMERS, a_sender
from tests.orgs.helpers_push import writes

pytestmark = pytest.mark.django_db


def url(name, row=None):
    return reverse(f"admin:messaging_scheduledmessage_{name}", args=[row.pk] if row else [])


def local(minutes, zone="America/New_York"):
    moment = timezone.now().astimezone(ZoneInfo(zone)) + timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M")


def post_schedule(client, user, **data):
    fields = {"request_key": str(uuid.uuid4()), "user": user.pk,
              "recipients": "\n".join(CUSTOMERS[:2]), "text": "Stand-up at 10.",
              "send_at": local(60), "timezone": "America/New_York"}
    fields.update(data)
    return client.post(url("compose"), fields)


@pytest.fixture
def row(org, messenger):
    return services.schedule_create(actor=messenger, user=a_sender(org), recipients=CUSTOMERS[:2],
                                    text="Stand-up at 10.",
                                    send_at=timezone.now() + timedelta(hours=2),
                                    timezone="Europe/London")


def test_the_preview_names_the_time_in_its_timezone(org, messenger_client):
    page = post_schedule(messenger_client, a_sender(org), send_at=local(60))

    assert page.context["planned"].path == "/api/v2/message/schedule"
    assert "(America/New_York)." in page.context["summary"]
    assert writes(org) == []


def test_confirming_schedules_it(org, messenger_client):
    response = post_schedule(messenger_client, a_sender(org), _confirmed="1")

    row = ScheduledMessage.objects.get()
    assert response.url == url("change", row)
    assert row.status == "active" and row.dialpad_id


def test_a_time_too_soon_is_refused_at_the_form_with_the_earliest(org, messenger_client):
    page = post_schedule(messenger_client, a_sender(org), send_at=local(5))

    [error] = page.context["form"].errors["send_at"]
    assert "less than 10 minutes away" in error and "The earliest is" in error
    assert writes(org) == []


def test_a_time_that_is_not_a_time_is_named(org, messenger_client):
    page = post_schedule(messenger_client, a_sender(org), send_at="tomorrow-ish")

    assert page.context["form"].errors["send_at"] == [
        "Enter a date and time such as 2026-12-01 09:30."]


def test_the_list_shows_each_time_in_its_timezone(org, messenger_client, row):
    page = messenger_client.get(url("changelist")).content.decode()

    expected = row.scheduled_for.astimezone(ZoneInfo("Europe/London")).strftime(
        "%Y-%m-%d %H:%M")
    assert f"{expected} (Europe/London)" in page


def test_an_active_schedules_page_offers_edit_cancel_and_send_now(org, messenger_client, row):
    page = messenger_client.get(url("change", row)).content.decode()

    for name in ("edit", "cancel", "send_now"):
        assert url(name, row) in page


def test_cancel_shows_the_request_then_cancels(org, messenger_client, row):
    confirm = messenger_client.get(url("cancel", row))
    response = messenger_client.post(url("cancel", row), {"_confirmed": "1"})

    assert (confirm.context["planned"].method, confirm.context["planned"].path) == (
        "DELETE", f"/api/v2/message/schedule/{row.dialpad_id}")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "deleted"
    page = messenger_client.get(url("change", row)).content.decode()
    assert url("send_now", row) not in page  # nothing left to push


def test_send_now_sends_it(org, messenger_client, row):
    messenger_client.post(url("send_now", row), {"_confirmed": "1"})

    row.refresh_from_db()
    assert row.status == "sent"


def test_an_edit_goes_through_its_confirmation(org, messenger_client, row):
    data = {"recipients": "\n".join(row.to_numbers), "text": "Stand-up at 11.",
            "send_at": local(180, "Europe/London"), "timezone": "Europe/London"}

    preview = messenger_client.post(url("edit", row), data)
    response = messenger_client.post(url("edit", row), {**data, "_confirmed": "1"})

    assert preview.context["planned"].method == "PATCH"
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.text == "Stand-up at 11."


def test_pushes_on_a_missing_schedule_are_404(org, messenger_client):
    assert messenger_client.get(reverse("admin:messaging_scheduledmessage_cancel",
                                        args=[999])).status_code == 404


def test_pushes_need_the_send_sms_permission(org, client, viewer, row):
    client.force_login(viewer)

    assert client.get(url("cancel", row)).status_code == 403
    assert client.post(url("send_now", row), {"_confirmed": "1"}).status_code == 403
    row.refresh_from_db()
    assert row.status == "active"
