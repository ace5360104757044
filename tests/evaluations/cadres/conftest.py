"""An evaluation of union_a1 (superior union: town_a) taken through the
real services, to any state."""

import datetime

import pytest
from django.utils import timezone

from evaluations.cadres import services
from evaluations.cadres.models import Evaluation
from evaluations.cadres.models import EvaluationState as S
from tests.conftest import make_user
from workflows.steps.decisions import decide

CADRES = [("张伟", "总经理"), ("王芳", "副总经理"), ("李强", "工会主席"), ("赵敏", "财务总监")]


@pytest.fixture
def tellers(tree):
    return [make_user("teller_1", (tree.union_a1, "submitter")), make_user("teller_2", (tree.union_a1, "submitter"))]


@pytest.fixture
def make_evaluation(tree, tellers):
    """make_evaluation(to=S.VOTING_OPEN, codes=30, entitled=40, ...) → the
    evaluation of union_a1 in state `to`."""

    def make(to=S.VOTING_OPEN, codes=30, entitled=40, code="pingyi-2024-a1", cadres=CADRES, paper_issued=0, **fields):
        now = timezone.now()
        evaluation = Evaluation(
            code=code, organisation=tree.union_a1, year=2024, title="2024年度甲一机械厂领导干部民主评议",
            entitled_count=entitled, paper_ballots_issued=paper_issued, meeting_date=datetime.date(2024, 12, 20),
            voting_opens_at=now - datetime.timedelta(hours=1), voting_closes_at=now + datetime.timedelta(hours=2),
            **fields,
        )
        services.do_create_evaluation(evaluation=evaluation, cadres=cadres, tellers=tellers, actor=tree.submitter)
        if to == S.DRAFT:
            return evaluation
        services.do_submit_plan(evaluation=evaluation, actor=tree.submitter)
        if to == S.PLAN_SUBMITTED:
            return evaluation
        decide(case=evaluation, actor=tree.reviewer_a, decision="approve")
        if codes:
            services.do_generate_codes(evaluation=evaluation, count=codes, actor=tree.submitter)
        if to == S.PLAN_APPROVED:
            return evaluation
        decide(case=evaluation, actor=tree.chair, decision="open_voting")
        assert evaluation.state == S.VOTING_OPEN
        return evaluation

    return make


def grades_for(evaluation, *grades):
    """{cadre_id: grade} in the cadres' order."""
    return {c.pk: g for c, g in zip(evaluation.cadres.all(), grades)}


def finish(tree, evaluation, *, through=S.PUBLISHED):
    """Close, tally and (unless void) approve and publish."""
    decide(case=evaluation, actor=tree.chair, decision="close_voting")
    decide(case=evaluation, actor=tree.chair, decision="tally")
    if through == S.TALLIED:
        return evaluation
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve_results")
    decide(case=evaluation, actor=tree.chair, decision="publish")
    return evaluation
