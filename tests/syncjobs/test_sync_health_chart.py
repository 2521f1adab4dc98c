"""Sync health on the admin index: the chart of the last runs (inline SVG), the next scheduled
run, a run in flight; "Sync now" leading to the run's page, which refreshes while it runs."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from syncjobs import claim
from syncjobs.choices import Status, Trigger
from syncjobs.models import SyncRun
from syncjobs.selectors import RECENT_RUNS_CHARTED, SYNC_TASK_NAME, sync_next_scheduled
from syncjobs.tasks import sync_org_task

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
SYNC_NOW = "admin:syncjobs_syncrun_sync_now"
SYNC_STARTED = "admin:syncjobs_syncrun_sync_started"


def finished_run(*, seconds, api_calls, rate_limited=0, status=Status.SUCCEEDED, ago_hours=1):
    started = timezone.now() - timedelta(hours=ago_hours)
    return SyncRun.objects.create(
        trigger=Trigger.SCHEDULE, status=status, started_at=started,
        finished_at=started + timedelta(seconds=seconds), api_calls=api_calls,
        rate_limited=rate_limited)


def chart_of(page):
    match = re.search(r'<figure class="sync-health-chart".*?</figure>', page, re.S)
    return match.group(0) if match else ""


def columns_of(chart):
    """[(run id, tooltip, {figure: bar height})] of the chart's columns, left to right."""
    found = []
    for block in re.findall(r'<a href="[^"]+" class="sync-chart-run" data-run="(\d+)">(.*?)</a>',
                            chart, re.S):
        run_id, body = block
        title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
        heights = {figure: float(height) for figure, height in re.findall(
            r'class="sync-chart-bar sync-chart-(\w+)"[^>]* height="([\d.]+)"', body)}
        found.append((int(run_id), title, heights))
    return found


def test_the_chart_shows_duration_api_calls_and_429s_of_each_run(admin_client):
    quick = finished_run(seconds=10, api_calls=100, ago_hours=3)
    slow = finished_run(seconds=40, api_calls=50, rate_limited=4, ago_hours=2)
    failed = finished_run(seconds=5, api_calls=10, status=Status.FAILED, ago_hours=1)

    chart = chart_of(admin_client.get(INDEX).content.decode())

    assert "<svg" in chart and "<script" not in chart
    columns = columns_of(chart)
    assert [run_id for run_id, _, _ in columns] == [quick.pk, slow.pk, failed.pk]  # oldest first
    heights = {run_id: bars for run_id, _, bars in columns}
    # Each figure's highest run fills its row (44 px); the others in proportion.
    assert heights[slow.pk]["duration"] == 44 and heights[quick.pk]["duration"] == 11
    assert heights[quick.pk]["api_calls"] == 44 and heights[slow.pk]["api_calls"] == 22
    assert heights[slow.pk]["rate_limited"] == 44
    assert heights[quick.pk]["rate_limited"] == 1  # a zero is a hairline, not nothing
    _, title, _ = columns[1]
    assert f"Sync run #{slow.pk} (Succeeded)" in title
    assert "40.0 s" in title and "50 API calls" in title and "4 answered 429" in title
    assert reverse("admin:syncjobs_syncrun_change", args=[failed.pk]) in chart
    # The legend names the three figures and the status colours.
    for label in ("Duration", "API calls", "429s (rate limited)", "Failed or errored"):
        assert label in chart
    assert "max 40.0 s" in chart and "max 100" in chart


def test_without_runs_there_is_no_chart_but_a_sentence(admin_client):
    page = admin_client.get(INDEX).content.decode()

    assert chart_of(page) == ""
    assert "No sync has run yet: there is nothing to chart." in page


def test_the_chart_shows_the_last_runs_only_and_not_refused_triggers(admin_client):
    runs = [finished_run(seconds=n + 1, api_calls=n, ago_hours=100 - n)
            for n in range(RECENT_RUNS_CHARTED + 5)]
    SyncRun.objects.create(trigger=Trigger.MANUAL, status=Status.REFUSED,
                           finished_at=timezone.now())

    columns = columns_of(chart_of(admin_client.get(INDEX).content.decode()))

    assert [run_id for run_id, _, _ in columns] == [r.pk for r in runs[-RECENT_RUNS_CHARTED:]]


def test_a_run_in_flight_is_charted_so_far_and_shown_with_its_progress(admin_client):
    finished_run(seconds=10, api_calls=20)
    running = SyncRun.objects.create(trigger=Trigger.MANUAL, phase="users",
                                     progress="users: page 3")

    page = admin_client.get(INDEX).content.decode()

    _, title, _ = columns_of(chart_of(page))[-1]
    assert f"Sync run #{running.pk} (Running)" in title and "so far" in title
    assert "In flight:" in page
    assert re.search(r'id="sync-in-flight">since .*? — users: page 3<', page)


def test_the_chart_and_the_runs_need_the_view_permission(client, django_user_model):
    finished_run(seconds=10, api_calls=20)
    client.force_login(django_user_model.objects.create_user(
        username="staff", password="pw", is_staff=True))

    page = client.get(INDEX).content.decode()

    assert chart_of(page) == "" and "nothing to chart" not in page
    assert reverse("admin:syncjobs_syncrun_changelist") not in page


# --- The next scheduled run -------------------------------------------------------------------


