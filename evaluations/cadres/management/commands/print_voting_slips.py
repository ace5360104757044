from django.core.management.base import BaseCommand, CommandError

from evaluations.cadres import documents, services
from evaluations.cadres.models import PRINT_STATES, Evaluation
from workflows.exceptions import AlreadyHandled


class Command(BaseCommand):
    help = ("Print the voting codes of an evaluation as slips (PDF, 8 to an A4 page), before the vote opens. "
            "Audited with the count.")

    def add_arguments(self, parser):
        parser.add_argument("--evaluation", required=True, help="the evaluation's code, e.g. pingyi-2024-jixie")
        parser.add_argument("--output", required=True, help="the PDF file to write")

    def handle(self, *args, evaluation, output, **options):
        found = Evaluation.objects.select_related("organisation").filter(code=evaluation).first()
        if found is None:
            raise CommandError(f"No evaluation with the code {evaluation!r}.")
        if found.state not in PRINT_STATES:
            # A print while voting would leave out the codes already used.
            raise CommandError(f"Slips are printed once the plan is approved and before the vote opens "
                               f"(the evaluation is {found.get_state_display()}). A lost slip is replaced on "
                               f"the evaluation's page.")
        codes = list(services.unused_codes(found))
        if not codes:
            raise CommandError("The evaluation has no unused codes.")
        data = documents.slips_pdf(found, codes)
        try:
            services.do_record_slips_printed(evaluation=found, count=len(codes), actor=None, via_command=True)
        except AlreadyHandled as exc:
            raise CommandError(str(exc.message)) from None
        with open(output, "wb") as f:
            f.write(data)
        self.stdout.write(self.style.SUCCESS(
            f"{len(codes)} slips on {-(-len(codes) // documents.SLIPS_PER_PAGE)} pages written to {output}"))
