"""The project's own rows: heartbeats of the background processes (dialpad_console.health)."""

from django.db import models


class Heartbeat(models.Model):
    """The last sign of life of one background process: a Celery worker or beat.

    One row per (kind, name): a worker's row is named after its Celery hostname, beat's after
    its host. The process rewrites `seen_at` every HEARTBEAT_EVERY seconds; /readyz and the
    admin index read how old it is.
    """

    class Kind(models.TextChoices):
        WORKER = "worker", "Celery worker"
        BEAT = "beat", "Celery beat"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=255)
    seen_at = models.DateTimeField()
    started_at = models.DateTimeField()
    pid = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"],
                                    name="%(app_label)s_%(class)s_kind_name"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"
