"""What the district's decisions do to titles: a grant makes a Title (with
its term and due date) and its plaque certificate; a re-inspection keeps the
title (a new term), downgrades it (模范 → 合格, a new certificate) or
revokes it (摘牌: the certificate revoked through the engine's service).
Called by hooks.py inside the decision's transaction; the history of a
title is the audit log of its row."""

from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.audit import history_of, log_action
from workflows.exceptions import AlreadyHandled, RuleViolation
from awards.roles import Role

from . import certificates
from .models import Grade, Title, TitleStatus
from workflows.scoring.sheet import grade_for

GRADE_RANK = {"": 0, Grade.QUALIFIED: 1, Grade.MODEL: 2}


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def earned_grade(application):
    """The grade the inspectors' mean reaches; none when one of them found a
    veto situation."""
    veto = any(i.veto_found for i in application.inspections.all())
    return grade_for(application.campaign.standard_version, application.inspected_total, veto=veto)


def _refuse_above(earned, wanted):
    if GRADE_RANK[wanted] > GRADE_RANK[earned]:
        raise RuleViolation(_("The inspectors' mean (or a veto found) does not reach this grade; choose a lower one."))


def _locked_title(application):
    title = Title.objects.select_for_update(of=("self",)).select_related("certificate", "holder", "campaign").get(
        pk=application.title_id)
    if not title.is_held:
        raise AlreadyHandled(_("This title is no longer held."))
    return title


def check_decision(application, code):
    earned = earned_grade(application)
    if code == "model":
        _refuse_above(earned, Grade.MODEL)
    elif code == "qualified":
        _refuse_above(earned, Grade.QUALIFIED)
    elif code == "keep":
        _refuse_above(earned, _locked_title(application).grade)
    elif code == "downgrade":
        if _locked_title(application).grade != Grade.MODEL:
            raise RuleViolation(_("Only a 模范 title can be downgraded."))
        _refuse_above(earned, Grade.QUALIFIED)
    elif code == "revoke":
        _locked_title(application)


def grant_title(application, code, actor):
    grade = Grade.MODEL if code == "model" else Grade.QUALIFIED
    campaign = application.campaign
    today = timezone.localdate()
    application.granted_grade = grade
    application.save(update_fields=["granted_grade"])
    title = Title.objects.create(
        holder=application.organisation, level=application.level, grade=grade, campaign=campaign,
        application=application, granted_on=today, term_years=campaign.term_years,
        due_on=add_years(today, campaign.term_years), status_changed_on=today,
    )
    log_action(title, "modelhome.title.granted", actor=actor, organisation=campaign.district, role=Role.DISTRICT_ADMIN,
               to_state=TitleStatus.VALID, decision=grade,
               data={"application": application.pk, "due_on": title.due_on.isoformat()})
    certificates.issue_title_certificate(title, actor)
    return title


def apply_reinspection(application, code, actor):
    title = _locked_title(application)
    today = timezone.localdate()
    from_status = title.status
    if code == "keep":
        application.granted_grade = title.grade
        title.due_on = add_years(today, title.term_years)
        action = "modelhome.title.kept"
    elif code == "downgrade":
        application.granted_grade = Grade.QUALIFIED
        certificates.revoke_title_certificate(title, actor, certificates.DOWNGRADED_REASON)
        title.grade, title.status = Grade.QUALIFIED, TitleStatus.DOWNGRADED
        title.due_on = add_years(today, title.term_years)
        action = "modelhome.title.downgraded"
    else:
        certificates.revoke_title_certificate(title, actor, certificates.REVOKED_REASON)
        title.status = TitleStatus.REVOKED
        action = "modelhome.title.revoked"
    application.save(update_fields=["granted_grade"])
    title.status_changed_on = today
    title.save()
    # The district's reasons, as given with the decision the engine has
    # just recorded on the re-inspection, go on the title's history too.
    decided = history_of(application).order_by("-created", "-pk").first()
    log_action(title, action, actor=actor, organisation=application.campaign.district, role=Role.DISTRICT_ADMIN,
               from_state=from_status, to_state=title.status, decision=code,
               comment=decided.comment if decided is not None else "",
               data={"reinspection": application.pk, "mean": str(application.inspected_total)})
    if code == "downgrade":
        certificates.issue_title_certificate(title, actor)
    elif code == "revoke":
        from .notifications import TITLE_REVOKED, tell_unit

        tell_unit(title, TITLE_REVOKED, key=f"modelhome.revoked:{title.pk}",
                  reason=decided.comment if decided is not None else "")
