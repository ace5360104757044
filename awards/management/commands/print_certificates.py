from django.core.management.base import BaseCommand, CommandError

from workflows.documents.printing import print_certificates
from workflows.documents.progress import ProgressBar


class Command(BaseCommand):
    help = "Write all valid certificates of a campaign into one PDF, a page each (the batch printing code)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True,
                            help="the code of a campaign of kinds (e.g. mayday-2024) or of model home's")
        parser.add_argument("--output", required=True, help="the PDF file to write")
        parser.add_argument("--processes", type=int, default=None, help="worker processes (default: setting or cores)")
        parser.add_argument("--chunk", type=int, default=None, help="certificates per chunk")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    def handle(self, *args, campaign, output, processes, chunk, no_progress, **options):
        ids = _model_home_certificate_ids(campaign)
        if ids is None:
            ids = _kinds_certificate_ids(campaign)
        if ids is None:
            raise CommandError(f"No campaign with code {campaign!r}.")
        if not ids:
            raise CommandError(f"Campaign {campaign!r} has no issued certificates.")
        progress = None if no_progress else ProgressBar(self.stderr._out, label="证书 ")
        with open(output, "wb") as out:
            result = print_certificates(ids, out, progress=progress, processes=processes, chunk=chunk)
        self.stdout.write(f"{output}: {result.pages} certificates, {result.pages} pages.")


def _model_home_certificate_ids(code):
    """The plaque certificates of a model-home campaign (awards.modelhome),
    or None when `code` is not one."""
    from awards.modelhome.certificates import campaign_certificates as plaque_certificates
    from awards.modelhome.models import Campaign as ModelHomeCampaign

    campaign = ModelHomeCampaign.objects.filter(code=code).first()
    if campaign is None:
        return None
    return list(plaque_certificates(campaign).values_list("pk", flat=True))


def _kinds_certificate_ids(code):
    """The certificates of a campaign of a kind (awards.kinds) by its code,
    or None when no such campaign has it (a May Day campaign carried into
    kinds kept its code and its series)."""
    from awards.kinds.endings import campaign_certificates
    from awards.kinds.models import KindCampaign

    campaign = KindCampaign.objects.filter(code=code).first()
    if campaign is None:
        return None
    return list(campaign_certificates(campaign).values_list("pk", flat=True))
