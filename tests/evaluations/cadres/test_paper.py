"""Paper ballots keyed by two tellers independently: a batch counts only
when both entries agree ballot by ballot (once); a ballot keyed differently
refuses the batch naming its position, audited; neither teller sees the
other's entry; one person cannot key both; confirmed paper ballots are
counted exactly like the phone's."""

import pytest

from evaluations.cadres.models import Ballot, PaperBatch, VotingCode
from evaluations.cadres.models import EvaluationState as S
from ballots.paper import confirm_batch, enter_batch
from evaluations.cadres.paper import PAPER
from evaluations.cadres.tally import tally
from evaluations.cadres.voting import do_cast_ballot
from ballots.models import BallotChannel, BatchStatus
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.steps.decisions import decide

from .conftest import grades_for

pytestmark = pytest.mark.django_db


def test_two_tellers_enter_and_confirm(make_evaluation, tellers):
    evaluation = make_evaluation(codes=2, paper_issued=5)
    code = VotingCode.objects.filter(evaluation=evaluation).first()
    do_cast_ballot(evaluation=evaluation, code=code.code, grades=grades_for(evaluation, "excellent", "excellent", "basic", ""))
    batch = enter_batch(PAPER, case=evaluation, declared_count=3, text="1 1 2 4\n1,2,3,0\n  \n11-4", actor=tellers[0])
    assert batch.status == BatchStatus.PENDING
    assert Ballot.objects.filter(evaluation=evaluation).count() == 1  # not counted before the second teller
    with pytest.raises(NotAllowed):  # the teller who entered it cannot key it a second time
        confirm_batch(PAPER, batch=batch, declared_count=3, text="1124\n1230\n11-4", actor=tellers[0])
    assert PaperBatch.objects.get(pk=batch.pk).status == BatchStatus.PENDING
    # The same ballots keyed with other spacing and blanks: the same grades.
    confirmed = confirm_batch(PAPER, batch=batch, declared_count=3, text="1124\n1 2 3 -\n1 1 0 4", actor=tellers[1])
    assert confirmed.status == BatchStatus.CONFIRMED and confirmed.entries == []
    assert Ballot.objects.filter(evaluation=evaluation, channel=BallotChannel.PAPER).count() == 3
    rows = {f.cadre.name: f for f in tally(evaluation).rows}
    # Phone: 优秀 优秀 基本称职 弃权; paper: 1124 / 1230 / 11-4 (1 优秀 2 称职 3 基本称职 4 不称职)
    assert (rows["张伟"].excellent, rows["张伟"].competent) == (4, 0)
    assert (rows["王芳"].excellent, rows["王芳"].competent) == (3, 1)
    assert (rows["李强"].competent, rows["李强"].basic, rows["李强"].abstained) == (1, 2, 1)
    assert (rows["赵敏"].incompetent, rows["赵敏"].abstained) == (2, 2)
    # Counted once: a second confirmation of the same batch is already handled.
    with pytest.raises(AlreadyHandled):
        confirm_batch(PAPER, batch=batch, declared_count=3, text="1124\n1230\n11-4", actor=tellers[1])
    assert Ballot.objects.filter(evaluation=evaluation, channel=BallotChannel.PAPER).count() == 3


def test_a_ballot_keyed_differently_refuses_the_batch_naming_it(make_evaluation, tellers):
    from workflows.audit import history_of

    evaluation = make_evaluation(codes=1, paper_issued=5)
    batch = enter_batch(PAPER, case=evaluation, declared_count=4, text="1111\n2222\n1234\n4321", actor=tellers[0])
    # The second teller reads ballot 3's third grade as 称职, not 基本称职.
    refused = confirm_batch(PAPER, batch=batch, declared_count=4, text="1111\n2222\n1224\n4321", actor=tellers[1])
    assert refused.status == BatchStatus.REFUSED and refused.differing == [3] and refused.entries == []
    assert "3" in refused.refusal and not Ballot.objects.filter(evaluation=evaluation).exists()
    entry = [e for e in history_of(evaluation) if e.action == "cadres.evaluation.batch_refused"]
    assert len(entry) == 1 and entry[0].actor == tellers[1] and entry[0].data["differing"] == [3]
    assert "1224" not in str(entry[0].data) and "1234" not in str(entry[0].data)  # positions, never grades
    # The recount: the pile keyed again by both, agreeing this time.
    again = enter_batch(PAPER, case=evaluation, declared_count=4, text="1111\n2222\n1234\n4321", actor=tellers[1])
    assert confirm_batch(PAPER, batch=again, declared_count=4, text="1111\n2222\n1234\n4321",
                         actor=tellers[0]).status == BatchStatus.CONFIRMED
    assert Ballot.objects.filter(evaluation=evaluation, channel=BallotChannel.PAPER).count() == 4


