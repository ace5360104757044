"""The audit log's one writer, and the one registry of what its action
codes mean to a reader.

An entry stores a dotted code (``awards.nomination.approved``); pages show
`action_label(code)`. Each app registers the labels of its own codes
(`register_action_labels`, from its AppConfig.ready), so the engine knows no
process and no page ever shows a raw code: an unknown one reads "Other
action"."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from workflows.models import AuditEntry

# code → lazy label. The engine's own codes; apps add theirs.
ACTION_LABELS = {
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
    """Record `action` (a dotted code such as ``awards.nomination.approved``)
    on `case`. Call it inside the transaction that changes the case, so the
    entry and the change commit or roll back together."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(case),
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
        data=data or {},
    )


def history_of(case):
    return (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)
        .select_related("actor", "organisation", "on_behalf_of")
        .order_by("created", "pk")
    )
