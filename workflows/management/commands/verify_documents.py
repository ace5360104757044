from django.core.management.base import BaseCommand, CommandError

from workflows.documents.recovery import certificates_without_document
from workflows.documents.rendering import file_sha256
from workflows.models import Document


class Command(BaseCommand):
    help = ("Re-hash every stored document and report those whose file is missing or changed, and every valid "
            "certificate without its document (exit 1 if any).")

    def add_arguments(self, parser):
        parser.add_argument("--kind", help="only documents of this kind (e.g. certificate)")

    def handle(self, *args, kind=None, **options):
        documents = Document.objects.order_by("pk")
        if kind:
            documents = documents.filter(kind=kind)
        checked = bad = 0
        for document in documents.iterator(chunk_size=500):
            checked += 1
            digest = file_sha256(document)
            if digest is None:
                bad += 1
                self.stderr.write(f"MISSING   #{document.pk} {document.kind} {document.title!r}: {document.file.name}")
            elif digest != document.sha256:
                bad += 1
                self.stderr.write(
                    f"MISMATCH  #{document.pk} {document.kind} {document.title!r}: {document.file.name} "
                    f"stored {document.sha256} now {digest}"
                )
        # A certificate whose PDF was never stored has no document to
        # re-hash: it is named here, or nothing would ever say it is missing.
        undocumented = certificates_without_document() if kind in (None, "certificate") else []
        for line in undocumented:
            self.stderr.write(f"NO PDF    {line}")
        self.stdout.write(
            f"{checked} documents checked, {bad} missing or changed; "
            f"{len(undocumented)} valid certificates without their document."
        )
        if bad or undocumented:
            raise CommandError(
                f"{bad} of {checked} documents are missing or changed; "
                f"{len(undocumented)} certificates have no document.", returncode=1,
            )
