from django.core.management.base import BaseCommand

from workflows.audit_seal import seal_audit


class Command(BaseCommand):
    help = (
        "Link the audit entries not yet sealed into the hash chain (run_scheduler does this every few seconds; "
        "safe beside it: one sealer at a time)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Sealed {seal_audit()} audit entries.")
