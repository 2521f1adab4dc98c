"""The sweep as a periodic task (every minute), editable in the admin like the sync's."""

from django.db import migrations

TASK_NAME = "Process Dialpad events left behind"
TASK = "events.tasks.events_sweep_task"


def forwards(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "interval": every_minute,
            "kwargs": "{}",
            "enabled": True,
            "description": "Processes Dialpad events whose task was lost (broker down, "
                           "worker killed) and re-reads that nobody ran. Cheap when there "
                           "is nothing to do.",
        },
    )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