def test_the_default_schedule_runs_next_30_minutes_after_the_last_run(admin_client):
    task = PeriodicTask.objects.get(task=SYNC_TASK_NAME)
    task.last_run_at = timezone.now() - timedelta(minutes=10)
    task.save()

    upcoming = sync_next_scheduled()
    page = admin_client.get(INDEX).content.decode()

    assert upcoming.task == task
    assert abs((upcoming.at - (task.last_run_at + timedelta(minutes=30))).total_seconds()) < 2
    assert not upcoming.overdue
    next_line = page.split('id="next-sync"')[1].split("</p>")[0]
    assert "(in 19" in next_line or "(in 20" in next_line
    assert reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]) in next_line


def test_the_schedule_is_read_from_the_sync_tasks_name():
    assert SYNC_TASK_NAME == sync_org_task.name


def test_a_disabled_or_missing_schedule_says_not_scheduled(admin_client):
    PeriodicTask.objects.filter(task=SYNC_TASK_NAME).update(enabled=False)

    disabled = admin_client.get(INDEX).content.decode()
    PeriodicTask.objects.filter(task=SYNC_TASK_NAME).delete()
    missing = admin_client.get(INDEX).content.decode()

    for page in (disabled, missing):
        assert "not scheduled" in page.split('id="next-sync"')[1].split("</p>")[0]
    assert sync_next_scheduled() is None


def test_a_crontab_schedule_is_read_too():
    PeriodicTask.objects.filter(task=SYNC_TASK_NAME).delete()
    every_hour = CrontabSchedule.objects.create(minute="0", hour="*")
    PeriodicTask.objects.create(name="hourly", task=SYNC_TASK_NAME, crontab=every_hour)

    upcoming = sync_next_scheduled()

    assert upcoming is not None
    assert timedelta(0) <= upcoming.at - timezone.now() <= timedelta(hours=1, seconds=2)


def test_a_schedule_whose_last_run_is_long_past_is_overdue(admin_client):
    task = PeriodicTask.objects.get(task=SYNC_TASK_NAME)
    task.last_run_at = timezone.now() - timedelta(hours=3)
    task.save()

    page = admin_client.get(INDEX).content.decode()

    assert "overdue: is Celery beat running?" in page


def test_the_soonest_of_two_schedules_is_next():
    PeriodicTask.objects.create(
        name="every 5 minutes", task=SYNC_TASK_NAME, last_run_at=timezone.now(),
        interval=IntervalSchedule.objects.create(every=5, period="minutes"))

    upcoming = sync_next_scheduled()

    assert upcoming.task.name == "every 5 minutes"


# --- Sync now leads to the run's page; the run's page refreshes while it runs -----------------


def test_the_run_page_refreshes_itself_while_the_run_is_in_flight(admin_client):
    run = SyncRun.objects.create(trigger=Trigger.MANUAL)
    url = reverse("admin:syncjobs_syncrun_change", args=[run.pk])

    running = admin_client.get(url).content.decode()
    run.finish(Status.SUCCEEDED)
    finished = admin_client.get(url).content.decode()

    assert '<meta http-equiv="refresh"' in running
    assert '<meta http-equiv="refresh"' not in finished


def test_sync_now_from_the_index_leads_to_the_runs_page(client, it_admin, use_sim, eager_tasks,
                                                        django_capture_on_commit_callbacks):
    client.force_login(it_admin)
    earlier = finished_run(seconds=3, api_calls=5)

    with django_capture_on_commit_callbacks(execute=True):  # the worker runs it at the commit
        posted = client.post(reverse(SYNC_NOW))
    response = client.get(posted["Location"], follow=True)

    run = SyncRun.objects.exclude(pk=earlier.pk).get()
    assert response.redirect_chain[-1][0] == reverse("admin:syncjobs_syncrun_change",
                                                     args=[run.pk])
    assert run.requested_by == it_admin
    assert "has been queued" in response.content.decode()


def test_until_a_worker_starts_the_run_a_page_waits_and_refreshes(
        client, it_admin, django_capture_on_commit_callbacks):
    client.force_login(it_admin)
    earlier = finished_run(seconds=3, api_calls=5)
    with django_capture_on_commit_callbacks(execute=False):  # no worker picks it up
        response = client.post(reverse(SYNC_NOW))

    waiting = client.get(response["Location"])
    assert waiting.status_code == 200
    page = waiting.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and 'id="sync-waiting"' in page
    # An earlier run, or another admin's, is not this one.
    SyncRun.objects.create(trigger=Trigger.MANUAL, status=Status.SUCCEEDED,
                           finished_at=timezone.now())
    assert client.get(response["Location"]).status_code == 200

    mine = SyncRun.objects.create(trigger=Trigger.MANUAL, requested_by=it_admin)
    started = client.get(response["Location"])
    assert started.status_code == 302
    assert started["Location"] == reverse("admin:syncjobs_syncrun_change", args=[mine.pk])
    assert earlier.pk < mine.pk


@pytest.mark.parametrize("after", ["abc", "-1", "99999999999999999999999", "", "1e5", "٣"])
def test_the_waiting_page_takes_any_after_value(client, it_admin, after):
    client.force_login(it_admin)

    response = client.get(reverse(SYNC_STARTED), {"after": after})

    assert response.status_code in (200, 302)


def test_the_waiting_page_needs_a_sync_permission(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(
        username="staff", password="pw", is_staff=True))

    assert client.get(reverse(SYNC_STARTED)).status_code == 403


def test_sync_now_while_a_run_is_in_flight_leads_to_that_run(client, it_admin, use_sim,
                                                           django_capture_on_commit_callbacks):
    running = SyncRun.objects.create(trigger=Trigger.SCHEDULE)
    assert claim.claim("the-running-one")
    claim.attach_run("the-running-one", running)
    client.force_login(it_admin)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse(SYNC_NOW))

    assert not callbacks
    assert response["Location"] == reverse("admin:syncjobs_syncrun_change", args=[running.pk])
