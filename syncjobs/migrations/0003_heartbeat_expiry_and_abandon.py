"""The lock follows the heartbeat: a claim held when this runs has no beat, so it counts as
dead and the next sync takes it over. Runs record who abandoned them, when and why."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ABANDONED_AT_HELP = ("When the run was closed without finishing: its worker stopped beating, "
                     "or an admin released it.")
ABANDONED_BY_HELP = "The admin who released it (empty: the next run did)."


class Migration(migrations.Migration):

    dependencies = [
        ("syncjobs", "0002_default_schedule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField("synclock", "expires_at"),
        migrations.AddField("synclock", "beat_at", models.DateTimeField(
            blank=True, null=True,
            help_text="When the holder last beat (empty: nobody holds it).")),
        migrations.AddField("syncrun", "abandoned_at", models.DateTimeField(
            blank=True, null=True, help_text=ABANDONED_AT_HELP)),
        migrations.AddField("syncrun", "abandoned_by", models.ForeignKey(
            blank=True, null=True, help_text=ABANDONED_BY_HELP, related_name="+",
            on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
        migrations.AddField("syncrun", "abandon_reason", models.TextField(blank=True)),
    ]
