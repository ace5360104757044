"""What the district's decisions do to titles, on the engine's held titles
(workflows.titles): a grant makes a Title (with its term and due date) and
its plaque certificate; a re-inspection keeps the title (a new term),
downgrades it (模范 → 合格, a new certificate) or revokes it (摘牌).
Called by hooks.py inside the decision's transaction; the history of a
title is the audit log of its row."""

from django.utils.translation import gettext as _

from awards.roles import Role
from workflows import titles
from workflows.audit import history_of
from workflows.exceptions import RuleViolation
from workflows.scoring.grades import earned_grade, refuse_above

from . import certificates
from .excel import titles_xlsx
from .models import AppState, Grade, Title

# A title under re-inspection does not expire meanwhile.
UNDER_REINSPECTION = [AppState.RECOMMENDED, AppState.INSPECTING, AppState.REINSPECTED]
TITLES = titles.register_titles(titles.TitleRules(
    key="modelhome", model="modelhome.Title", round_field="campaign", layout=certificates.LAYOUT,
    name=lambda title: certificates.title_name(title.grade, title.level),
    under_review=lambda title: title.reinspections.filter(state__in=UNDER_REINSPECTION).exists(),
    told=Role.SUBMITTER, xlsx=titles_xlsx, related=("holder", "campaign", "certificate"),
))


def _locked_title(application):
    return titles.locked_title(TITLES, application.title_id)


def check_decision(application, code):
    """The inspectors' mean (or a veto found) must reach the grade granted
    or kept; only a 模范 title is downgraded; the title is still held."""
    if code == "revoke":
        _locked_title(application)
        return
    title = _locked_title(application) if code in ("keep", "downgrade") else None
    if code == "downgrade" and title.grade != Grade.MODEL:
        raise RuleViolation(_("Only a 模范 title can be downgraded."))
    wanted = {"model": Grade.MODEL, "qualified": Grade.QUALIFIED, "downgrade": Grade.QUALIFIED}.get(code)
    earned = earned_grade(application.campaign.standard_version, application.inspected_total,
                          application.inspections.all())
    refuse_above(earned, wanted or title.grade)


def grant_title(application, code, actor):
    campaign = application.campaign
    application.granted_grade = Grade.MODEL if code == "model" else Grade.QUALIFIED
    application.save(update_fields=["granted_grade"])
    return titles.grant(TITLES, Title(holder=application.organisation, level=application.level,
                                      grade=application.granted_grade, campaign=campaign, application=application,
                                      term_years=campaign.term_years),
                        actor, data={"application": application.pk})


def apply_reinspection(application, code, actor):
    # The district's reasons, as given with the decision the engine has
    # just recorded on the re-inspection, go on the title's history too.
    decided = history_of(application).order_by("-created", "-pk").first()
    title = titles.reinspected(TITLES, _locked_title(application), code, actor,
                               comment=decided.comment if decided is not None else "",
                               data={"reinspection": application.pk, "mean": str(application.inspected_total)})
    if code != "revoke":
        application.granted_grade = title.grade
        application.save(update_fields=["granted_grade"])
