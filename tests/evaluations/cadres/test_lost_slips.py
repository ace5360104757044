"""Nothing during the vote reveals who has voted (issue 19, item 3): slips
are printed only before the vote opens (a reprint would leave out exactly
the codes just used); a lost slip is voided and replaced, audited, after a
confirmation; no page lists used codes."""

import pytest

from evaluations.cadres import services
from evaluations.cadres.models import Ballot, VotingCode
from evaluations.cadres.models import EvaluationState as S
from evaluations.cadres.tally import ballots_issued
from evaluations.cadres.voting import CodeRefused, do_cast_ballot
from tests.e2e.journey_pages import pdf_text
from workflows.audit import history_of
from workflows.exceptions import RuleViolation

from .conftest import finish, grades_for
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db


def test_slips_are_not_printed_or_generated_while_voting_is_open(tree, make_evaluation, client):
    evaluation = make_evaluation(codes=3)
    used = VotingCode.objects.filter(evaluation=evaluation).first()
    do_cast_ballot(evaluation=evaluation, code=used.code, grades={})
    client.force_login(tree.submitter)
    response = client.post(f"/evaluations/cadres/{evaluation.code}/slips.pdf")
    assert response.status_code == 302 and response["Content-Type"].startswith("text/html")
    page = client.get(response["Location"])
    assert "before the vote opens" in page.content.decode() or "投票开始前" in page.content.decode()
    assert not page.context["may_print"]
    with pytest.raises(RuleViolation):
        services.do_record_slips_printed(evaluation=evaluation, count=2, actor=tree.submitter)
    with pytest.raises(RuleViolation):
        services.do_generate_codes(evaluation=evaluation, count=2, actor=tree.submitter)
    assert VotingCode.objects.filter(evaluation=evaluation).count() == 3
    assert not [e for e in history_of(evaluation) if e.action == "cadres.evaluation.slips_printed"]


def test_no_page_shows_which_codes_are_used(tree, make_evaluation, client):
    evaluation = make_evaluation(codes=4)
    codes = list(VotingCode.objects.filter(evaluation=evaluation))
    do_cast_ballot(evaluation=evaluation, code=codes[0].code, grades={})
    for user in (tree.submitter, tree.chair, tree.reviewer_a, tree.admin_d):
        client.force_login(user)
        for url in (f"/evaluations/cadres/{evaluation.code}/", f"/evaluations/cadres/{evaluation.code}/voters/",
                    f"/evaluations/cadres/{evaluation.code}/paper/", "/evaluations/cadres/"):
            body = client.get(url).content.decode()
            assert not any(c.code in body or c.display in body for c in codes), (user.username, url)


def test_a_lost_slip_is_voided_and_replaced_after_a_confirmation(tree, make_evaluation, client):
    evaluation = make_evaluation(codes=2, entitled=2)
    lost, other = VotingCode.objects.filter(evaluation=evaluation)
    url = f"/evaluations/cadres/{evaluation.code}/slips/replace/"
    client.force_login(tree.submitter)
    assert client.get(url).status_code == 200
    # First the confirmation: nothing changes yet.
    confirm = client.post(url, {"code": lost.display.lower()})
    assert confirm.status_code == 200 and 'name="confirmed" value="1"' in confirm.content.decode()
    lost.refresh_from_db()
    assert not lost.voided and VotingCode.objects.filter(evaluation=evaluation).count() == 2
    # Confirmed: the lost code is voided, a new one printed on one slip.
    response = client.post(url, {"code": lost.code, "confirmed": "yes"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    lost.refresh_from_db()
    assert lost.voided
    new = VotingCode.objects.get(evaluation=evaluation, voided=False, used=False, pk__gt=other.pk)
    assert new.display in pdf_text(response.content).replace(" ", "")
    assert ballots_issued(evaluation) == 2  # the new slip instead of the lost one, not both
    # The lost slip no longer votes; the new one does.
    with pytest.raises(CodeRefused):
        do_cast_ballot(evaluation=evaluation, code=lost.code, grades={})
    do_cast_ballot(evaluation=evaluation, code=new.code, grades=grades_for(evaluation, "excellent"))
    # Audited: who, which slip was voided; never the new code.
    entries = [e for e in history_of(evaluation) if e.action == "cadres.evaluation.slip_replaced"]
    assert len(entries) == 1 and entries[0].actor == tree.submitter
    assert entries[0].data == {"voided": lost.display}
    assert new.code not in str(entries[0].data) and new.display not in str(entries[0].data)
    # Twice: refused, the form kept with a message.
    again = client.post(url, {"code": lost.code, "confirmed": "yes"})
    assert again.status_code == 400 and lost.code in again.content.decode().replace("-", "")
    # The close keeps the voided code voided and the counts whole.
    finish(tree, evaluation, through=S.TALLIED)
    evaluation.refresh_from_db()
    assert evaluation.ballots_issued == 2 and evaluation.ballots_counted == 1
    assert VotingCode.objects.get(code=lost.code).voided


def test_a_used_slip_cannot_be_replaced_and_the_attempt_is_audited(tree, make_evaluation):
    evaluation = make_evaluation(codes=1)
    code = VotingCode.objects.get(evaluation=evaluation)
    do_cast_ballot(evaluation=evaluation, code=code.code, grades={})
    with pytest.raises(RuleViolation):
        services.do_replace_lost_slip(evaluation=evaluation, lost_code=code.code, actor=tree.chair)
    assert VotingCode.objects.filter(evaluation=evaluation).count() == 1 and Ballot.objects.count() == 1
    refused = [e for e in history_of(evaluation) if e.action == "cadres.evaluation.slip_replacement_refused"]
    assert len(refused) == 1 and refused[0].actor == tree.chair


def test_only_the_working_body_replaces_slips_and_only_until_the_close(tree, make_evaluation, client):
    evaluation = make_evaluation(codes=1)
    code = VotingCode.objects.get(evaluation=evaluation)
    url = f"/evaluations/cadres/{evaluation.code}/slips/replace/"
    for user, status in [(tree.reviewer_a, 403), (tree.reviewer_b, 404), (tree.outsider, 404)]:
        client.force_login(user)
        assert client.post(url, {"code": code.code, "confirmed": "yes"}).status_code == status, user.username
    code.refresh_from_db()
    assert not code.voided
    decide(case=evaluation, actor=tree.chair, decision="close_voting")
    client.force_login(tree.chair)
    assert client.post(url, {"code": code.code, "confirmed": "yes"}).status_code == 302
    assert not VotingCode.objects.get(code=code.code).voided
