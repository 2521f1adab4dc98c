"""The "Sync now" button, the SyncRun admin and the admin index's sync status."""

import pytest
from django.urls import reverse

from syncjobs import claim
from syncjobs.choices import Status, Trigger
from syncjobs.models import SyncRun

pytestmark = pytest.mark.django_db

SYNC_NOW = "admin:syncjobs_syncrun_sync_now"


def test_sync_now_queues_the_sync_after_the_commit(client, it_admin, use_sim, eager_tasks,
                                                   django_capture_on_commit_callbacks):
    client.force_login(it_admin)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse(SYNC_NOW))
    assert len(callbacks) == 1
    assert not SyncRun.objects.exists()  # nothing ran before the commit
    for callback in callbacks:
        callback()

    assert response.status_code == 302
    run = SyncRun.objects.get()
    assert (run.trigger, run.requested_by, run.status) == (Trigger.MANUAL, it_admin,
                                                           Status.SUCCEEDED)
    # Sync now leads to the run's page, through the page that waits for it to start.
    started = client.get(response["Location"])
    assert started["Location"] == reverse("admin:syncjobs_syncrun_change", args=[run.pk])


def test_sync_now_says_it_was_queued(client, it_admin, use_sim, eager_tasks,
                                     django_capture_on_commit_callbacks):
    client.force_login(it_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(SYNC_NOW), follow=True)

    assert "has been queued" in response.content.decode()


def test_sync_now_needs_the_run_sync_permission(client, read_only_admin, use_sim,
                                                django_capture_on_commit_callbacks):
    client.force_login(read_only_admin)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse(SYNC_NOW))

    assert response.status_code == 403
    assert not callbacks and not SyncRun.objects.exists()


def test_sync_now_is_a_post(client, it_admin, django_capture_on_commit_callbacks):
    client.force_login(it_admin)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(reverse(SYNC_NOW))

    assert response.status_code == 405
    assert not callbacks


def test_sync_now_needs_a_login(client):
    response = client.post(reverse(SYNC_NOW))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_sync_now_while_a_sync_runs_is_refused_and_recorded(client, it_admin, use_sim,
                                                            django_capture_on_commit_callbacks):
    running = SyncRun.objects.create(trigger=Trigger.SCHEDULE)
    assert claim.claim("the-running-one")
    claim.attach_run("the-running-one", running)
    client.force_login(it_admin)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse(SYNC_NOW), follow=True)

    assert not callbacks
    refused = SyncRun.objects.get(status=Status.REFUSED)
    assert refused.requested_by == it_admin
    assert f"sync run #{running.pk} has been running since" in response.content.decode()


def test_the_index_shows_the_last_runs_status_and_the_button(admin_client, sync, use_sim):
    run = sync()

    page = admin_client.get(reverse("admin:index")).content.decode()

    assert 'id="sync-status"' in page
    assert reverse("admin:syncjobs_syncrun_change", args=[run.pk]) in page
    assert "Succeeded" in page and "finished" in page
    assert 'id="sync-now-button"' in page and reverse(SYNC_NOW) in page


def test_the_index_hides_the_button_without_the_permission(client, read_only_admin):
    client.force_login(read_only_admin)

    page = client.get(reverse("admin:index")).content.decode()

    assert "The org has not been synced yet" in page
    assert 'id="sync-now-button"' not in page


def test_the_run_list_and_page_show_counts_progress_and_log(admin_client, sync, use_sim):
    run = sync()

    listing = admin_client.get(reverse("admin:syncjobs_syncrun_changelist")).content.decode()
    page = admin_client.get(
        reverse("admin:syncjobs_syncrun_change", args=[run.pk])).content.decode()

    assert "users +40" in listing and 'id="sync-now-button"' in listing
    assert 'class="sync-counts"' in page and "<td>users</td><td>40</td>" in page
    assert "Finished: Succeeded." in page
    assert 'http-equiv="refresh"' not in page  # only a running run's page refreshes


def test_runs_are_read_only_in_the_admin(admin_client, sync, use_sim):
    run = sync()

    assert admin_client.get(reverse("admin:syncjobs_syncrun_add")).status_code == 403
    assert admin_client.post(
        reverse("admin:syncjobs_syncrun_delete", args=[run.pk]), {"post": "yes"}
    ).status_code == 403
    assert SyncRun.objects.filter(pk=run.pk).exists()
