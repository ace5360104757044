"""The rules the engine calls from the declaration (declaration.py), inside
the decision's transaction: what must hold before a decision (the
inspectors' mean reaches the grade; the title is still held) and what
follows one (the mean and the disagreement flag when the last inspector
has submitted; the title and its certificate after the district's
decision)."""

from workflows.models import OrgKind
from workflows.rowlocks import lock_related_first
from workflows.scoring.inspections import mean_of

from . import lifecycle
from .models import AppState


def intermediate_of(application):
    return application.organisation.ancestor_of_kind(OrgKind.INTERMEDIATE)


# The district's decisions grant, keep, downgrade or revoke a title, and a
# title's certificate is numbered on the campaign's counter. The lock order
# puts the campaign before its cases (docs/lock-order.md): taken here,
# before the application's row (then the title, then the certificate).
LOCKS_CAMPAIGN = ("model", "qualified", "not_granted", "keep", "downgrade", "revoke")


def lock_first(application, code):
    if code in LOCKS_CAMPAIGN:
        lock_related_first(application, "campaign")


def before_decision(application, decision, actor):
    if decision.code in ("model", "qualified", "keep", "downgrade", "revoke"):
        lifecycle.check_decision(application, decision.code)


def after_decision(application, decision, actor, task):
    if decision.code == "submit_scores" and application.state in (AppState.SCORED, AppState.REINSPECTED):
        finish_scoring(application)
    elif decision.code in ("model", "qualified"):
        lifecycle.grant_title(application, decision.code, actor)
    elif decision.code in ("keep", "downgrade", "revoke"):
        lifecycle.apply_reinspection(application, decision.code, actor)


def finish_scoring(application):
    """Every inspector has submitted: the mean of their totals, and the
    flag when they differ by more than the campaign's setting."""
    totals = [i.total for i in application.inspections.all()]
    application.inspected_total = mean_of(totals)
    application.disagreement = max(totals) - min(totals) > application.campaign.disagreement_points
    application.save(update_fields=["inspected_total", "disagreement"])
