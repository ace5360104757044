from django.core.management.base import BaseCommand, CommandError

from evaluations.cadres import documents
from evaluations.cadres.models import RESULT_STATES, Evaluation


class Command(BaseCommand):
    help = "Write an evaluation's result sheet (per cadre: post, date, method, entitled / present, votes, rates, result)."

    def add_arguments(self, parser):
        parser.add_argument("--evaluation", required=True, help="the evaluation's code, e.g. pingyi-2024-fangzhi")
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx"])
        parser.add_argument("--output", required=True)

    def handle(self, *args, evaluation, output, **options):
        found = Evaluation.objects.select_related("organisation").filter(code=evaluation).first()
        if found is None:
            raise CommandError(f"No evaluation with the code {evaluation!r}.")
        if found.state not in RESULT_STATES:
            raise CommandError(f"The result sheet exists once the ballots are tallied "
                               f"(the evaluation is {found.get_state_display()}).")
        data = documents.result_sheet_pdf(found) if options["format"] == "pdf" else documents.result_sheet_xlsx(found)
        with open(output, "wb") as f:
            f.write(data)
        self.stdout.write(self.style.SUCCESS(f"Result sheet of {found.code} written to {output}"))
