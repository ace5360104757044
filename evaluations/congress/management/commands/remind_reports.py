"""`manage.py remind_reports`: remind the unions of reports due soon, tell
them and their intermediate union of reports overdue (run daily)."""

from django.core.management.base import BaseCommand

from evaluations.congress.reminders import remind_reports


class Command(BaseCommand):
    help = "Remind unions of congress reports due soon or overdue."

    def handle(self, *args, **options):
        counts = remind_reports()
        self.stdout.write(f"reminded {counts['reminded']}, overdue {counts['overdue']}")
