"""The sweep as a periodic task (every minute), editable in the admin like the sync's."""

from django.db import migrations

SWEEP = {
    "name": "Process Dialpad events left behind",
    "task": "events.tasks.events_sweep_task",
    "description": "Processes Dialpad events whose task was lost (broker down, worker "
                   "killed) and re-reads that nobody ran. Cheap when there is nothing to do.",
}


def forwards(apps, schema_editor):
    model = apps.get_model
    interval = model("django_celery_beat", "IntervalSchedule").objects.get_or_create(
        every=1, period="minutes")[0]
    model("django_celery_beat", "PeriodicTask").objects.get_or_create(
        name=SWEEP["name"], defaults={"task": SWEEP["task"], "interval": interval,
                                      "kwargs": "{}", "enabled": True,
                                      "description": SWEEP["description"]})


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=SWEEP["name"], task=SWEEP["task"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
