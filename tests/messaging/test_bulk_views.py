"""Bulk messages from the admin: compose (pasted or CSV recipients), the confirmation page
with the first batch's request, then the job's page following its batches and deliveries."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messaging.models import BulkMessageJob
from tests.messaging.helpers import CUSTOMERS, a_sender
from tests.orgs.helpers_push import writes

pytestmark = pytest.mark.django_db
COMPOSE = "admin:messaging_bulkmessagejob_compose"


def compose(client, user, **data):
    fields = {"request_key": str(uuid.uuid4()), "user": user.pk,
              "recipients": "\n".join(CUSTOMERS[:60]), "text": "Closed Friday."}
    fields.update(data)
    return client.post(reverse(COMPOSE), fields)


def test_the_preview_shows_the_first_batch_and_how_many_follow(org, messenger_client):
    page = compose(messenger_client, a_sender(org))

    planned = page.context["planned"]
    assert (planned.method, planned.path, len(planned.body["to_numbers"])) == (
        "POST", "/api/v2/message/bulk", 50)
    assert "60 recipients in 2 batches of up to 50" in page.content.decode()
    assert BulkMessageJob.objects.count() == 0


def test_confirming_queues_the_job_and_opens_its_page(org, messenger_client, eager,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = compose(messenger_client, a_sender(org), _confirmed="1")

    job = BulkMessageJob.objects.get()
    assert response.url == reverse("admin:messaging_bulkmessagejob_change", args=[job.pk])
    page = messenger_client.get(response.url).content.decode()
    assert f"Bulk message #{job.pk} queued: 60 recipients in 2 batches" in page
    assert 'id="section-batches"' in page and "2 of 2" in page
    assert len([r for r in writes(org) if r.path == "/api/v2/message/bulk"]) == 2


def test_recipients_come_from_a_csv_column_with_a_header(org, messenger_client):
    rows = "name,phone\n" + "\n".join(f"Customer {i},{n}" for i, n in enumerate(CUSTOMERS[:12]))
    upload = SimpleUploadedFile("list.csv", rows.encode(), content_type="text/csv")

    page = compose(messenger_client, a_sender(org), recipients="", csv_file=upload)

    assert len(page.context["planned"].body["to_numbers"]) == 12
    # The confirmation re-posts the numbers read from the file as text.
    assert page.context["form"]["recipients"].value().splitlines() == CUSTOMERS[:12]


def test_a_bad_csv_entry_is_named(org, messenger_client):
    upload = SimpleUploadedFile("list.csv", b"4155552001\n415555200x\n", content_type="text/csv")

    page = compose(messenger_client, a_sender(org), recipients="", csv_file=upload)

    assert page.context["form"].errors["recipients"] == [
        "“415555200x” is not a phone number in US."]


def test_the_compose_page_needs_the_send_sms_permission(org, client, viewer):
    client.force_login(viewer)

    assert client.get(reverse(COMPOSE)).status_code == 403

