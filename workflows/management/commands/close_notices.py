"""Close the public notices whose window has ended (run daily, e.g. from
cron next to send_reminders: `manage.py close_notices`). Safe to run
twice: a closed notice is skipped."""

import datetime

from django.core.management.base import BaseCommand

from workflows.notices.services import close_due_notices


class Command(BaseCommand):
    help = "Close the public notices whose window of working days has ended."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="Pretend today is YYYY-MM-DD.")

    def handle(self, *args, today=None, **options):
        if isinstance(today, str):  # call_command passes keyword options unparsed
            today = datetime.date.fromisoformat(today)
        closed = close_due_notices(today=today)
        for notice in closed:
            held = notice.entries.filter(outcome="pending").count()
            self.stdout.write(f"closed notice {notice.pk} «{notice.title}»; held by objections: {held}")
        if options["verbosity"] >= 1:
            self.stdout.write(f"{len(closed)} notice(s) closed")
