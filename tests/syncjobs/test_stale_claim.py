"""The sync claim follows the heartbeat: a holder that stops beating loses it after
DIALPAD_SYNC_STALE_AFTER, and its run is recorded as abandoned; a beating holder keeps it."""

import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from syncjobs import claim
from syncjobs.choices import Status, Trigger
from syncjobs.engine import run_sync
from syncjobs.models import SyncLock, SyncRun
from tests.syncjobs.conftest import make_client

pytestmark = pytest.mark.django_db(transaction=True)

STALE_AFTER = 0.5


@pytest.fixture(autouse=True)
def short_stale_time(settings):
    settings.DIALPAD_SYNC_STALE_AFTER = STALE_AFTER


@pytest.fixture
def dead_run():
    """A run whose worker was killed: it holds the claim, and will never beat again."""
    assert claim.claim("killed-worker")
    run = SyncRun.objects.create(trigger=Trigger.SCHEDULE, status=Status.RUNNING)
    claim.attach_run("killed-worker", run)
    return run


def test_a_claim_whose_holder_stopped_beating_is_taken_over_after_the_stale_time(dead_run):
    assert not claim.claim("next-run")  # silent for less than the stale time: still held

    time.sleep(STALE_AFTER + 0.1)

    assert claim.claim("next-run")
    assert SyncLock.objects.get().token == "next-run"


def test_a_claim_whose_holder_beats_is_never_taken_over():
    assert claim.claim("live-run")
    deadline = time.monotonic() + 3 * STALE_AFTER
    while time.monotonic() < deadline:
        claim.heartbeat("live-run")
        time.sleep(STALE_AFTER / 3)
        assert not claim.claim("next-run")
    assert SyncLock.objects.get().token == "live-run"


def test_the_next_sync_records_on_the_dead_run_that_it_was_abandoned(use_sim, dead_run):
    time.sleep(STALE_AFTER + 0.1)

    run = run_sync(trigger=Trigger.COMMAND, client=make_client(use_sim))

    assert run.status == Status.SUCCEEDED
    dead_run.refresh_from_db()
    assert dead_run.status == Status.ERRORED
    assert dead_run.abandoned_at is not None and dead_run.abandoned_by is None
    assert dead_run.abandon_reason.startswith("no heartbeat since ")
    assert "; its claim was taken over" in dead_run.abandon_reason
    assert dead_run.error.startswith("Abandoned: no heartbeat since ")
    assert "Abandoned: no heartbeat since" in dead_run.log


def test_a_run_left_running_without_the_claim_is_closed_by_the_next_claim():
    orphan = SyncRun.objects.create(trigger=Trigger.SCHEDULE, status=Status.RUNNING)

    assert claim.claim("next-run")

    orphan.refresh_from_db()
    assert orphan.status == Status.ERRORED
    assert orphan.abandon_reason == (
        "it no longer held the sync claim (it stopped without finishing)")


def test_a_holder_whose_claim_was_taken_over_is_told_at_its_next_heartbeat(dead_run):
    time.sleep(STALE_AFTER + 0.1)
    assert claim.claim("next-run")

    with pytest.raises(claim.LostClaim):
        claim.heartbeat("killed-worker")
    claim.release("killed-worker")  # as run_sync does on its way out: a no-op now
    assert SyncLock.objects.get().token == "next-run"


def test_a_run_that_stops_after_it_was_abandoned_keeps_the_abandon_record(dead_run):
    SyncRun.objects.get(pk=dead_run.pk).abandon(reason="released by it-admin")

    # The run was alive after all: it ends the way the engine ends a run that lost its claim.
    dead_run.finish(Status.ERRORED, error="users: LostClaim: taken over")

    dead_run.refresh_from_db()
    assert dead_run.error == "Abandoned: released by it-admin."
    assert dead_run.abandon_reason == "released by it-admin"
    assert "after it had been abandoned: nothing more was written" in dead_run.log


def test_the_stale_time_must_be_positive(settings):
    settings.DIALPAD_SYNC_STALE_AFTER = 0

    with pytest.raises(ImproperlyConfigured, match="DIALPAD_SYNC_STALE_AFTER"):
        claim.claim("next-run")
