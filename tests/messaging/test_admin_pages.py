"""Every messaging page of the admin opens, with data, for an admin who may see it."""

import pytest
from django.urls import reverse

from messaging import services
from messaging.models import (
    BulkMessageJob, Channel, ChannelMember, ScheduledMessage, SmsMessage, SmsOptOut,
)
from tests.messaging.helpers import CUSTOMERS, a_sender

pytestmark = pytest.mark.django_db
MODELS = (SmsMessage, BulkMessageJob, ScheduledMessage, Channel, ChannelMember, SmsOptOut)


@pytest.fixture
def sent(org, messenger):
    user = a_sender(org)
    services.sms_send(actor=messenger, user=user, recipients=CUSTOMERS[:1], text="Hi")
    job = services.bulk_message_start(actor=messenger, user=user, recipients=CUSTOMERS[:60],
                                      text="Hi all")
    services.bulk_job_run(job_id=job.pk)
    services.bulk_delivery_read(job_id=job.pk)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_list_and_a_page_open(org, sent, messenger_client, model):
    opts = model._meta
    listing = messenger_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    obj = model.objects.first()

    assert listing.status_code == 200
    if obj is not None:
        page = messenger_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                                            args=[obj.pk]))
        assert page.status_code == 200


def test_the_admin_index_lists_messaging(org, messenger_client):
    page = messenger_client.get(reverse("admin:index")).content.decode()

    assert "Messaging" in page and "SMS sent" in page and "Channels" in page


@pytest.mark.parametrize("name", ["messaging_smsmessage_compose", "messaging_bulkmessagejob_compose",
                                  "messaging_scheduledmessage_compose", "messaging_channel_create"])
def test_each_compose_page_opens(org, messenger_client, name):
    assert messenger_client.get(reverse(f"admin:{name}")).status_code == 200
