"""bulk_message_start: a message to many recipients, recorded as a job of batches of up to
50 and queued for a worker once the rows are committed."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from messaging import services
from messaging.models import BulkMessageBatch, BulkMessageJob
from tests import factories
from tests.messaging.helpers import CUSTOMERS, a_sender, an_opted_out_number, first_number
from tests.orgs.helpers_push import journal, writes

pytestmark = pytest.mark.django_db


def start(actor, user, **kwargs):
    kwargs.setdefault("recipients", CUSTOMERS[:120])
    kwargs.setdefault("text", "Our offices close at noon on Friday.")
    return services.bulk_message_start(actor=actor, user=user, **kwargs)


def test_it_records_batches_of_50_and_sends_them_once_committed(
        org, messenger, eager, django_capture_on_commit_callbacks):
    user = a_sender(org)

    with django_capture_on_commit_callbacks(execute=True):
        job = start(messenger, user)

    job.refresh_from_db()
    assert (job.status, job.total, job.from_number) == ("finished", 120, first_number(user))
    assert [len(b.recipients) for b in job.batches.order_by("position")] == [50, 50, 20]
    posts = [r for r in writes(org) if r.path == "/api/v2/message/bulk"]
    assert [p.json["title"] for p in posts] == [f"Dialpad Console #{job.pk}.{n}"
                                               for n in (1, 2, 3)]
    assert sum(len(p.json["to_numbers"]) for p in posts) == 120


def test_nothing_is_queued_before_the_rows_are_committed(org, messenger,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        start(messenger, a_sender(org))

    assert len(callbacks) == 1 and writes(org) == []


def test_the_preview_is_the_first_batchs_request(org, messenger):
    user = a_sender(org)

    planned = start(messenger, user, preview=True)

    assert (planned.method, planned.path) == ("POST", "/api/v2/message/bulk")
    assert planned.body["to_numbers"] == CUSTOMERS[:50]
    assert planned.body["from_number"] == first_number(user)
    assert planned.note.startswith("120 recipients in 3 batches of up to 50")
    assert BulkMessageJob.objects.count() == 0 and journal() == []


def test_opted_out_recipients_are_left_out_and_named(org, messenger):
    stopped = an_opted_out_number()

    job = start(messenger, a_sender(org), recipients=CUSTOMERS[:20] + [stopped])

    assert (job.total, job.opted_out) == (20, [stopped])


def test_the_from_number_must_be_the_users_own(org, messenger):
    user = a_sender(org)

    with pytest.raises(ValidationError) as error:
        start(messenger, user, from_number=CUSTOMERS[0])

    assert error.value.message_dict["from_number"][0].startswith(
        f"{CUSTOMERS[0]} is not {user}'s number")


def test_it_requires_the_send_sms_permission(org):
    with pytest.raises(PermissionDenied):
        start(factories.admin_who_may_push(), a_sender(org))

    assert BulkMessageJob.objects.count() == 0 and journal()[0].outcome == "denied"


def test_bad_recipients_are_named_and_nothing_is_recorded(org, messenger):
    with pytest.raises(ValidationError) as error:
        start(messenger, a_sender(org), recipients=CUSTOMERS[:30] + ["call me"])

    assert error.value.message_dict["recipients"] == ["“call me” is not a phone number in US."]
    assert BulkMessageJob.objects.count() == 0 and BulkMessageBatch.objects.count() == 0


def test_the_same_form_starts_one_job(org, messenger):
    key = uuid.uuid4()
    start(messenger, a_sender(org), request_key=key)

    with pytest.raises(ValidationError) as error:
        start(messenger, a_sender(org), request_key=key)

    assert "already started from this form" in error.value.messages[0]
    assert BulkMessageJob.objects.count() == 1


def test_a_from_number_that_is_not_a_number_is_named_on_its_field(org, messenger):
    with pytest.raises(ValidationError) as error:
        start(messenger, a_sender(org), from_number="my desk phone")

    assert error.value.message_dict["from_number"][0].startswith("“my desk phone” is not")
