"""Beat's scheduler: django-celery-beat's, plus a heartbeat (see health.heartbeats).

Its own module because django-celery-beat's scheduler imports models: it can only be imported
once Django's apps are loaded, which beat does before it loads the scheduler.
"""

import socket
import time

from django.utils import timezone
from django_celery_beat.schedulers import DatabaseScheduler

from .heartbeats import HEARTBEAT_EVERY, beat


class BeatScheduler(DatabaseScheduler):
    """django-celery-beat's database scheduler, recording a heartbeat as it ticks."""

    def __init__(self, *args, **kwargs):
        self._heartbeat_started_at = timezone.now()
        self._heartbeat_last = None
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        now = time.monotonic()
        if self._heartbeat_last is None or now - self._heartbeat_last >= HEARTBEAT_EVERY:
            self._heartbeat_last = now
            beat("beat", socket.gethostname(), started_at=self._heartbeat_started_at)
        # Wake up often enough to beat on time even when no task is due for a long while.
        return min(interval, HEARTBEAT_EVERY)
