"""sms_send: an SMS to at most 10 recipients, from a number, as a user, or on behalf of a
group; opted-out recipients left out; every send a row."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from messaging import services
from messaging.models import SmsMessage
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from tests import factories
from tests.messaging.helpers import (
    CUSTOMERS, a_department_it_does_not_operate, a_number_of, a_sender, an_operator_and_department,
    an_opted_out_number, first_number,
)
from tests.orgs.helpers_push import journal, set_read_timeout, slow_only_the_first_write, writes

pytestmark = pytest.mark.django_db


def send(actor, **kwargs):
    kwargs.setdefault("recipients", CUSTOMERS[:2])
    kwargs.setdefault("text", "The office is closed on Friday.")
    return services.sms_send(actor=actor, **kwargs)


def test_it_sends_as_a_user_from_the_users_number(org, messenger):
    user = a_sender(org)

    sms = send(messenger, user=user)

    [post] = writes(org)
    assert (post.path, post.json) == ("/api/v2/sms", {
        "to_numbers": CUSTOMERS[:2], "text": "The office is closed on Friday.",
        "user_id": user.pk})
    sent = org.state.sms_sent[-1]
    assert (sms.outcome, sms.dialpad_id, sms.message_status) == ("sent", sent["id"], "pending")
    assert (sms.recipients, sms.text_length, sms.from_number) == (
        CUSTOMERS[:2], 31, first_number(user))
    assert sms.sender_label == f"user {user}, from {first_number(user)}"
    [record] = journal()
    assert (record.operation, record.outcome, sms.push_record) == ("sms_send", "succeeded", record)


def test_it_sends_from_an_offices_number(org, messenger):
    number = a_number_of("office")

    sms = send(messenger, from_number=number)

    assert writes(org)[0].json == {"to_numbers": CUSTOMERS[:2], "from_number": number,
                                   "text": "The office is closed on Friday."}
    assert (sms.sender_kind, sms.from_number) == ("number", number)
    assert sms.sender_label.startswith(f"{number} (office ")


def test_it_sends_on_behalf_of_a_group_the_user_operates(org, messenger):
    user, department = an_operator_and_department()

    sms = send(messenger, user=user, group=department)

    assert writes(org)[0].json["sender_group_type"] == "department"
    assert writes(org)[0].json["sender_group_id"] == department.pk
    assert sms.sender_label.startswith(f"department {department}, as {user}")


def test_a_number_assigned_to_nobody_is_refused_before_sending(org, messenger):
    with pytest.raises(ValidationError) as error:
        send(messenger, from_number="+1 (415) 555-2999")

    assert error.value.message_dict["from_number"] == [
        "+14155552999 is not assigned to any user or group."]
    assert writes(org) == [] and SmsMessage.objects.count() == 0
    assert journal()[0].outcome == "invalid"


def test_a_rooms_number_cannot_send(org, messenger):
    number = a_number_of("room")

    with pytest.raises(ValidationError) as error:
        send(messenger, from_number=number)

    assert "(it is assigned to room " in error.value.message_dict["from_number"][0]


def test_a_user_sends_only_for_a_group_it_operates(org, messenger):
    user, _ = an_operator_and_department()

    with pytest.raises(ValidationError) as error:
        send(messenger, user=user, group=a_department_it_does_not_operate(user))

    assert "is not an operator of department" in error.value.message_dict["group"][0]


def test_recipients_in_any_format_are_read_in_the_senders_country(org, messenger):
    sms = send(messenger, user=a_sender(org),
               recipients="(415) 555-2001\n+1 415.555.2002, 415-555-2001; 1-415-555-2003")

    assert sms.recipients == ["+14155552001", "+14155552002", "+14155552003"]


def test_each_bad_recipient_is_named(org, messenger):
    with pytest.raises(ValidationError) as error:
        send(messenger, user=a_sender(org), recipients="415 555 2001\n12ab\n555-01")

    assert error.value.message_dict["recipients"] == [
        "“12ab” is not a phone number in US.", "“555-01” is not a phone number in US."]


def test_more_than_10_recipients_need_a_bulk_message(org, messenger):
    with pytest.raises(ValidationError) as error:
        send(messenger, user=a_sender(org), recipients=CUSTOMERS[:11])

    assert error.value.message_dict["recipients"] == [
        "A message goes to at most 10 recipients; this has 11. Send a bulk message to reach "
        "more."]


def test_the_text_and_media_have_limits(org, messenger):
    with pytest.raises(ValidationError) as error:
        send(messenger, user=a_sender(org), text="x" * 1601, media=b"\0" * (500 * 1024 + 1))

    assert error.value.message_dict == {
        "text": ["A message can have at most 1,600 characters; this one has 1,601."],
        "media": ["The attachment can be at most 500 KiB; this one is 500 KiB."]}


def test_media_goes_as_base64(org, messenger):
    sms = send(messenger, user=a_sender(org), media=b"GIF89a")

    assert writes(org)[0].json["media"] == "R0lGODlh"
    assert sms.media_bytes == 6


def test_opted_out_recipients_are_left_out_and_named(org, messenger):
    stopped = an_opted_out_number()

    planned = send(messenger, user=a_sender(org), recipients=[CUSTOMERS[0], stopped],
                   preview=True)
    sms = send(messenger, user=a_sender(org), recipients=[CUSTOMERS[0], stopped])

    assert planned.body["to_numbers"] == [CUSTOMERS[0]]
    assert stopped in planned.note and "opted out" in planned.note
    assert (sms.recipients, sms.opted_out) == ([CUSTOMERS[0]], [stopped])


def test_a_message_whose_every_recipient_opted_out_is_not_sent(org, messenger):
    with pytest.raises(ValidationError) as error:
        send(messenger, user=a_sender(org), recipients=[an_opted_out_number()])

    assert "Every recipient has opted out" in error.value.message_dict["recipients"][0]
    assert writes(org) == []


def test_a_preview_sends_and_records_nothing(org, messenger):
    planned = send(messenger, user=a_sender(org), preview=True)

    assert (planned.method, planned.path) == ("POST", "/api/v2/sms")
    assert writes(org) == [] and journal() == [] and SmsMessage.objects.count() == 0


def test_it_requires_the_send_sms_permission(org):
    with pytest.raises(PermissionDenied):
        send(factories.admin_who_may_push(), user=a_sender(org))

    assert writes(org) == [] and journal()[0].outcome == "denied"


def test_dialpads_refusal_is_recorded_with_its_reason(org, messenger):
    user = a_sender(org)
    org.state.users[user.pk]["state"] = "suspended"

    with pytest.raises(PushRefused) as error:
        send(messenger, user=user)

    assert str(error.value) == (f"Dialpad refused: user_id: user {user.pk} is suspended and "
                                "cannot send messages.")
    sms = SmsMessage.objects.get()
    assert (sms.outcome, sms.message) == ("refused", str(error.value))
    assert journal()[0].dialpad_status == 400


def test_a_number_that_cannot_send_is_explained_in_plain_words(org, messenger):
    tollfree = next(n for n, row in org.state.numbers.items() if row["type"] == "tollfree")

    with pytest.raises(PushRefused) as error:
        send(messenger, from_number=tollfree)

    assert str(error.value) == ("Dialpad refused: invalid_source: the sender number can't "
                                "send messages.")
    sms = SmsMessage.objects.get()
    assert (sms.outcome, sms.message_status, sms.message_delivery_result) == (
        "refused", "failed", "invalid_source")


def test_a_lost_answer_is_unknown_never_refused(org, messenger, settings):
    set_read_timeout(settings, 0.3)
    watcher = slow_only_the_first_write(org, 0.8)

    with pytest.raises(PushOutcomeUnknown) as error:
        send(messenger, user=a_sender(org))
    watcher.join()

    assert "check the conversation in Dialpad before sending again" in str(error.value)
    assert SmsMessage.objects.get().outcome == "unknown"
    assert journal()[0].outcome == "unknown"
    assert len(org.state.sms_sent) == 1  # it did go out


def test_an_unreadable_answer_is_unknown(org, messenger):
    org.faults.garble_nth = {1}
    org.faults.garble_answer = (200, "<html>oops</html>", "text/html")

    with pytest.raises(PushOutcomeUnknown):
        send(messenger, user=a_sender(org))

    assert SmsMessage.objects.get().outcome == "unknown"


def test_the_same_form_sends_once(org, messenger):
    key = uuid.uuid4()
    send(messenger, user=a_sender(org), request_key=key)

    with pytest.raises(ValidationError) as error:
        send(messenger, user=a_sender(org), request_key=key)

    assert "already sent from this form" in error.value.messages[0]
    assert len(org.state.sms_sent) == 1 and SmsMessage.objects.count() == 1
    assert [r.outcome for r in journal()] == ["succeeded", "invalid"]


def test_a_refused_send_may_be_tried_again_from_the_same_form(org, messenger):
    key, user = uuid.uuid4(), a_sender(org)
    org.state.users[user.pk]["state"] = "suspended"
    with pytest.raises(PushRefused):
        send(messenger, user=user, request_key=key)
    org.state.users[user.pk]["state"] = "active"

    sms = send(messenger, user=user, request_key=key)

    assert sms.outcome == "sent"
