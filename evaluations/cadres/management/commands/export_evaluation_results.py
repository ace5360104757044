from workflows.management.commands.export_case_document import Command as CaseDocumentCommand


class Command(CaseDocumentCommand):
    help = "Write an evaluation's result sheet (per cadre: post, date, method, entitled / present, votes, rates, result)."
    process_key, document_name, case_option = "cadres", "results", "evaluation"
