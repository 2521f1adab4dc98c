"""The daily prune: processed change-log events go after DIALPAD_EVENT_RETENTION_DAYS; events
still waiting, and SMS events (the messages' history), stay."""

import logging
from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from events.choices import EventKind, EventStatus
from events.models import Event, SmsEvent
from events.services import events_prune
from events.services import prune as prune_module
from events.tasks import events_prune_task

pytestmark = pytest.mark.django_db

_keys = count()


def an_event(*, days_ago, kind=EventKind.CHANGELOG, status=EventStatus.DONE):
    event = Event.objects.create(kind=kind, status=status, verified="current",
                                 dedupe_key=f"key-{next(_keys)}", payload={"action": "x"})
    Event.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - timedelta(days=days_ago))
    if kind == EventKind.SMS:
        SmsEvent.objects.create(event=event, message_id=7000 + event.pk)
    return event


@pytest.fixture
def thirty_days(settings):
    settings.DIALPAD_EVENT_RETENTION_DAYS = 30


def test_it_deletes_the_finished_change_log_events_past_the_retention(thirty_days):
    gone = [an_event(days_ago=31, status=status)
            for status in (EventStatus.DONE, EventStatus.UNHANDLED, EventStatus.FAILED)]
    gone.append(an_event(days_ago=40, kind=EventKind.UNKNOWN, status=EventStatus.UNHANDLED))
    kept = [an_event(days_ago=29), an_event(days_ago=1, status=EventStatus.FAILED)]

    assert events_prune() == 4

    assert set(Event.objects.values_list("pk", flat=True)) == {e.pk for e in kept}


def test_events_still_waiting_and_sms_events_are_kept_whatever_their_age(thirty_days):
    waiting = [an_event(days_ago=90, status=EventStatus.PENDING),
               an_event(days_ago=90, status=EventStatus.REFRESHING)]
    sms = an_event(days_ago=90, kind=EventKind.SMS)

    assert events_prune() == 0

    assert Event.objects.count() == 3
    assert SmsEvent.objects.get().event == sms
    assert {e.pk for e in waiting} < set(Event.objects.values_list("pk", flat=True))


def test_a_retention_of_zero_keeps_every_event(settings):
    settings.DIALPAD_EVENT_RETENTION_DAYS = 0
    an_event(days_ago=3650)

    assert events_prune() == 0
    assert Event.objects.count() == 1


def test_it_deletes_in_batches_until_none_is_left(thirty_days, monkeypatch):
    monkeypatch.setattr(prune_module, "BATCH", 2)
    for _ in range(5):
        an_event(days_ago=31)

    assert events_prune() == 5
    assert not Event.objects.exists()


def test_it_logs_one_line_with_the_count(thirty_days, caplog):
    an_event(days_ago=31)

    with caplog.at_level(logging.INFO, logger="events.prune"):
        events_pruned = events_prune_task()

    assert events_pruned == {"pruned": 1}
    [record] = [r for r in caplog.records if r.name == "events.prune"]
    assert (record.pruned, record.retention_days) == (1, 30)
    assert "Pruned 1 Dialpad events" in record.getMessage()


def test_beat_runs_it_daily_as_a_task_an_admin_can_edit():
    task = PeriodicTask.objects.get(task="events.tasks.events_prune_task")

    assert task.enabled
    assert (task.interval.every, task.interval.period) == (1, "days")
    assert task.name == "Prune old Dialpad events"
