"""The default schedule: a periodic sync every 30 minutes, an editable django-celery-beat row."""

import json

import pytest
from django_celery_beat.models import PeriodicTask

from syncjobs.tasks import sync_org_task

pytestmark = pytest.mark.django_db


def test_a_migration_schedules_the_sync_every_30_minutes():
    task = PeriodicTask.objects.get(task=sync_org_task.name)

    assert task.enabled
    assert (task.interval.every, task.interval.period) == (30, "minutes")
    assert json.loads(task.kwargs) == {"trigger": "schedule"}


def test_the_tasks_time_limits_stay_under_the_brokers_redelivery(settings):
    assert sync_org_task.time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert sync_org_task.soft_time_limit < sync_org_task.time_limit
    visibility = (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).get("visibility_timeout")
    assert visibility is None or sync_org_task.time_limit < visibility
