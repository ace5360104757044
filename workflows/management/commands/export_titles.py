from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from workflows.titles import registered


class Command(BaseCommand):
    help = "Write the register of titles (every title, every status) to an Excel file."

    def add_arguments(self, parser):
        parser.add_argument("--format", default="xlsx", choices=["xlsx"], help="only xlsx")
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--status", default="", help="only titles of this status (valid, downgraded, revoked, expired)")
        parser.add_argument("--process", default="", help="the process whose titles (default: the first registered)")

    def handle(self, *args, output, status, process, **options):
        rules = registered(process)
        if rules is None or rules.xlsx is None:
            raise CommandError(f"No register of titles{' of ' + process if process else ''}.")
        titles = apps.get_model(rules.model).objects.select_related(*rules.related).order_by(
            "due_on", "holder__path", "pk")
        if status:
            titles = titles.filter(status=status)
        data = rules.xlsx(titles)
        try:
            with open(output, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from None
        self.stdout.write(f"{output}: {titles.count()} titles.")
