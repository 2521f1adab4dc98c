"""Celery tasks of the events app: thin, they take ids and call services."""

from celery import shared_task

from . import services

# A re-read waits on the shared rate limit and the client's retries, never this long.
REFRESH_SOFT_LIMIT, REFRESH_HARD_LIMIT = 300, 360


@shared_task(name="events.tasks.event_process_task", acks_late=True,
             soft_time_limit=REFRESH_SOFT_LIMIT, time_limit=REFRESH_HARD_LIMIT)
def event_process_task(event_id):
    """Process a stored event (once, whoever else is given it), then run the re-read it
    created, if any, in the same task: one hop less between Dialpad's change and the mirror.
    """
    processed = services.event_process(event_id=event_id)
    if processed.refresh_id is not None:
        services.refresh_run(refresh_id=processed.refresh_id)


@shared_task(name="events.tasks.refresh_target_task", acks_late=True,
             soft_time_limit=REFRESH_SOFT_LIMIT, time_limit=REFRESH_HARD_LIMIT)
def refresh_target_task(refresh_id):
    """Run a re-read queued by the sweep or by another re-read (a follow-up)."""
    services.refresh_run(refresh_id=refresh_id)


@shared_task(name="events.tasks.events_sweep_task", acks_late=True)
def events_sweep_task():
    """Process what lost tasks left behind (beat runs it every minute)."""
    swept = services.events_sweep()
    return {"events": swept.events, "refreshes": swept.refreshes}


@shared_task(name="events.tasks.events_prune_task", acks_late=True)
def events_prune_task():
    """Delete processed change-log events past their retention (beat runs it daily)."""
    return {"pruned": services.events_prune()}
