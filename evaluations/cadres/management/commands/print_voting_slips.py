from workflows.management.commands.export_case_document import Command as CaseDocumentCommand


class Command(CaseDocumentCommand):
    help = ("Print the voting codes of an evaluation as slips (PDF, 8 to an A4 page), before the vote opens. "
            "Audited with the count.")
    process_key, document_name, case_option = "cadres", "slips", "evaluation"
