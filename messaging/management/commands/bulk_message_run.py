"""`manage.py bulk_message_run <job id>`: send what is left of a bulk message, in this
process (what the Celery task does); `--followup`: the periodic follow-up, once."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from messaging import services
from messaging.models import BulkMessageJob


class Command(BaseCommand):
    help = "Send the batches left of a bulk message job (or run the messaging follow-up)."

    def add_arguments(self, parser):
        parser.add_argument("job_id", nargs="?", type=int)
        parser.add_argument("--followup", action="store_true",
                            help="resume stalled jobs and read deliveries and schedules back")

    def handle(self, *args, job_id=None, followup=False, **options):
        if followup:
            self.stdout.write(json.dumps(services.messaging_followup()))
            return
        if job_id is None or not BulkMessageJob.objects.filter(pk=job_id).exists():
            raise CommandError(f"No bulk message job {job_id}.")
        started = time.monotonic()
        job = services.bulk_job_run(job_id=job_id)
        seconds = round(time.monotonic() - started, 3)
        states = {}
        for state in job.batches.values_list("state", flat=True):
            states[state] = states.get(state, 0) + 1
        self.stdout.write(json.dumps({"job_id": job.pk, "status": job.status,
                                      "batches": states, "seconds": seconds}))
