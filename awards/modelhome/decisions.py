"""The district's part after the inspections: the public notice (公示) of
the inspected applications, the decision (模范 / 合格 / not granted) that
grants a title with its certificate, and the decision on a re-inspection
(keep, downgrade, revoke).

This module is also the notice's handler (workflows.notices calls
`entry_passed` and `objection_upheld` inside its own transaction)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.notices import services as notices
from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import NoticeOutcome, Role

from . import certificates
from .models import AppKind, Application, AppState, Grade, Title, TitleStatus
from .scoring import grade_for
from .services import _lock, _sync, is_district_admin_of

S = AppState
HANDLER = "awards.modelhome.decisions"
GRADE_RANK = {"": 0, Grade.QUALIFIED: 1, Grade.MODEL: 2}


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def campaign_notice_open(*, campaign, actor, opened_on=None, ip=None):
    """Publish every inspected first application of the campaign."""
    if not is_district_admin_of(actor, campaign):
        raise NotAllowed(_("Only the district administrator can open a public notice."))
    with transaction.atomic():
        locked = list(
            Application.objects.select_for_update().select_related("organisation", "campaign")
            .filter(campaign=campaign, state=S.SCORED, kind=AppKind.APPLICATION).order_by("organisation__path", "pk")
        )
        if not locked:
            raise RuleViolation(_("No application of this campaign awaits a public notice."))
        for application in locked:
            application.publish()
            application.version += 1
            application.save()
        notice = notices.open_notice(
            scope=campaign, organisation=campaign.district, title=f"关于{campaign.title}拟命名对象的公示",
            cases=locked, fields=["organisation", "level", "inspected_total"], days=campaign.notice_days,
            actor=actor, handler=HANDLER, opened_on=opened_on,
            published=lambda a: {"organisation": a.organisation.name, "level": str(a.get_level_display()),
                                 "inspected_total": str(a.inspected_total)},
        )
        for application in locked:
            log_action(application, "modelhome.application.published", actor=actor, organisation=campaign.district,
                       role=Role.DISTRICT_ADMIN, from_state=S.SCORED, to_state=S.IN_NOTICE, ip=ip,
                       data={"notice": notice.pk})
    return notice


def _lock_in_notice(entry):
    locked = Application.objects.select_for_update().select_related("campaign").get(pk=entry.object_id)
    if locked.state != S.IN_NOTICE:
        raise AlreadyHandled()
    return locked


def entry_passed(entry, *, actor, outcome, comment, ip=None):
    locked = _lock_in_notice(entry)
    locked.pass_notice()
    locked.version += 1
    locked.save()
    log_action(locked, "modelhome.application.notice_passed", actor=actor, organisation=entry.notice.organisation,
               from_state=S.IN_NOTICE, to_state=locked.state, decision=outcome, comment=comment, ip=ip)


def objection_upheld(entry, objection, *, actor, ip=None):
    locked = _lock_in_notice(entry)
    locked.uphold_objection()
    locked.version += 1
    locked.decided_at = timezone.now()
    locked.save()
    log_action(locked, "modelhome.application.not_granted", actor=actor, organisation=entry.notice.organisation,
               role=Role.DISTRICT_ADMIN, from_state=S.IN_NOTICE, to_state=locked.state,
               decision=NoticeOutcome.UPHELD, comment=objection.finding, ip=ip)


def _mean_grade(application):
    inspections = list(application.inspections.all())
    veto = any(i.veto_found for i in inspections)
    return grade_for(application.campaign.standard_version, application.inspected_total, veto=veto)


APPLICATION_DECISIONS = ("model", "qualified", "not_granted")
REINSPECTION_DECISIONS = ("keep", "downgrade", "revoke")


def application_decide(*, application, actor, decision, comment="", version=None, ip=None):
    """The district decides. A first application after its notice: 模范 or
    合格 (no higher than the inspectors' mean allows, never with a veto
    found) or not granted. A re-inspection after the comparison: keep,
    downgrade (模范 → 合格) or revoke the title (摘牌)."""
    if not is_district_admin_of(actor, application.campaign):
        raise NotAllowed(_("Only the district administrator decides."))
    reinspection = application.kind == AppKind.REINSPECTION
    if decision not in (REINSPECTION_DECISIONS if reinspection else APPLICATION_DECISIONS):
        raise RuleViolation(_("Unknown decision."))
    with transaction.atomic():
        locked = _lock(application, states=[S.SCORED] if reinspection else [S.NOTICE_PASSED], version=version)
        earned = _mean_grade(locked)
        if reinspection:
            _decide_reinspection(locked, actor, decision, earned, comment, ip)
        else:
            _decide_application(locked, actor, decision, earned, comment, ip)
        locked.version += 1
        locked.decided_at = timezone.now()
        locked.save()
    _sync(application, locked)
    return application


def _refuse_above(earned, wanted):
    if GRADE_RANK[wanted] > GRADE_RANK[earned]:
        raise RuleViolation(
            _("The inspectors' mean (or a veto found) does not reach this grade; choose a lower one.")
        )


def _decide_application(locked, actor, decision, earned, comment, ip):
    from_state = locked.state
    if decision == "not_granted":
        locked.refuse()
        log_action(locked, "modelhome.application.not_granted", actor=actor, organisation=locked.campaign.district,
                   role=Role.DISTRICT_ADMIN, from_state=from_state, to_state=locked.state, decision=decision,
                   comment=comment, ip=ip)
        return
    grade = Grade.MODEL if decision == "model" else Grade.QUALIFIED
    _refuse_above(earned, grade)
    locked.grant()
    locked.granted_grade = grade
    campaign = locked.campaign
    today = timezone.localdate()
    title = Title.objects.create(
        holder=locked.organisation, level=locked.level, grade=grade, campaign=campaign, application=locked,
        granted_on=today, term_years=campaign.term_years, due_on=add_years(today, campaign.term_years),
        status_changed_on=today,
    )
    log_action(locked, "modelhome.application.granted", actor=actor, organisation=campaign.district,
               role=Role.DISTRICT_ADMIN, from_state=from_state, to_state=locked.state, decision=decision,
               comment=comment, ip=ip, data={"title": title.pk})
    log_action(title, "modelhome.title.granted", actor=actor, organisation=campaign.district,
               role=Role.DISTRICT_ADMIN, to_state=TitleStatus.VALID, decision=grade, comment=comment, ip=ip,
               data={"application": locked.pk, "due_on": title.due_on.isoformat()})
    certificates.issue_title_certificate(title, actor)


def _decide_reinspection(locked, actor, decision, earned, comment, ip):
    title = Title.objects.select_for_update(of=("self",)).select_related("certificate", "holder").get(
        pk=locked.title_id)
    if not title.is_held:
        raise AlreadyHandled(_("This title is no longer held."))
    district = locked.campaign.district
    today = timezone.localdate()
    from_status = title.status
    if decision == "keep":
        _refuse_above(earned, title.grade)
        locked.grant()
        locked.granted_grade = title.grade
        title.due_on = add_years(today, title.term_years)
        action = "modelhome.title.kept"
    elif decision == "downgrade":
        if title.grade != Grade.MODEL:
            raise RuleViolation(_("Only a 模范 title can be downgraded."))
        _refuse_above(earned, Grade.QUALIFIED)
        locked.grant()
        locked.granted_grade = Grade.QUALIFIED
        certificates.revoke_title_certificate(title, actor, certificates.DOWNGRADED_REASON, ip)
        title.grade = Grade.QUALIFIED
        title.status = TitleStatus.DOWNGRADED
        title.due_on = add_years(today, title.term_years)
        action = "modelhome.title.downgraded"
    else:
        locked.refuse()
        certificates.revoke_title_certificate(title, actor, certificates.REVOKED_REASON, ip)
        title.status = TitleStatus.REVOKED
        action = "modelhome.title.revoked"
    title.status_changed_on = today
    title.save()
    log_action(title, action, actor=actor, organisation=district, role=Role.DISTRICT_ADMIN, from_state=from_status,
               to_state=title.status, decision=decision, comment=comment, ip=ip,
               data={"reinspection": locked.pk, "mean": str(locked.inspected_total)})
    log_action(locked, "modelhome.application.granted" if decision != "revoke" else "modelhome.application.not_granted",
               actor=actor, organisation=district, role=Role.DISTRICT_ADMIN, from_state=S.SCORED,
               to_state=locked.state, decision=decision, comment=comment, ip=ip)
    if decision == "downgrade":
        certificates.issue_title_certificate(title, actor)


def reinspection_open(*, titles, actor, ip=None):
    """The district opens re-inspection (复查) of held titles, in bulk: each
    gets a re-inspection case on its campaign's standard, awaiting its
    inspectors. Titles already under re-inspection are skipped."""
    titles = list(titles)
    opened = []
    with transaction.atomic():
        for title in Title.objects.select_for_update(of=("self",)).select_related("campaign", "holder").filter(
            pk__in=[t.pk for t in titles]
        ).order_by("pk"):
            if not is_district_admin_of(actor, title.campaign):
                raise NotAllowed(_("Only the district administrator opens re-inspections."))
            if not title.is_held or title.reinspections.filter(state__in=[S.RECOMMENDED, S.INSPECTING, S.SCORED]).exists():
                continue
            application = Application.objects.create(
                campaign=title.campaign, organisation=title.holder, level=title.level, kind=AppKind.REINSPECTION,
                title=title, state=S.RECOMMENDED, created_by=actor, submitted_at=timezone.now(),
            )
            log_action(application, "modelhome.application.reinspection_opened", actor=actor,
                       organisation=title.campaign.district, role=Role.DISTRICT_ADMIN, to_state=S.RECOMMENDED, ip=ip,
                       data={"title": title.pk})
            log_action(title, "modelhome.title.reinspection_opened", actor=actor,
                       organisation=title.campaign.district, role=Role.DISTRICT_ADMIN, ip=ip,
                       data={"application": application.pk})
            opened.append(application)
    return opened


def due_titles(titles, *, within_days=90, today=None):
    """Held titles due for re-inspection within `within_days` (or overdue)."""
    today = today or timezone.localdate()
    return titles.filter(status__in=[TitleStatus.VALID, TitleStatus.DOWNGRADED],
                         due_on__lte=today + datetime.timedelta(days=within_days))


def titles_expire(*, titles, actor, today=None, ip=None):
    """Titles past their due date with no re-inspection under way expire;
    their certificates are revoked with the reason 到期."""
    today = today or timezone.localdate()
    expired = []
    with transaction.atomic():
        for title in Title.objects.select_for_update(of=("self",)).select_related("campaign", "certificate").filter(
            pk__in=[t.pk for t in titles], status__in=[TitleStatus.VALID, TitleStatus.DOWNGRADED], due_on__lt=today
        ).order_by("pk"):
            if not is_district_admin_of(actor, title.campaign):
                raise NotAllowed(_("Only the district administrator closes expired titles."))
            if title.reinspections.filter(state__in=[S.RECOMMENDED, S.INSPECTING, S.SCORED]).exists():
                continue
            from_status = title.status
            certificates.revoke_title_certificate(title, actor, certificates.EXPIRED_REASON, ip)
            title.status, title.status_changed_on = TitleStatus.EXPIRED, today
            title.save(update_fields=["status", "status_changed_on"])
            log_action(title, "modelhome.title.expired", actor=actor, organisation=title.campaign.district,
                       role=Role.DISTRICT_ADMIN, from_state=from_status, to_state=title.status, ip=ip)
            expired.append(title)
    return expired
