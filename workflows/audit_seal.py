"""The audit chain's one sealer: links committed, unsealed entries into the
hash chain (workflows.audit_chain), in id order among those it finds, each
after the last entry sealed.

Decisions insert their entries with a hash of their own content and no
lock (workflows.audit.log_action); the chain is built here, off their
path. `manage.py run_scheduler` seals every UNIONFLOW_AUDIT_SEAL_SECONDS
(default 2), `manage.py seal_audit` on demand.

Invariants:
- One sealer at a time: each batch runs in its own short transaction that
  first takes the chain's PostgreSQL advisory lock (on SQLite the write
  transaction is already exclusive). Nothing else takes that lock, so the
  only thing that ever waits for it is another sealer.
- An entry is sealed once: `seal_seq IS NULL` in the UPDATE's WHERE, and
  the PostgreSQL trigger lets through only that change (NULL → a place,
  "" → two hashes, every other column as it was).
- Only committed entries are seen (READ COMMITTED, the snapshot taken after
  the lock), so an entry committed late is simply sealed later, after the
  ones sealed before it: the chain's order is the sealing order
  (`seal_seq`), not the id order."""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from workflows.audit_chain import GENESIS, chain_hash, content_digest, entry_content
from workflows.models import AuditEntry

logger = logging.getLogger(__name__)

# Any fixed number: the key of the chain's PostgreSQL advisory lock.
CHAIN_LOCK_KEY = 0x5546_4155  # "UFAU"

BATCH = 500


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _seal_batch(limit):
    with transaction.atomic():
        _lock_chain()
        head = (
            AuditEntry.objects.filter(seal_seq__isnull=False).order_by("-seal_seq")
            .values_list("seal_seq", "entry_hash").first()
        )
        seq, previous = head if head is not None else (0, GENESIS)
        pending = list(AuditEntry.objects.filter(seal_seq__isnull=True).order_by("pk")[:limit])
        rows = []
        for entry in pending:
            ct = ContentType.objects.get_for_id(entry.content_type_id)
            content = entry_content(entry, f"{ct.app_label}.{ct.model}")
            if entry.content_hash and content_digest(content) != entry.content_hash:
                # Sealed as found: its content hash still shows the change
                # to verify_audit, and the chain goes on.
                logger.error("Audit entry #%s was changed before it was sealed (content hash differs)", entry.pk)
            seq += 1
            entry_hash = chain_hash(previous, content)
            rows.append((seq, previous, entry_hash, entry.pk))
            previous = entry_hash
        if rows:
            with connection.cursor() as cursor:
                # Raw SQL: the model's managers refuse every UPDATE.
                cursor.executemany(
                    f"UPDATE {AuditEntry._meta.db_table} SET seal_seq = %s, prev_hash = %s, entry_hash = %s "
                    "WHERE id = %s AND seal_seq IS NULL",
                    rows,
                )
    return len(rows)


def seal_audit(*, limit=BATCH):
    """Seal every committed unsealed entry, in batches of `limit` (each its
    own transaction, so the lock is held briefly). Returns how many."""
    total = 0
    while True:
        sealed = _seal_batch(limit)
        total += sealed
        if sealed < limit:
            return total


def seal_seconds():
    return float(getattr(settings, "UNIONFLOW_AUDIT_SEAL_SECONDS", 2))
