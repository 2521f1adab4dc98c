"""Releasing a stuck sync run from its page, and how a run's heartbeat shows in the admin."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from syncjobs import claim
from syncjobs.choices import Status, Trigger
from syncjobs.models import SyncLock, SyncRun

pytestmark = pytest.mark.django_db


def running_run(*, silent_for):
    """A run holding the claim whose last heartbeat was `silent_for` seconds ago."""
    assert claim.claim("worker")
    run = SyncRun.objects.create(trigger=Trigger.SCHEDULE, status=Status.RUNNING)
    claim.attach_run("worker", run)
    SyncLock.objects.update(beat_at=timezone.now() - timedelta(seconds=silent_for))
    return run


@pytest.fixture
def silent_run():
    """Quiet for longer than a live run ever is, not yet for the stale time (120 s)."""
    return running_run(silent_for=45)


@pytest.fixture
def beating_run():
    return running_run(silent_for=1)


def release_url(run_or_pk):
    return reverse("admin:syncjobs_syncrun_release", args=[getattr(run_or_pk, "pk", run_or_pk)])


def run_url(run):
    return reverse("admin:syncjobs_syncrun_change", args=[run.pk])


def assert_still_running(run):
    run.refresh_from_db()
    assert (run.status, run.abandoned_at) == (Status.RUNNING, None)
    assert SyncLock.objects.get().token == "worker"


def test_release_needs_the_run_sync_permission(client, read_only_admin, silent_run):
    client.force_login(read_only_admin)

    response = client.post(release_url(silent_run), {"post": "yes"})

    assert response.status_code == 403
    assert_still_running(silent_run)


def test_release_answers_get_with_405(client, it_admin, silent_run):
    client.force_login(it_admin)

    response = client.get(release_url(silent_run))

    assert response.status_code == 405
    assert_still_running(silent_run)


def test_release_of_a_missing_run_is_404(client, it_admin):
    client.force_login(it_admin)

    assert client.post(release_url(404), {"post": "yes"}).status_code == 404


def test_release_asks_first_and_says_what_it_will_do(client, it_admin, silent_run):
    client.force_login(it_admin)

    response = client.post(release_url(silent_run))

    for says in ("frees the sync claim", "errored (abandoned)", "rolls nothing back",
                 "nothing\n        changes in Dialpad", "it stops at its next heartbeat",
                 'name="post" value="yes"'):
        assertContains(response, says)
    assert re.search(r"stale: no heartbeat for 4\d s", response.content.decode())
    assert_still_running(silent_run)


def test_release_frees_the_claim_and_records_who_when_and_why(client, it_admin, silent_run):
    client.force_login(it_admin)

    response = client.post(release_url(silent_run), {"post": "yes"})

    assert response.status_code == 302 and response["Location"] == run_url(silent_run)
    silent_run.refresh_from_db()
    assert silent_run.status == Status.ERRORED
    assert silent_run.abandoned_by == it_admin
    assert timezone.now() - silent_run.abandoned_at < timedelta(seconds=5)
    assert re.fullmatch(r"released by it-admin; no heartbeat since .* \(4\d s\)",
                        silent_run.abandon_reason)
    assert silent_run.error == f"Abandoned: {silent_run.abandon_reason}."
    assert f"Abandoned: {silent_run.abandon_reason}." in silent_run.log
    assert SyncLock.objects.get().token == ""


def test_release_says_what_it_did(client, it_admin, silent_run):
    client.force_login(it_admin)

    response = client.post(release_url(silent_run), {"post": "yes"}, follow=True)

    page = response.content.decode()
    assert "released: marked errored (abandoned by it-admin)" in page
    assert "the sync claim is free" in page


def test_a_run_that_still_beats_is_not_released_unless_the_admin_knows_it_is_alive(
        client, it_admin, beating_run):
    client.force_login(it_admin)

    response = client.post(release_url(beating_run), {"post": "yes"})

    assertContains(response, "looks alive: its last heartbeat was 1 s ago")
    assertContains(response, 'name="alive"')
    assert_still_running(beating_run)


def test_a_run_that_still_beats_is_released_when_the_admin_knows_it_is_alive(
        client, it_admin, beating_run):
    client.force_login(it_admin)

    response = client.post(release_url(beating_run), {"post": "yes", "alive": "yes"})

    assert response.status_code == 302
    beating_run.refresh_from_db()
    assert (beating_run.status, beating_run.abandoned_by) == (Status.ERRORED, it_admin)
    assert beating_run.abandon_reason == (
        "released by it-admin while still beating (last heartbeat 1 s before); "
        "it stops at its next heartbeat")
    with pytest.raises(claim.LostClaim):  # what the live run hears at its next heartbeat
        claim.heartbeat("worker")


def test_release_of_a_finished_run_says_there_is_nothing_to_release(client, it_admin):
    run = SyncRun.objects.create(trigger=Trigger.SCHEDULE, status=Status.SUCCEEDED,
                                 finished_at=timezone.now())
    client.force_login(it_admin)

    response = client.post(release_url(run), {"post": "yes"}, follow=True)

    assert "is not running: there is nothing to release" in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.abandoned_at) == (Status.SUCCEEDED, None)


def test_the_next_sync_starts_at_once_after_a_release(client, it_admin, silent_run, sync):
    client.force_login(it_admin)
    client.post(release_url(silent_run), {"post": "yes"})

    assert sync().status == Status.SUCCEEDED


def test_the_run_page_offers_release_to_admins_who_may_run_a_sync(client, it_admin,
                                                                 silent_run):
    client.force_login(it_admin)

    page = client.get(run_url(silent_run)).content.decode()

    assert f'action="{release_url(silent_run)}"' in page


def test_the_run_page_offers_no_release_to_read_only_admins(client, read_only_admin,
                                                            silent_run):
    client.force_login(read_only_admin)

    page = client.get(run_url(silent_run)).content.decode()

    assert release_url(silent_run) not in page


def test_the_run_page_shows_who_released_the_run_and_why(client, it_admin, silent_run):
    client.force_login(it_admin)
    client.post(release_url(silent_run), {"post": "yes"})

    page = client.get(run_url(silent_run)).content.decode()

    assert re.search(r"it-admin: released by it-admin; no heartbeat since .* \(4\d s\)", page)


def test_a_running_run_without_a_recent_heartbeat_shows_stale(client, it_admin, silent_run):
    client.force_login(it_admin)

    run_page = client.get(run_url(silent_run)).content.decode()
    index = client.get(reverse("admin:index")).content.decode()
    runs = client.get(reverse("admin:syncjobs_syncrun_changelist")).content.decode()

    for page in (run_page, index, runs):
        assert re.search(r"stale: no heartbeat for 4\d s", page)


def test_a_running_run_that_beats_is_not_shown_stale(client, it_admin, beating_run):
    client.force_login(it_admin)

    run_page = client.get(run_url(beating_run)).content.decode()
    index = client.get(reverse("admin:index")).content.decode()

    assert "last heartbeat 1 s ago" in run_page
    assert "stale" not in run_page and "stale" not in index


def test_a_finished_run_is_neither_stale_nor_releasable(client, it_admin, sync):
    run = sync()
    client.force_login(it_admin)

    page = client.get(run_url(run)).content.decode()

    assert run.status == Status.SUCCEEDED
    assert "stale" not in page and release_url(run) not in page
