"""The demo's evaluations (made twice: nothing doubles) and the two
commands on them."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from demo.cadres import seed_cadre_evaluations
from evaluations.cadres.models import Ballot, Evaluation, VotingCode
from evaluations.cadres.models import EvaluationState as S
from tests.conftest import make_org, make_user
from workflows.audit import history_of
from workflows.steps.integrity import task_state_problems
from workflows.models import OrgKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tree):
    jixie = make_org("城关机械制造有限公司工会", "jixie", OrgKind.GRASSROOTS, tree.town_a)
    fangzhi = make_org("城关纺织集团工会", "fangzhi", OrgKind.GRASSROOTS, tree.town_a)
    users = {"cg_review": tree.reviewer_a}
    for code, org in (("jixie", jixie), ("fangzhi", fangzhi)):
        users[f"{code}_submit"] = make_user(f"{code}_submit", (org, "submitter"))
        users[f"{code}_chair"] = make_user(f"{code}_chair", (org, "chair"))
    seed_cadre_evaluations(users)
    seed_cadre_evaluations(users)  # re-runnable
    return users


def test_demo_evaluations(demo):
    jixie = Evaluation.objects.get(code="pingyi-2024-jixie")
    fangzhi = Evaluation.objects.get(code="pingyi-2024-fangzhi")
    assert jixie.state == S.VOTING_OPEN and jixie.accepts_votes
    assert VotingCode.objects.filter(evaluation=jixie, used=False).count() == 45
    assert fangzhi.state == S.PUBLISHED and fangzhi.outcome == "valid"
    assert Ballot.objects.filter(evaluation=fangzhi).count() == 30 == fangzhi.ballots_counted
    assert Evaluation.objects.count() == 2
    # The engine's open tasks match the declared state (the next step's actors see it).
    assert task_state_problems(jixie) == [] and task_state_problems(fangzhi) == []


def test_print_voting_slips_before_the_vote_only(demo, make_evaluation, tmp_path):
    out = tmp_path / "slips.pdf"
    # The demo's jixie is open for voting: a print now would leave out the
    # codes already used, so it is refused (a lost slip is replaced instead).
    with pytest.raises(CommandError, match="before the vote opens"):
        call_command("print_voting_slips", evaluation="pingyi-2024-jixie", output=str(out))
    with pytest.raises(CommandError):  # a published evaluation prints no slips
        call_command("print_voting_slips", evaluation="pingyi-2024-fangzhi", output=str(out))
    assert not out.exists()
    approved = make_evaluation(to=S.PLAN_APPROVED, codes=45, code="approved-2024")
    call_command("print_voting_slips", evaluation=approved.code, output=str(out), stdout=io.StringIO())
    pdf = PdfReader(str(out))
    assert len(pdf.pages) == 6  # 45 slips, 8 to a page
    text = "".join(p.extract_text() for p in pdf.pages).replace(" ", "")
    assert all(c.display in text for c in VotingCode.objects.filter(evaluation=approved))
    printed = [e for e in history_of(approved) if e.action == "cadres.evaluation.slips_printed"]
    assert printed[-1].data == {"count": 45, "via": "command"}


def test_export_evaluation_results_on_the_demo(demo, tmp_path):
    pdf_out, xlsx_out = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    call_command("export_evaluation_results", evaluation="pingyi-2024-fangzhi", format="pdf", output=str(pdf_out),
                 stdout=io.StringIO())
    text = PdfReader(str(pdf_out)).pages[0].extract_text()
    assert "民主评议结果汇总表" in text and "郑宏伟" in text and "诫勉谈话" in text
    call_command("export_evaluation_results", evaluation="pingyi-2024-fangzhi", format="xlsx", output=str(xlsx_out),
                 stdout=io.StringIO())
    ws = load_workbook(xlsx_out).active
    names = [ws.cell(row, 2).value for row in range(4, ws.max_row + 1)]
    assert names == ["郑宏伟", "黄晓梅", "马俊", "林秀英", "高志刚", "何文斌"]
    assert all(ws.cell(row, 7).value == 30 for row in range(4, ws.max_row + 1))  # 实到
    with pytest.raises(CommandError):
        call_command("export_evaluation_results", evaluation="pingyi-2024-jixie", format="pdf", output=str(pdf_out))
