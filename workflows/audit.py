"""The audit log's one writer, and the one registry of what its action
codes mean to a reader.

An entry stores a dotted code (``reports.report.accepted``); pages show
`action_label(code)`. Each app registers the labels of its own codes
(`register_action_labels`, from its AppConfig.ready), so the engine knows no
process and no page ever shows a raw code: an unknown one reads "Other
action". A process's declared decisions and labelled transitions name
their codes themselves (their buttons' labels) unless it registers
another wording."""

import contextlib
import contextvars
import json

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from workflows.audit_chain import GENESIS, chain_hash, content_digest, entry_content
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
    "workflows.standard.created": _("Scoring standard created"),
    "workflows.standard.revised": _("Scoring standard revised"),
    "workflows.standard.imported": _("Scoring standard imported from Excel"),
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


def register_default_action_labels(labels):
    """Labels a declaration implies (workflows.steps.registry): a code keeps
    one registered with `register_action_labels`, before or after."""
    for code, label in labels.items():
        ACTION_LABELS.setdefault(code, label)


def action_label(code):
    """What the action `code` means, in the active language; never the code
    itself."""
    return ACTION_LABELS.get(code, OTHER_ACTION)


class _Held:
    """Entries logged in a `written_together` block, not yet inserted, and
    the transaction block they belong to."""

    def __init__(self, block):
        self.block = block
        self.entries = []


_held = contextvars.ContextVar("unionflow_audit_held", default=None)


def _innermost_block():
    blocks = transaction.get_connection().atomic_blocks
    return blocks[-1] if blocks else None


@contextlib.contextmanager
def written_together():
    """The entries logged inside the block (a decision's own and its
    hooks', e.g. an award's certificate) are inserted together, in one
    statement, as the block ends, in the order they were logged, in the
    same transaction. The hash chain allows it: an entry carries the hash
    of its own content only, and nothing of another entry is read at
    insert.

    Held back only while the transaction block the scope was opened in is
    the innermost one: an entry logged inside a nested block (a savepoint
    that may roll back alone) is inserted at once, after those held before
    it. `history_of`, the log's reader, inserts what is held first, so a
    hook reading the case's history sees the decision. If the block fails
    nothing is inserted (the transaction rolls back anyway). A nested scope
    shares the outer one."""
    if _held.get() is not None:
        yield
        return
    token = _held.set(_Held(_innermost_block()))
    try:
        yield
        write_held()
    finally:
        _held.reset(token)


def write_held():
    """Insert the entries held by `written_together` so far (one statement)."""
    held = _held.get()
    if held is None or not held.entries:
        return
    entries, held.entries = held.entries, []
    AuditEntry.objects.bulk_create(entries)


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
    hat=None,
):
    """Record `action` (a dotted code such as ``reports.report.accepted``)
    on `case`. Call it inside the transaction that changes the case, so the
    entry and the change commit or roll back together. Inside a
    `written_together` block (a decision) the entry is inserted when the
    block ends, with the others logged in it: its id is not known before.

    No lock and no read of another entry: the entry is inserted with the
    hash of its own content, and the sealer (workflows.audit_seal) links it
    into the installation's hash chain after it commits, so two decisions
    on different cases never wait for each other here.

    `hat` (workflows.organisations.hats.Hat) is the membership the act was
    allowed under: its organisation, role and principal are recorded where
    `organisation`, `role` and `on_behalf_of` are not given. The caller
    names it; the writer never guesses one from the actor's memberships."""
    if hat is not None:
        organisation = organisation if organisation is not None else hat.organisation
        role = role or hat.role
        on_behalf_of = on_behalf_of if on_behalf_of is not None else hat.on_behalf_of
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
    entry.content_hash = content_digest(entry_content(entry, f"{content_type.app_label}.{content_type.model}"))
    held = _held.get()
    if held is not None and held.block is not None and held.block is _innermost_block():
        held.entries.append(entry)  # inserted with the others when the block ends (written_together)
        return entry
    write_held()  # what was logged before it goes in first
    entry.save(force_insert=True)
    return entry


def history_of(case):
    """The case's history in time order: its own entries and those of its
    history aliases (workflows.history_aliases), each with what it means
    to the case (`own_action`, `own_from_state`, `own_to_state`)."""
    from workflows.history_aliases import entries_of

    write_held()  # a decision's entries held back so far are part of the history
    return (
        entries_of(case)
        .select_related("actor", "organisation", "on_behalf_of")
        .order_by("created", "pk")
    )


def verify_chain():
    """Check every entry. The sealed ones are walked in chain order
    (`seal_seq`): each must link back to the one sealed before it and match
    its hash (and its content hash, where it has one). The unsealed ones,
    in id order, must match the hash of their own content. Returns
    (entries checked, None) when all hold, else (entries checked, (entry,
    reason)) for the first entry that does not: it was changed, or the one
    before it in the chain was changed, deleted or slipped in."""
    kinds = {}

    def content_of(entry):
        if entry.content_type_id not in kinds:
            ct = ContentType.objects.get_for_id(entry.content_type_id)
            kinds[entry.content_type_id] = f"{ct.app_label}.{ct.model}"
        return entry_content(entry, kinds[entry.content_type_id])

    previous, previous_pk, checked = GENESIS, None, 0
    sealed = AuditEntry.objects.filter(seal_seq__isnull=False).order_by("seal_seq")
    for entry in sealed.iterator(chunk_size=2000):
        checked += 1
        content = content_of(entry)
        if entry.prev_hash != previous:
            after = f"#{previous_pk}" if previous_pk else "the start of the log"
            return checked, (entry, f"its link back does not match the entry before it ({after}): "
                                    "that entry was changed, or an entry between them was deleted or inserted")
        if chain_hash(previous, content) != entry.entry_hash:
            return checked, (entry, "its content does not match its hash: the entry was changed")
        if entry.content_hash and content_digest(content) != entry.content_hash:
            return checked, (entry, "its content does not match its content hash: the entry was changed")
        previous, previous_pk = entry.entry_hash, entry.pk
    for entry in AuditEntry.objects.filter(seal_seq__isnull=True).order_by("pk").iterator(chunk_size=2000):
        checked += 1
        if entry.prev_hash or entry.entry_hash:
            return checked, (entry, "it carries chain hashes but no place in the chain: it was changed")
        if not entry.content_hash or content_digest(content_of(entry)) != entry.content_hash:
            return checked, (entry, "its content does not match its content hash (not sealed yet): "
                                    "the entry was changed")
    return checked, None


def chain_state():
    """(sealed count, last sealed (pk, hash) or None, unsealed count, the
    oldest unsealed entry's time or None): what verify_audit prints."""
    sealed = AuditEntry.objects.filter(seal_seq__isnull=False)
    unsealed = AuditEntry.objects.filter(seal_seq__isnull=True)
    head = sealed.order_by("-seal_seq").values_list("pk", "entry_hash").first()
    oldest = unsealed.order_by("pk").values_list("created", flat=True).first()
    return sealed.count(), head, unsealed.count(), oldest
