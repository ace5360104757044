"""The only place a model-home application changes: self-assessment,
submission, the intermediate union's recommendation, the district's choice
of inspectors and each inspector's scoring. Every state change is one
transaction that locks the row, re-checks the state (and the version the
actor saw, when given), checks who acts and writes the audit entry."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.organisations.access import has_role
from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import OrgKind, Role
from workflows.documents.uploads import check_upload

from . import scoring
from .models import (
    OPEN_STATES, AppKind, Application, ApplicationAttachment, AppState, Grade, Inspection, InspectionScore,
    ItemAnswer, Level, Title, TitleStatus,
)

S = AppState
LEVEL_OF_KIND = {OrgKind.GRASSROOTS: Level.HOME, OrgKind.SUB_UNION: Level.SMALL_HOME}


class Incomplete(RuleViolation):
    """A sheet refused at submission; `errors` are (item, message) pairs."""

    def __init__(self, errors):
        super().__init__("；".join(message for _item, message in errors))
        self.errors = errors


def intermediate_of(application):
    return application.organisation.ancestor_of_kind(OrgKind.INTERMEDIATE)


def is_applicant(user, application):
    return any(has_role(user, role, application.organisation) for role in (Role.SUBMITTER, Role.CHAIR))


def is_recommender(user, application):
    intermediate = intermediate_of(application)
    return intermediate is not None and has_role(user, Role.REVIEWER, intermediate)


def is_district_admin_of(user, campaign):
    return has_role(user, Role.DISTRICT_ADMIN, campaign.district)


def _lock(application, *, states, version=None):
    locked = Application.objects.select_for_update().select_related("campaign", "organisation").get(
        pk=application.pk)
    if locked.state not in states or (version is not None and int(version) != locked.version):
        raise AlreadyHandled()
    return locked


def _sync(application, locked):
    application.__dict__["state"] = locked.state
    for name in ("version", "self_total", "inspected_total", "disagreement", "granted_grade", "submitted_at",
                 "decided_at"):
        setattr(application, name, getattr(locked, name))


def holds_title(organisation, level, exclude_title=None):
    """The unit holds a 模范 title of this level: it may not apply again."""
    qs = Title.objects.filter(holder=organisation, level=level, grade=Grade.MODEL,
                              status__in=[TitleStatus.VALID])
    if exclude_title is not None:
        qs = qs.exclude(pk=exclude_title.pk)
    return qs.exists()


def _check_may_apply(application):
    org = application.organisation
    if org.kind not in LEVEL_OF_KIND:
        raise RuleViolation(_("Only a grassroots union (之家) or a sub-union / union group (小家) can apply."))
    if holds_title(org, LEVEL_OF_KIND[org.kind]):
        raise RuleViolation(_("%(org)s already holds this title and cannot apply for it again.") % {"org": org})
    others = Application.objects.filter(campaign=application.campaign, organisation=org, kind=AppKind.APPLICATION,
                                        state__in=OPEN_STATES + [S.GRANTED])
    if application.pk:
        others = others.exclude(pk=application.pk)
    if others.exists():
        raise RuleViolation(_("%(org)s already has an application in this campaign.") % {"org": org})


def _write_answers(application, answers):
    """`answers`: {item_id: {"score": Decimal|None, "veto": bool|None, "evidence": str}}."""
    existing = {a.item_id: a for a in application.answers.all()}
    new, changed = [], []
    for item in application.campaign.standard_version.ordered_items():
        given = answers.get(item.pk)
        if given is None:
            continue
        row = existing.get(item.pk) or ItemAnswer(application=application, item=item)
        row.score, row.veto_applies, row.evidence = given.get("score"), given.get("veto"), given.get("evidence", "")
        (changed if row.pk else new).append(row)
    ItemAnswer.objects.bulk_create(new)
    ItemAnswer.objects.bulk_update(changed, ["score", "veto_applies", "evidence"])


def answers_of(application):
    items = list(application.campaign.standard_version.ordered_items())
    rows = {a.item_id: a for a in application.answers.all()}
    values = {pk: a.score for pk, a in rows.items()}
    vetoes = {pk: a.veto_applies for pk, a in rows.items()}
    evidence = {pk: a.evidence for pk, a in rows.items()}
    return items, values, vetoes, evidence


def application_save(*, application, actor, answers, attachments=(), submit=False, ip=None):
    """Save the unit's application (new or a draft / returned one) with its
    answers and new attachments [(item or None, UploadedFile)]; with
    `submit`, also submit it. A refused submission saves nothing: the
    transaction is rolled back and Incomplete names the items."""
    if not is_applicant(actor, application):
        raise NotAllowed(_("Only the unit's own submitter or chair can fill in its application."))
    for _item, upload in attachments:
        check_upload(upload)
    _check_may_apply(application)
    with transaction.atomic():
        if application.pk:
            locked = _lock(application, states=[S.DRAFT, S.RETURNED])
            for name in ("chair_name", "staff_count", "member_count", "satisfaction_surveyed",
                         "satisfaction_satisfied", "deeds"):
                setattr(locked, name, getattr(application, name))
        else:
            locked = application
            locked.level = LEVEL_OF_KIND[application.organisation.kind]
            locked.created_by = actor
        from_state = locked.state
        locked.save()
        _write_answers(locked, answers)
        for item, upload in attachments:
            ApplicationAttachment.objects.create(
                application=locked, item=item, file=upload, original_name=upload.name[:255],
                content_type=getattr(upload, "content_type", "") or "", size=upload.size, uploaded_by=actor,
            )
        items, values, vetoes, evidence = answers_of(locked)
        locked.self_total = scoring.total_of(items, values)
        if submit:
            errors = scoring.completeness_errors(items, values, vetoes, evidence)
            errors += _figure_errors(locked)
            if errors:
                raise Incomplete(errors)
            locked.submit()
            locked.submitted_at = timezone.now()
        locked.version += 1
        locked.save()
        log_action(
            locked, "modelhome.application.submitted" if submit else "modelhome.application.saved", actor=actor,
            organisation=locked.organisation, role=Role.SUBMITTER, from_state=from_state, to_state=locked.state,
            ip=ip, data={"self_total": str(locked.self_total)},
        )
    if locked is not application:
        _sync(application, locked)
    return application


def _figure_errors(application):
    errors = []
    if not application.staff_count or application.member_count is None:
        errors.append((None, _("Give the number of staff and of union members.")))
    elif application.member_count > application.staff_count:
        errors.append((None, _("There cannot be more union members than staff.")))
    if not application.satisfaction_surveyed or application.satisfaction_satisfied is None:
        errors.append((None, _("Give the members' evaluation: how many took part and how many are satisfied.")))
    elif application.satisfaction_satisfied > application.satisfaction_surveyed:
        errors.append((None, _("More members satisfied than took part in the evaluation.")))
    return errors


REVIEW_DECISIONS = {
    # decision: (transition, audit code, comment required)
    "recommend": ("recommend", "modelhome.application.recommended", False),
    "return": ("send_back", "modelhome.application.returned", True),
    "reject": ("reject", "modelhome.application.rejected", True),
}


def application_review(*, application, actor, decision, comment="", version=None, ip=None):
    """The intermediate union recommends the application, returns it for
    revision or does not recommend it."""
    if decision not in REVIEW_DECISIONS:
        raise RuleViolation(_("Unknown decision."))
    transition, action, needs_comment = REVIEW_DECISIONS[decision]
    if needs_comment and not (comment or "").strip():
        raise RuleViolation(_("Say why, for the unit to read."))
    if not is_recommender(actor, application):
        raise NotAllowed(_("Only a reviewer of the intermediate union above the unit recommends it."))
    with transaction.atomic():
        locked = _lock(application, states=[S.SUBMITTED], version=version)
        getattr(locked, transition)()
        locked.version += 1
        locked.save()
        log_action(locked, action, actor=actor, organisation=intermediate_of(locked), role=Role.REVIEWER,
                   from_state=S.SUBMITTED, to_state=locked.state, decision=decision, comment=comment, ip=ip)
    _sync(application, locked)
    return application


def application_withdraw(*, application, actor, ip=None):
    if not is_applicant(actor, application):
        raise NotAllowed(_("Only the unit can withdraw its application."))
    with transaction.atomic():
        locked = _lock(application, states=[S.DRAFT, S.SUBMITTED, S.RETURNED])
        from_state = locked.state
        locked.withdraw()
        locked.version += 1
        locked.save()
        log_action(locked, "modelhome.application.withdrawn", actor=actor, organisation=locked.organisation,
                   role=Role.SUBMITTER, from_state=from_state, to_state=locked.state, ip=ip)
    _sync(application, locked)
    return application


def inspectors_assign(*, application, actor, inspectors, version=None, ip=None):
    """The district names two or more inspectors; each gets their own
    scoring task."""
    from .selectors import inspector_candidates

    if not is_district_admin_of(actor, application.campaign):
        raise NotAllowed(_("Only the district administrator assigns inspectors."))
    inspectors = list(dict.fromkeys(inspectors))
    if len(inspectors) < 2:
        raise RuleViolation(_("Name at least two inspectors."))
    allowed = set(inspector_candidates(application.campaign.district).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in inspectors):
        raise RuleViolation(_("Inspectors are chosen among the district's inspectors and reviewers."))
    with transaction.atomic():
        locked = _lock(application, states=[S.RECOMMENDED], version=version)
        for user in inspectors:
            Inspection.objects.create(application=locked, inspector=user, assigned_by=actor)
        locked.start_inspection()
        locked.version += 1
        locked.save()
        log_action(locked, "modelhome.application.inspectors_assigned", actor=actor,
                   organisation=locked.campaign.district, role=Role.DISTRICT_ADMIN, from_state=S.RECOMMENDED,
                   to_state=locked.state, ip=ip,
                   data={"inspectors": [u.get_full_name() or u.get_username() for u in inspectors]})
    _sync(application, locked)
    return application


def inspection_save(*, inspection, actor, scores, comment="", submit=False, ip=None):
    """An inspector saves (or submits) their own scores: `scores` like the
    applicant's answers ({item_id: {"score", "veto", "evidence" as note}}).
    Submitting needs every item scored; the last submission moves the
    application to the comparison, with the mean and the disagreement flag."""
    if inspection.inspector_id != actor.pk:
        raise NotAllowed(_("Only the inspector assigned to this task scores it."))
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        application = _lock(locked.application, states=[S.INSPECTING])
        if locked.submitted_at is not None:
            raise AlreadyHandled(_("You have already submitted your scores."))
        items = list(application.campaign.standard_version.ordered_items())
        existing = {s.item_id: s for s in locked.scores.all()}
        new, changed = [], []
        for item in items:
            given = scores.get(item.pk)
            if given is None:
                continue
            row = existing.get(item.pk) or InspectionScore(inspection=locked, item=item)
            row.score, row.veto_applies, row.note = given.get("score"), given.get("veto"), (given.get("evidence")
                                                                                             or "")[:300]
            (changed if row.pk else new).append(row)
        InspectionScore.objects.bulk_create(new)
        InspectionScore.objects.bulk_update(changed, ["score", "veto_applies", "note"])
        rows = {s.item_id: s for s in locked.scores.all()}
        values = {pk: s.score for pk, s in rows.items()}
        vetoes = {pk: s.veto_applies for pk, s in rows.items()}
        locked.total = scoring.total_of(items, values)
        locked.veto_found = any(vetoes.values())
        locked.comment = comment or ""
        if submit:
            errors = scoring.completeness_errors(items, values, vetoes, {}, who="inspector")
            if errors:
                raise Incomplete(errors)
            locked.submitted_at = timezone.now()
        locked.save()
        if submit:
            log_action(application, "modelhome.application.inspection_submitted", actor=actor,
                       organisation=application.campaign.district, role="inspector", ip=ip)
            _finish_if_all_scored(application)
    inspection.submitted_at, inspection.total = locked.submitted_at, locked.total
    return locked


def _finish_if_all_scored(application):
    inspections = list(application.inspections.all())
    if any(i.submitted_at is None for i in inspections):
        return
    totals = [i.total for i in inspections]
    application.inspected_total = (sum(totals, Decimal("0")) / len(totals)).quantize(Decimal("0.01"))
    application.disagreement = max(totals) - min(totals) > application.campaign.disagreement_points
    application.finish_inspection()
    application.version += 1
    application.save()
    log_action(application, "modelhome.application.scored", organisation=application.campaign.district,
               from_state=S.INSPECTING, to_state=application.state,
               data={"mean": str(application.inspected_total), "disagreement": application.disagreement})
