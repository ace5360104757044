from django.core.management.base import BaseCommand, CommandError

from awards.modelhome.excel import titles_xlsx
from awards.modelhome.models import Title


class Command(BaseCommand):
    help = "Write the register of model-home titles (every title, every status) to an Excel file."

    def add_arguments(self, parser):
        parser.add_argument("--format", default="xlsx", choices=["xlsx"], help="only xlsx")
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--status", default="", help="only titles of this status (valid, downgraded, revoked, expired)")

    def handle(self, *args, output, status, **options):
        titles = Title.objects.select_related("holder", "campaign", "certificate").order_by("due_on", "holder__path", "pk")
        if status:
            titles = titles.filter(status=status)
        data = titles_xlsx(titles)
        try:
            with open(output, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from None
        self.stdout.write(f"{output}: {titles.count()} titles.")
