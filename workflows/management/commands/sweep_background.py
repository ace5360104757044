"""Take up background work a dead process left: outbox rows the task queue
never ran or whose worker died, and print jobs whose worker stopped.
`manage.py run_scheduler` does this every few seconds; this command runs one
sweep (for cron, or by hand), or keeps sweeping with --loop."""

import time

from django.core.management.base import BaseCommand

from workflows.background.sweep import sweep, sweep_seconds


class Command(BaseCommand):
    help = "Run the background work left by stopped workers (outbox, print jobs); once, or with --loop."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sweeping every UNIONFLOW_SWEEP_SECONDS")

    def handle(self, *args, loop=False, **options):
        while True:
            result = sweep()
            self.stdout.write(
                f"outbox: {result.ran} done, {result.failed} failed; print jobs: {result.print_jobs_requeued} "
                f"queued again, {result.print_jobs_failed} failed, {result.print_jobs_queued} handed to the queue."
            )
            if not loop:
                return
            time.sleep(sweep_seconds())
