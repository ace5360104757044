from django.core.management.base import BaseCommand, CommandError

from awards.mayday.documents import award_list_pdf, award_list_xlsx
from awards.mayday.models import Campaign


class Command(BaseCommand):
    help = "Export a campaign's award list (表彰名单), grouped by award and organisation, as PDF or Excel."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="campaign code, e.g. mayday-2024")
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx"])
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args, campaign, format, output, **options):
        try:
            campaign_obj = Campaign.objects.get(code=campaign)
        except Campaign.DoesNotExist:
            raise CommandError(f"No campaign with code {campaign!r}.") from None
        data = award_list_pdf(campaign_obj) if format == "pdf" else award_list_xlsx(campaign_obj)
        with open(output, "wb") as out:
            out.write(data)
        self.stdout.write(f"{output}: {len(data)} bytes.")
