"""Daily job (run by `manage.py run_scheduler`): titles whose term has run
out expire, unless a re-inspection is under way."""

from django.core.management.base import BaseCommand

from awards.modelhome.decisions import titles_expire_due


class Command(BaseCommand):
    help = "Expire the model-home titles past their due date with no re-inspection under way (a daily job)."

    def handle(self, *args, **options):
        expired = titles_expire_due()
        self.stdout.write(f"expire_titles: {len(expired)} title(s) expired.")
