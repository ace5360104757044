"""The declared route run by the services: who may take each step, the
plan returned with comments, stale decisions, the audit trail."""

import pytest

from evaluations.cadres import services
from evaluations.cadres.declaration import EVALUATION
from evaluations.cadres.models import Evaluation
from evaluations.cadres.models import EvaluationState as S
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation

from .conftest import finish
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db


def test_declaration_covers_every_live_state():
    live = set(S.values) - {EVALUATION.initial, *EVALUATION.final_states}
    stepped = [state for step in EVALUATION.steps for state in step.states]
    assert sorted(stepped) == sorted(live)  # each live state in exactly one step
    for source, target in EVALUATION.allowed():
        assert target in S.values


def test_plan_returned_with_comments_then_approved(tree, make_evaluation):
    evaluation = make_evaluation(to=S.PLAN_SUBMITTED)
    with pytest.raises(RuleViolation):
        decide(case=evaluation, actor=tree.reviewer_a, decision="return", comment="  ")
    decide(case=evaluation, actor=tree.reviewer_a, decision="return", comment="请补充评议对象")
    assert evaluation.state == S.PLAN_RETURNED
    decide(case=evaluation, actor=tree.submitter, decision="resubmit")
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve")
    assert evaluation.state == S.PLAN_APPROVED
    actions = [e.action for e in history_of(evaluation)]
    assert actions == ["cadres.evaluation.created", "cadres.evaluation.plan_submitted", "cadres.evaluation.return",
                       "cadres.evaluation.resubmit", "cadres.evaluation.approve"]
    returned = history_of(evaluation)[2]
    assert returned.comment == "请补充评议对象" and returned.actor == tree.reviewer_a


def test_only_the_declared_actor_decides(tree, make_evaluation):
    evaluation = make_evaluation(to=S.PLAN_SUBMITTED)
    for outsider in (tree.submitter, tree.reviewer_b, tree.reviewer_d, tree.chair_b):
        # The district's reviewer sees the branch but the step is the parent's.
        with pytest.raises(NotAllowed):
            decide(case=evaluation, actor=outsider, decision="approve")
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve")
    with pytest.raises(NotAllowed):  # opening the vote is the working body's
        decide(case=evaluation, actor=tree.reviewer_a, decision="open_voting")


def test_a_stale_decision_is_already_handled(tree, make_evaluation):
    evaluation = make_evaluation(to=S.PLAN_SUBMITTED)
    seen = Evaluation.objects.get(pk=evaluation.pk)  # what a second reviewer's page showed
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve", version=seen.version)
    with pytest.raises(AlreadyHandled):
        decide(case=seen, actor=tree.reviewer_a2, decision="return", comment="x", version=seen.version)
    evaluation.refresh_from_db()
    assert evaluation.state == S.PLAN_APPROVED


def test_a_plan_without_cadres_or_window_is_not_submitted(tree, make_evaluation):
    evaluation = make_evaluation(to=S.DRAFT, cadres=[], entitled=0)
    with pytest.raises(RuleViolation) as exc:
        services.do_submit_plan(evaluation=evaluation, actor=tree.submitter)
    assert "评议对象" in str(exc.value.message) or "cadres" in str(exc.value.message)
    evaluation.refresh_from_db()
    assert evaluation.state == S.DRAFT


def test_whole_route_to_archive(tree, make_evaluation):
    evaluation = make_evaluation(codes=5, entitled=1)
    finish(tree, evaluation)
    assert evaluation.state == S.PUBLISHED and evaluation.published_at
    decide(case=evaluation, actor=tree.chair, decision="archive")
    assert evaluation.state == S.ARCHIVED
    actions = [e.action for e in history_of(evaluation)]
    assert "cadres.evaluation.voting_opened" in actions and "cadres.evaluation.archived" in actions


def test_the_engine_routes_each_step_to_its_inbox(tree, make_evaluation, client):
    from workflows.steps.actors import inbox_tasks

    evaluation = make_evaluation(to=S.PLAN_SUBMITTED)

    def steps_of(user):
        return [t.flow_task.name for t in inbox_tasks(user) if t.process.artifact_object_id == evaluation.pk]

    assert steps_of(tree.reviewer_a) == ["review_plan"]
    assert steps_of(tree.chair) == [] and steps_of(tree.reviewer_b) == []
    client.force_login(tree.reviewer_a)
    assert evaluation.title in client.get("/inbox/").content.decode()
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve")
    assert steps_of(tree.reviewer_a) == [] and steps_of(tree.chair) == ["open_voting"]
