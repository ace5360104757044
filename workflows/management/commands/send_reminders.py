"""Send the deadline reminders and overdue notices that are due (in-app and
by e-mail). Run it daily, from cron or the worker's scheduler:

    15 8 * * *  cd /srv/unionflow && .venv/bin/python manage.py send_reminders && .venv/bin/python manage.py close_notices

Idempotent: each reminder and each overdue notice goes out once, however
often the command runs."""

import datetime

from django.core.management.base import BaseCommand

from workflows.steps.deadlines import send_reminders


class Command(BaseCommand):
    help = "Remind users of steps falling due and report overdue steps to the superior organisation."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="Pretend today is YYYY-MM-DD.")
        parser.add_argument(
            "--before", type=int, default=None, help="Remind when at most this many working days are left."
        )

    def handle(self, *args, today=None, before=None, **options):
        if isinstance(today, str):  # call_command passes keyword options unparsed
            today = datetime.date.fromisoformat(today)
        counts = send_reminders(today=today, remind_before=before)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{counts['reminded']} reminder(s), {counts['overdue']} overdue notice(s) sent")
