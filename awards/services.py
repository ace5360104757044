"""Every change of a campaign or nomination goes through a function here.

Each decision: one transaction; the nomination row locked; its state and
version re-checked against what the actor saw (else AlreadyHandled, HTTP
409); the acting role checked against the open viewflow task; the FSM
transition; the audit entry; the flow routed onwards; side effects (mail,
certificate rendering) after commit."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from workflows import flows as engine
from workflows.access import has_role
from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Certificate, Organisation, Role
from workflows.notify import mail_users, users_holding

from .flows import STEP_OF_STATE, MayDayFlow
from .models import ACTIVE_STATES, AwardKind, Campaign, Nomination, NominationRevision, Quota
from .models import NominationState as S

# The fields a submitter fills in; a revision snapshot keeps these.
SNAPSHOT_FIELDS = [
    "kind", "nominee_name", "sector", "gender", "ethnicity", "birth_date", "id_number", "political_status",
    "education", "work_unit", "post", "job_title", "candidate_category", "honours", "legal_representative",
    "headcount", "deeds", "summary", "congress_discussed_on", "contact_phone",
]


def _snapshot(nomination):
    data = model_to_dict(nomination, fields=SNAPSHOT_FIELDS)
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in data.items()}


def _lock(nomination):
    """Lock the row and check it is still as the actor saw it."""
    locked = Nomination.objects.select_for_update().select_related("campaign", "organisation").get(pk=nomination.pk)
    if locked.state != nomination.state or locked.version != nomination.version:
        raise AlreadyHandled()
    return locked


def _sync(nomination, locked):
    """Let the caller's instance see the result. Written through __dict__:
    the protected FSM field refuses assignment, and django-fsm's
    refresh_from_db mixin flips a class-wide flag, which races in threads."""
    for field in Nomination._meta.concrete_fields:
        nomination.__dict__[field.attname] = locked.__dict__[field.attname]


# Campaigns ------------------------------------------------------------------

def campaign_create(*, campaign, quotas, actor, ip=None):
    """Open a campaign (unsaved `campaign`) with its quotas: a list of
    (organisation, kind, count)."""
    if not has_role(actor, Role.DISTRICT_ADMIN, campaign.district):
        raise NotAllowed(_("Only the district administrator can open a campaign."))
    with transaction.atomic():
        campaign.created_by = actor
        campaign.save()
        for organisation, kind, count in quotas:
            Quota.objects.create(campaign=campaign, organisation=organisation, kind=kind, count=count)
        log_action(
            campaign, "awards.campaign.opened", actor=actor, organisation=campaign.district,
            role=Role.DISTRICT_ADMIN, ip=ip,
            data={"quotas": [[o.pk, k, c] for o, k, c in quotas]},
        )
    return campaign


def quota_usage(campaign, intermediate, kind, exclude_pk=None):
    """(used, places) of an intermediate union's quota; places is 0 when the
    campaign gave it none."""
    quota = Quota.objects.filter(campaign=campaign, organisation=intermediate, kind=kind).first()
    used = (
        Nomination.objects.filter(
            campaign=campaign, kind=kind, organisation__path__startswith=intermediate.path, state__in=ACTIVE_STATES
        )
        .exclude(pk=exclude_pk)
        .count()
    )
    return used, (quota.count if quota else 0)


# Submitting -----------------------------------------------------------------

def _check_submittable(nomination, *, enforce_deadline):
    campaign = nomination.campaign
    if nomination.kind not in campaign.kinds:
        raise RuleViolation(_("This campaign does not offer this award."))
    if enforce_deadline and timezone.now() > campaign.submission_deadline:
        raise RuleViolation(
            _("The submission deadline (%(deadline)s) has passed.")
            % {"deadline": timezone.localtime(campaign.submission_deadline).strftime("%Y-%m-%d %H:%M")}
        )
    intermediate = nomination.intermediate_union
    if intermediate is None:
        raise RuleViolation(_("The nominating union is not under an intermediate union."))
    # Serialise submissions against the same quota: lock its row.
    list(Quota.objects.select_for_update().filter(campaign=campaign, organisation=intermediate, kind=nomination.kind))
    used, places = quota_usage(campaign, intermediate, nomination.kind, exclude_pk=nomination.pk)
    if used >= places:
        raise RuleViolation(
            _("The quota of %(org)s for “%(award)s” is used up: %(used)d of %(places)d places taken.")
            % {"org": intermediate.name, "award": nomination.get_kind_display(), "used": used, "places": places}
        )
    duplicates = Nomination.objects.filter(campaign=campaign, state__in=ACTIVE_STATES).exclude(pk=nomination.pk)
    if nomination.kind == AwardKind.INDIVIDUAL:
        duplicates = duplicates.filter(id_number=nomination.id_number)
    else:
        duplicates = duplicates.filter(kind=nomination.kind, nominee_name=nomination.nominee_name)
    if duplicates.exists():
        raise RuleViolation(
            _("%(name)s is already nominated in this campaign.") % {"name": nomination.nominee_name}
        )


def nomination_save_draft(*, nomination, actor, attachments=(), ip=None):
    """Create or update a draft (or a returned nomination being revised).
    `attachments` are unsaved Attachment objects."""
    if not has_role(actor, Role.SUBMITTER, nomination.organisation):
        raise NotAllowed(_("Only a submitter of the nominating union can edit this nomination."))
    with transaction.atomic():
        created = nomination.pk is None
        if not created:
            locked = _lock(nomination)
            if locked.state not in (S.DRAFT, S.RETURNED):
                raise AlreadyHandled(_("This nomination can no longer be edited."))
            nomination.version = locked.version + 1
        else:
            nomination.created_by = actor
        nomination.save()
        for attachment in attachments:
            attachment.nomination = nomination
            attachment.uploaded_by = actor
            attachment.save()
        log_action(
            nomination, "awards.nomination.created" if created else "awards.nomination.edited",
            actor=actor, organisation=nomination.organisation, role=Role.SUBMITTER,
            from_state=nomination.state, to_state=nomination.state, ip=ip,
            data={"attachments": [a.original_name for a in attachments]},
        )
    return nomination


def _record_round(nomination, actor):
    nomination.round += 1
    NominationRevision.objects.create(
        nomination=nomination, round=nomination.round, snapshot=_snapshot(nomination), created_by=actor
    )


def nomination_submit(*, nomination, actor, ip=None):
    """Draft → awaiting the chair's confirmation; starts the flow."""
    if not has_role(actor, Role.SUBMITTER, nomination.organisation):
        raise NotAllowed(_("Only a submitter of the nominating union can submit this nomination."))
    try:
        with transaction.atomic():
            locked = _lock(nomination)
            if locked.state != S.DRAFT:
                raise AlreadyHandled()
            _check_submittable(locked, enforce_deadline=True)
            locked.submit()
            locked.submitted_at = timezone.now()
            locked.version += 1
            _record_round(locked, actor)
            locked.save()
            MayDayFlow.start.run(case=locked)
            log_action(
                locked, "awards.nomination.submitted", actor=actor, organisation=locked.organisation,
                role=Role.SUBMITTER, from_state=S.DRAFT, to_state=locked.state, decision="submit", ip=ip,
            )
            _notify_next_on_commit(locked)
    except IntegrityError as exc:  # the unique constraint caught a concurrent duplicate
        raise RuleViolation(_("%(name)s is already nominated in this campaign.") % {"name": nomination.nominee_name}) from exc
    _sync(nomination, locked)
    return nomination


