"""python manage.py sync_org [--json] [--dry-run]: the same sync as the Celery task, here."""

import json

from django.core.management.base import BaseCommand, CommandError

from syncjobs.choices import Status, Trigger
from syncjobs.engine import ENTITIES, run_sync

# Exit 1 when the org was not (completely) synced.
FAILING = {Status.FAILED, Status.ERRORED, Status.PARTIAL, Status.REFUSED}


class Command(BaseCommand):
    help = "Sync the Dialpad org into the mirror now, in this process (no worker needed)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true",
                            help="Print one JSON object with the run's figures, nothing else.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Compare only: report what would change, write nothing.")

    def handle(self, *args, **options):
        run = run_sync(trigger=Trigger.COMMAND, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(summary(run)))
        else:
            self.stdout.write(describe(run))
        if run.status in FAILING:
            # To stderr: with --json, stdout keeps exactly one JSON object.
            raise CommandError(f"{run} {run.get_status_display().lower()}: {run.error}",
                               returncode=1)


def summary(run):
    counts = {}
    for entity in ENTITIES:
        if entity in run.counts:
            c = run.counts[entity]
            counts[entity] = {k: c.get(k, 0) for k in ("created", "updated", "unchanged", "gone")}
    return {
        "run_id": run.pk,
        "status": run.status,
        "duration_s": round(run.duration or 0.0, 3),
        "api_calls": run.api_calls,
        "retries": run.retries,
        "rate_limited": run.rate_limited,
        "counts": counts,
    }


def describe(run):
    lines = [f"{run}: {run.get_status_display()} in {run.duration:.1f} s, "
             f"{run.api_calls} API calls ({run.retries} retries, {run.rate_limited} 429s)"
             + (" [dry run: nothing written]" if run.dry_run else "")]
    for entity, c in summary(run)["counts"].items():
        held = run.counts[entity].get("held")
        lines.append(f"  {entity:<12} {c['created']:>7} created {c['updated']:>7} updated "
                     f"{c['unchanged']:>7} unchanged {c['gone']:>6} gone"
                     + (f" ({held} held for review)" if held else ""))
    if run.error:
        lines.append(f"Error: {run.error}")
    return "\n".join(lines)
