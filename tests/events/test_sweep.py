"""The sweep: stored events whose task was lost are processed later, re-reads a killed worker
held are taken over, failed reads are retried with backoff and finally given up."""

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from events.choices import EventStatus
from events.models import Event, RefreshTarget
from events.services import event_process, events_sweep
from events.services import refresh as refresh_module
from events.tasks import event_process_task
from orgs.models import DialpadUser

from .conftest import make_client
from .helpers import changelog

pytestmark = pytest.mark.django_db


def a_user(sim):
    return next(u for u in sim.state.users.values() if u["state"] == "active")


@pytest.fixture
def test_client(synced, monkeypatch):
    """Re-reads the sweep runs inline use the test-sized client."""
    monkeypatch.setattr(refresh_module, "get_client", lambda: make_client(synced))
    return synced


def test_the_receiver_answers_200_when_the_broker_is_down(deliver, monkeypatch, caplog,
                                                          django_capture_on_commit_callbacks):
    # The broker itself cannot be taken down in this process: publishing fails as kombu
    # fails when Redis refuses the connection. (tests/events/test_worker.py has a real one.)
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    monkeypatch.setattr(event_process_task, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(changelog())

    assert response.status_code == 200
    assert Event.objects.get().status == EventStatus.PENDING
    assert "could not be queued" in caplog.text


def test_a_stored_event_whose_task_was_lost_is_processed_by_the_sweep(test_client, receive):
    user = a_user(test_client)
    test_client.outside.rename_user(user["id"], "Swept", "Up")
    event = receive(changelog(target_id=user["id"]))

    swept = events_sweep(grace=timedelta(0), inline=True)

    event.refresh_from_db()
    assert (swept.events, swept.refreshes) == (1, 1)
    assert event.status == EventStatus.DONE
    assert DialpadUser.objects.get(pk=user["id"]).first_name == "Swept"


def test_the_sweep_leaves_fresh_events_to_their_task(test_client, receive):
    receive(changelog(target_id=a_user(test_client)["id"]))

    swept = events_sweep()

    assert swept.events == 0
    assert Event.objects.get().status == EventStatus.PENDING


def test_a_re_read_held_by_a_killed_worker_is_taken_over(test_client, receive):
    user = a_user(test_client)
    test_client.outside.rename_user(user["id"], "Taken", "Over")
    event = receive(changelog(target_id=user["id"]))
    refresh_id = event_process(event_id=event.pk).refresh_id
    # What a worker killed mid-read leaves: a claim that stopped moving long ago.
    RefreshTarget.objects.filter(pk=refresh_id).update(
        claim_token="dead-worker", claimed_at=timezone.now() - timedelta(minutes=11),
        created_at=timezone.now() - timedelta(minutes=11))

    swept = events_sweep(inline=True)

    assert swept.refreshes == 1
    assert DialpadUser.objects.get(pk=user["id"]).first_name == "Taken"
    assert not RefreshTarget.objects.exists()


def test_a_re_read_in_progress_is_left_alone(test_client, receive):
    event = receive(changelog(target_id=a_user(test_client)["id"]))
    refresh_id = event_process(event_id=event.pk).refresh_id
    RefreshTarget.objects.filter(pk=refresh_id).update(
        claim_token="live-worker", claimed_at=timezone.now(),
        created_at=timezone.now() - timedelta(minutes=5))

    assert events_sweep(inline=True).refreshes == 0


def test_a_failed_read_is_retried_later(test_client, receive):
    user = a_user(test_client)
    event = receive(changelog(target_id=user["id"]))
    refresh_id = event_process(event_id=event.pk).refresh_id
    test_client.faults.error_rate = 1.0  # Dialpad answers 503 to everything

    with make_client(test_client) as client:
        refresh_module.refresh_run(refresh_id=refresh_id, client=client)

    row = RefreshTarget.objects.get()
    assert row.retry_after > timezone.now() and row.claimed_at is None
    assert "temporarily unavailable" in row.last_error
    assert Event.objects.get().status == EventStatus.REFRESHING
    test_client.faults.error_rate = 0.0
    RefreshTarget.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert events_sweep(inline=True).refreshes == 0  # not due yet

    RefreshTarget.objects.update(retry_after=timezone.now() - timedelta(seconds=1))
    assert events_sweep(inline=True).refreshes == 1
    assert Event.objects.get().status == EventStatus.DONE


def test_a_read_that_keeps_failing_is_given_up(test_client, receive):
    event = receive(changelog(target_id=a_user(test_client)["id"]))
    refresh_id = event_process(event_id=event.pk).refresh_id
    RefreshTarget.objects.filter(pk=refresh_id).update(attempts=refresh_module.MAX_ATTEMPTS - 1)
    test_client.faults.error_rate = 1.0

    with make_client(test_client) as client:
        refresh_module.refresh_run(refresh_id=refresh_id, client=client)

    event.refresh_from_db()
    assert event.status == EventStatus.FAILED
    assert "the next full sync brings it up to date" in event.outcome
    assert not RefreshTarget.objects.exists()


def test_the_command_sweeps_without_a_worker(test_client, receive, capsys):
    from django.core.management import call_command

    receive(changelog(target_id=a_user(test_client)["id"]))

    call_command("dialpad_webhooks", "sweep")

    assert "Processed 1 event(s); ran 1 re-read(s)." in capsys.readouterr().out
    assert Event.objects.get().status == EventStatus.DONE
