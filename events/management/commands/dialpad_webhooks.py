"""manage.py dialpad_webhooks ensure --url https://console.example.com/webhooks/dialpad/
manage.py dialpad_webhooks status [--url ...]
manage.py dialpad_webhooks sweep

`ensure` creates or updates the console's webhook in Dialpad (signed with
DIALPAD_WEBHOOK_SECRET) and its change-log and SMS subscriptions; running it again changes
nothing that is already right. `status` prints what exists in Dialpad (never a secret).
`sweep` processes events and re-reads left behind, in this process, without a worker.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from events import services


class Command(BaseCommand):
    help = "Set up Dialpad's webhook and event subscriptions, show them, or sweep events."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ensure = sub.add_parser("ensure", help="create or update the webhook and subscriptions")
        ensure.add_argument("--url", required=True,
                            help="the receiver's public URL, ending in /webhooks/dialpad/")
        status = sub.add_parser("status", help="what exists in Dialpad")
        status.add_argument("--url", default=None, help="mark the webhook with this URL")
        sub.add_parser("sweep", help="process events and re-reads left behind, here")

    def handle(self, *args, action, **options):
        if action == "ensure":
            return self._ensure(options["url"])
        if action == "status":
            return self._status(options["url"])
        swept = services.events_sweep(grace=timedelta(0), inline=True)
        self.stdout.write(f"Processed {swept.events} event(s); ran {swept.refreshes} re-read(s).")

    def _ensure(self, url):
        try:
            report = services.webhooks_ensure(actor=None, url=url)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for step in report.steps:
            detail = f": {step.detail}" if step.detail else ""
            self.stdout.write(f"{step.what}: {step.outcome}{detail}")
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.ok:
            raise CommandError("Dialpad's webhook is not fully set up (see above).")

    def _status(self, url):
        status = services.webhooks_status(url=url)
        for hook in status.webhooks:
            mark = "  <- this console" if hook["ours"] else ""
            signed = "signed" if hook["signed"] else "UNSIGNED"
            self.stdout.write(f"webhook {hook['id']}: {hook['hook_url']} ({signed}){mark}")
        for kind, subs in status.subscriptions.items():
            for sub in subs:
                extra = (f", direction {sub['direction']}, statuses {sub['status']}"
                         if kind == "sms" else "")
                self.stdout.write(f"{kind} subscription {sub['id']}: webhook "
                                  f"{sub['webhook_id']}, enabled {sub['enabled']}{extra}")
        for problem in status.problems:
            self.stderr.write(f"warning: {problem}")
