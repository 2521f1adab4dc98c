"""A bulk message's delivery, read back per recipient until every one is final.

Sending is asynchronous: Dialpad answers a batch at once, and each recipient's
`delivery_status` (pending, sent, delivered, failed, undelivered) and `error_message` come
later, from GET /message/bulk/{id}. The periodic follow-up (messaging.tasks) reads every sent
batch that is not final yet, for up to READ_FOR after the job finished.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dialpad_console.dialpad import DialpadError, NotFoundError, endpoints, get_client

from ..choices import FINAL_DELIVERY, BatchState, JobStatus
from ..models import BulkMessageJob, BulkRecipient

READ_FOR = timedelta(hours=48)
DELIVERY_FIELDS = ["attempted_send", "delivery_method", "delivery_status", "error_message",
                   "updated_at"]


def is_final(row):
    """Delivered or failed; a Dialpad-to-Dialpad recipient has no receipt: sent is final."""
    return row.delivery_status in FINAL_DELIVERY or (
        row.delivery_method == "internal" and row.attempted_send)


def store_deliveries(batch, message):
    """Each recipient's delivery as `message` (a BulkMessageProto) has it."""
    rows = {row.phone_number: row for row in batch.deliveries.all()}
    now = timezone.now()
    changed = []
    for item in message.get("recipients") or []:
        row = rows.get(item.get("phone_number")) if isinstance(item, dict) else None
        if row is None:
            continue
        row.attempted_send = bool(item.get("attempted_send"))
        row.delivery_method = str(item.get("delivery_method") or "")[:16]
        row.delivery_status = str(item.get("delivery_status") or "")[:16]
        row.error_message = str(item.get("error_message") or item.get(
            "delivery_error_details") or "")
        row.updated_at = now
        changed.append(row)
    BulkRecipient.objects.bulk_update(changed, DELIVERY_FIELDS)
    batch.status = str(message.get("status") or batch.status)
    batch.delivery_final = bool(rows) and all(is_final(row) for row in rows.values())
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
