"""One worker per bulk message job: a claim on the job's row, alive while its holder beats.

Like the sync's claim (syncjobs.claim), whose background heartbeat it uses: taking it is a
conditional UPDATE that must change exactly one row ("my token, where the job is unfinished
and free, or held by a holder silent for DIALPAD_BULK_STALE_AFTER seconds"), so of two
workers handed the same job (a redelivered task, the periodic follow-up) exactly one runs
it. A holder that stops beating (its worker was killed) loses the job to the next taker,
which resumes it; a holder that finds its claim gone (LostClaim) stops before the next batch.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager

from django.db.models import Q
from django.utils import timezone

from syncjobs import claim as sync_claim
from syncjobs.claim import LostClaim

from .choices import JobStatus
from .models import BulkMessageJob

SETTING = "DIALPAD_BULK_STALE_AFTER"

__all__ = ["LostClaim", "beat", "claimed", "take"]


def take(job_id, token):
    """Take the job's claim with `token`; True when we hold it now."""
    now = timezone.now()
    free = Q(claim_token="") | Q(beat_at__isnull=True) | Q(
        beat_at__lt=now - sync_claim.stale_after(SETTING))
    return BulkMessageJob.objects.filter(free, pk=job_id).exclude(
        status=JobStatus.FINISHED).update(claim_token=token, beat_at=now) == 1


def beat(token):
    """Our holder is alive; LostClaim if the job is no longer ours."""
    if BulkMessageJob.objects.filter(claim_token=token).update(beat_at=timezone.now()) != 1:
        raise LostClaim("The bulk message job was taken over: this worker stops here.")


def release(token):
    BulkMessageJob.objects.filter(claim_token=token).update(claim_token="", beat_at=None)


@contextmanager
def claimed(job_id):
    """The job's claim for the body (its token), beaten for from a background thread; None
    when another live worker holds it, or the job is finished."""
    token = uuid.uuid4().hex
    if not take(job_id, token):
        yield None
        return
    try:
        with sync_claim.held(token, beat=beat, every=sync_claim.beat_every(SETTING)):
            yield token
    finally:
        release(token)
