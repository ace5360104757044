"""Every change of a campaign or nomination goes through a function here.

Each decision: one transaction; the nomination row locked; its state and
version re-checked against what the actor saw (else AlreadyHandled, HTTP
409); the acting role checked against the open viewflow task; the FSM
transition; the audit entry; the flow routed onwards; side effects (mail,
certificate rendering) after commit."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from workflows.steps import deadlines

from workflows.organisations import recusal

from workflows.steps import fanout as signoffs
from workflows.steps import flows as engine
from workflows.organisations.access import has_role
from workflows.audit import log_action
from workflows.organisations.delegation import case_url, on_behalf_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Certificate, Organisation, Role
from workflows.notifications.services import notify

from awards.mayday.flows import STEP_OF_STATE, MayDayFlow
from awards.quotas import check_mix_decision
from awards.mayday.models import ACTIVE_STATES, AwardKind, Campaign, Nomination, NominationRevision, Quota
from awards.mayday.models import NominationState as S

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
    _check_share(nomination, intermediate)
    duplicates = Nomination.objects.filter(campaign=campaign, state__in=ACTIVE_STATES).exclude(pk=nomination.pk)
    if nomination.kind == AwardKind.INDIVIDUAL:
        duplicates = duplicates.filter(id_number=nomination.id_number)
    else:
        duplicates = duplicates.filter(kind=nomination.kind, nominee_name=nomination.nominee_name)
    if duplicates.exists():
        raise RuleViolation(
            _("%(name)s is already nominated in this campaign.") % {"name": nomination.nominee_name}
        )


def _active_under(campaign, kind, organisation, exclude_pk):
    return (
        Nomination.objects.filter(
            campaign=campaign, kind=kind, organisation__path__startswith=organisation.path, state__in=ACTIVE_STATES
        )
        .exclude(pk=exclude_pk)
    )


def _check_share(nomination, intermediate):
    """The places an intermediate union shared out among its grassroots
    unions: a union with a share stays within it; the others share what was
    not shared out."""
    parent = Quota.objects.filter(
        campaign=nomination.campaign, organisation=intermediate, kind=nomination.kind, parent__isnull=True
    ).first()
    if parent is None:
        return
    shares = list(parent.shares.select_related("organisation"))
    if not shares:
        return
    campaign, kind, pk = nomination.campaign, nomination.kind, nomination.pk
    for share in shares:
        if nomination.organisation.is_within(share.organisation):
            used = _active_under(campaign, kind, share.organisation, pk).count()
            if used >= share.count:
                raise RuleViolation(
                    _("The places %(parent)s gave %(org)s for “%(award)s” are used up: %(used)d of %(places)d taken.")
                    % {"parent": intermediate.name, "org": share.organisation.name,
                       "award": nomination.get_kind_display(), "used": used, "places": share.count}
                )
            return
    unshared = parent.count - sum(share.count for share in shares)
    used = _active_under(campaign, kind, intermediate, pk)
    for share in shares:
        used = used.exclude(organisation__path__startswith=share.organisation.path)
    used = used.count()
    if used >= unshared:
        raise RuleViolation(
            _("%(parent)s has shared its places for “%(award)s” among its unions; the %(places)d place(s) "
              "left for the others are taken (%(used)d).")
            % {"parent": intermediate.name, "award": nomination.get_kind_display(), "places": max(unshared, 0),
               "used": used}
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
            _after_route(locked)
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

def _district_approval(locked):
    """The district's review sends enterprise candidates to the sign-offs
    when the district has sign-off departments, the others to the notice."""
    if locked.is_enterprise_candidate and _signoff_departments(locked):
        return "approve_district_to_signoff"
    return "approve_district"


def _signoff_departments(nomination):
    return signoffs.departments_for(nomination.campaign.district, nomination.effective_sector)


APPROVAL_OF_STATE = {
    S.SUBMITTED: "confirm",
    S.CONFIRMED: "approve_intermediate",
    S.INTERMEDIATE_APPROVED: _district_approval,
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
    """The district's decision: awarded (a certificate is issued) or not.
    A decision that would make a mix rule of the campaign unreachable is
    refused with the figures (awards.quotas.check_mix_decision)."""
    if awarded:
        return _decide(
            nomination, actor, "award", "awards.nomination.awarded", "award", comment, ip,
            before=lambda locked: check_mix_decision(locked, awarded=True), after=_issue_certificate,
        )
    if not (comment or "").strip():
        raise RuleViolation(_("A reason is required when a nomination is not awarded."))
    return _decide(
        nomination, actor, "decline", "awards.nomination.not_awarded", "decline", comment, ip,
        before=lambda locked: check_mix_decision(locked, awarded=False),
    )


def nomination_withdraw(*, nomination, actor, comment="", ip=None):
    """The submitter withdraws before the chair's confirmation (the first
    review), or while a returned case is back with them."""
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


def _refuse_if_conflicted(nomination, actor, ip):
    """Recusal, checked before the decision's transaction so that the
    refusal's audit entry and the rerouting commit although the decision
    is refused."""
    node = STEP_OF_STATE.get(nomination.state)
    if node is None:
        return
    for task in engine.open_tasks(nomination).filter(flow_task=node):
        if engine.may_act(actor, task):
            recusal.refuse_if_conflicted(actor, nomination, task, ip=ip)
            return


def _decide(nomination, actor, transition, action, decision, comment, ip, *, new_round=False, before=None, after=None):
    _refuse_if_conflicted(nomination, actor, ip)
    # Four eyes: nobody decides two levels of one nomination (refused and logged).
    recusal.refuse_if_second_level(actor, nomination, STEP_OF_STATE.get(nomination.state), decision=decision, ip=ip)
    with transaction.atomic():
        locked = _lock(nomination)
        node = STEP_OF_STATE.get(locked.state)
        if node is None:
            raise AlreadyHandled()
        task = engine.lock_open_task(locked, node)
        if not engine.may_act(actor, task):
            raise NotAllowed(_("This step is not yours to take."))
        role, org_id = engine.acting_pair(task)
        principal = on_behalf_of(actor, task)
        from_state = locked.state
        if before is not None:
            before(locked)
        if callable(transition):
            transition = transition(locked)
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
        if locked.state == S.SIGNOFF:
            # The split opens one task per request: create them first.
            signoffs.request_signoffs(locked, _signoff_departments(locked))
        engine.complete_task(task, actor)
        log_action(
            locked, action, actor=actor, organisation=Organisation.objects.get(pk=org_id), role=role,
            from_state=from_state, to_state=locked.state, decision=decision, comment=comment, ip=ip,
            on_behalf_of=principal,
        )
        if after is not None:
            after(locked, actor)
        _after_route(locked)
        _notify_next_on_commit(locked)
    _sync(nomination, locked)
    return nomination


def _after_route(nomination):
    """After the flow has opened the next tasks: route each around conflicts
    of interest and give it its deadline."""
    for task in engine.open_tasks(nomination).filter(flow_task_type="HUMAN"):
        recusal.route_around_conflicts(nomination, task)
    days = nomination.campaign.step_deadline_days or {}
    deadlines.track(nomination, lambda step: days.get(step))


# Certificates ---------------------------------------------------------------

def certificate_award_title(campaign, nomination):
    """The title printed on the certificate, always in the district's
    language (Chinese), whatever language the deciding user browses in."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(year)s %(award)s") % {"year": campaign.year, "award": nomination.award_title}


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
        award_title=certificate_award_title(campaign, nomination),
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
    from workflows.documents.tasks import render_certificate

    transaction.on_commit(lambda: render_certificate.enqueue(certificate.pk))
    return certificate


