"""Delete the cached PDFs of documents rendered in requests that nobody
has read for UNIONFLOW_DOCUMENT_CACHE_DAYS days (workflows.documents.pdf_cache),
temporary files a crash left, and the entries read longest ago beyond
UNIONFLOW_DOCUMENT_CACHE_MAX_MB. A daily job of run_scheduler; safe to run
twice or beside requests: a pruned entry is rendered again when asked for."""

from django.conf import settings
from django.core.management.base import BaseCommand

from workflows.documents.pdf_cache import max_cache_bytes, prune


class Command(BaseCommand):
    help = "Delete cached document PDFs not read for UNIONFLOW_DOCUMENT_CACHE_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="unused for this many days (default: the setting)")

    def handle(self, *args, days=None, **options):
        days = settings.UNIONFLOW_DOCUMENT_CACHE_DAYS if days is None else int(days)
        deleted, freed = prune(max_age_days=days, max_bytes=max_cache_bytes())
        if options["verbosity"] >= 1:
            self.stdout.write(f"{deleted} cached document(s) pruned, {freed / 1e6:.1f} MB freed")
