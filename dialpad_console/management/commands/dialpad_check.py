from django.core.management.base import BaseCommand, CommandError

from dialpad_console.dialpad import endpoints
from dialpad_console.dialpad.check import DialpadCheckFailed, check_connection


class Command(BaseCommand):
    help = (f"Call GET {endpoints.COMPANY} with the configured key and print the company, "
            "or what is wrong.")

    def handle(self, *args, **options):
        try:
            self.stdout.write(check_connection())
        except DialpadCheckFailed as failure:
            raise CommandError(str(failure), returncode=1)
