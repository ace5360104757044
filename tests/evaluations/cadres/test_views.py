"""Pages: who sees what (another branch: 404), bad input kept and named,
the voter list import, paper entry by the page, downloads, coverage, the
rate limit, and query counts that do not grow with the rows."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from evaluations.cadres.models import Ballot, BallotGrade, Evaluation, Voter, VotingCode
from evaluations.cadres.models import EvaluationState as S
from evaluations.cadres.voting import do_cast_ballot

from .conftest import finish, grades_for

pytestmark = pytest.mark.django_db


def test_access_matrix(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.PLAN_SUBMITTED)
    url = f"/evaluations/cadres/{evaluation.code}/"
    for user, status in [(tree.submitter, 200), (tree.chair, 200), (tree.reviewer_a, 200), (tree.reviewer_d, 200),
                         (tree.admin_d, 200), (tree.reviewer_b, 404), (tree.submitter_b, 404), (tree.outsider, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
        listed = client.get("/evaluations/cadres/").context["page_obj"].object_list
        assert (evaluation in listed) == (status == 200), user.username
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    # Not published: no public page.
    assert client.get(f"/evaluations/results/{evaluation.code}/").status_code == 404


def test_only_the_superior_union_decides_on_the_page(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.PLAN_SUBMITTED)
    client.force_login(tree.submitter)
    response = client.post(f"/evaluations/cadres/{evaluation.code}/decide/",
                           {"decision": "approve", "version": evaluation.version})
    assert response.status_code == 403
    client.force_login(tree.reviewer_a)
    page = client.get(f"/evaluations/cadres/{evaluation.code}/")
    assert [d.code for d in page.context["decisions"]] == ["approve", "return"]
    response = client.post(f"/evaluations/cadres/{evaluation.code}/decide/",
                           {"decision": "return", "version": evaluation.version, "comment": "请补充民主测评表"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.state == S.PLAN_RETURNED


def test_create_form_keeps_what_was_typed(tree, client):
    client.force_login(tree.submitter)
    data = {
        "organisation": tree.union_a1.pk, "code": "pingyi-2025-a1", "year": 2025, "title": "2025年度民主评议",
        "method": "职工代表无记名投票", "voting_opens_at": "2025-12-20T09:00", "voting_closes_at": "2025-12-20T08:00",
        "entitled_count": 40, "paper_ballots_issued": 0, "quorum_numerator": 1, "quorum_denominator": 2,
        "void_if_over_issued": "on", "rate_base": "graded", "warning_numerator": 2, "warning_denominator": 3,
        "removal_numerator": 1, "removal_denominator": 3, "cadres_text": "张伟，总经理\n只有名字", "criteria_text": "德、能、勤、绩、廉",
    }
    response = client.post("/evaluations/cadres/new/", data)
    assert response.status_code == 400 and not Evaluation.objects.exists()
    form = response.context["form"]
    assert "voting_closes_at" in form.errors and "cadres_text" in form.errors
    assert "只有名字" in response.content.decode() and "2025年度民主评议" in response.content.decode()
    data.update(voting_closes_at="2025-12-20T11:00", cadres_text="张伟，总经理\n王芳, 副总经理")
    response = client.post("/evaluations/cadres/new/", data)
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(code="pingyi-2025-a1")
    assert [(c.name, c.post) for c in evaluation.cadres.all()] == [("张伟", "总经理"), ("王芳", "副总经理")]
    assert evaluation.criteria == ["德", "能", "勤", "绩", "廉"] and evaluation.state == S.DRAFT
    client.force_login(tree.submitter_b)  # another unit's union cannot set one up for union_a1
    assert client.post("/evaluations/cadres/new/", {**data, "code": "x"}).status_code == 400
    assert not Evaluation.objects.filter(code="x").exists()


def _xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "voters.xlsx"
    return out


def test_voter_list_import_names_every_wrong_row(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.DRAFT)
    client.force_login(tree.submitter)
    url = f"/evaluations/cadres/{evaluation.code}/voters/import/"
    bad = _xlsx([["姓名", "部门", "工号"], ["张三", "一车间", "A1"], [None, "二车间", "A2"], ["李四", "", "A1"]])
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    errors = response.context["errors"]
    assert len(errors) == 2 and "3" in str(errors[0]) and "4" in str(errors[1]) and "A1" in str(errors[1])
    assert not Voter.objects.exists()
    not_excel = io.BytesIO(b"%PDF-1.4 not a workbook")
    not_excel.name = "voters.xlsx"
    assert client.post(url, {"file": not_excel}).status_code == 400
    good = _xlsx([["工号", "姓名", "部门"]] + [[f"B{i}", f"职工{i}", "一车间"] for i in range(25)] + [[None, None, None]])
    assert client.post(url, {"file": good}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.entitled_count == 25 and Voter.objects.filter(evaluation=evaluation).count() == 25


def test_paper_entry_on_the_page(tree, make_evaluation, tellers, client):
    evaluation = make_evaluation(codes=1, paper_issued=3)
    url = f"/evaluations/cadres/{evaluation.code}/paper/"
    client.force_login(tellers[0])
    response = client.post(url, {"declared_count": 3, "ballots": "1111\n2222"})
    assert response.status_code == 400 and "2222" in response.content.decode()  # refused, what was typed kept
    assert client.post(url, {"declared_count": 2, "ballots": "1111\n2222"}).status_code == 302
    client.force_login(tellers[1])
    # The second teller never sees the first entry's grades.
    page = client.get(url)
    assert page.status_code == 200 and "1111" not in page.content.decode() and "2222" not in page.content.decode()
    assert 'name="check1-ballots"' in page.content.decode()
    # A typo in their own entry comes back with what they typed.
    response = client.post(f"{url}1/confirm/", {"check1-declared_count": 2, "check1-ballots": "1111\n22x2"})
    assert response.status_code == 400 and "22x2" in response.content.decode()
    assert client.post(f"{url}1/confirm/", {"check1-declared_count": 2, "check1-ballots": "1111\n2222"}).status_code == 302
    assert Ballot.objects.filter(evaluation=evaluation, channel="paper").count() == 2
    # A ballot keyed differently: both tellers see which one, neither sees the grades.
    client.force_login(tellers[0])
    assert client.post(url, {"declared_count": 2, "ballots": "1234\n4321"}).status_code == 302
    client.force_login(tellers[1])
    assert client.post(f"{url}2/confirm/", {"check2-declared_count": 2, "check2-ballots": "1234\n4311"}).status_code == 302
    for teller in tellers:
        client.force_login(teller)
        row = client.get(url).content.decode().split('id="batch-2"')[1].split("</tr>")[0]
        assert "2" in row.split('class="refusal">')[1] and "4321" not in row and "4311" not in row
    assert Ballot.objects.filter(evaluation=evaluation, channel="paper").count() == 2
    client.force_login(tree.chair)  # not a teller
    assert client.post(url, {"declared_count": 1, "ballots": "1111"}).status_code == 403


def test_result_sheets(tree, make_evaluation, client, pdf_renders):
    evaluation = make_evaluation(codes=3, entitled=4)
    for code in VotingCode.objects.filter(evaluation=evaluation):
        do_cast_ballot(evaluation=evaluation, code=code.code, grades=grades_for(evaluation, "excellent", "incompetent"))
    finish(tree, evaluation)
    pdf = client.get(f"/evaluations/results/{evaluation.code}/results.pdf")
    assert pdf.status_code == 200
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "张伟" in text and "100.00%" in text and "建议调整" in text and "职工代表无记名投票" in text
    # A public page: rendered once, whoever asks again.
    assert client.get(f"/evaluations/results/{evaluation.code}/results.pdf").content == pdf.content
    assert len(pdf_renders) == 1
    xlsx = client.get(f"/evaluations/results/{evaluation.code}/results.xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in ws[3]]
    row = dict(zip(header, [c.value for c in ws[4]]))
    assert row["姓名"] == "张伟" and row["优秀"] == 3 and row["应到"] == 4 and row["实到"] == 3
    # Rates are numbers (1.0 is 100%), formatted as percentages.
    assert row["优秀率"] == 1 and row["评议结果"] == "称职以上"
    assert ws.cell(4, header.index("优秀率") + 1).number_format == "0.00%"
    row2 = dict(zip(header, [c.value for c in ws[5]]))
    assert row2["不称职"] == 3 and row2["评议结果"] == "建议调整"
    assert client.get(f"/evaluations/results/{evaluation.code}/results.doc").status_code == 404


def test_public_page_queries_do_not_grow(tree, make_evaluation, client):
    def published(code, n):
        evaluation = make_evaluation(codes=0, entitled=1, paper_issued=n, code=code)
        cadres = list(evaluation.cadres.all())
        ballots = Ballot.objects.bulk_create([Ballot(evaluation=evaluation) for _ in range(n)])
        BallotGrade.objects.bulk_create([BallotGrade(ballot=b, cadre=c, grade="competent") for b in ballots for c in cadres])
        return finish(tree, evaluation)

    counts = []
    for code, n in (("small", 5), ("large", 150)):
        evaluation = published(code, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/evaluations/results/{evaluation.code}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_voting_page_when_voting_is_not_open(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.PLAN_APPROVED)
    code = VotingCode.objects.filter(evaluation=evaluation).first()
    page = client.post(f"/evaluations/vote/{evaluation.code}/", {"code": code.code, "action": "open"})
    assert page.status_code == 200 and "cadre-" not in page.content.decode()
    assert client.get("/evaluations/vote/no-such/").status_code == 404


def test_coverage(tree, make_evaluation, client):
    make_evaluation(codes=1, entitled=1, code="held")
    held = Evaluation.objects.get(code="held")
    finish(tree, held, through=S.TALLIED)
    client.force_login(tree.reviewer_d)
    # The old address sends to the one coverage page, with the question asked.
    moved = client.get("/evaluations/cadres/coverage/", {"year": 2024, "held": "no"})
    assert moved.status_code == 302 and moved["Location"] == "/coverage/?year=2024&held=no"
    assert client.get("/evaluations/cadres/coverage/")["Location"] == f"/coverage/?year={timezone.localdate().year}"
    page = client.get("/coverage/", {"year": 2024})
    rows = {u.code: u for u in page.context["units"]}
    assert set(rows) == {"union-a1", "union-a2", "union-b1"}
    assert rows["union-a1"].held and not rows["union-a2"].held and not rows["union-b1"].held
    assert page.context["held_count"] == 1
    client.force_login(tree.reviewer_b)  # their branch only
    rows = {u.code for u in client.get("/coverage/", {"year": 2024}).context["units"]}
    assert rows == {"union-b1"}
    client.force_login(tree.submitter)  # not district staff: no coverage page
    assert client.get("/evaluations/cadres/coverage/", follow=True).status_code == 404
    assert client.get("/coverage/export.xlsx", {"year": 2024}).status_code == 404
    # One query for the units whatever their number.
    client.force_login(tree.reviewer_d)
    with CaptureQueriesContext(connection) as few:
        client.get("/coverage/", {"year": 2024})
    from tests.conftest import make_org
    from workflows.models import OrgKind

    for i in range(10):
        make_org(f"新单位{i}", f"new-{i}", OrgKind.GRASSROOTS, tree.town_a)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/coverage/", {"year": 2024})
    assert len(page.context["units"]) == 13 and len(few) == len(many)


def test_detail_and_list_queries_do_not_grow(tree, make_evaluation, client):
    client.force_login(tree.chair)
    counts = []
    for code, n in (("few", 2), ("many", 20)):
        evaluation = make_evaluation(codes=n, entitled=n, code=code, cadres=[(f"干部{i}", "副总经理") for i in range(n)])
        for voting_code in VotingCode.objects.filter(evaluation=evaluation):
            do_cast_ballot(evaluation=evaluation, code=voting_code.code, grades={})
        finish(tree, evaluation, through=S.TALLIED)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/evaluations/cadres/{code}/")
        assert page.status_code == 200 and len(page.context["result"].rows) == n
        with CaptureQueriesContext(connection) as listed:
            client.get("/evaluations/cadres/")
        counts.append((len(queries), len(listed)))
    assert counts[0] == counts[1]


def test_a_final_decision_asks_for_confirmation(tree, make_evaluation, client):
    evaluation = make_evaluation(codes=1)
    client.force_login(tree.chair)
    url = f"/evaluations/cadres/{evaluation.code}/decide/"
    page = client.post(url, {"decision": "close_voting", "version": evaluation.version})
    assert page.status_code == 200 and 'name="confirmed" value="1"' in page.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.state == S.VOTING_OPEN
    # Below the quorum (0 of 40): the figures are shown and must be acknowledged too.
    unticked = client.post(url, {"decision": "close_voting", "version": evaluation.version, "confirmed": "1"})
    assert unticked.status_code == 400 and "低于" in page.content.decode() + unticked.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.state == S.VOTING_OPEN
    assert client.post(url, {"decision": "close_voting", "version": evaluation.version, "confirmed": "1",
                             "acknowledged": "1"}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.state == S.VOTING_CLOSED
    # A second click on the stale page: already handled.
    assert client.post(url, {"decision": "close_voting", "version": evaluation.version - 1,
                             "confirmed": "1"}).status_code == 409


def test_only_the_working_body_prints_slips(tree, make_evaluation, client):
    from workflows.audit import history_of

    evaluation = make_evaluation(to=S.PLAN_APPROVED, codes=3)
    url = f"/evaluations/cadres/{evaluation.code}/slips.pdf"
    for user, status in [(tree.reviewer_a, 403), (tree.reviewer_b, 404), (tree.outsider, 404)]:
        client.force_login(user)
        assert client.post(url).status_code == status, user.username
    assert not [e for e in history_of(evaluation) if e.action == "cadres.evaluation.slips_printed"]
    client.force_login(tree.chair)
    assert client.post(url).status_code == 200
    assert [e.data["count"] for e in history_of(evaluation) if e.action == "cadres.evaluation.slips_printed"] == [3]


def test_posted_numbers_that_are_no_numbers_are_refused(tree, make_evaluation, client):
    """Found by the form fuzzer: a version or voter that is no number was a
    500; a version that is no number is as stale as an old one (409), a
    voter that is no number is not one of the evaluation's."""
    from django.urls import reverse

    draft = make_evaluation(to=S.DRAFT)
    client.force_login(tree.submitter)
    response = client.post(reverse("cadres:evaluation_submit", args=[draft.code]), {"version": "x"})
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    response = client.post(reverse("cadres:voters_sign_in", args=[draft.code]), {"voter": "", "signed_in": "1"})
    assert response.status_code == 403
    response = client.post(reverse("cadres:voters_sign_in", args=[draft.code]), {"voter": "²", "signed_in": "1"})
    assert response.status_code == 403
    assert not draft.voters.filter(signed_in=True).exists()


