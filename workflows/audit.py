"""The audit log's one writer."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


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
