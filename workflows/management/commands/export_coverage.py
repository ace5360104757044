"""`manage.py export_coverage --year 2024 --format xlsx --output F.xlsx`:
the district's coverage figures (or an intermediate union's with
--branch CODE) of every targets section the processes registered
(workflows.coverage.targets), one sheet each, as the coverage page's
Excel download has them."""

from django.core.management.base import BaseCommand, CommandError

from workflows.coverage.targets import TARGETS_SECTIONS
from workflows.documents.xlsx import write_workbook
from workflows.models import Organisation, OrgKind


class Command(BaseCommand):
    help = "Export the coverage of the registered targets (the work plan's) for a year as an Excel workbook."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["xlsx"], default="xlsx")
        parser.add_argument("--output", required=True)
        parser.add_argument("--branch", help="code of a district or intermediate union (default: the district)")

    def handle(self, *args, year, output, branch=None, **options):
        if branch:
            scope = Organisation.objects.filter(code=branch, kind__in=[OrgKind.DISTRICT, OrgKind.INTERMEDIATE]).first()
        else:
            scope = Organisation.objects.filter(kind=OrgKind.DISTRICT, parent=None).order_by("pk").first()
        if scope is None:
            raise CommandError("No such district or intermediate union.")
        sections = sorted(TARGETS_SECTIONS.values(), key=lambda s: (s.order, s.key))
        with open(output, "wb") as out:
            out.write(write_workbook([section.sheet(scope, year) for section in sections]))
        self.stdout.write(self.style.SUCCESS(f"{scope.name} {year}: {output}"))
