from django.core.management.base import BaseCommand, CommandError

from workflows.audit import verify_chain


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain and name the first entry that was changed, deleted or inserted "
        "behind the application's back (exit 1 if any)."
    )

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            entry, reason = broken
            raise CommandError(
                f"Audit entry #{entry.pk} ({entry.created:%Y-%m-%d %H:%M:%S} {entry.action}) breaks the chain: "
                f"{reason}. {checked} entries read."
            )
        self.stdout.write(f"Audit log intact: {checked} entries chained.")
