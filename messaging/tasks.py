"""Celery tasks of messaging: each takes ids (or nothing) and calls a service."""

from celery import shared_task
from django.conf import settings

from . import services


# Below the broker's redelivery (settings); no automatic retry: the follow-up resumes.
LIMITS = {"soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
          "time_limit": settings.CELERY_TASK_TIME_LIMIT, "acks_late": True}


@shared_task(name="messaging.tasks.bulk_message_job_task", **LIMITS)
def bulk_message_job_task(job_id):
    """Send a bulk message's batches (services.bulk_message_start queues it once the job's
    rows are committed). A worker killed mid-way leaves the job to the follow-up below."""
    job = services.bulk_job_run(job_id=job_id)
    return {"job_id": job.pk, "status": job.status}


@shared_task(name="messaging.tasks.messaging_followup_task", **LIMITS)
def messaging_followup_task():
    """Every minute (django-celery-beat): resume the bulk messages whose worker died, read
    back deliveries until final, and read back the scheduled messages that are due."""
    return services.messaging_followup()
