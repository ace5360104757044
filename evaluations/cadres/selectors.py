"""Scoped reads: an evaluation outside the user's reach is a 404.

The unit's own users see its evaluations; reviewers and the district
administrator see their branch (workflows.access)."""

from django.shortcuts import get_object_or_404

from workflows.organisations.access import memberships, visible_organisations_q
from workflows.models import Organisation

from .models import PUBLIC_STATES, Ballot, BallotGrade, Evaluation, Grade
from .roles import WORKING_BODY


def evaluations_visible_to(user):
    return Evaluation.objects.filter(visible_organisations_q(user)).select_related("organisation")


def get_evaluation_for(user, code):
    return get_object_or_404(evaluations_visible_to(user), code=code)


def organisations_for_new_evaluation(user):
    """The units whose union (submitter or chair) may set up an evaluation."""
    ids = {m.organisation_id for m in memberships(user) if m.role in WORKING_BODY.roles}
    return Organisation.objects.filter(pk__in=ids).order_by("path")


def published_evaluation(code):
    return get_object_or_404(
        Evaluation.objects.filter(state__in=PUBLIC_STATES).select_related("organisation"), code=code
    )


def ballot_grade_rows(ballots, cadres):
    """[[(cadre, grade label or "")] in the cadres' order] for one page of ballots,
    without the ballots' receipts: one query for the page's grades,
    whatever the page size."""
    grades = {}
    for ballot_id, cadre_id, grade in BallotGrade.objects.filter(ballot__in=[b.pk for b in ballots]).values_list(
        "ballot_id", "cadre_id", "grade"
    ):
        grades.setdefault(ballot_id, {})[cadre_id] = grade
    labels = dict(Grade.choices)
    return [[(c, labels.get(grades.get(b.pk, {}).get(c.pk, ""), "")) for c in cadres] for b in ballots]


def public_receipts(evaluation, receipt=""):
    """The receipts of the counted ballots, in the receipts' order. Only the
    receipt: the close dealt the receipts out again over the ballots, and a
    receipt is never shown beside grades (docs/ballot-secrecy.md)."""
    qs = Ballot.objects.filter(evaluation=evaluation).order_by("receipt")
    if receipt:
        qs = qs.filter(receipt__startswith=receipt)
    return qs.values_list("receipt", flat=True)


def public_ballots(evaluation):
    """Every ballot, for its grades, in the order of the random ids the
    close gave them: an order that says nothing about casting."""
    return Ballot.objects.filter(evaluation=evaluation).only("pk").order_by("pk")
