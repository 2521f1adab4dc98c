"""The lock row, and the default periodic sync (every 30 minutes), editable in the admin."""

from django.db import migrations

TASK_NAME = "Sync the Dialpad org"
TASK = "syncjobs.tasks.sync_org_task"


def forwards(apps, schema_editor):
    SyncLock = apps.get_model("syncjobs", "SyncLock")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    SyncLock.objects.get_or_create(pk=1)
    every_30, _ = IntervalSchedule.objects.get_or_create(every=30, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "interval": every_30,
            "kwargs": '{"trigger": "schedule"}',
            "enabled": True,
            "description": "The whole org, every 30 minutes (change the interval here; "
                           "disable to sync only on demand).",
        },
    )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("syncjobs", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