def nomination_resubmit(*, nomination, actor, comment="", ip=None):
    """Returned → awaiting the chair's confirmation again, as a new round."""
    return _decide(
        nomination, actor, "resubmit", "awards.nomination.resubmitted", "resubmit", comment, ip, new_round=True,
        before=lambda locked: _check_submittable(locked, enforce_deadline=False),
    )


# Reviewing ------------------------------------------------------------------

APPROVAL_OF_STATE = {
    S.SUBMITTED: "confirm",
    S.CONFIRMED: "approve_intermediate",
    S.INTERMEDIATE_APPROVED: "approve_district",
}


def nomination_approve(*, nomination, actor, comment="", ip=None):
    """通过: the chair confirms, or a reviewer recommends upwards."""
    transition = APPROVAL_OF_STATE.get(nomination.state)
    if transition is None:
        raise AlreadyHandled()
    return _decide(nomination, actor, transition, "awards.nomination.approved", "approve", comment, ip)


def nomination_return(*, nomination, actor, comment, ip=None):
    """退回修改: back to the submitter, who edits and resubmits."""
    if not (comment or "").strip():
        raise RuleViolation(_("Say what must be revised: a comment is required to return a nomination."))
    return _decide(nomination, actor, "return_for_revision", "awards.nomination.returned", "return", comment, ip)


def nomination_reject(*, nomination, actor, comment, ip=None):
    """不予推荐: the nomination ends here."""
    if not (comment or "").strip():
        raise RuleViolation(_("A reason is required to reject a nomination."))
    return _decide(nomination, actor, "reject", "awards.nomination.rejected", "reject", comment, ip)


def nomination_decide(*, nomination, actor, awarded, comment="", ip=None):
    """The district's decision: awarded (a certificate is issued) or not."""
    if awarded:
        return _decide(
            nomination, actor, "award", "awards.nomination.awarded", "award", comment, ip, after=_issue_certificate
        )
    if not (comment or "").strip():
        raise RuleViolation(_("A reason is required when a nomination is not awarded."))
    return _decide(nomination, actor, "decline", "awards.nomination.not_awarded", "decline", comment, ip)


