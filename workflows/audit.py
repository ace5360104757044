"""The audit log's one writer, and the one registry of what its action
codes mean to a reader.

An entry stores a dotted code (``reports.report.accepted``); pages show
`action_label(code)`. Each app registers the labels of its own codes
(`register_action_labels`, from its AppConfig.ready), so the engine knows no
process and no page ever shows a raw code: an unknown one reads "Other
action"."""

import json

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from workflows.audit_chain import GENESIS, chain_hash, entry_content
from workflows.models import AuditEntry

# code → lazy label. The engine's own codes; apps add theirs.
ACTION_LABELS = {
    "workflows.api_token.created": _("API token created"),
    "workflows.api_token.revoked": _("API token revoked"),
    "workflows.webhook.created": _("Webhook registered"),
    "workflows.webhook.disabled": _("Webhook switched off"),
    "workflows.certificate.revoked": _("Certificate revoked"),
    "workflows.conflict.declared": _("Conflict of interest declared"),
    "workflows.delegation.created": _("Substitute named"),
    "workflows.delegation.revoked": _("Substitution ended"),
    "workflows.four_eyes.refused": _("Declined: a second level must be decided by someone else"),
    "workflows.notice.opened": _("Public notice opened"),
    "workflows.notice.closed": _("Public notice closed"),
    "workflows.notice.held": _("Held by an objection"),
    "workflows.notice.objection_lodged": _("Objection lodged"),
    "workflows.notice.objection_dismissed": _("Objection dismissed"),
    "workflows.notice.objection_upheld": _("Objection upheld"),
    "workflows.print_job.created": _("Print job created"),
    "workflows.print_job.failed": _("Print job failed"),
    "workflows.print_job.retried": _("Print job retried"),
    "workflows.print_job.requeued": _("Print job queued again by itself (its worker stopped)"),
    "workflows.recusal.refused": _("Declined for a conflict of interest"),
    "workflows.task.reassigned": _("Step reassigned"),
    "workflows.task.rerouted": _("Step rerouted"),
}

OTHER_ACTION = _("Other action")


def register_action_labels(labels):
    """Add an app's `{code: label}` to the registry (labels lazy, English
    msgids). A code registered twice keeps the later label."""
    for code, label in labels.items():
        if not isinstance(code, str) or code.count(".") < 2:
            raise ValueError(f"Audit action codes are dotted, app.thing.verb: {code!r}")
        ACTION_LABELS[code] = label


def action_label(code):
    """What the action `code` means, in the active language; never the code
    itself."""
    return ACTION_LABELS.get(code, OTHER_ACTION)


def log_action(
    case,
    action,
    *,
    actor=None,
    organisation=None,
    role="",
    from_state="",
    to_state="",
    decision="",
    comment="",
    ip=None,
    on_behalf_of=None,
    data=None,
):
    """Record `action` (a dotted code such as ``reports.report.accepted``)
    on `case`. Call it inside the transaction that changes the case, so the
    entry and the change commit or roll back together.

    The entry joins the installation's hash chain (workflows.audit_chain):
    writers take the chain's lock, read the last entry's hash and insert,
    so concurrent writers chain one after the other. The lock is held until
    the caller's transaction ends."""
    content_type = ContentType.objects.get_for_model(case)
    entry = AuditEntry(
        content_type=content_type,
        object_id=case.pk,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor is not None and actor.is_authenticated else "",
        on_behalf_of=on_behalf_of,
        organisation=organisation,
        role=role or "",
        from_state=from_state or "",
        to_state=to_state or "",
        decision=decision or "",
        comment=comment or "",
        ip=ip,
        # As the database gives it back (tuples become lists...): the hash
        # must be of what verify_audit will read.
        data=json.loads(json.dumps(data or {})),
    )
    entry.ip = AuditEntry._meta.get_field("ip").to_python(entry.ip)
    with transaction.atomic():
        _lock_chain()
        entry.prev_hash = AuditEntry.objects.order_by("-pk").values_list("entry_hash", flat=True).first() or GENESIS
        entry.entry_hash = chain_hash(
            entry.prev_hash, entry_content(entry, f"{content_type.app_label}.{content_type.model}")
        )
        entry.save(force_insert=True)
    return entry


# Any fixed number: the key of the chain's PostgreSQL advisory lock.
CHAIN_LOCK_KEY = 0x5546_4155  # "UFAU"


def _lock_chain():
    """Serialise audit writers until the transaction ends. On PostgreSQL a
    transaction-level advisory lock; SQLite's write transactions are
    already serialised (IMMEDIATE mode takes the write lock at BEGIN)."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def history_of(case):
    return (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)
        .select_related("actor", "organisation", "on_behalf_of")
        .order_by("created", "pk")
    )


def verify_chain():
    """Walk the hash chain in id order. Returns (entries checked, None) when
    it holds, else (entries checked, (entry, reason)) for the first entry
    where it breaks: that entry was changed, or the one before it was
    changed, deleted or slipped in."""
    kinds = {}
    previous, previous_pk, checked = GENESIS, None, 0
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        checked += 1
        if entry.content_type_id not in kinds:
            ct = ContentType.objects.get_for_id(entry.content_type_id)
            kinds[entry.content_type_id] = f"{ct.app_label}.{ct.model}"
        if entry.prev_hash != previous:
            after = f"#{previous_pk}" if previous_pk else "the start of the log"
            return checked, (entry, f"its link back does not match the entry before it ({after}): "
                                    "that entry was changed, or an entry between them was deleted or inserted")
        if chain_hash(previous, entry_content(entry, kinds[entry.content_type_id])) != entry.entry_hash:
            return checked, (entry, "its content does not match its hash: the entry was changed")
        previous, previous_pk = entry.entry_hash, entry.pk
    return checked, None
