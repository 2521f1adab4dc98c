"""The "last_event" check of /readyz and the admin index (see dialpad_console.health)."""

from dialpad_console import health

from .selectors import BACKLOG_AFTER, age_text, event_flow


@health.register("last_event", required=False)
def last_event_check():
    flow = event_flow()
    fields = {"configured": flow.configured, "age_seconds": (
        round(flow.age_seconds) if flow.age_seconds is not None else None),
        "waiting": flow.waiting}
    if not flow.configured:
        return health.Result(health.UNKNOWN, "Not configured: set DIALPAD_WEBHOOK_SECRET, then "
                                             "run manage.py dialpad_webhooks ensure.", **fields)
    if flow.waiting:
        return health.Result(
            health.WARNING, f"{flow.waiting} event(s) or re-read(s) have waited more than "
                            f"{BACKLOG_AFTER.seconds // 60} minutes: is a worker running?",
            **fields)
    if flow.last_received_at is None:
        return health.Result(health.UNKNOWN, "No event received from Dialpad yet.", **fields)
    return health.Result(health.OK, f"The last event came {age_text(flow.age_seconds)}.",
                         **fields)
