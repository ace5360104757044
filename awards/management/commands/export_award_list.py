from django.core.management.base import BaseCommand, CommandError

from awards.kinds.endings_views import approved_list_file
from awards.kinds.models import KindCampaign


class Command(BaseCommand):
    help = ("Export a campaign's award list (表彰名单) of every union, kind by kind and grouped by union, "
            "as PDF or Excel.")

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="the campaign's code, e.g. mayday-2024")
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx"])
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args, campaign, format, output, **options):
        found = KindCampaign.objects.filter(code=campaign).first()
        if found is None:
            raise CommandError(f"No campaign with code {campaign!r}.")
        data, _name = approved_list_file(None, found, format)
        with open(output, "wb") as out:
            out.write(data)
        self.stdout.write(f"{output}: {len(data)} bytes.")