def certificate_of(nomination):
    return Certificate.objects.filter(
        content_type=ContentType.objects.get_for_model(Nomination), object_id=nomination.pk
    ).order_by("-created").first()


def certificate_reissue(*, certificate, actor, comment="", ip=None):
    """A revoked certificate of an awarded nomination is replaced by a new
    certificate with the campaign's next number (the revoked one stays
    revoked). District administrator only."""
    from workflows.documents.services import administered_district

    if administered_district(actor, certificate.owner_organisation) is None:
        raise NotAllowed(_("Only the district administrator can reissue a certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        nomination = Nomination.objects.select_for_update().get(pk=locked.object_id)
        if not locked.is_revoked:
            raise RuleViolation(_("Only a revoked certificate can be reissued."))
        if nomination.state != S.AWARDED:
            raise RuleViolation(_("Only an awarded nomination can receive a certificate."))
        if Certificate.objects.filter(
            content_type=locked.content_type, object_id=nomination.pk, status="valid"
        ).exists():
            raise AlreadyHandled(_("This nomination already has a valid certificate."))
        new = _issue_certificate(nomination, actor)
        log_action(
            nomination, "awards.certificate.reissued", actor=actor, organisation=nomination.campaign.district,
            role=Role.DISTRICT_ADMIN, comment=comment, ip=ip,
            data={"certificate": new.number, "certificate_id": new.pk, "replaces": locked.number,
                  "replaces_id": locked.pk},
        )
    return new


# Side effects ---------------------------------------------------------------

def _notify_next_on_commit(nomination):
    """Tell whoever may act next (substitutes included, recused reviewers
    left out), and the submitter when the case comes back to them or ends:
    an in-app notification now, the e-mail after commit."""
    recipients = {}
    for task in engine.open_tasks(nomination).filter(flow_task_type="HUMAN"):
        for user in recusal.eligible_actors(task, nomination):
            recipients[user.pk] = user
    if nomination.state in (S.RETURNED, S.AWARDED, S.NOT_AWARDED, S.REJECTED):
        recipients[nomination.created_by_id] = nomination.created_by
    if not recipients:
        return
    subject = _("UnionFlow: %(name)s — %(state)s") % {
        "name": nomination.nominee_name, "state": nomination.get_state_display()
    }
    body = _("Nomination #%(pk)s is now: %(state)s.") % {"pk": nomination.pk, "state": nomination.get_state_display()}
    notify(recipients.values(), title=subject, body=body, url=case_url(nomination))
