"""How long the audit log is kept (等保 level 3: at least six months), as
`manage.py check_integrity` checks it.

Nothing in the app deletes audit entries (append-only model, a PostgreSQL
trigger, the hash chain). A deployment that archives entries older than
its retention must keep the chain's entries inside the window. The
checks: the configured retention is at least 180 days; the log's first
entry starts the chain (else entries before it were removed) or is older
than the window; and no break of the chain falls inside the window (an
entry inside it changed or removed). Not caught: the newest entries cut
off the end of the log (no anchor outside the database)."""

import datetime

from django.conf import settings
from django.utils import timezone

from workflows.audit_chain import GENESIS
from workflows.models import AuditEntry

MINIMUM_DAYS = 180


def retention_problems(*, broken=None, now=None):
    """Sentences naming what is wrong; `broken` is verify_chain()'s
    (entry, reason) when the chain breaks."""
    now = now or timezone.now()
    problems = []
    days = settings.UNIONFLOW_AUDIT_RETENTION_DAYS
    if days < MINIMUM_DAYS:
        problems.append(f"audit retention is set to {days} days (UNIONFLOW_AUDIT_RETENTION_DAYS): "
                        f"at least {MINIMUM_DAYS} are required")
    window_start = now - datetime.timedelta(days=max(days, MINIMUM_DAYS))
    # The chain's first link: the entry sealed first (the sealer links
    # entries in after they commit, workflows.audit_seal); entries not yet
    # sealed are checked by their own content hash, not here.
    first = (AuditEntry.objects.filter(seal_seq__isnull=False).order_by("seal_seq")
             .only("pk", "created", "prev_hash").first())
    if first is not None and first.prev_hash != GENESIS and first.created > window_start:
        problems.append(f"audit entries before #{first.pk} ({first.created:%Y-%m-%d}) are missing: "
                        f"the log must keep every entry of the last {max(days, MINIMUM_DAYS)} days")
    elif broken is not None and broken[0].created > window_start and broken[0].pk != first.pk:
        entry = broken[0]
        problems.append(f"audit entry #{entry.pk} ({entry.created:%Y-%m-%d}) is within the retention window "
                        f"and its chain is broken: entries of the last {max(days, MINIMUM_DAYS)} days "
                        "were changed or deleted")
    return problems
