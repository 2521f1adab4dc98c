"""The events app's services: receiving, processing, re-reading, the sweep, pruning and the
set-up.

For the messaging app: `sms_events_for(message_id)`, `sms_delivery_status(message_id)` and
`on_sms_event(handler)` (see `sms`).
"""

from ..selectors import sms_delivery_status, sms_events_for
from .process import event_process
from .prune import events_prune
from .receive import event_store, verify
from .refresh import refresh_run, request_refresh
from .setup import webhooks_ensure, webhooks_status
from .sms import on_sms_event
from .sweep import events_sweep

__all__ = [
    "event_process",
    "event_store",
    "events_prune",
    "events_sweep",
    "on_sms_event",
    "refresh_run",
    "request_refresh",
    "sms_delivery_status",
    "sms_events_for",
    "verify",
    "webhooks_ensure",
    "webhooks_status",
]
