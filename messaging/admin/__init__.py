"""Messaging's admin, as orgs.admin: read-only pages of what was sent and what is mirrored,
and push views (messaging.admin.views) for what an admin sends or changes.

    sms        sent SMS, "Send an SMS"
    bulk       bulk messages (a job's page follows its batches and deliveries)
    schedules  scheduled messages: edit, cancel, send now
    channels   channels and members (create, delete, add and remove members, through
               channel_views), and the SMS opt-out list
"""

from . import bulk, channels, schedules, sms  # noqa: F401
