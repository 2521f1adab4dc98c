"""The events prune as a periodic task (daily), editable in the admin like the sweep."""

from django.db import migrations

PRUNE = {
    "name": "Prune old Dialpad events",
    "task": "events.tasks.events_prune_task",
    "description": "Deletes processed change-log events older than "
                   "DIALPAD_EVENT_RETENTION_DAYS (SMS events are kept: they are the messages' "
                   "history).",
}


def forwards(apps, schema_editor):
    model = apps.get_model
    interval = model("django_celery_beat", "IntervalSchedule").objects.get_or_create(
        every=1, period="days")[0]
    model("django_celery_beat", "PeriodicTask").objects.get_or_create(
        name=PRUNE["name"], defaults={"task": PRUNE["task"], "interval": interval,
                                      "kwargs": "{}", "enabled": True,
                                      "description": PRUNE["description"]})


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=PRUNE["name"], task=PRUNE["task"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_sweep_schedule"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