def test_an_anonymous_post_of_1500_fields_to_the_vote_page_gets_the_400_page(make_evaluation):
    """Not Django's debug page (issue 20) and not a 500: the site's own 400,
    whatever DEBUG says outside development (config.settings)."""
    from django.test import Client

    evaluation = make_evaluation()
    form = {f"grade_{i}": "excellent" for i in range(1500)}
    response = Client(raise_request_exception=False).post(f"/evaluations/vote/{evaluation.code}/", form)
    assert response.status_code == 400
    assert "提交的表单字段数量远超本网站任何页面" in response.content.decode()
    assert "REDIS_URL" not in response.content.decode()


def test_the_list_filters_by_year_and_searches(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.PLAN_SUBMITTED)
    client.force_login(tree.reviewer_a)
    for params, listed in [({"year": "2024"}, True), ({"year": "2023"}, False), ({"year": "abc"}, True),
                           ({"year": "²"}, True), ({"q": evaluation.code}, True), ({"q": "无此评议"}, False)]:
        page = client.get("/evaluations/cadres/", params)
        assert (evaluation in page.context["page_obj"].object_list) == listed, params
    html = client.get("/evaluations/cadres/").content.decode()
    assert f'<span class="badge {S.PLAN_SUBMITTED}">' in html and f"<br><span class=\"muted\">{evaluation.code}</span>" in html


