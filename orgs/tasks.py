"""Celery tasks of the org pushes: each takes ids and calls a service."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import services


@shared_task(
    name="orgs.tasks.bulk_push_job_task",
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    acks_late=True,
)
def bulk_push_job_task(job_id):
    """Run a queued bulk push job (services.bulk_job_start queues it once its rows commit).

    No automatic retry of a push: each item's outcome is recorded instead. A job that hits
    the soft time limit is queued again and carries on with its pending items.
    """
    try:
        job = services.bulk_job_run(job_id=job_id)
    except SoftTimeLimitExceeded:
        services.bulk_job_requeue(job_id=job_id)
        return {"job_id": job_id, "status": "requeued"}
    return {"job_id": job.pk, "status": job.status}
