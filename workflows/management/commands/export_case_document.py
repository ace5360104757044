"""manage.py export_case_document --process <key> --document <name>
--case <code> [--format <format>] --output <file>: a case's document as
its page prints it (workflows.documents.case_documents). A process keeps
an older command of its own name as a subclass fixing the process, the
document and the name of the case's option."""

from django.core.management.base import BaseCommand, CommandError, no_translations

from workflows.documents.case_documents import case_document
from workflows.exceptions import AlreadyHandled, RuleViolation
from workflows.steps.registry import process_named


class Command(BaseCommand):
    help = "Write a case's document (as its page prints it) to a file."
    process_key = document_name = None  # fixed by a process's own command
    case_option = "case"

    def add_arguments(self, parser):
        if self.process_key is None:
            parser.add_argument("--process", required=True, help="the process's key, as it registered its documents")
            parser.add_argument("--document", required=True, help="the document's name, e.g. results")
            formats = None
        else:
            formats = list(case_document(self.process_key, self.document_name).formats)
        parser.add_argument(f"--{self.case_option}", required=True, help="the case's code")
        parser.add_argument("--format", choices=formats, required=formats is not None and len(formats) > 1,
                            help="the document's format (its only one when left out)")
        parser.add_argument("--output", required=True, help="the file to write")

    @no_translations  # said in English, as the other commands
    def handle(self, *args, output, **options):
        case = options[self.case_option]
        key = self.process_key or options["process"]
        document = case_document(key, self.document_name or options["document"])
        if document is None:
            raise CommandError(f"The process {key!r} has no such document.")
        fmt = options["format"] or next(iter(document.formats))
        if fmt not in document.formats:
            raise CommandError(f"{document.title} is written as {', '.join(document.formats)}.")
        found = process_named(key).get_model().objects.filter(**{document.lookup: case}).first()
        if found is None:
            raise CommandError(f"No case with the code {case!r}.")
        try:
            if document.check:
                document.check(found)
            data = document.formats[fmt](found)
        except (RuleViolation, AlreadyHandled) as refusal:
            said = refusal.message if isinstance(refusal.message, list) else [refusal.message]
            raise CommandError(" ".join(str(m) for m in said)) from None
        with open(output, "wb") as f:
            f.write(data)
        self.stdout.write(self.style.SUCCESS(f"{document.title} of {getattr(found, document.lookup)} written to {output}"))
