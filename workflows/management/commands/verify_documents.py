from django.core.management.base import BaseCommand, CommandError

from workflows.documents.rendering import file_sha256
from workflows.models import Document


class Command(BaseCommand):
    help = "Re-hash every stored document and report those whose file is missing or changed (exit 1 if any)."

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
        self.stdout.write(f"{checked} documents checked, {bad} missing or changed.")
        if bad:
            raise CommandError(f"{bad} of {checked} documents are missing or changed.", returncode=1)
