"""End to end in a real browser: an admin sends an SMS (the sender resolved and the exact
request shown before anything goes out, a live character counter), a bulk message from a
CSV file (the job's page following its batches and deliveries), and schedules a message
(a time too soon refused with the earliest allowed), then cancels it. Screenshots of each
step go to var/screenshots/."""

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from messaging import services
from messaging.models import BulkMessageJob, ScheduledMessage
from tests import factories
from tests.messaging.helpers import CUSTOMERS, a_sender
from tests.orgs.helpers_push import mirror_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def org(use_sim):
    mirror_org(use_sim)
    return use_sim


@pytest.fixture
def messenger_page(org, admin_login):
    login = factories.messenger()
    return admin_login(login.username, factories.PASSWORD)


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"messaging-{name}.png"), full_page=True)


def choose_user(page, user):
    page.locator(".field-user .select2-selection").click()
    page.locator(".select2-search__field").fill(user.display_name)
    page.locator(".select2-results__option", has_text=user.display_name).first.click()


def test_an_admin_sends_an_sms_after_seeing_the_request(org, messenger_page, live_server):
    page, user = messenger_page, a_sender(org)
    page.goto(f"{live_server.url}/admin/messaging/smsmessage/")
    page.click("text=Send an SMS")

    choose_user(page, user)
    page.fill("textarea[name=recipients]", "(415) 555-2001\n+1 415 555 2002")
    page.fill("textarea[name=text]", "Fire drill at 3pm today.")
    assert page.inner_text(".dialpad-counter") == "24 / 1,600 characters"
    shot(page, "sms-compose")
    page.click("#push-form input[type=submit]")

    page.wait_for_selector(".dialpad-request")
    assert page.inner_text(".dialpad-method") == "POST"
    assert page.inner_text(".dialpad-path") == "/api/v2/sms"
    assert '"to_numbers": [\n    "+14155552001",\n    "+14155552002"\n  ]' in page.inner_text(
        ".dialpad-body")
    assert f"as user {user}" in page.inner_text(".dialpad-summary")
    assert org.state.sms_sent == []
    shot(page, "sms-confirm")
    page.click("#confirm-form input[type=submit]")

    page.wait_for_selector(".messagelist .success")
    assert f"Sent an SMS as user {user}" in page.inner_text(".messagelist")
    assert [s["to_numbers"] for s in org.state.sms_sent] == [["+14155552001", "+14155552002"]]
    shot(page, "sms-sent")


def test_a_bad_recipient_is_named_where_it_was_typed(org, messenger_page, live_server):
    page = messenger_page
    page.goto(f"{live_server.url}/admin/messaging/smsmessage/compose/")
    choose_user(page, a_sender(org))
    page.fill("textarea[name=recipients]", "415 555 2001\nnot a number")
    page.fill("textarea[name=text]", "Hi")
    page.click("#push-form input[type=submit]")

    page.wait_for_selector(".field-recipients .errorlist")
    assert page.inner_text(".field-recipients .errorlist") == (
        "“not a number” is not a phone number in US.")
    assert org.state.sms_sent == []


def test_an_admin_sends_a_bulk_message_from_a_csv_file(org, messenger_page, live_server,
                                                        eager, tmp_path):
    page, user = messenger_page, a_sender(org)
    csv = tmp_path / "customers.csv"
    csv.write_text("name,mobile\n" + "\n".join(f"C{i},{n}" for i, n in enumerate(
        CUSTOMERS[:75])))
    page.goto(f"{live_server.url}/admin/messaging/bulkmessagejob/compose/")

    choose_user(page, user)
    page.set_input_files("input[name=csv_file]", str(csv))
    page.fill("textarea[name=text]", "Our offices close at noon on Friday.")
    page.click("#push-form input[type=submit]")

    page.wait_for_selector(".dialpad-request")
    assert "75 recipients in 2 batches of up to 50" in page.inner_text(".dialpad-warning")
    shot(page, "bulk-confirm")
    page.click("#confirm-form input[type=submit]")

    page.wait_for_selector(".messagelist .success")
    job = BulkMessageJob.objects.get()
    assert "2 of 2" in page.inner_text("#content")  # both batches sent (by the eager task)
    org.state.messaging.advance(10)
    services.bulk_delivery_read(job_id=job.pk)
    page.reload()
    assert "75 delivered" in page.inner_text("#content")
    shot(page, "bulk-job")


def test_an_admin_schedules_a_message_then_cancels_it(org, messenger_page, live_server):
    page, user = messenger_page, a_sender(org)
    zone = ZoneInfo(user.office.timezone)

    def local(minutes):
        return (timezone.now() + timedelta(minutes=minutes)).astimezone(zone).strftime(
            "%Y-%m-%dT%H:%M")

    page.goto(f"{live_server.url}/admin/messaging/scheduledmessage/compose/")
    choose_user(page, user)
    page.fill("textarea[name=recipients]", "415 555 2001")
    page.fill("input[name=send_at]", local(5))
    page.fill("textarea[name=text]", "Stand-up moved to 10:00.")
    page.click("#push-form input[type=submit]")
    page.wait_for_selector(".field-send_at .errorlist")
    assert "The earliest is" in page.inner_text(".field-send_at .errorlist")
    shot(page, "schedule-too-soon")

    page.fill("input[name=send_at]", local(90))
    page.click("#push-form input[type=submit]")
    page.wait_for_selector(".dialpad-request")
    page.click("#confirm-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    row = ScheduledMessage.objects.get()
    assert org.state.messaging.schedules[row.dialpad_id]["status"] == "active"

    page.click("a.dialpad-push-tool:has-text('Cancel')")
    page.wait_for_selector(".dialpad-request")
    assert page.inner_text(".dialpad-method") == "DELETE"
    page.click("#confirm-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    assert org.state.messaging.schedules[row.dialpad_id]["status"] == "deleted"
    assert "Cancelled" in page.inner_text("#content")
    shot(page, "schedule-cancelled")
