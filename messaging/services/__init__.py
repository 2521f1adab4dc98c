"""Messaging's services: the only way the console sends messages or changes channels.

The same steps as the org's pushes (orgs.services, whose `_push.Push` they use): the acting
user's Django permission, the input rules (offered to forms as `<service>.validate`), the
request built by dialpad_console.dialpad.endpoints (a preview returns it), the call with its
ambiguous answers settled by a re-read, one PushRecord per push, History for mirrored rows.
One module per sub-domain:

    sms        sms_send
    bulk       bulk_message_start: the job and its batches, queued
    bulk_run   bulk_job_run: the worker's part (batches sent once, claims, resumption)
    deliveries bulk_delivery_read: per-recipient status, read back until final
    followup   messaging_followup: what the periodic task does
    schedules  schedule_create, schedules_read (Dialpad's status of the active ones)
    schedule_changes  schedule_update, schedule_cancel, schedule_send_now
    optouts    opt_outs_refresh: the SMS opt-out list read outside the full sync (before a
               bulk message's first batch)
    channels   channel_create, channel_delete, channel_member_add, channel_member_remove

Sends are the console's own records (SmsMessage, BulkMessageJob, ScheduledMessage), written
before the request goes out, so a crash in between leaves a row that says so.
"""

from .bulk import bulk_message_start
from .channels import channel_create, channel_delete, channel_member_add, channel_member_remove
from .bulk_run import bulk_job_run
from .deliveries import bulk_delivery_read
from .followup import messaging_followup
from .schedule_changes import schedule_cancel, schedule_send_now, schedule_update
from .schedules import schedule_create, schedules_read
from .sms import sms_send

__all__ = ["bulk_delivery_read", "bulk_job_run", "bulk_message_start", "channel_create",
           "channel_delete", "channel_member_add", "channel_member_remove", "messaging_followup",
           "schedule_cancel", "schedule_create", "schedule_send_now", "schedule_update",
           "schedules_read", "sms_send"]