def test_the_roll_at_the_meeting(tree, make_evaluation, client):
    """The engine's roll call with the voters: searched, signed in and
    undone by the working body; the rater category shown when weighted."""
    from django.urls import reverse

    evaluation = make_evaluation(to=S.PLAN_APPROVED, codes=0, category_weights=[["中层干部", 40], ["职工代表", 60]])
    Voter.objects.bulk_create([Voter(evaluation=evaluation, name="李四", department="一车间", category="职工代表"),
                               Voter(evaluation=evaluation, name="王五", department="二车间", staff_number="B7")])
    url = reverse("cadres:voters_sign_in", args=[evaluation.code])
    client.force_login(tree.submitter)
    page = client.get(url, {"q": "一车间"}).content.decode()
    assert "李四" in page and "王五" not in page and "职工代表" in page and "0 / 2" in page
    assert f'name="voter" value="{Voter.objects.get(name="李四").pk}"' in page
    li = Voter.objects.get(name="李四")
    assert client.post(f"{url}?q=一车间", {"voter": li.pk, "signed_in": "1"})["Location"] == f"{url}?q=%E4%B8%80%E8%BD%A6%E9%97%B4"
    assert "1 / 2" in client.get(url).content.decode() and Voter.objects.get(pk=li.pk).signed_in
    client.post(url, {"voter": li.pk, "signed_in": "0"})
    assert not Voter.objects.get(pk=li.pk).signed_in
    client.force_login(tree.reviewer_a)  # sees the roll, does not keep it
    assert 'name="voter"' not in client.get(url).content.decode()
    assert client.post(url, {"voter": li.pk, "signed_in": "1"}).status_code == 403
