"""The audit log's hash chain: each entry's hash covers its content and the
hash of the entry before it (one chain per installation, in the order the
sealer sealed them: `seal_seq`), so an entry edited, deleted or inserted out
of turn breaks the chain from there on and `manage.py verify_audit` names
it. Until it is sealed (seconds), an entry is covered by the hash of its own
content (`content_digest`), written with it.

Pure functions of field values, shared by workflows.audit.log_action (at
insert), the sealer, the migration that back-filled existing rows, and
verify_audit.
Changing what they hash breaks every stored chain: don't."""

import datetime
import hashlib
import json

# The chain's start: the "previous hash" of the first entry.
GENESIS = "0" * 64

# Hashed in this order, by value as stored (foreign keys by id, the case's
# kind by app label and model name so a dump loaded elsewhere still verifies).
FIELDS = (
    "case_kind", "object_id", "action", "actor_id", "actor_name", "on_behalf_of_id", "organisation_id", "role",
    "from_state", "to_state", "decision", "comment", "ip", "data", "created",
)


def _timestamp(value):
    return value.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")


def entry_content(entry, case_kind):
    """The hashed content of `entry` (an AuditEntry, current or historical)
    as canonical JSON text; `case_kind` is "app_label.model" of its case."""
    values = {
        "case_kind": case_kind,
        "object_id": int(entry.object_id),
        "action": entry.action,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "on_behalf_of_id": entry.on_behalf_of_id,
        "organisation_id": entry.organisation_id,
        "role": entry.role,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "decision": entry.decision,
        "comment": entry.comment,
        "ip": str(entry.ip) if entry.ip else None,
        "data": entry.data,
        "created": _timestamp(entry.created),
    }
    return json.dumps([[name, values[name]] for name in FIELDS], ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(prev_hash, content):
    """SHA-256 of the previous entry's hash and this entry's content."""
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def content_digest(content):
    """SHA-256 of an entry's own content: written with the entry, it covers
    the entry until the sealer has chained it (and after)."""
    return hashlib.sha256(content.encode()).hexdigest()
