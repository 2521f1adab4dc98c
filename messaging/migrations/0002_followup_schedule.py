"""The messaging follow-up, every minute, editable in the admin (django-celery-beat): resume
bulk messages whose worker died, read deliveries and due schedules back."""

from django.db import migrations

EVERY_MINUTE = {"every": 1, "period": "minutes"}
FOLLOWUP = {
    "name": "Messaging follow-up",
    "task": "messaging.tasks.messaging_followup_task",
    "enabled": True,
    "description": "Resumes bulk messages whose worker stopped, reads each recipient's "
                   "delivery back until final, and reads scheduled messages back once they "
                   "are due.",
}


def forwards(apps, schema_editor):
    beat = apps.get_app_config("django_celery_beat")
    interval, _ = beat.get_model("IntervalSchedule").objects.get_or_create(**EVERY_MINUTE)
    beat.get_model("PeriodicTask").objects.get_or_create(
        name=FOLLOWUP["name"], defaults={**FOLLOWUP, "interval": interval})


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=FOLLOWUP["name"], task=FOLLOWUP["task"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
