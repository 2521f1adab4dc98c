"""SMS events bring the delivery status of the console's own sent SMS: Dialpad cannot be
asked for it, so each event for a message the console sent updates that message's row."""

import pytest

from messaging import services as messaging
from messaging.models import SmsMessage
from messaging.services.sms_status import sms_status_apply
from tests import factories
from tests.messaging.helpers import CUSTOMERS, a_sender

from .helpers import sms

pytestmark = pytest.mark.django_db


def send_one(sim):
    return messaging.sms_send(actor=factories.messenger(), recipients=CUSTOMERS[:1],
                              text="Fire drill at 3pm.", user=a_sender(sim))


def test_a_delivery_event_updates_the_sent_message(synced, receive, process):
    sent = send_one(synced)
    assert sent.message_status == "pending"

    process(receive(sms(message_id=sent.dialpad_id, direction="outbound", status="delivered")))

    sent.refresh_from_db()
    assert (sent.message_status, sent.message_delivery_result) == ("delivered", "accepted")


def test_a_late_pending_does_not_undo_a_final_status(synced, receive, process):
    sent = send_one(synced)
    process(receive(sms(message_id=sent.dialpad_id, direction="outbound", status="delivered")))

    process(receive(sms(message_id=sent.dialpad_id, direction="outbound", status="pending",
                        created_date=1)))

    sent.refresh_from_db()
    assert sent.message_status == "delivered"


def test_an_event_that_came_before_the_row_is_taken_when_the_row_is_written(
        synced, receive, process):
    process(receive(sms(message_id=9_100_001, direction="outbound", status="failed")))
    row = SmsMessage.objects.create(created_by=factories.messenger(), recipients=CUSTOMERS[:1],
                                    text="x", text_length=1, dialpad_id=9_100_001,
                                    message_status="pending")

    assert sms_status_apply(message_id=row.dialpad_id) == 1

    row.refresh_from_db()
    assert row.message_status == "failed"


def test_an_event_of_a_message_the_console_did_not_send_changes_no_row(
        synced, receive, process):
    sent = send_one(synced)

    process(receive(sms(message_id=sent.dialpad_id + 1, direction="outbound", status="failed")))

    sent.refresh_from_db()
    assert sent.message_status == "pending"
