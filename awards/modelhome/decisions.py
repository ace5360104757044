"""The district's part after the inspections: the public notice (公示) of
the inspected first applications, the remedies for a disagreement, opening
re-inspections in bulk (titles expire by the engine's daily job). The
decision itself (模范 / 合格 / not granted, or keep / downgrade / revoke after
a re-inspection) is the engine's `decide` on the declaration; what it does
to a title is hooks.py's.

The notice is wired by the engine (workflows.notices.wiring): this module
says what it lists; the handler registered under "modelhome" moves an
application on when its entry passes or an objection is upheld."""

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.roles import Role
from workflows.conflicts import retry_on_conflict
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.notices.holds import hold_out
from workflows.notices.wiring import publish_on_notice, register_transition_notices
from workflows.scoring.assigned import add_inspector, rescore
from workflows.steps.decisions import do_transition

# Titles falling due and the daily job expiring them (`manage.py
# expire_titles`) are the engine's (workflows.titles).
from workflows.titles import open_reinspections

from .hooks import TITLES
from .models import AppKind, Application, AppState, Inspection
from .selectors import inspector_candidates
from .services import is_district_admin_of

S = AppState
# The notice's handler is the engine's (workflows.notices.wiring): an entry
# passing takes the declaration's pass_notice, an upheld objection its
# uphold_objection.
HANDLER = register_transition_notices(
    "modelhome", model=Application, in_notice=S.IN_NOTICE,
    label=lambda entry: entry.published.get("organisation") or entry.object_id,
)


@retry_on_conflict
def campaign_notice_open(*, campaign, actor, opened_on=None, ip=None):
    """Publish every inspected first application of the campaign."""
    if not is_district_admin_of(actor, campaign):
        raise NotAllowed(_("Only the district administrator can open a public notice."))
    notice, _locked = publish_on_notice(
        scope=campaign, organisation=campaign.district, title=f"关于{campaign.title}拟命名对象的公示",
        cases=Application.objects.filter(campaign=campaign, state=S.SCORED, kind=AppKind.APPLICATION, notice_hold="")
        .select_related("organisation", "campaign"),
        # Listed on the notice in the tree's order.
        order=lambda a: (a.organisation.path, a.pk),
        fields=["organisation", "level", "inspected_total"], days=campaign.notice_days,
        actor=actor, handler=HANDLER, opened_on=opened_on, ip=ip,
        published=lambda a: {"organisation": a.organisation.name, "level": str(a.get_level_display()),
                             "inspected_total": str(a.inspected_total)},
        empty_message=_("No application of this campaign awaits a public notice."),
    )
    return notice


def _awaiting_notice(locked):
    if locked.state != S.SCORED or locked.kind != AppKind.APPLICATION:
        raise AlreadyHandled(_("This application is not awaiting a public notice."))


def _hold_out(application, actor, reason, **what):
    if not is_district_admin_of(actor, application.campaign):
        raise NotAllowed(_("Only the district administrator decides what goes on a public notice."))
    return hold_out(application, reason=reason, awaiting=_awaiting_notice, actor=actor,
                    organisation=application.campaign.district, role=Role.DISTRICT_ADMIN, **what)


def notice_hold(*, application, actor, reason, ip=None):
    """Keep a disputed inspected application out of the next public notice
    (the others go on it); released later, it goes on the following one."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Say why the application is held out of the notice."))
    return _hold_out(application, actor, reason, ip=ip, action="modelhome.application.held_from_notice",
                     refused=_("This application is already held out of the public notice."))


def notice_release(*, application, actor, ip=None):
    """The dispute is settled: the application goes on the next notice."""
    return _hold_out(application, actor, "", ip=ip, action="modelhome.application.released_to_notice",
                     refused=_("This application is not held out of the public notice."))


def _check_remedy(reason):
    # Who may is the declared transitions' (the district administrator).
    if not (reason or "").strip():
        raise RuleViolation(_("Say why, for the inspector to read."))


def _reset_scoring(locked):
    # The mean and the flag are worked out again when the scores are in
    # (hooks.finish_scoring).
    locked.inspected_total, locked.disagreement = None, False


def rescore_request(*, application, inspection, actor, reason, version=None, ip=None):
    """The district asks one inspector to score again: their sheet opens
    again (their scores kept as a draft to revise), the case goes back to
    the inspectors' step with a task for them alone."""
    _check_remedy(reason)
    return rescore(case=application, sheet=inspection, actor=actor, reason=reason, version=version, ip=ip,
                   reset=_reset_scoring)


def third_inspector_add(*, application, inspector, actor, reason, version=None, ip=None):
    """The district names one more inspector, who scores the application
    on their own task; the mean is then taken over all the inspectors."""
    _check_remedy(reason)
    if not inspector_candidates(application.campaign.district).filter(pk=inspector.pk).exists():
        raise RuleViolation(_("Inspectors are chosen among the district's inspectors and reviewers."))
    return add_inspector(case=application, inspector=inspector, sheet_model=Inspection, actor=actor, reason=reason,
                         already=_("%(name)s already inspects this application."), version=version, ip=ip,
                         reset=_reset_scoring)


def reinspection_open(*, titles, actor, ip=None):
    """The district opens re-inspection (复查) of held titles, in bulk: each
    gets a re-inspection case on its campaign's standard, awaiting its
    inspectors (the district administrator only). Titles already under
    re-inspection are skipped."""
    def open_case(title):
        application = Application.objects.create(
            campaign=title.campaign, organisation=title.holder, level=title.level, kind=AppKind.REINSPECTION,
            title=title, created_by=actor, submitted_at=timezone.now(),
        )
        return do_transition(case=application, actor=actor, code="open_reinspection", ip=ip, data={"title": title.pk})

    return open_reinspections(TITLES, titles, actor=actor, open_case=open_case, ip=ip)
