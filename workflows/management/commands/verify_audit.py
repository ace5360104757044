from django.core.management.base import BaseCommand, CommandError

from workflows.audit import chain_state, verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit log: walk the hash chain of sealed entries and the content hash of those not yet "
        "sealed, and name the first entry that was changed, deleted or inserted behind the application's back "
        "(exit 1 if any)."
    )

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            entry, reason = broken
            raise CommandError(
                f"Audit entry #{entry.pk} ({entry.created:%Y-%m-%d %H:%M:%S} {entry.action}) breaks the chain: "
                f"{reason}. {checked} entries read."
            )
        sealed, head, unsealed, oldest = chain_state()
        # Kept elsewhere, the count and the last hash also show entries cut
        # off the end, or the log emptied.
        line = f"Audit log intact: {sealed} entries chained" + (
            f"; last entry #{head[0]}, hash {head[1]}" if head else ""
        )
        if unsealed:
            line += (f"; {unsealed} entries not sealed yet, each matching its content hash "
                     f"(oldest from {oldest:%Y-%m-%d %H:%M:%S}; run_scheduler or seal_audit seals them)")
        self.stdout.write(line + ".")
