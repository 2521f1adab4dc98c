"""Sending an SMS from the admin: compose, the confirmation page with the exact request and
the resolved sender, then the send; refusals and bad input where they were entered."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messaging.models import SmsMessage
from tests.messaging.helpers import CUSTOMERS, a_sender, first_number
from tests.orgs.helpers_push import writes

pytestmark = pytest.mark.django_db
COMPOSE = "admin:messaging_smsmessage_compose"


def compose(client, user, **data):
    fields = {"request_key": str(uuid.uuid4()), "send_as": "user", "user": user.pk,
              "recipients": "\n".join(CUSTOMERS[:2]), "text": "Fire drill at 3pm."}
    fields.update(data)
    return client.post(reverse(COMPOSE), {k: v for k, v in fields.items() if v is not None})


def test_the_sms_list_offers_send_an_sms_to_who_may(org, messenger_client):
    page = messenger_client.get(reverse("admin:messaging_smsmessage_changelist"))

    assert reverse(COMPOSE) in page.content.decode()


def test_the_compose_page_needs_the_send_sms_permission(org, client, viewer):
    client.force_login(viewer)

    assert client.get(reverse(COMPOSE)).status_code == 403
    page = client.get(reverse("admin:messaging_smsmessage_changelist"))
    assert page.status_code == 200
    assert reverse(COMPOSE) not in page.content.decode()


def test_a_wrong_method_is_405(org, messenger_client):
    assert messenger_client.put(reverse(COMPOSE)).status_code == 405


def test_the_preview_shows_the_request_and_the_sender_and_sends_nothing(org, messenger_client):
    user = a_sender(org)

    page = compose(messenger_client, user)

    planned = page.context["planned"]
    assert (planned.method, planned.path) == ("POST", "/api/v2/sms")
    assert planned.body == {"to_numbers": CUSTOMERS[:2], "text": "Fire drill at 3pm.",
                            "user_id": user.pk}
    assert page.context["summary"] == (
        f"Send an SMS as user {user}, from {first_number(user)} to 2 recipients.")
    assert "Nothing has been sent yet." in page.content.decode()
    assert writes(org) == [] and SmsMessage.objects.count() == 0


def test_confirming_sends_it_and_shows_the_record(org, messenger_client):
    user = a_sender(org)

    response = compose(messenger_client, user, _confirmed="1")

    sms = SmsMessage.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:messaging_smsmessage_change", args=[sms.pk])
    assert sms.outcome == "sent" and len(writes(org)) == 1
    page = messenger_client.get(response.url)
    assert f"Sent an SMS as user {user}" in page.content.decode()


def test_a_bad_recipient_is_named_on_its_field(org, messenger_client):
    page = compose(messenger_client, a_sender(org), recipients="415 555 2001\nabc")

    assert page.context["form"].errors["recipients"] == ["“abc” is not a phone number in US."]
    assert writes(org) == []


def test_a_number_assigned_to_nobody_is_refused_on_its_field(org, messenger_client):
    page = compose(messenger_client, a_sender(org), send_as="number",
                   from_number="415 555 2999")

    assert page.context["form"].errors["from_number"] == [
        "+14155552999 is not assigned to any user or group."]


def test_a_group_must_be_chosen_to_send_for_one(org, messenger_client):
    page = compose(messenger_client, a_sender(org), send_as="group")

    assert page.context["form"].errors["group"] == ["Choose the group the message is sent for."]


def test_dialpads_refusal_is_shown_on_the_form(org, messenger_client):
    user = a_sender(org)
    org.state.users[user.pk]["state"] = "suspended"

    page = compose(messenger_client, user, _confirmed="1")

    [error] = page.context["form"].non_field_errors()
    assert error.startswith("Dialpad refused: user_id: user")
    assert SmsMessage.objects.get().outcome == "refused"


def test_an_attachment_survives_the_confirmation(org, messenger_client):
    user = a_sender(org)
    picture = SimpleUploadedFile("map.gif", b"GIF89a-map", content_type="image/gif")

    preview = compose(messenger_client, user, media=picture)
    hidden = {field.name: field.value() for field in preview.context["form"]}
    response = compose(messenger_client, user, request_key=hidden["request_key"],
                       media_data=hidden["media_data"], _confirmed="1")

    assert response.status_code == 302
    assert writes(org)[0].json["media"] == "R0lGODlhLW1hcA=="
    assert SmsMessage.objects.get().media_bytes == 10


def test_a_form_posted_twice_sends_once(org, messenger_client):
    user, key = a_sender(org), str(uuid.uuid4())

    compose(messenger_client, user, request_key=key, _confirmed="1")
    again = compose(messenger_client, user, request_key=key, _confirmed="1")

    assert "already sent from this form" in again.content.decode()
    assert len(org.state.sms_sent) == 1


def test_a_confirmation_page_submitted_twice_sends_once(org, messenger_client):
    """The push views' one-time token (orgs.admin.once) covers messaging's pages too."""
    import re

    from orgs.admin import once

    user = a_sender(org)
    preview = compose(messenger_client, user)
    [token] = re.findall(rf'name="{once.TOKEN}" value="([^"]+)"', preview.content.decode())
    hidden = {field.name: field.value() for field in preview.context["form"]}

    data = {**{k: v for k, v in hidden.items() if v is not None}, "_confirmed": "1",
            once.TOKEN: token}
    first = messenger_client.post(reverse(COMPOSE), data)
    second = messenger_client.post(reverse(COMPOSE), data)

    assert first.status_code == 302 and second.status_code == 409
    assert "This form was already submitted" in second.content.decode()
    assert len(org.state.sms_sent) == 1
