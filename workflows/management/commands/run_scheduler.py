"""The daily jobs on a schedule, for an installation without cron and for
`make run`: send the deadline reminders (and escalations), close the
public notices whose window has ended and prune the cache of rendered
documents, once at start and then every day at UNIONFLOW_DAILY_JOBS_AT
(local time). The jobs are idempotent, so running this beside a cron
entry, or twice, does no harm.

Between them, every UNIONFLOW_SWEEP_SECONDS (default 10), the background
sweep (workflows.background.sweep): work owed after a commit that the task
queue never ran, and work whose worker died (its lease ran out), is taken
up again. Several schedulers may run: every take-over is a conditional
update.

And every UNIONFLOW_AUDIT_SEAL_SECONDS (default 2) the audit sealer
(workflows.audit_seal) links the entries committed since into the audit
log's hash chain: decisions write their entries without a site-wide lock,
the chain is built here, one sealer at a time.

    manage.py run_scheduler            # runs until stopped
    manage.py run_scheduler --once     # the daily jobs now, then exit"""

import datetime
import logging
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from workflows.audit_seal import seal_audit, seal_seconds
from workflows.background.sweep import sweep, sweep_seconds
from workflows.scheduling import ENGINE_DAILY_JOBS, daily_jobs

logger = logging.getLogger("unionflow.scheduler")

DAILY_JOBS = ENGINE_DAILY_JOBS  # and the processes' own: workflows.scheduling.daily_jobs()


def next_run(now, at):
    """The first moment at or after `now` (aware) whose local time is `at`."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate = timezone.make_aware(
            datetime.datetime.combine(local.date() + datetime.timedelta(days=1), at), local.tzinfo
        )
    return candidate


class Command(BaseCommand):
    help = "Run the daily jobs (send_reminders, close_notices, prune_document_cache and those the processes register) now and then every day at a set time."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the daily jobs once and exit")
        parser.add_argument(
            "--at", type=datetime.time.fromisoformat, default=None,
            help="local time of the daily run, HH:MM (default: setting UNIONFLOW_DAILY_JOBS_AT)",
        )

    def handle(self, *args, once=False, at=None, **options):
        if isinstance(at, str):  # call_command passes keyword options unparsed
            at = datetime.time.fromisoformat(at)
        at = at or datetime.time.fromisoformat(settings.UNIONFLOW_DAILY_JOBS_AT)
        self.seal()
        self.run_jobs()
        self.sweep()
        while not once:
            due = next_run(timezone.now(), at)
            self.stdout.write(f"next run of the daily jobs: {due:%Y-%m-%d %H:%M}")
            # Short sleeps: the sealer and the sweep run between them, and a
            # changed clock (or a suspended laptop) is noticed.
            swept = time.monotonic()
            while timezone.now() < due:
                time.sleep(min(seal_seconds(), sweep_seconds(), max(1, (due - timezone.now()).total_seconds())))
                self.seal()
                if time.monotonic() - swept >= sweep_seconds():
                    self.sweep()
                    swept = time.monotonic()
            self.run_jobs()

    def seal(self):
        try:
            seal_audit()
        except Exception:  # the database away for a moment: the next round seals what is left
            logger.exception("audit sealing failed")

    def sweep(self):
        try:
            sweep()
        except Exception:  # the database away for a moment: the next sweep tries again
            logger.exception("background sweep failed")

    def run_jobs(self):
        for name in daily_jobs():
            try:
                call_command(name, stdout=self.stdout, stderr=self.stderr)
            except Exception:  # one failing job must not stop the schedule: logged, tried again tomorrow
                logger.exception("daily job %s failed", name)