def nomination_withdraw(*, nomination, actor, comment="", ip=None):
    """The submitter withdraws before the intermediate union has reviewed."""
    if not has_role(actor, Role.SUBMITTER, nomination.organisation):
        raise NotAllowed(_("Only a submitter of the nominating union can withdraw this nomination."))
    with transaction.atomic():
        locked = _lock(nomination)
        from_state = locked.state
        try:
            locked.withdraw()
        except TransitionNotAllowed as exc:
            raise RuleViolation(_("This nomination can no longer be withdrawn.")) from exc
        locked.version += 1
        locked.decided_at = timezone.now()
        locked.save()
        engine.cancel_case_flow(locked)
        log_action(
            locked, "awards.nomination.withdrawn", actor=actor, organisation=locked.organisation,
            role=Role.SUBMITTER, from_state=from_state, to_state=locked.state, decision="withdraw",
            comment=comment, ip=ip,
        )
    _sync(nomination, locked)
    return nomination


def _decide(nomination, actor, transition, action, decision, comment, ip, *, new_round=False, before=None, after=None):
    with transaction.atomic():
        locked = _lock(nomination)
        node = STEP_OF_STATE.get(locked.state)
        if node is None:
            raise AlreadyHandled()
        task = engine.lock_open_task(locked, node)
        if not engine.may_act(actor, task):
            raise NotAllowed(_("This step is not yours to take."))
        role, org_id = engine.acting_pair(task)
        from_state = locked.state
        if before is not None:
            before(locked)
        try:
            getattr(locked, transition)()
        except TransitionNotAllowed as exc:
            raise NotAllowed(_("This decision is not possible at this step.")) from exc
        locked.version += 1
        if new_round:
            locked.submitted_at = timezone.now()
            _record_round(locked, actor)
        if locked.is_final:
            locked.decided_at = timezone.now()
        locked.save()
        engine.complete_task(task, actor)
        log_action(
            locked, action, actor=actor, organisation=Organisation.objects.get(pk=org_id), role=role,
            from_state=from_state, to_state=locked.state, decision=decision, comment=comment, ip=ip,
        )
        if after is not None:
            after(locked, actor)
        _notify_next_on_commit(locked)
    _sync(nomination, locked)
    return nomination


# Certificates ---------------------------------------------------------------

def _issue_certificate(nomination, actor):
    """Allocate the next number of the campaign and record the certificate;
    its PDF is rendered after commit (and on first download if the worker
    has not got to it yet)."""
    campaign = Campaign.objects.select_for_update().get(pk=nomination.campaign_id)
    campaign.last_certificate_seq += 1
    campaign.save(update_fields=["last_certificate_seq"])
    seq = campaign.last_certificate_seq
    certificate = Certificate.objects.create(
        series=campaign.code,
        sequence=seq,
        number=campaign.format_certificate_number(seq),
        holder_name=nomination.nominee_name,
        award_title=str(nomination.award_title),
        issuer=campaign.issuing_body,
        issued_on=timezone.localdate(),
        layout=nomination.kind,
        content_type=ContentType.objects.get_for_model(nomination),
        object_id=nomination.pk,
        owner_organisation=nomination.organisation,
    )
    log_action(
        nomination, "awards.certificate.issued", actor=actor, organisation=campaign.district,
        role=Role.DISTRICT_ADMIN, data={"certificate": certificate.number},
    )
    from workflows.tasks import render_certificate

    transaction.on_commit(lambda: render_certificate.enqueue(certificate.pk))
    return certificate


def certificate_of(nomination):
    return Certificate.objects.filter(
        content_type=ContentType.objects.get_for_model(Nomination), object_id=nomination.pk
    ).order_by("-created").first()


# Side effects ---------------------------------------------------------------

def _notify_next_on_commit(nomination):
    """After commit: mail whoever must act next, and the submitter when the
    case comes back to them or ends."""
    pk, state = nomination.pk, nomination.state
    open_pairs = [engine.acting_pair(t) for t in engine.open_tasks(nomination)]

    def send():
        subject = _("UnionFlow: %(name)s — %(state)s") % {
            "name": nomination.nominee_name, "state": nomination.get_state_display()
        }
        body = _("Nomination #%(pk)s is now: %(state)s.") % {"pk": pk, "state": nomination.get_state_display()}
        recipients = {user for role, org_id in open_pairs for user in users_holding(role, org_id)}
        if state in (S.RETURNED, S.AWARDED, S.NOT_AWARDED, S.REJECTED):
            recipients.add(nomination.created_by)
        mail_users(recipients, subject, body)

    transaction.on_commit(send)
