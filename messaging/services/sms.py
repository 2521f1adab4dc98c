"""SMS: one message to at most 10 recipients. Needs `messaging.send_sms`.

Sent from a number, as a user, or as a user on behalf of a group (messaging.senders);
recipients who opted out are left out (and named); the row (SmsMessage) is written before
the request goes out, and holds Dialpad's answer after.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dialpad_console.dialpad import endpoints, parse_id
from orgs.exceptions import PushRefused
from orgs.services._push import Push, is_object_with, raise_errors, validated_by

from .. import permissions
from ..choices import SendOutcome
from ..models import SmsMessage
from ..senders import resolve_sms_sender
from .sms_status import sms_status_apply
from ._rules import (
    SMS_MAX_RECIPIENTS, attempt, check_content, check_recipients, delivery_refusal,
    media_size, opted_out_note,
)

# Dialpad has no read of a sent SMS: after a lost answer the admin must look for it.
CANNOT_REREAD = ("Dialpad has no way to read a sent SMS back, so the console cannot tell "
                 "whether it went out: check the conversation in Dialpad before sending again.")


def sms_send_rules(*, recipients, text, from_number=None, user=None, group=None, media=None,
                   **_):
    """The sender, the recipients (at most 10, opted-out ones left out), the text and media."""
    errors = {}
    sender = attempt(errors, resolve_sms_sender, from_number=from_number, user=user,
                     group=group)
    numbers, opted_out = check_recipients(errors, recipients, sender,
                                          at_most=SMS_MAX_RECIPIENTS, bulk_hint=True)
    text, encoded = check_content(errors, text, media)
    raise_errors(errors)
    return {"sender": sender, "numbers": numbers, "opted_out": opted_out, "text": text,
            "media": encoded}


@validated_by(sms_send_rules)
def sms_send(*, actor, recipients, text, from_number=None, user=None, group=None, media=None,
             request_key=None, preview=False):
    """Send an SMS. `recipients`: entries in any common format (a list, or text with one per
    line); `media`: the attachment's bytes. Returns the SmsMessage (sent), or raises
    PushRefused / PushOutcomeUnknown carrying it as `.sms`.

    POST /api/v2/sms.
    """
    push = Push(actor=actor, operation="sms_send", permission=permissions.SEND_SMS,
                target_type="sms", preview=preview)
    push.authorize()
    values = push.validate(sms_send_rules, recipients=recipients, text=text,
                           from_number=from_number, user=user, group=group, media=media)
    sender, numbers = values["sender"], values["numbers"]
    push.target_repr = f"SMS to {', '.join(numbers)}"[:255]
    plan = push.plan(endpoints.sms_send(to_numbers=numbers, text=values["text"],
                                        media=values["media"], **sender.sms_fields()),
                     note=opted_out_note(values["opted_out"]))
    if preview:
        return plan
    row = _record(push, actor, values, request_key)
    push.target_id = str(row.pk)
    answer = None
    with push:
        try:
            answer = push.send(expect=is_object_with("id"), cannot_reread=CANNOT_REREAD)
            if answer.get("message_status") == "failed":
                raise push.refuse(delivery_refusal(answer, endpoints.SMS))
        except PushRefused as exc:
            _finish(row, exc.outcome, exc.message, exc.record, answer)
            exc.sms = row
            raise
        push.succeeded(f"Sent an SMS as {sender.label} to {len(numbers)} "
                       f"recipient{'s' if len(numbers) != 1 else ''}", row)
        _finish(row, SendOutcome.SENT, "", row.push_record, answer)
        return row


def _record(push, actor, values, request_key):
    """The row of this send, before anything goes out; a second submit of the same form is
    refused (and journaled) as invalid."""
    sender = values["sender"]
    fields = dict(
        created_by=actor, created_by_username=actor.get_username(),
        request_key=request_key or uuid.uuid4(), sender_kind=sender.kind,
        sender_label=sender.label[:255], from_number=sender.from_number, user=sender.user,
        recipients=values["numbers"], opted_out=values["opted_out"], text=values["text"],
        text_length=len(values["text"]), media_bytes=media_size(values["media"]),
    )
    if sender.group is not None:
        fields.update(sender_group_type=sender.sms_fields()["sender_group_type"],
                      sender_group_id=sender.group.pk)
    try:
        with transaction.atomic():
            return SmsMessage.objects.create(**fields)
    except IntegrityError:
        first = SmsMessage.objects.filter(request_key=fields["request_key"]).exclude(
            outcome=SendOutcome.REFUSED).first()
        when = timezone.localtime(first.created_at).strftime("%H:%M:%S") if first else "already"
        push.invalid(ValidationError(
            f"This message was already sent from this form (at {when}); nothing was sent "
            "again. Open a new message to send it once more.", code="already_sent"))


def _finish(row, outcome, message, record, answer):
    """The row as Dialpad's answer (or its absence) left it."""
    answer = answer if isinstance(answer, dict) else {}
    row.outcome = outcome
    row.message = message
    row.dialpad_id = parse_id(answer.get("id"))
    row.message_status = answer.get("message_status") or ""
    row.message_delivery_result = answer.get("message_delivery_result") or ""
    row.push_record = record
    row.save(update_fields=["outcome", "message", "dialpad_id", "message_status",
                            "message_delivery_result", "push_record"])
    # Its SMS events may have come in before Dialpad's answer did.
    sms_status_apply(message_id=row.dialpad_id)
