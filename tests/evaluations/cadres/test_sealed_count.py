"""The count is sealed once tallied: no paper batch, no online vote, no
ballot of any kind comes in; the superior union can no longer send it back
for tellers to add ballots; a recount is the district's own decision, with
a reason, which the public page states. Closing below the quorum warns
first; the quorum and the sign-ins are stated on the page and the sheet."""

import io

import pytest
from pypdf import PdfReader

from evaluations.cadres import services
from evaluations.cadres.models import Ballot, Outcome, Voter, VotingCode
from evaluations.cadres.models import EvaluationState as S
from ballots.paper import confirm_batch, enter_batch
from evaluations.cadres.paper import PAPER
from evaluations.cadres.voting import CodeRefused, do_cast_ballot
from workflows.audit import history_of
from workflows.exceptions import NotAllowed, RuleViolation

from .conftest import finish, grades_for
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db


def cast(evaluation, n):
    for code in VotingCode.objects.filter(evaluation=evaluation, used=False)[:n]:
        do_cast_ballot(evaluation=evaluation, code=code.code, grades=grades_for(evaluation, "excellent", "competent"))


def test_after_a_tally_no_ballot_can_be_added(tree, make_evaluation, tellers):
    evaluation = make_evaluation(codes=10, entitled=10, paper_issued=2)
    cast(evaluation, 5)  # 5 of 10: not more than half, void
    finish(tree, evaluation, through=S.TALLIED)
    assert evaluation.outcome == Outcome.VOID_QUORUM and evaluation.ballots_counted == 5
    with pytest.raises(RuleViolation) as exc:  # a paper ballot that would make it valid
        enter_batch(PAPER, case=evaluation, declared_count=1, text="1111", actor=tellers[0])
    assert "sealed" in str(exc.value.message) or "封存" in str(exc.value.message)
    unused = VotingCode.objects.filter(evaluation=evaluation, used=False).first()
    with pytest.raises(CodeRefused):
        do_cast_ballot(evaluation=evaluation, code=unused.code, grades=grades_for(evaluation, "excellent"))
    # Nor once approved: the same.
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve_results")
    with pytest.raises(RuleViolation):
        enter_batch(PAPER, case=evaluation, declared_count=1, text="1111", actor=tellers[0])
    assert Ballot.objects.filter(evaluation=evaluation).count() == 5


def test_the_superior_union_can_no_longer_send_the_count_back(tree, make_evaluation):
    evaluation = make_evaluation(codes=3, entitled=3)
    cast(evaluation, 2)
    finish(tree, evaluation, through=S.TALLIED)
    with pytest.raises(NotAllowed):
        decide(case=evaluation, actor=tree.reviewer_a, decision="return_results", comment="重新计票")
    for not_the_district in (tree.reviewer_a, tree.chair, tree.submitter):
        with pytest.raises(NotAllowed):
            services.do_reopen_count(evaluation=evaluation, actor=not_the_district, reason="重新计票")
    evaluation.refresh_from_db()
    assert evaluation.state == S.TALLIED


