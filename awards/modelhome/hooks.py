"""The rules the engine calls from the declaration (declaration.py), inside
the decision's transaction: what must hold before a decision (the
inspectors' mean reaches the grade; the title is still held) and what
follows one (the mean and the disagreement flag when the last inspector
has submitted; the title after the district's decision).

Titles are the engine's held titles (workflows.titles), registered here: a
grant makes a Title (with its term and due date) and its plaque
certificate; a re-inspection keeps the title (a new term), downgrades it
(模范 → 合格, a new certificate) or revokes it (摘牌). The history of a title
is the audit log of its row."""

from django.utils.translation import gettext as _

from awards.roles import Role
from workflows import titles
from workflows.audit import history_of
from workflows.exceptions import RuleViolation
from workflows.models import Grade
from workflows.rowlocks import lock_related_first
from workflows.scoring.grades import earned_grade, refuse_above
from workflows.scoring.inspections import mean_of

from . import certificates
from .excel import titles_xlsx
from .models import AppState, Title

# A title under re-inspection does not expire meanwhile.
UNDER_REINSPECTION = [AppState.RECOMMENDED, AppState.INSPECTING, AppState.REINSPECTED]
TITLES = titles.register_titles(titles.TitleRules(
    key="modelhome", model="modelhome.Title", round_field="campaign", layout=certificates.LAYOUT,
    name=lambda title: certificates.TITLE_NAMES[(title.grade, title.level)],
    under_review=lambda title: title.reinspections.filter(state__in=UNDER_REINSPECTION).exists(),
    told=Role.SUBMITTER, xlsx=titles_xlsx, related=("holder", "campaign", "certificate"),
))
# The grade each of the district's decisions grants or keeps (None: the
# title's own); revoking grants none.
GRADE_OF = {"model": Grade.MODEL, "qualified": Grade.QUALIFIED, "keep": None, "downgrade": Grade.QUALIFIED}
ON_TITLE = ("keep", "downgrade", "revoke")


# The district's decisions grant, keep, downgrade or revoke a title, and a
# title's certificate is numbered on the campaign's counter. The lock order
# puts the campaign before its cases (docs/lock-order.md): taken here,
# before the application's row (then the title, then the certificate).
LOCKS_CAMPAIGN = ("model", "qualified", "not_granted", "keep", "downgrade", "revoke")


def lock_first(application, code):
    if code in LOCKS_CAMPAIGN:
        lock_related_first(application, "campaign")


def before_decision(application, decision, actor):
    """The inspectors' mean (or a veto found) must reach the grade granted
    or kept; only a 模范 title is downgraded; the title is still held."""
    code = decision.code
    title = titles.locked_title(TITLES, application.title_id) if code in ON_TITLE else None
    if code not in GRADE_OF:
        return
    if code == "downgrade" and title.grade != Grade.MODEL:
        raise RuleViolation(_("Only a 模范 title can be downgraded."))
    earned = earned_grade(application.campaign.standard_version, application.inspected_total,
                          application.inspections.all())
    refuse_above(earned, GRADE_OF[code] or title.grade)


def after_decision(application, decision, actor, task):
    code = decision.code
    if code == "submit_scores" and application.state in (AppState.SCORED, AppState.REINSPECTED):
        finish_scoring(application)
    elif code in ("model", "qualified"):
        campaign = application.campaign
        application.granted_grade = GRADE_OF[code]
        application.save(update_fields=["granted_grade"])
        titles.grant(TITLES, Title(holder=application.organisation, level=application.level, grade=GRADE_OF[code],
                                   campaign=campaign, application=application, term_years=campaign.term_years),
                     actor, data={"application": application.pk})
    elif code in ON_TITLE:
        # The district's reasons, as given with the decision the engine has
        # just recorded on the re-inspection, go on the title's history too.
        decided = history_of(application).order_by("-created", "-pk").first()
        title = titles.reinspected(TITLES, titles.locked_title(TITLES, application.title_id), code, actor,
                                   comment=decided.comment if decided is not None else "",
                                   data={"reinspection": application.pk, "mean": str(application.inspected_total)})
        if code != "revoke":
            application.granted_grade = title.grade
            application.save(update_fields=["granted_grade"])


def finish_scoring(application):
    """Every inspector has submitted: the mean of their totals, and the
    flag when they differ by more than the campaign's setting."""
    totals = [i.total for i in application.inspections.all()]
    application.inspected_total = mean_of(totals)
    application.disagreement = max(totals) - min(totals) > application.campaign.disagreement_points
    application.save(update_fields=["inspected_total", "disagreement"])
