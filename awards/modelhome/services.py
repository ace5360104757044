"""Where a model-home application is written: self-assessment, submission,
the district's choice of inspectors and each inspector's scoring (the
intermediate union's and the district's decisions are the engine's `decide`
alone). The state changes go through the engine (`decide` / `do_transition`
on the declaration in declaration.py: row lock, version check, task check,
audit, the flow's next tasks); what is written around them (answers,
attachments, the inspectors' scores) is in the same transaction, so a
refusal saves nothing."""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.roles import Role
from workflows.audit import log_action
from workflows.attachments.services import attach
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Grade, OrgKind, TitleStatus
from workflows.organisations.access import has_role
from workflows.scoring import sheet as scoring
from workflows.scoring.assigned import assign_inspectors, hand_over, save_sheet
from workflows.scoring.rows import read_rows, write_rows
from workflows.steps.decisions import decide, do_transition, sync
from workflows.steps.standard_route import at_intermediate

from .selectors import inspector_candidates, own_inspection
from .models import AppKind, Application, AppState, Inspection, ItemAnswer, Level, Title

S = AppState
LEVEL_OF_KIND = {OrgKind.GRASSROOTS: Level.HOME, OrgKind.SUB_UNION: Level.SMALL_HOME}
CLOSED_UNGRANTED = [S.NOT_GRANTED, S.REJECTED, S.WITHDRAWN]


def is_applicant(user, application):
    return has_role(user, Role.SUBMITTER, application.organisation)


def is_recommender(user, application):
    intermediate = at_intermediate(application)
    return intermediate is not None and has_role(user, Role.REVIEWER, intermediate)


def is_district_admin_of(user, campaign):
    return has_role(user, Role.DISTRICT_ADMIN, campaign.district)


def _check_may_apply(application):
    org = application.organisation
    if org.kind not in LEVEL_OF_KIND:
        raise RuleViolation(_("Only a grassroots union (之家) or a sub-union / union group (小家) can apply."))
    # A unit holding a 模范 title of this level may not apply for it again.
    if Title.objects.filter(holder=org, level=LEVEL_OF_KIND[org.kind], grade=Grade.MODEL,
                            status=TitleStatus.VALID).exists():
        raise RuleViolation(_("%(org)s already holds this title and cannot apply for it again.") % {"org": org})
    # An application open or granted blocks a second one of the same unit.
    others = Application.objects.filter(campaign=application.campaign, organisation=org,
                                        kind=AppKind.APPLICATION).exclude(state__in=CLOSED_UNGRANTED)
    if application.pk:
        others = others.exclude(pk=application.pk)
    if others.exists():
        raise RuleViolation(_("%(org)s already has an application in this campaign.") % {"org": org})


def answers_of(application):
    items = list(application.campaign.standard_version.ordered_items())
    return (items, *read_rows(application.answers.all()))


def application_save(*, application, actor, answers, attachments=(), submit=False, ip=None):
    """Save the unit's application (new or a draft / returned one) with its
    answers and new attachments (unsaved workflows.models.Attachment,
    checked by the form, `kind` the item's id); with
    `submit`, also submit it (a draft through the `submit` transition, a
    returned one through the `resubmit` decision). A refused submission
    saves nothing: the transaction is rolled back and Incomplete names the
    items."""
    if not is_applicant(actor, application):
        raise NotAllowed(_("Only the unit's submitter can fill in its application."))
    _check_may_apply(application)
    with transaction.atomic():
        if application.pk:
            locked = Application.objects.select_for_update().select_related("campaign", "organisation").get(
                pk=application.pk)
            if locked.state not in (S.DRAFT, S.RETURNED):
                raise AlreadyHandled()
            for name in ("chair_name", "staff_count", "member_count", "satisfaction_surveyed",
                         "satisfaction_satisfied", "deeds"):
                setattr(locked, name, getattr(application, name))
        else:
            locked = application
            locked.level = LEVEL_OF_KIND[application.organisation.kind]
            locked.created_by = actor
        locked.save()
        write_rows(ItemAnswer, "application", locked, locked.campaign.standard_version.ordered_items(), answers)
        attach(locked, attachments, actor=actor)
        items, values, vetoes, evidence = answers_of(locked)
        locked.self_total = scoring.total_of(items, values)
        if not submit:
            locked.version += 1
            locked.save()
            log_action(locked, "modelhome.application.saved", actor=actor, organisation=locked.organisation,
                       role=Role.SUBMITTER, from_state=locked.state, to_state=locked.state, ip=ip,
                       data={"self_total": str(locked.self_total)})
        else:
            errors = scoring.completeness_errors(items, values, vetoes, evidence) + _figure_errors(locked)
            if errors:
                raise scoring.Incomplete(errors)
            locked.submitted_at = timezone.now()
            locked.save()
            if locked.state == S.DRAFT:
                do_transition(case=locked, actor=actor, code="submit", ip=ip,
                              data={"self_total": str(locked.self_total)})
            else:
                decide(case=locked, actor=actor, decision="resubmit", ip=ip)
    if locked is not application:
        sync(application, locked)
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


def application_withdraw(*, application, actor, ip=None):
    if not is_applicant(actor, application):
        raise NotAllowed(_("Only the unit can withdraw its application."))
    return do_transition(case=application, actor=actor, code="withdraw", ip=ip)


def inspectors_assign(*, application, actor, inspectors, version=None, ip=None):
    """The district names two or more inspectors; each gets their own
    scoring task (the engine's inspectors' step, the district
    administrator's, as the declaration says)."""
    inspectors = list(dict.fromkeys(inspectors))
    if len(inspectors) < 2:
        raise RuleViolation(_("Name at least two inspectors."))
    allowed = set(inspector_candidates(application.campaign.district).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in inspectors):
        raise RuleViolation(_("Inspectors are chosen among the district's inspectors and reviewers."))
    return assign_inspectors(case=application, actor=actor, inspectors=inspectors, sheet_model=Inspection,
                             state=S.RECOMMENDED, version=version, ip=ip)


def inspection_save(*, inspection, actor, scores, comment="", submit=False, ip=None):
    """An inspector saves (or submits) their own scores: `scores` like the
    applicant's answers ({item_id: {"score", "veto", "evidence" as note}}).
    Submitting needs every item scored; the last submission moves the
    application to the comparison (hooks.finish_scoring: the mean and the
    disagreement flag). An inspection whose task the district gave to
    another becomes theirs (hand_over)."""
    application = inspection.application
    held = own_inspection(actor, application)
    if held is None or held.pk != inspection.pk:
        raise NotAllowed(_("Only the inspector assigned to this task scores it."))
    return save_sheet(case=application, sheet=inspection, actor=actor, scores=scores, comment=comment,
                      submit=submit, ip=ip, standard=application.campaign.standard_version, state=S.INSPECTING,
                      take_over=partial(
                          hand_over, action="modelhome.inspection.handed_over", role=Role.INSPECTOR, ip=ip,
                          organisation=application.campaign.district,
                          already=_("You already inspect this application: the district must choose someone else.")))