def test_a_recount_is_the_districts_public_decision(tree, make_evaluation, tellers, client):
    evaluation = make_evaluation(codes=10, entitled=10, paper_issued=2)
    cast(evaluation, 5)
    finish(tree, evaluation, through=S.TALLIED)
    with pytest.raises(RuleViolation):  # a reason is required
        services.do_reopen_count(evaluation=evaluation, actor=tree.reviewer_d, reason="  ")
    # The district reopens it on the page: asked to confirm, then done.
    client.force_login(tree.reviewer_d)
    url = f"/evaluations/cadres/{evaluation.code}/decide/"
    assert 'value="reopen_count"' in client.get(evaluation.get_absolute_url()).content.decode()
    reason = "一车间两张纸质选票漏录，经区总工会核实后重新计票"
    page = client.post(url, {"decision": "reopen_count", "version": evaluation.version, "comment": reason})
    assert page.status_code == 200 and 'name="confirmed" value="1"' in page.content.decode()
    # Cancel goes back to the evaluation's page (the decide address answers only a POST).
    assert f'<a class="button" href="{evaluation.get_absolute_url()}">' in page.content.decode()
    assert "理由将在公开结果页显示。" in page.content.decode()
    response = client.post(url, {"decision": "reopen_count", "version": evaluation.version, "comment": reason,
                                 "confirmed": "yes"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.state == S.VOTING_CLOSED and evaluation.outcome == ""
    entry = [e for e in history_of(evaluation) if e.action == "cadres.evaluation.count_reopened"]
    assert len(entry) == 1 and entry[0].actor == tree.reviewer_d and entry[0].comment == reason
    assert entry[0].data == {"ballots": 5, "outcome": Outcome.VOID_QUORUM}
    # Unsealed: the forgotten pile comes in, keyed by both tellers; tallied again.
    batch = enter_batch(PAPER, case=evaluation, declared_count=2, text="1111\n2222", actor=tellers[0])
    confirm_batch(PAPER, batch=batch, declared_count=2, text="1111\n2222", actor=tellers[1])
    decide(case=evaluation, actor=tree.chair, decision="tally")
    assert evaluation.outcome == Outcome.VALID and evaluation.ballots_counted == 7
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve_results")
    decide(case=evaluation, actor=tree.chair, decision="publish")
    public = client.get(f"/evaluations/results/{evaluation.code}/").content.decode()
    assert 'id="reopenings"' in public and reason in public and tree.district.name in public


def test_closing_below_the_quorum_warns_with_the_figures(tree, make_evaluation, client):
    evaluation = make_evaluation(codes=10, entitled=10)
    cast(evaluation, 3)
    client.force_login(tree.chair)
    url = f"/evaluations/cadres/{evaluation.code}/decide/"
    page = client.post(url, {"decision": "close_voting", "version": evaluation.version})
    warning = page.content.decode().split('id="decision-warning"')[1].split("</div>")[0]
    assert "3" in warning and "10" in warning and "6" in warning  # 3 cast of 10; at least 6 needed
    # Confirming without acknowledging the figures closes nothing.
    response = client.post(url, {"decision": "close_voting", "version": evaluation.version, "confirmed": "1"})
    assert response.status_code == 400
    evaluation.refresh_from_db()
    assert evaluation.state == S.VOTING_OPEN
    response = client.post(url, {"decision": "close_voting", "version": evaluation.version, "confirmed": "1",
                                 "acknowledged": "1"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.state == S.VOTING_CLOSED


def test_a_vote_above_the_quorum_closes_without_the_warning(tree, make_evaluation, client):
    evaluation = make_evaluation(codes=10, entitled=10)
    cast(evaluation, 6)
    client.force_login(tree.chair)
    page = client.post(f"/evaluations/cadres/{evaluation.code}/decide/",
                       {"decision": "close_voting", "version": evaluation.version})
    assert page.status_code == 200 and 'id="decision-warning"' not in page.content.decode()


def test_quorum_and_sign_ins_on_the_page_and_the_sheet(tree, make_evaluation, client, pdf_renders):
    evaluation = make_evaluation(codes=10, entitled=10)
    Voter.objects.bulk_create([Voter(evaluation=evaluation, name=f"职工{i}", signed_in=i < 5) for i in range(10)])
    cast(evaluation, 6)  # 6 ballots, 5 signed in: flagged
    finish(tree, evaluation)
    evaluation.refresh_from_db()
    assert evaluation.signed_in_count == 5
    page = client.get(f"/evaluations/results/{evaluation.code}/").content.decode()
    quorum = page.split('id="quorum"')[1].split("</p>")[0]
    assert "1/2" in quorum and "6" in quorum and "quorum-met" in quorum
    sign_ins = page.split('id="sign-ins"')[1].split("</p>")[0]
    assert "5" in sign_ins and "6" in sign_ins and "flagged" in sign_ins
    pdf = client.get(f"/evaluations/results/{evaluation.code}/results.pdf")
    text = "".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "超过应到人数的1/2" in text and "达到有效人数" in text
    assert "签到5人，投票6张" in text and "投票数多于签到人数" in text


def test_the_sheet_says_when_the_quorum_was_not_met(tree, make_evaluation, client, pdf_renders):
    evaluation = make_evaluation(codes=10, entitled=10)
    cast(evaluation, 5)
    finish(tree, evaluation)
    pdf = client.get(f"/evaluations/results/{evaluation.code}/results.pdf")
    text = "".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "实投5张，未达到有效人数" in text and "签到" not in text  # no roll: no sign-in line
    page = client.get(f"/evaluations/results/{evaluation.code}/").content.decode()
    assert "quorum-unmet" in page and 'id="sign-ins"' not in page


def test_an_approved_count_not_yet_published_can_be_reopened_but_not_a_published_one(tree, make_evaluation):
    from workflows.steps.actors import inbox_tasks

    evaluation = make_evaluation(codes=3, entitled=3)
    cast(evaluation, 2)
    finish(tree, evaluation, through=S.TALLIED)
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve_results")
    services.do_reopen_count(evaluation=evaluation, actor=tree.reviewer_d, reason="复核发现计票单与选票不符")
    assert evaluation.state == S.VOTING_CLOSED
    # The chair's publish task is closed; the flow opens the tally again.
    steps = [t.flow_task.name for t in inbox_tasks(tree.chair) if t.process.artifact_object_id == evaluation.pk]
    assert steps == ["tally"]
    decide(case=evaluation, actor=tree.chair, decision="tally")
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve_results")
    decide(case=evaluation, actor=tree.chair, decision="publish")
    with pytest.raises(RuleViolation):
        services.do_reopen_count(evaluation=evaluation, actor=tree.reviewer_d, reason="再次计票")
    evaluation.refresh_from_db()
    assert evaluation.state == S.PUBLISHED
