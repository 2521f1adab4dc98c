"""Heartbeats of the background processes, written to the database by the processes themselves.

Why the database: it is the one store every process of every deployment shares (the embedded
broker has no key-value store, and the cache is per process), and one small UPDATE every
HEARTBEAT_EVERY seconds per process costs nothing. Why not `celery inspect ping`: it waits a
second or more for answers, too slow for a probe a load balancer calls every few seconds.

- A Celery worker beats from a timer on its own event loop (`WorkerHeartbeat`, a worker
  bootstep added in dialpad_console.celery). The loop is what takes tasks from the broker, so
  a fresh heartbeat means the worker would answer a ping. A worker started with
  `--pool=solo` runs tasks on that loop and falls silent during a long sync: run the worker
  with the default prefork pool, as `make serve` and the systemd units do.
- Celery beat beats from its scheduler's tick (`health.beat.BeatScheduler`, django-celery-beat's
  database scheduler, named by settings.CELERY_BEAT_SCHEDULER).

A failed write is logged and forgotten: a heartbeat must never stop the process it reports on.
"""

import logging
import os
from datetime import timedelta

from celery import bootsteps
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

# Seconds between two heartbeats of a process, and the age after which it counts as silent.
HEARTBEAT_EVERY = 15
SILENT_AFTER = 60


def beat(kind, name, *, started_at):
    """Record that process `name` of `kind` is alive now (one INSERT ... ON CONFLICT UPDATE)."""
    from dialpad_console.models import Heartbeat  # once the apps are loaded

    try:
        Heartbeat.objects.bulk_create(
            [Heartbeat(kind=kind, name=name[:255], seen_at=timezone.now(),
                       started_at=started_at, pid=os.getpid())],
            update_conflicts=True, unique_fields=["kind", "name"],
            update_fields=["seen_at", "started_at", "pid"],
        )
    except DatabaseError as exc:
        logger.warning("Could not record the %s heartbeat: %s", kind, exc)


def forget_old(days=7):
    """Delete the rows of processes silent for `days` (hosts renamed or gone)."""
    from dialpad_console.models import Heartbeat

    try:
        Heartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=days)).delete()
    except DatabaseError as exc:
        logger.warning("Could not delete old heartbeats: %s", exc)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """A worker bootstep: a heartbeat at start, then every HEARTBEAT_EVERY seconds."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None
        self.started_at = None

    def start(self, worker):
        self.started_at = timezone.now()
        forget_old()
        self._beat(worker.hostname)
        self.tref = worker.timer.call_repeatedly(
            HEARTBEAT_EVERY, self._beat, (worker.hostname,), priority=10,
        )

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    def _beat(self, hostname):
        # A long-lived process: first drop a connection the database closed meanwhile (beat's
        # scheduler does the same on every tick).
        close_old_connections()
        beat("worker", hostname, started_at=self.started_at)
