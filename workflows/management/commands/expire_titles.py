"""Daily job (run by `manage.py run_scheduler`): titles whose term has run
out expire, unless a re-inspection is under way (workflows.titles)."""

from django.core.management.base import BaseCommand

from workflows.titles import expire_due


class Command(BaseCommand):
    help = "Expire the titles past their due date with no re-inspection under way (a daily job)."

    def handle(self, *args, **options):
        expired = expire_due()
        self.stdout.write(f"expire_titles: {len(expired)} title(s) expired.")
