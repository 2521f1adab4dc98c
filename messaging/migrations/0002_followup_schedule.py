"""The messaging follow-up, every minute, editable in the admin (django-celery-beat): resume
bulk messages whose worker died, read deliveries and due schedules back."""

from django.db import migrations

TASK_NAME = "Messaging follow-up"
TASK = "messaging.tasks.messaging_followup_task"


def forwards(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "interval": every_minute,
            "enabled": True,
            "description": "Resumes bulk messages whose worker stopped, reads each recipient's "
                           "delivery back until final, and reads scheduled messages back once "
                           "they are due.",
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=TASK_NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
