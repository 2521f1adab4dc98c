"""The worker's part of a bulk message: send the job's batches, each exactly once.

A run takes the job's claim (messaging.claims: one worker per job), then

1. settles every batch a previous run left "sending" (its worker died with the request maybe
   on its way) or "unknown" (Dialpad's answer was lost): it reads the user's bulk messages
   back from Dialpad and looks for the batch's title. Found: the batch was sent, and is
   recorded so. Not found, once the request is older than DIALPAD_BULK_STALE_AFTER: it
   never reached Dialpad, and goes back to pending;
2. sends each pending batch in order. The batch is marked "sending" (committed) before its
   request goes out, and its outcome recorded after; a lost answer is settled at once by the
   same read-back, and a batch that still cannot be told stays "unknown" for the next run;
3. finishes the job when no batch is left to send or settle (else the periodic follow-up,
   messaging.tasks, runs it again).

A refusal of the sender (Dialpad names from_number or user_id: the number is not the user's,
not A2P-registered, the user cannot send) stops the job: every batch would be refused the
same way. A 5xx that a read-back shows changed nothing puts the batch back in line, up to
MAX_ATTEMPTS sends.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from dialpad_console.dialpad import DialpadError, endpoints, get_client
from orgs.exceptions import PushOutcomeUnknown, PushRefused
from orgs.services._push import Push
from syncjobs.claim import stale_after

from .. import claims, permissions
from ..choices import BatchState, JobStatus
from ..models import BulkMessageBatch, BulkMessageJob
from ..recipients import without_opted_out
from .deliveries import store_deliveries
from .optouts import opt_outs_refresh

logger = logging.getLogger("messaging")

# Pages of the user's bulk messages (100 each, newest first) a read-back looks through.
READ_BACK_PAGES = 5
MAX_ATTEMPTS = 3
UNSETTLED = (BatchState.SENDING, BatchState.UNKNOWN)
SENDER_HINT = ("Dialpad sends bulk messages only as an active user, from one of the user's own "
               "numbers registered for A2P (10DLC) messaging: choose such a sender, or have "
               "the number registered, and send again.")


def bulk_job_run(*, job_id):
    """Send what is left of the job (see the module docstring); returns the job. Does nothing
    when another live worker holds it, or it is finished."""
    with claims.claimed(job_id) as token:
        job = BulkMessageJob.objects.select_related("created_by").get(pk=job_id)
        if token is None:
            return job
        first_run = job.started_at is None
        job.started_at = job.started_at or timezone.now()
        job.status = JobStatus.RUNNING
        job.save(update_fields=["status", "started_at"])
        # One client for the run: one connection, and one pacer across the batches.
        with get_client() as client:
            if first_run:
                _fresh_opt_outs(client, job)
            for batch in job.batches.filter(state__in=UNSETTLED).order_by("position"):
                settle(client, job, batch)
            while (batch := job.batches.filter(state=BatchState.PENDING).order_by(
                    "position").first()) is not None:
                claims.beat(token)  # LostClaim: another worker took the job; stop here
                if not _claim(batch):
                    continue
                stop = send_batch(job, batch, client)
                if stop:
                    _not_sent(job, batch, stop)
                    break
        _finish_if_done(job)
        return job


def _fresh_opt_outs(client, job):
    """Read the opt-out list before the first batch (a send leaves out whoever opted out
    since the last sync); if Dialpad cannot say, the mirror's list is used, as it was at the
    preview."""
    try:
        opt_outs_refresh(client)
    except DialpadError as exc:
        logger.warning("Bulk message %s: reading the SMS opt-out list failed (%s); the "
                       "console's copy is used", job.pk, exc)


def _claim(batch):
    """Mark the batch "sending" before its request goes out; False if it was not pending."""
    return BulkMessageBatch.objects.filter(pk=batch.pk, state=BatchState.PENDING).update(
        state=BatchState.SENDING, sending_since=timezone.now(),
        attempts=F("attempts") + 1) == 1


def send_batch(job, batch, client):
    """Send one claimed batch with `client`; returns why the job must stop ("" to carry
    on)."""
    batch.refresh_from_db()
    push = Push(actor=job.created_by, operation="bulk_message_send",
                permission=permissions.SEND_SMS, target_type="bulk message batch",
                target_id=batch.pk, target_repr=batch.title, client=client)
    try:
        push.authorize()
    except PermissionDenied as exc:
        _set(batch, BatchState.REFUSED, str(exc), exc.record)
        return str(exc)
    # Recipients who opted out since the job was recorded are left out now.
    recipients, skipped = without_opted_out(batch.recipients)
    batch.skipped = skipped
    if not recipients:
        _set(batch, BatchState.SKIPPED, "Not sent: every recipient has opted out since the "
                                        "message was started.", None)
        return ""
    push.plan(endpoints.bulk_message_send(
        user_id=job.user_dialpad_id, from_number=job.from_number, to_numbers=recipients,
        text=job.text, title=batch.title, media=job.media or None))
    with push:
        try:
            answer = push.send(reread=lambda: find_batch(push.client, job, batch),
                               applied=lambda found: bool(found.get("bulk_message_id")),
                               what=f"batch {batch.position}", expect=_is_bulk_answer)
        except PushOutcomeUnknown as exc:
            _set(batch, BatchState.UNKNOWN, exc.message, exc.record)
            return ""
        except PushRefused as exc:
            return _refused(batch, exc)
        message = answer.get("bulk_message") if "bulk_message" in answer else answer
        push.succeeded(f"Sent batch {batch.position} of bulk message #{job.pk} to "
                       f"{len(recipients)} recipients", batch)
        record_sent(batch, message, batch.push_record)
        return ""


def _is_bulk_answer(answer):
    return isinstance(answer, dict) and isinstance(answer.get("bulk_message"), dict) and \
        bool(answer["bulk_message"].get("bulk_message_id"))


def _refused(batch, exc):
    """A refused batch: back in line after a 5xx that changed nothing (up to MAX_ATTEMPTS),
    else refused; the job stops when Dialpad refused the sender."""
    if exc.status and exc.status >= 500 and batch.attempts < MAX_ATTEMPTS:
        _set(batch, BatchState.PENDING, exc.message, exc.record)
        return ""
    sender = exc.status in (401, 403) or (exc.reason or "").startswith(
        ("from_number", "user_id"))
    message = f"{exc.message} {SENDER_HINT}" if sender else exc.message
    _set(batch, BatchState.REFUSED, message, exc.record)
    return message if sender else ""


def find_batch(client, job, batch):
    """The batch's bulk message as Dialpad has it, found by its title ({} if none)."""
    cursor = None
    for _ in range(READ_BACK_PAGES):
        read = endpoints.bulk_messages_list(user_id=job.user_dialpad_id, cursor=cursor)
        page = client.request(read.method, read.path, json=read.body) or {}
        for message in page.get("bulk_messages") or []:
            if isinstance(message, dict) and message.get("title") == batch.title:
                return message
        cursor = page.get("cursor")
        if not cursor:
            break
    return {}


