"""The evaluation's page shows its process map: a returned plan (two
rounds of review), voting open, the chair holding the step."""


from evaluations.cadres import services
from evaluations.cadres.declaration import EVALUATION
from evaluations.cadres.models import EvaluationState as S
from tests.process_map_checks import assert_holders_shown, assert_map, taken_moves
from workflows.steps.decisions import decide


def test_the_evaluation_page_shows_its_map(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.PLAN_SUBMITTED)
    decide(case=evaluation, actor=tree.reviewer_a, decision="return", comment="补充名单")
    decide(case=evaluation, actor=tree.submitter, decision="resubmit")
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve")
    services.do_generate_codes(evaluation=evaluation, count=5, actor=tree.submitter)
    decide(case=evaluation, actor=tree.chair, decision="open_voting")

    client.force_login(tree.chair)
    page = client.get(f"/evaluations/cadres/{evaluation.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    svg = assert_map(html, EVALUATION, current=S.VOTING_OPEN,
                     visited={S.DRAFT, S.PLAN_SUBMITTED, S.PLAN_RETURNED, S.PLAN_APPROVED, S.VOTING_OPEN},
                     rounds={S.PLAN_SUBMITTED: 2})
    assert (S.PLAN_RETURNED, S.PLAN_SUBMITTED) in taken_moves(svg)
    side = assert_holders_shown(html, evaluation)
    assert tree.union_a1.name in side
