"""The Celery app, configured from Django settings (the CELERY_* names)."""

import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialpad_console.settings")

app = Celery("dialpad_console")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Every worker records a heartbeat that /readyz reads (dialpad_console.health.heartbeats).
app.steps["worker"].add("dialpad_console.health.heartbeats:WorkerHeartbeat")


@after_setup_logger.connect
@after_setup_task_logger.connect
def _log_format(logger, **kwargs):
    """Celery installs its own handlers in the worker and beat: give them DJANGO_LOG_FORMAT."""
    from django.conf import settings

    from dialpad_console.logs import celery_handlers_setup

    celery_handlers_setup(logger, settings.LOG_FORMAT)