def settle(client, job, batch):
    """Read back a batch whose outcome is unknown: sent if Dialpad has it; back to pending
    if not, once its request is old enough that it cannot still land."""
    try:
        found = find_batch(client, job, batch)
    except DialpadError as exc:
        batch.message = (f"{batch.message} Reading it back failed ({exc.message}); "
                         "it will be read back again before it is ever re-sent.").strip()
        batch.save(update_fields=["message"])
        return
    if found:
        batch.message = "Read back from Dialpad after its answer was lost: it was sent."
        record_sent(batch, found, batch.push_record)
        return
    quiet_since = timezone.now() - stale_after(claims.SETTING)
    if batch.sending_since is None or batch.sending_since < quiet_since:
        _set(batch, BatchState.PENDING, "Read back from Dialpad: it was never sent; it will "
                                        "be sent (once).", batch.push_record)


def record_sent(batch, message, record):
    """The batch as Dialpad answered it (or as a read-back found it), with its recipients."""
    batch.state = BatchState.SENT
    batch.sent_at = batch.sent_at or timezone.now()
    batch.dialpad_id = str(message.get("bulk_message_id") or "")
    batch.status = str(message.get("status") or "")
    batch.push_record = record
    batch.save(update_fields=["state", "sent_at", "dialpad_id", "status", "push_record",
                              "message", "skipped"])
    store_deliveries(batch, message)


def _set(batch, state, message, record):
    batch.state = state
    batch.message = message
    if record is not None:
        batch.push_record = record
    batch.save(update_fields=["state", "message", "push_record", "skipped"])


def _not_sent(job, stopped_at, reason):
    """Every batch still pending after a refusal of the sender: not sent, and why."""
    job.batches.filter(state=BatchState.PENDING).update(
        state=BatchState.REFUSED,
        message=f"Not sent: Dialpad refused batch {stopped_at.position} for its sender "
                f"({reason})")


def _finish_if_done(job):
    if job.batches.filter(state__in=(BatchState.PENDING, *UNSETTLED)).exists():
        return
    job.status = JobStatus.FINISHED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])


def stalled_jobs():
    """Jobs a worker should take up: unfinished, and not held by a live worker."""
    silent_since = timezone.now() - stale_after(claims.SETTING) - timedelta(seconds=1)
    return BulkMessageJob.objects.exclude(status=JobStatus.FINISHED).exclude(
        beat_at__gte=silent_since).values_list("pk", flat=True)
