"""Bulk pushes: one push per selected user, recorded as a BulkPushJob an admin can follow.

`bulk_job_start` writes the job and one BulkPushItem per user, then runs it inside the
request when it is small (up to BulkPushJob.BULK_INLINE_MAX items) or queues it for a worker
once the rows are committed. `bulk_job_run` pushes each pending item through the services of
this package as the admin who asked, and records each item's outcome: one refusal does not
stop the rest, and a job run again (a redelivered task) carries on with its pending items.
"""

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..exceptions import PushRefused
from ..kinds import GROUP_KINDS
from ..models import BulkPushItem, BulkPushJob
from . import e911, operators

logger = logging.getLogger("orgs.services")

Outcome = BulkPushItem.Outcome


def bulk_job_start(*, actor, operation, users, params, description):
    """Record a bulk push of `operation` over `users` and run it (inline or queued).

    Call it outside a transaction of your own: an inline job journals each push as it goes,
    and a queued one is sent to the worker only once its rows are committed.
    Returns the BulkPushJob.
    """
    total = len(users)
    with transaction.atomic():
        job = BulkPushJob.objects.create(
            operation=operation, description=description[:255], params=params,
            created_by=actor, created_by_username=actor.get_username(), total=total,
            run_inline=total <= BulkPushJob.BULK_INLINE_MAX,
        )
        BulkPushItem.objects.bulk_create([
            BulkPushItem(job=job, position=n, user=user, target_repr=str(user)[:255])
            for n, user in enumerate(users, start=1)
        ])
        if not job.run_inline:
            transaction.on_commit(lambda: _queue(job.pk))
    if job.run_inline:
        bulk_job_run(job_id=job.pk)
        job.refresh_from_db()
    return job


def _queue(job_id):
    from ..tasks import bulk_push_job_task  # the task calls back into this module

    bulk_push_job_task.delay(job_id)


def bulk_job_run(*, job_id):
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


def bulk_job_requeue(*, job_id):
    """A job that ran out of time goes back to the queue, to carry on with what is pending."""
    BulkPushJob.objects.filter(pk=job_id).update(status=BulkPushJob.Status.QUEUED)
    _queue(job_id)


# Each push of a bulk job: (its message for the item, the service's result, which carries
# the journal row as .push_record).


def _operator_add(job, item, context):
    if "group" not in context:
        model = GROUP_KINDS[job.params["group_type"]].model
        context["group"] = model.objects.filter(pk=job.params["group_id"]).first()
    group, role = context["group"], job.params["role"]
    membership = operators.operator_add(actor=job.created_by, group=group, member=item.user,
                                        role=role)
    return f"Added as {'admin operator' if role == 'admin' else 'operator'} of {group}", membership


def _user_e911_update(job, item, context):
    row = e911.user_e911_update(
        actor=job.created_by, user=item.user, address=job.params["address"],
        use_validated_option=job.params.get("use_validated_option", False),
    )
    return f"E911 address set to {row}", row


PUSHES = {
    BulkPushJob.Operation.OPERATOR_ADD: _operator_add,
    BulkPushJob.Operation.USER_E911_UPDATE: _user_e911_update,
}


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
