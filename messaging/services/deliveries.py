"""A bulk message's delivery, read back per recipient until every one is final.

Sending is asynchronous: Dialpad answers a batch at once, and each recipient's
`delivery_status` (pending, sent, delivered, failed, undelivered) and `error_message` come
later, from GET /message/bulk/{id}. The periodic follow-up (messaging.tasks) reads every sent
batch that is not final yet, for up to READ_FOR after the job finished.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from dialpad_console.dialpad import DialpadError, NotFoundError, endpoints, get_client

from ..choices import FINAL_DELIVERY, BatchState, JobStatus
from ..models import BulkMessageJob, BulkRecipient

READ_FOR = timedelta(hours=48)


def is_final(values):
    """Delivered or failed; a Dialpad-to-Dialpad recipient has no receipt: sent is final."""
    return values["delivery_status"] in FINAL_DELIVERY or (
        values["delivery_method"] == "internal" and values["attempted_send"])


def _delivery(item):
    return {
        "attempted_send": bool(item.get("attempted_send")),
        "delivery_method": str(item.get("delivery_method") or "")[:16],
        "delivery_status": str(item.get("delivery_status") or "")[:16],
        "error_message": str(item.get("error_message") or item.get(
            "delivery_error_details") or ""),
    }


def store_deliveries(batch, message):
    """Each recipient's delivery as `message` (a BulkMessageProto) has it: the batch's
    BulkRecipient rows, created at the first answer (for every number it was sent to)."""
    now = timezone.now()
    found = {item["phone_number"]: _delivery(item) for item in message.get("recipients") or []
             if isinstance(item, dict) and item.get("phone_number")}
    known = set(batch.deliveries.values_list("phone_number", flat=True))
    if not known:
        numbers = list(found) or [n for n in batch.recipients if n not in batch.skipped]
        BulkRecipient.objects.bulk_create([
            BulkRecipient(batch=batch, job_id=batch.job_id, phone_number=number,
                          updated_at=now if number in found else None, **found.get(number, {}))
            for number in numbers], ignore_conflicts=True)
        known = set(numbers)
    else:
        # Recipients mostly share their status: one UPDATE per distinct delivery.
        groups = defaultdict(list)
        for number, values in found.items():
            if number in known:
                groups[tuple(sorted(values.items()))].append(number)
        for values, numbers in groups.items():
            batch.deliveries.filter(phone_number__in=numbers).update(**dict(values),
                                                                     updated_at=now)
    batch.status = str(message.get("status") or batch.status)
    batch.delivery_final = bool(known) and known <= set(found) and all(
        is_final(found[number]) for number in known)
    batch.delivery_read_at = now
    batch.save(update_fields=["status", "delivery_final", "delivery_read_at"])


def bulk_delivery_read(*, job_id):
    """Read the delivery of the job's sent batches that are not final; returns the job."""
    job = BulkMessageJob.objects.get(pk=job_id)
    with get_client() as client:
        for batch in job.batches.filter(state=BatchState.SENT, delivery_final=False):
            read = endpoints.bulk_message_get(batch.dialpad_id, user_id=job.user_dialpad_id)
            try:
                message = client.request(read.method, read.path, json=read.body)
            except NotFoundError:
                batch.delivery_final = True
                batch.message = (f"{batch.message} Dialpad no longer has this bulk message: "
                                 "its delivery cannot be read any more.").strip()
                batch.save(update_fields=["delivery_final", "message"])
                continue
            except DialpadError:
                break  # read again at the next follow-up
            if isinstance(message, dict):
                store_deliveries(batch, message)
    now = timezone.now()
    waiting = job.batches.filter(state=BatchState.SENT, delivery_final=False).exists()
    given_up = job.finished_at is not None and now - job.finished_at > READ_FOR
    job.delivery_final = job.status == JobStatus.FINISHED and (not waiting or given_up)
    job.delivery_read_at = now
    job.save(update_fields=["delivery_final", "delivery_read_at"])
    return job


def jobs_awaiting_delivery():
    return BulkMessageJob.objects.filter(status=JobStatus.FINISHED,
                                         delivery_final=False).values_list("pk", flat=True)
