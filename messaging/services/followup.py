"""The periodic follow-up of what was sent (every minute, messaging.tasks): resume bulk
messages whose worker died, read deliveries back until final, read due schedules back."""

from __future__ import annotations

import logging

from dialpad_console.dialpad import DialpadError

from .bulk_run import bulk_job_run, stalled_jobs
from .deliveries import bulk_delivery_read, jobs_awaiting_delivery
from .schedules import schedules_read

logger = logging.getLogger("messaging")


def messaging_followup():
    """Run every follow-up; one failing (Dialpad down) does not stop the others. Returns
    what was done, by kind."""
    done = {"bulk_resumed": 0, "deliveries_read": 0, "schedules_read": 0}
    for key, ids, run in (
        ("bulk_resumed", stalled_jobs, lambda pk: bulk_job_run(job_id=pk)),
        ("deliveries_read", jobs_awaiting_delivery, lambda pk: bulk_delivery_read(job_id=pk)),
    ):
        for pk in list(ids()):
            try:
                run(pk)
            except DialpadError as exc:
                logger.warning("Messaging follow-up %s for job %s failed: %s", key, pk, exc)
                continue
            done[key] += 1
    try:
        done["schedules_read"] = schedules_read(due_only=True)
    except DialpadError as exc:
        logger.warning("Messaging follow-up: reading schedules failed: %s", exc)
    return done
