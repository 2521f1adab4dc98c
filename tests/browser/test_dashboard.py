"""The admin index as a dashboard, in a real browser: an IT admin logs in, sees what needs
attention, follows a count to the list of exactly those rows, and starts a sync that leads to
its run's page. Screenshots: var/screenshots/dashboard*.png."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from orgs.dashboard import ATTENTION_BY_KEY, attention_queryset
from orgs.models import Department, DialpadUser, OperatorMembership, PhoneNumber, PushRecord
from syncjobs.choices import Status, Trigger
from syncjobs.models import SyncRun
from tests import factories
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_day_of_history(org_run):
    """Runs of various lengths behind the demo org's sync, and a few pushes, one refused."""
    now = timezone.now()
    for hours, seconds, calls, limited, status in [
            (10, 42, 220, 0, Status.SUCCEEDED), (9, 38, 214, 3, Status.SUCCEEDED),
            (8, 95, 260, 17, Status.PARTIAL), (7, 12, 40, 0, Status.FAILED),
            (6, 40, 218, 0, Status.SUCCEEDED), (5, 41, 219, 1, Status.SUCCEEDED)]:
        started = now - timedelta(hours=hours)
        SyncRun.objects.create(trigger=Trigger.SCHEDULE, status=status, started_at=started,
                               finished_at=started + timedelta(seconds=seconds),
                               api_calls=calls, rate_limited=limited)
    user = DialpadUser.objects.filter(gone_at__isnull=True).first()
    for minutes, outcome, operation in [(50, "succeeded", "operator_add"),
                                        (20, "refused", "user_e911_update"),
                                        (5, "succeeded", "number_assign")]:
        PushRecord.objects.create(
            operation=operation, outcome=outcome, actor_username="pusher",
            started_at=now - timedelta(minutes=minutes), target_type="user",
            target_id=str(user.pk), target_repr=str(user),
            message="Dialpad refused: invalid address" if outcome == "refused" else "")
    # Something for the list to show: a suspended user who still holds a number.
    holder = PhoneNumber.objects.filter(assigned_user__isnull=False).first().assigned_user
    DialpadUser.objects.filter(pk=holder.pk).update(state="suspended")
    # The demo org's own sync stays the newest run.
    SyncRun.objects.filter(pk=org_run.pk).update(started_at=now - timedelta(minutes=3),
                                                 finished_at=now - timedelta(minutes=2))


@pytest.fixture
def it_admin_page(admin_login):
    login = factories.superuser(username="it-admin")
    return admin_login(login.username, factories.PASSWORD)


def test_the_dashboard_leads_to_the_list_of_what_needs_attention(org, it_admin_page,
                                                                  live_server, screenshot):
    a_day_of_history(SyncRun.objects.get())
    page = it_admin_page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/admin/")

    page.wait_for_selector("#attention")
    assert page.locator("#sync-health-chart .sync-chart-run").count() == 7
    assert "Next scheduled run:" in page.inner_text("#next-sync")
    assert page.locator("#recent-pushes .recent-push").count() == 3
    screenshot("dashboard")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#sync-status").screenshot(path=str(SCREENSHOTS / "dashboard-sync-health.png"))

    item = ATTENTION_BY_KEY["user_suspended_holding"]
    row = page.locator("#attention tr", has_text=item.text)
    count = int(row.locator("td.figure").inner_text())
    assert count == attention_queryset(item.key).count() >= 1
    row.locator("td.figure a").click()

    page.wait_for_selector("#changelist")
    assert re.search(rf"\b{count} Dialpad users?\b", page.inner_text(".paginator"))
    selected = page.locator('details[data-filter-title="suspended users"] li.selected')
    assert selected.inner_text() == "Still holding numbers or operator roles"
    screenshot("dashboard-attention-list")

    page.goto(f"{live_server.url}/admin/")
    row = page.locator("#attention tr", has_text="Departments with no operators")
    expected = int(row.locator("td.figure").inner_text())
    row.locator("td.figure a").click()
    page.wait_for_selector("#changelist")
    assert page.locator("#result_list tbody tr").count() == expected
    assert expected == sum(
        1 for d in Department.objects.filter(gone_at__isnull=True)
        if not OperatorMembership.objects.filter(department=d, gone_at__isnull=True).exists())


def test_sync_now_leads_to_the_runs_page(org, it_admin_page, live_server, screenshot, eager):
    page = it_admin_page
    page.goto(f"{live_server.url}/admin/")

    page.click("#sync-now-button")

    page.wait_for_url(re.compile(r"/admin/syncjobs/syncrun/\d+/change/"))
    assert "has been queued" in page.inner_text(".messagelist")
    run = SyncRun.objects.order_by("-pk").first()
    assert page.url.endswith(f"/syncrun/{run.pk}/change/")
    screenshot("dashboard-sync-now-run-page")


def test_until_a_worker_starts_it_the_sync_waits_on_a_page_that_refreshes(
        org, it_admin_page, live_server, screenshot):
    page = it_admin_page
    page.goto(f"{live_server.url}/admin/")

    page.click("#sync-now-button")  # no worker: the run does not start

    page.wait_for_selector("#sync-waiting")
    assert "has been queued" in page.inner_text(".messagelist")
    screenshot("dashboard-sync-now-waiting")
    mine = SyncRun.objects.create(trigger=Trigger.MANUAL,
                                  requested_by=factories.superuser(username="it-admin"))
    page.wait_for_url(re.compile(rf"/admin/syncjobs/syncrun/{mine.pk}/change/"))  # it refreshed
    assert page.locator('meta[http-equiv="refresh"]').count() == 1  # the run is in flight


def test_a_read_only_admin_sees_the_dashboard_without_controls(org, admin_login, live_server,
                                                               screenshot):
    login = factories.read_only_admin()
    page = admin_login(login.username, factories.PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(f"{live_server.url}/admin/")

    page.wait_for_selector("#attention")
    assert page.locator("#sync-now-button").count() == 0
    assert page.locator("#sync-health-chart").count() == 0  # no view permission on runs
    screenshot("dashboard-read-only")
