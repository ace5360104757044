"""Paper ballots by two tellers: one enters a batch, the other confirms it;
a batch whose count does not match is refused; confirmed paper ballots are
counted exactly like the phone's."""

import pytest

from evaluations.cadres.models import Ballot, BallotChannel, BatchStatus, PaperBatch, VotingCode
from evaluations.cadres.models import EvaluationState as S
from evaluations.cadres.paper import do_confirm_batch, do_enter_batch
from evaluations.cadres.tally import tally
from evaluations.cadres.voting import do_cast_ballot
from workflows.exceptions import NotAllowed, RuleViolation

from .conftest import grades_for

pytestmark = pytest.mark.django_db


def test_two_tellers_enter_and_confirm(make_evaluation, tellers):
    evaluation = make_evaluation(codes=2, paper_issued=5)
    code = VotingCode.objects.filter(evaluation=evaluation).first()
    do_cast_ballot(evaluation=evaluation, code=code.code, grades=grades_for(evaluation, "excellent", "excellent", "basic", ""))
    batch = do_enter_batch(evaluation=evaluation, declared_count=3, text="1 1 2 4\n1,2,3,0\n  \n11-4", actor=tellers[0])
    assert batch.status == BatchStatus.PENDING
    assert Ballot.objects.filter(evaluation=evaluation).count() == 1  # not counted before the second teller
    with pytest.raises(NotAllowed):  # the teller who entered it cannot confirm it
        do_confirm_batch(batch=batch, counted=3, actor=tellers[0])
    confirmed = do_confirm_batch(batch=batch, counted=3, actor=tellers[1])
    assert confirmed.status == BatchStatus.CONFIRMED and confirmed.entries == []
    assert Ballot.objects.filter(evaluation=evaluation, channel=BallotChannel.PAPER).count() == 3
    rows = {f.cadre.name: f for f in tally(evaluation).rows}
    # Phone: 优秀 优秀 基本称职 弃权; paper: 1124 / 1230 / 11-4 (1 优秀 2 称职 3 基本称职 4 不称职)
    assert (rows["张伟"].excellent, rows["张伟"].competent) == (4, 0)
    assert (rows["王芳"].excellent, rows["王芳"].competent) == (3, 1)
    assert (rows["李强"].competent, rows["李强"].basic, rows["李强"].abstained) == (1, 2, 1)
    assert (rows["赵敏"].incompetent, rows["赵敏"].abstained) == (2, 2)


def test_a_batch_whose_count_does_not_match_is_refused(make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=5)
    with pytest.raises(RuleViolation) as exc:
        do_enter_batch(evaluation=evaluation, declared_count=3, text="1111\n2222", actor=tellers[0])
    assert "3" in str(exc.value.message) and "2" in str(exc.value.message)
    assert not PaperBatch.objects.exists() and not Ballot.objects.exists()


def test_a_wrong_line_is_named(make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=5)
    with pytest.raises(RuleViolation) as exc:
        do_enter_batch(evaluation=evaluation, declared_count=3, text="1111\n1151\n11", actor=tellers[0])
    line2, line3 = exc.value.message  # one message per wrong line
    assert "2" in line2 and "“5”" in line2
    assert "3" in line3 and "2" in line3  # line 3: 2 grades for 4 cadres
    assert not PaperBatch.objects.exists()


def test_a_recount_that_differs_refuses_the_batch(make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=5)
    batch = do_enter_batch(evaluation=evaluation, declared_count=2, text="1111\n2222", actor=tellers[0])
    refused = do_confirm_batch(batch=batch, counted=3, actor=tellers[1])
    assert refused.status == BatchStatus.REFUSED and refused.entries == []
    assert not Ballot.objects.exists()


def test_only_tellers_enter_and_only_while_the_vote_runs(tree, make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=5)
    with pytest.raises(NotAllowed):
        do_enter_batch(evaluation=evaluation, declared_count=1, text="1111", actor=tree.chair)
    approved = make_evaluation(to=S.PLAN_APPROVED, code="pingyi-2024-x")
    from workflows.exceptions import AlreadyHandled

    with pytest.raises(AlreadyHandled):
        do_enter_batch(evaluation=approved, declared_count=1, text="1111", actor=tellers[0])


def test_a_pending_batch_holds_the_tally(tree, make_evaluation, tellers):
    from evaluations.cadres import services

    evaluation = make_evaluation(codes=1, paper_issued=5)
    do_enter_batch(evaluation=evaluation, declared_count=1, text="1111", actor=tellers[0])
    services.do_decide(evaluation=evaluation, actor=tree.chair, decision="close_voting")
    with pytest.raises(RuleViolation):
        services.do_decide(evaluation=evaluation, actor=tree.chair, decision="tally")
    assert evaluation.state == S.VOTING_CLOSED
