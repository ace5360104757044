"""Delete files held for a form that came back with errors
(workflows.attachments.held) that nobody came back for within a day. A
daily job of run_scheduler; safe to run twice or beside requests."""

import datetime

from django.core.management.base import BaseCommand

from workflows.attachments.held import HELD_FOR, prune_held


class Command(BaseCommand):
    help = "Delete held attachment files older than a day (or --hours)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=None, help="held longer than this many hours")

    def handle(self, *args, hours=None, **options):
        older_than = HELD_FOR if hours is None else datetime.timedelta(hours=hours)
        deleted = prune_held(older_than=older_than)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{deleted} held file(s) deleted")
