"""The main changelists fit a 1,366 x 768 screen: no horizontal scrollbar, the key columns
kept. Full-page screenshots of each go to var/screenshots/lists-*.png."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from messaging import services
from orgs.models import PushRecord
from tests import factories
from tests.messaging.helpers import CUSTOMERS, a_sender

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-password-1"
WIDTH, HEIGHT = 1366, 768
# (URL path under /admin/, a column header every admin needs to see there)
LISTS = [
    ("orgs/dialpaduser/", "Office"),
    ("orgs/phonenumber/", "Assigned to"),
    ("orgs/room/", "Office"),
    ("orgs/office/", "Users"),
    ("orgs/department/", "Operators"),
    ("orgs/callcenter/", "Operators"),
    ("orgs/operatormembership/", "Role"),
    ("orgs/pushrecord/", "Outcome"),
    ("syncjobs/syncrun/", "Status"),
    ("messaging/smsmessage/", "Outcome"),
    ("messaging/bulkmessagejob/", "Status"),
    ("messaging/scheduledmessage/", "Status"),
    ("messaging/channel/", "Channel"),
    ("messaging/channelmember/", "Channel"),
    ("messaging/smsoptout/", "Number"),
]


def a_long_journal():
    """Journal rows with long targets and messages, as a busy day leaves them."""
    for i in range(5):
        PushRecord.objects.create(
            actor_username="a.very.long.admin.username@example.com", operation="operator_add",
            target_type="callcenter", target_id=str(1000 + i),
            target_repr="Customer Support Escalations (Europe, Middle East and Africa)",
            request={"method": "POST", "path": "/x", "body": {"user_id": 1, "role": "admin"}},
            outcome="refused", dialpad_status=409,
            message="Dialpad refused: the user is already an operator of this call center, "
                    "with another role; remove them first or change their role instead.")


def messages_sent(org):
    """An SMS, a bulk message and a scheduled one, so that the messaging lists have rows."""
    messenger = factories.messenger()
    user = a_sender(org)
    services.sms_send(actor=messenger, user=user, recipients=CUSTOMERS[:3],
                      text="Your appointment is confirmed for tomorrow at 10:00. Reply STOP "
                           "to opt out.")
    job = services.bulk_message_start(actor=messenger, user=user, recipients=CUSTOMERS[:60],
                                      text="Our office is closed on Monday for maintenance.")
    services.bulk_job_run(job_id=job.pk)
    services.schedule_create(actor=messenger, user=user, recipients=CUSTOMERS[:2],
                             text="A reminder of your visit next week.",
                             send_at=timezone.now() + timedelta(days=2))


@pytest.mark.parametrize("path, key_column", LISTS)
def test_a_list_fits_a_1366_pixel_screen(org, page, live_server, admin_login, screenshot,
                                         path, key_column):
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    a_long_journal()
    if path.startswith("messaging/"):
        messages_sent(org)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    admin_login("root", PASSWORD)

    page.goto(f"{live_server.url}/admin/{path}")
    page.wait_for_selector("#changelist")

    name = "lists-" + path.strip("/").replace("/", "-")
    screenshot(name)
    headers = page.locator("#result_list thead th").all_inner_texts()
    assert any(key_column.lower() == h.strip().lower() for h in headers), (path, headers)
    widths = page.evaluate("""() => {
        const results = document.querySelector('#changelist .results');
        return {page: document.documentElement.scrollWidth,
                results: results.scrollWidth - results.clientWidth,
                table: document.querySelector('#result_list').getBoundingClientRect().right};
    }""")
    # No scrollbar on the page, none on the table's own box (the admin's .results scrolls).
    assert widths["page"] <= WIDTH, (path, widths, headers)
    assert widths["results"] <= 0 and widths["table"] <= WIDTH, (path, widths, headers)
