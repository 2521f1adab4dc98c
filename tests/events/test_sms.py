"""SMS events become SmsEvent rows with what messaging needs to link them (message id,
target, contact, numbers, status); the admin shows a conversation per external number."""

import pytest
from django.urls import reverse

from events.choices import EventStatus
from events.models import SmsEvent
from events.services import on_sms_event, sms_delivery_status, sms_events_for
from events.services import sms as sms_module
from tests.factories import superuser

from .helpers import sms

pytestmark = pytest.mark.django_db


def test_an_inbound_message_becomes_a_row(receive, process):
    event = process(receive(sms(message_id=7001, text="hi there", target_id=55)))

    row = SmsEvent.objects.get()
    assert (row.message_id, row.direction, row.contact_number, row.from_number) == (
        7001, "inbound", "+14155550199", "+14155550199")
    assert (row.target_type, row.target_id, row.target_name) == ("user", 55, "Ada Lovelace")
    assert (row.text, row.has_text, row.message_status) == ("hi there", True, "success")
    assert row.to_numbers == ["+14155550100"]
    assert event.status == EventStatus.DONE
    assert event.outcome == "Inbound message 7001 from +14155550199: success."


def test_without_the_content_scope_there_is_no_text(receive, process):
    process(receive(sms(text=None)))

    assert SmsEvent.objects.get().has_text is False


def test_a_delivery_status_updates_the_message(receive, process):
    process(receive(sms(message_id=8001, direction="outbound", status="pending")))
    process(receive(sms(message_id=8001, direction="outbound", status="success")))

    assert [e.message_status for e in sms_events_for(8001)] == ["pending", "success"]
    assert sms_delivery_status(8001) == ("success", "accepted")


def test_a_late_pending_never_hides_the_final_status(receive, process):
    process(receive(sms(message_id=8002, direction="outbound", status="failed")))
    process(receive(sms(message_id=8002, direction="outbound", status="pending")))

    assert sms_delivery_status(8002)[0] == "failed"


def test_an_unknown_message_has_no_status():
    assert sms_delivery_status(1) is None


def test_an_sms_event_without_id_is_stored_and_shown(receive, process):
    claims = sms()
    del claims["id"]

    event = process(receive(claims))

    assert event.status == EventStatus.UNHANDLED
    assert not SmsEvent.objects.exists()


def test_odd_values_are_stored_as_nothing_rather_than_refused(receive, process):
    event = process(receive(sms(message_id=9001, created_date="yesterday",
                                target={"id": "x", "type": ["user"]}, to_number="+1555")))

    row = SmsEvent.objects.get()
    assert (row.created_at, row.target_id, row.target_type, row.to_numbers) == (
        None, None, "", ["+1555"])
    assert event.status == EventStatus.DONE


def test_messaging_hears_of_each_new_sms_event(receive, process, monkeypatch):
    monkeypatch.setattr(sms_module, "_SMS_HANDLERS", [])
    heard = []
    on_sms_event(heard.append)

    process(receive(sms(message_id=7002)))

    assert [s.message_id for s in heard] == [7002]


def test_a_failing_hook_stores_nothing_and_the_event_says_so(receive, process, monkeypatch):
    monkeypatch.setattr(sms_module, "_SMS_HANDLERS", [])

    @on_sms_event
    def broken(sms_event):
        raise RuntimeError("messaging is broken")

    event = receive(sms(message_id=7003))
    with pytest.raises(RuntimeError):
        process(event)

    event.refresh_from_db()
    assert not SmsEvent.objects.exists()
    assert event.status == EventStatus.FAILED


def test_the_conversation_of_an_external_number(receive, process, client):
    process(receive(sms(message_id=1, direction="inbound", text="Is my order in?")))
    process(receive(sms(message_id=2, direction="outbound", status="pending",
                        text="It ships today")))
    process(receive(sms(message_id=2, direction="outbound", status="success",
                        text="It ships today")))
    process(receive(sms(message_id=3, contact="+14155550111", text="another person")))
    client.force_login(superuser())

    page = client.get(reverse("admin:events_smsevent_conversation", args=["+14155550199"]))
    listing = client.get(reverse("admin:events_smsevent_conversations"))

    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Is my order in?") < html.index("It ships today")
    assert html.count("It ships today") == 1 and "success" in html
    assert "another person" not in html
    assert "+14155550111" in listing.content.decode()


def test_a_conversation_nobody_had_is_a_404(client, db):
    client.force_login(superuser())

    response = client.get(reverse("admin:events_smsevent_conversation", args=["+1999"]))

    assert response.status_code == 404


@pytest.mark.parametrize("query", ["+14155550199", "7001", "Pat", "not a number"])
def test_sms_events_can_be_searched(receive, process, client, query):
    process(receive(sms(message_id=7001)))
    client.force_login(superuser())

    response = client.get(reverse("admin:events_smsevent_changelist"), {"q": query})

    assert response.status_code == 200
    assert ("7001" in response.content.decode()) is (query != "not a number")