def test_the_same_person_cannot_be_both_tellers(tree, make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=5)
    batch = enter_batch(PAPER, case=evaluation, declared_count=1, text="1111", actor=tellers[0])
    with pytest.raises(NotAllowed):
        confirm_batch(PAPER, batch=batch, declared_count=1, text="1111", actor=tellers[0])
    with pytest.raises(NotAllowed):  # nor anyone who is not a teller
        confirm_batch(PAPER, batch=batch, declared_count=1, text="1111", actor=tree.chair)
    assert PaperBatch.objects.get(pk=batch.pk).status == BatchStatus.PENDING and not Ballot.objects.exists()


def test_a_batch_whose_count_does_not_match_is_refused(make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=5)
    with pytest.raises(RuleViolation) as exc:
        enter_batch(PAPER, case=evaluation, declared_count=3, text="1111\n2222", actor=tellers[0])
    assert "3" in str(exc.value.message) and "2" in str(exc.value.message)
    assert not PaperBatch.objects.exists() and not Ballot.objects.exists()


def test_a_wrong_line_is_named(make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=5)
    with pytest.raises(RuleViolation) as exc:
        enter_batch(PAPER, case=evaluation, declared_count=3, text="1111\n1151\n11", actor=tellers[0])
    line2, line3 = exc.value.message  # one message per wrong line
    assert "2" in line2 and "“5”" in line2
    assert "3" in line3 and "2" in line3  # line 3: 2 grades for 4 cadres
    assert not PaperBatch.objects.exists()


def test_a_count_that_differs_refuses_the_batch(make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=5)
    batch = enter_batch(PAPER, case=evaluation, declared_count=2, text="1111\n2222", actor=tellers[0])
    refused = confirm_batch(PAPER, batch=batch, declared_count=3, text="1111\n2222\n3333", actor=tellers[1])
    assert refused.status == BatchStatus.REFUSED and refused.entries == [] and refused.second_count == 3
    assert "2" in refused.refusal and "3" in refused.refusal
    assert not Ballot.objects.exists()


def test_a_second_entry_with_a_typo_comes_back_to_its_teller(make_evaluation, tellers):
    """A line that is no ballot, or fewer lines than counted, is the second
    teller's own slip: refused before any comparison, the batch still waits."""
    evaluation = make_evaluation(codes=1, paper_issued=5)
    batch = enter_batch(PAPER, case=evaluation, declared_count=2, text="1111\n2222", actor=tellers[0])
    with pytest.raises(RuleViolation):
        confirm_batch(PAPER, batch=batch, declared_count=2, text="1111\n2252", actor=tellers[1])
    with pytest.raises(RuleViolation):
        confirm_batch(PAPER, batch=batch, declared_count=2, text="1111", actor=tellers[1])
    assert PaperBatch.objects.get(pk=batch.pk).status == BatchStatus.PENDING


def test_only_tellers_enter_and_only_while_the_vote_runs(tree, make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=5)
    with pytest.raises(NotAllowed):
        enter_batch(PAPER, case=evaluation, declared_count=1, text="1111", actor=tree.chair)
    approved = make_evaluation(to=S.PLAN_APPROVED, code="pingyi-2024-x")
    with pytest.raises(AlreadyHandled):
        enter_batch(PAPER, case=approved, declared_count=1, text="1111", actor=tellers[0])


def test_a_pending_batch_holds_the_tally(tree, make_evaluation, tellers):
    evaluation = make_evaluation(codes=1, paper_issued=5)
    enter_batch(PAPER, case=evaluation, declared_count=1, text="1111", actor=tellers[0])
    decide(case=evaluation, actor=tree.chair, decision="close_voting")
    with pytest.raises(RuleViolation):
        decide(case=evaluation, actor=tree.chair, decision="tally")
    assert evaluation.state == S.VOTING_CLOSED
