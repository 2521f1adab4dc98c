"""Bulk messages: one message to many recipients, as batches of up to 50. Needs
`messaging.send_sms`.

`bulk_message_start` checks everything and records the job (BulkMessageJob) with its batches
(BulkMessageBatch, each with its own state), then queues the worker once they are committed.
The worker's part is in `bulk_run`: it sends the batches one by one, so that a worker killed
mid-way resumes without sending any batch twice.

Dialpad's rules: the from-number must belong to the user and be registered for A2P
messaging. The mirror cannot know the registration, so only Dialpad can refuse it; the
refusal of the first batch says so in plain words and stops the job.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dialpad_console.dialpad import endpoints
from orgs.services._push import Push, raise_errors, validated_by

from .. import permissions
from ..models import BulkMessageBatch, BulkMessageJob
from ..senders import resolve_user_sender
from ._rules import (
    BULK_BATCH_SIZE, BULK_MAX_RECIPIENTS, attempt, check_content, check_recipients,
    media_size, opted_out_note,
)

TITLE = "Dialpad Console"


def bulk_message_rules(*, user, recipients, text, from_number=None, media=None, **_):
    """The sender (a user, from one of its numbers), the recipients (opted-out ones left out),
    the text and media."""
    errors = {}
    sender = attempt(errors, resolve_user_sender, user=user, from_number=from_number)
    numbers, opted_out = check_recipients(errors, recipients, sender,
                                          at_most=BULK_MAX_RECIPIENTS)
    text, encoded = check_content(errors, text, media)
    raise_errors(errors)
    return {"sender": sender, "numbers": numbers, "opted_out": opted_out, "text": text,
            "encoded_media": encoded}


def batches_of(numbers):
    return [numbers[i:i + BULK_BATCH_SIZE] for i in range(0, len(numbers), BULK_BATCH_SIZE)]


@validated_by(bulk_message_rules)
def bulk_message_start(*, actor, user, recipients, text, from_number=None, media=None,
                       request_key=None, preview=False):
    """Record a bulk message and queue it; returns the BulkMessageJob.

    A preview returns the request of the first batch (the others differ only in their
    recipients and title), with a note saying how many batches go out.
    """
    push = Push(actor=actor, operation="bulk_message_start", permission=permissions.SEND_SMS,
                target_type="bulk message", preview=preview)
    push.authorize()
    values = push.validate(bulk_message_rules, user=user, recipients=recipients, text=text,
                           from_number=from_number, media=media)
    sender, numbers = values["sender"], values["numbers"]
    batches = batches_of(numbers)
    first = endpoints.bulk_message_send(
        user_id=sender.user.pk, from_number=sender.from_number, to_numbers=batches[0],
        text=values["text"], title=f"{TITLE} #<job>.1", media=values["encoded_media"])
    note = (f"{len(numbers)} recipients in {len(batches)} batch"
            f"{'es' if len(batches) != 1 else ''} of up to {BULK_BATCH_SIZE}, sent one after "
            "the other by a worker; this is the first. " + opted_out_note(values["opted_out"]))
    plan = push.plan(first, note=note.strip())
    if preview:
        return plan
    job = _record(push, actor, values, batches, request_key)
    transaction.on_commit(lambda: _queue(job.pk))
    return job


def _record(push, actor, values, batches, request_key):
    sender = values["sender"]
    try:
        with transaction.atomic():
            job = BulkMessageJob.objects.create(
                created_by=actor, created_by_username=actor.get_username(),
                request_key=request_key or uuid.uuid4(), title=TITLE,
                user=sender.user, user_dialpad_id=sender.user.pk,
                from_number=sender.from_number, sender_label=sender.label[:255],
                text=values["text"], media=values["encoded_media"] or "",
                media_bytes=media_size(values["encoded_media"]),
                total=sum(len(b) for b in batches), opted_out=values["opted_out"],
            )
            BulkMessageBatch.objects.bulk_create([
                BulkMessageBatch(job=job, position=n, recipients=recipients)
                for n, recipients in enumerate(batches, start=1)])
    except IntegrityError:
        push.invalid(ValidationError(
            "This bulk message was already started from this form; nothing was sent again. "
            "Open a new bulk message to send it once more.", code="already_sent"))
    return job


def _queue(job_id):
    from ..tasks import bulk_message_job_task  # the task calls back into the services

    bulk_message_job_task.delay(job_id)
