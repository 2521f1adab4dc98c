"""Celery tasks of the org pushes, and the runner of a bulk push job.

A bulk admin action (orgs.admin_views) writes a BulkPushJob with one BulkPushItem per selected
row; `bulk_push_job_run` pushes each pending item through orgs.services as the admin who asked,
and records each item's outcome: one refusal does not stop the rest. Small jobs run inside the
admin's request; bigger ones are queued (on commit) as `bulk_push_job_task`.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from . import services
from .exceptions import PushRefused
from .models import BulkPushItem, BulkPushJob, CallCenter, Department

logger = logging.getLogger(__name__)

Outcome = BulkPushItem.Outcome


def _group(params):
    model = {"department": Department, "callcenter": CallCenter}[params["group_type"]]
    return model.objects.filter(pk=params["group_id"]).first()


# Each push of a bulk job: (its message for the item, the service's result, which carries
# the journal row as .push_record).


def _operator_add(job, item, context):
    if "group" not in context:
        context["group"] = _group(job.params)
    group, role = context["group"], job.params["role"]
    membership = services.operator_add(actor=job.created_by, group=group, member=item.user,
                                       role=role)
    return f"Added as {'admin operator' if role == 'admin' else 'operator'} of {group}", membership


def _user_e911_update(job, item, context):
    row = services.user_e911_update(
        actor=job.created_by, user=item.user, address=job.params["address"],
        use_validated_option=job.params.get("use_validated_option", False),
    )
    return f"E911 address set to {row}", row


PUSHES = {
    BulkPushJob.Operation.OPERATOR_ADD: _operator_add,
    BulkPushJob.Operation.USER_E911_UPDATE: _user_e911_update,
}


def bulk_push_job_run(job_id):
    """Push every pending item of the job; returns the job, finished.

    Items already done are skipped, so a job re-delivered after a worker died carries on
    where it stopped (the item in flight then may be refused as already applied).
    """
    now = timezone.now()
    claimed = BulkPushJob.objects.filter(pk=job_id, status=BulkPushJob.Status.QUEUED).update(
        status=BulkPushJob.Status.RUNNING, started_at=now)
    job = BulkPushJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed and job.status == BulkPushJob.Status.FINISHED:
        return job
    push = PUSHES[job.operation]
    context = {}
    items = job.items.filter(outcome=Outcome.PENDING).select_related("user").order_by("position")
    for item in items:
        item.outcome, item.message, item.push_record = _run_item(push, job, item, context)
        item.finished_at = timezone.now()
        item.save(update_fields=["outcome", "message", "push_record", "finished_at"])
    job.status = BulkPushJob.Status.FINISHED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
    return job


def _run_item(push, job, item, context):
    """(outcome, message, push record) of one item; never raises but for a time limit."""
    if item.user is None:
        return Outcome.INVALID, "The user is no longer in the console.", None
    try:
        message, result = push(job, item, context)
    except SoftTimeLimitExceeded:
        raise
    except PushRefused as exc:
        outcome = Outcome.UNKNOWN if exc.outcome == "unknown" else Outcome.REFUSED
        return outcome, exc.message, exc.record
    except ValidationError as exc:
        return Outcome.INVALID, " ".join(exc.messages), getattr(exc, "record", None)
    except PermissionDenied as exc:
        return Outcome.DENIED, str(exc) or "Permission denied.", getattr(exc, "record", None)
    except Exception as exc:  # one item's crash must not stop the rest
        logger.exception("Bulk push job %s, item %s failed", job.pk, item.pk)
        # The service journals a push it failed in, on the exception (None if it failed
        # before journaling anything).
        return (Outcome.ERRORED, f"The console failed ({type(exc).__name__}); check in "
                "Dialpad whether the change was applied.", getattr(exc, "record", None))
    return Outcome.SUCCEEDED, message, result.push_record


@shared_task(
    name="orgs.tasks.bulk_push_job_task",
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    acks_late=True,
)
def bulk_push_job_task(job_id):
    """Run a queued bulk push job (orgs.admin_views queues it after the job row commits).

    No automatic retry of a push: each item's outcome is recorded instead. A job that hits
    the soft time limit is queued again and carries on with its pending items.
    """
    try:
        job = bulk_push_job_run(job_id)
    except SoftTimeLimitExceeded:
        BulkPushJob.objects.filter(pk=job_id).update(status=BulkPushJob.Status.QUEUED)
        bulk_push_job_task.delay(job_id)
        return {"job_id": job_id, "status": "requeued"}
    return {"job_id": job.pk, "status": job.status}
