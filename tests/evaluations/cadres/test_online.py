"""A whole evaluation online, through the pages: the working body prints the
slips, 30 voters cast through the voting page (code, ballot, confirmation,
receipt), the tally is right, the superior union approves, the results are
published: every receipt listed as counted, and separately every ballot's
grades without a receipt, which add up to the tally."""

import io
import random
import re

import pytest
from pypdf import PdfReader

from evaluations.cadres.models import Ballot, Grade, VotingCode
from evaluations.cadres.models import EvaluationState as S
from workflows.audit import history_of
from ballots.codes import display_receipt
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db

GRADES = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT, ""]
LABELS = {Grade.EXCELLENT: "优秀", Grade.COMPETENT: "称职", Grade.BASIC: "基本称职", Grade.INCOMPETENT: "不称职"}


def _decide(client, evaluation, decision, **extra):
    evaluation.refresh_from_db()
    return client.post(f"/evaluations/cadres/{evaluation.code}/decide/",
                       {"decision": decision, "version": evaluation.version, "confirmed": "1", **extra})


def test_whole_evaluation_online(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.PLAN_APPROVED, codes=30, entitled=40)
    cadres = list(evaluation.cadres.all())

    # The working body prints the slips before the vote opens: 30 codes, 8 to a page.
    client.force_login(tree.submitter)
    response = client.post(f"/evaluations/cadres/{evaluation.code}/slips.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 4
    text = "".join(page.extract_text() for page in pdf.pages).replace(" ", "")
    codes = list(VotingCode.objects.filter(evaluation=evaluation))
    assert all(code.display in text for code in codes)
    font_names = {page["/Resources"]["/Font"][key].get_object()["/BaseFont"] for page in pdf.pages[:1]
                  for key in page["/Resources"]["/Font"]}
    assert any("CJK" in str(name) for name in font_names)
    printed = [e for e in history_of(evaluation) if e.action == "cadres.evaluation.slips_printed"]
    assert len(printed) == 1 and printed[0].data == {"count": 30} and printed[0].actor == tree.submitter
    decide(case=evaluation, actor=tree.chair, decision="open_voting")
    client.logout()

    # 30 voters, each with a slip, on the voting page without a login.
    rng = random.Random(30)
    expected = {c.pk: {g: 0 for g in GRADES} for c in cadres}
    receipts = {}
    for code in codes:
        choice = {c.pk: rng.choice(GRADES) for c in cadres}
        url = f"/evaluations/vote/{evaluation.code}/"
        page = client.post(url, {"code": code.display.lower(), "action": "open"})  # typed case-insensitively
        assert page.status_code == 200
        body = page.content.decode()
        assert f'action="{url}"' in body  # the ballot posts to the bare address
        assert all(c.name in body for c in cadres) and 'name="viewport"' in body
        data = {"code": code.code, **{f"cadre-{pk}": g for pk, g in choice.items()}}
        confirm = client.post(url, {**data, "action": "review"})
        assert confirm.status_code == 200 and 'value="cast"' in confirm.content.decode()
        assert not Ballot.objects.filter(evaluation=evaluation).count() > len(receipts)  # nothing cast yet
        cast = client.post(url, {**data, "action": "cast"})
        assert cast.status_code == 200
        receipt = re.search(r'id="receipt">([^<]+)<', cast.content.decode()).group(1)
        assert code.display not in receipt
        receipts[receipt] = choice
        for pk, g in choice.items():
            expected[pk][g] += 1
    assert Ballot.objects.filter(evaluation=evaluation).count() == 30
    assert set(receipts) == {display_receipt(r) for r in Ballot.objects.values_list("receipt", flat=True)}
    assert "session" not in client.cookies  # voting kept nothing in a session

    # A used code cannot vote again.
    again = client.post(f"/evaluations/vote/{evaluation.code}/",
                        {"code": codes[0].code, "action": "cast", f"cadre-{cadres[0].pk}": Grade.EXCELLENT})
    assert again.status_code == 400 and Ballot.objects.count() == 30

    # Close, tally (the working body), approve (the superior union), publish.
    client.force_login(tree.chair)
    assert _decide(client, evaluation, "close_voting").status_code == 302
    assert _decide(client, evaluation, "tally").status_code == 302
    client.force_login(tree.reviewer_a)
    assert _decide(client, evaluation, "approve_results").status_code == 302
    client.force_login(tree.chair)
    assert _decide(client, evaluation, "publish").status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.state == S.PUBLISHED and evaluation.outcome == "valid" and evaluation.ballots_counted == 30
    client.logout()

    # The public page: each cadre's figures, the receipts, the ballots.
    page = client.get(f"/evaluations/results/{evaluation.code}/")
    assert page.status_code == 200
    result = page.context["result"]
    for f in result.rows:
        want = expected[f.cadre.pk]
        assert (f.excellent, f.competent, f.basic, f.incompetent, f.abstained) == tuple(want[g] for g in GRADES)
    # Every receipt, marked counted, with no grades beside it.
    assert sorted(page.context["receipts"]) == sorted(receipts)
    body = page.content.decode()
    receipt_table = body[body.index('id="receipt-list"'):body.index('id="ballots"')]
    assert all(r in receipt_table for r in receipts)
    assert not any(str(label) in receipt_table for label in LABELS.values())
    # Every ballot's grades, no receipt: they add up to the tally.
    ballot_table = body[body.index('id="ballot-list"'):]
    assert not any(r in ballot_table for r in receipts)
    listed = sorted(tuple(str(label) for _cadre, label in row) for row in page.context["ballot_rows"])
    labels = dict(Grade.choices)
    cast_grades = sorted(tuple(str(labels[choice[c.pk]]) if choice[c.pk] else "" for c in cadres)
                         for choice in receipts.values())
    assert listed == cast_grades
    # A voter finds their receipt, typed without dashes and in lower case.
    mine = next(iter(receipts))
    found = client.get(f"/evaluations/results/{evaluation.code}/", {"receipt": mine.replace("-", "").lower()})
    assert found.context["receipts"] == [mine]

    # The audit log: opened, closed with the count, never a cast ballot.
    actions = [e.action for e in history_of(evaluation)]
    assert "cadres.evaluation.voting_opened" in actions and "cadres.evaluation.voting_closed" in actions
    counted = [e for e in history_of(evaluation) if e.action == "cadres.evaluation.ballots_counted"]
    assert counted[0].data["ballots"] == 30
    assert len(actions) < 15
