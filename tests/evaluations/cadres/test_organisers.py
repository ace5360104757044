"""What organisers of a real 民主测评 need: weights by rater category (the
voters imported with their category, codes and paper piles carrying it, the
weighted rates in the tally, the formula on the result sheet), a rehearsal
that never counts, the superior union's review printed on the sheet, rates
as numbers in the Excel sheet."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from evaluations.cadres import services
from evaluations.cadres.models import Ballot, Evaluation, Voter, VotingCode
from evaluations.cadres.models import EvaluationState as S
from ballots.paper import confirm_batch, enter_batch
from evaluations.cadres.paper import PAPER
from evaluations.cadres.tally import RESULT_PASS, RESULT_WARNING, tally
from evaluations.cadres.voting import do_cast_ballot
from workflows.exceptions import RuleViolation

from .conftest import finish
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db

WEIGHTS = [["领导班子成员", 30], ["中层干部", 30], ["职工代表", 40]]
ONE = [("张伟", "总经理")]


def _codes(evaluation, actor, **per_category):
    for category, n in per_category.items():
        services.do_generate_codes(evaluation=evaluation, count=n, actor=actor, category=category)


def _vote(evaluation, category, grades):
    cadre = evaluation.cadres.get()
    codes = VotingCode.objects.filter(evaluation=evaluation, category=category, used=False)[:len(grades)]
    for code, grade in zip(codes, grades):
        do_cast_ballot(evaluation=evaluation, code=code.code, grades={cadre.pk: grade})


def test_weighted_rates_by_rater_category(tree, make_evaluation, tellers, client, pdf_renders):
    evaluation = make_evaluation(to=S.PLAN_APPROVED, codes=0, entitled=12, cadres=ONE, category_weights=WEIGHTS,
                                 paper_issued=4)
    _codes(evaluation, tree.submitter, 领导班子成员=2, 中层干部=4)
    with pytest.raises(RuleViolation):  # a weighted evaluation's codes name their category
        services.do_generate_codes(evaluation=evaluation, count=1, actor=tree.submitter)
    client.force_login(tree.submitter)
    detail = client.get(evaluation.get_absolute_url()).content.decode()
    assert 'name="category"' in detail and "<option value=\"职工代表\">" in detail  # codes for a category
    decide(case=evaluation, actor=tree.chair, decision="open_voting")
    client.force_login(tellers[0])
    paper_page = client.get(f"/evaluations/cadres/{evaluation.code}/paper/")
    assert paper_page.status_code == 200 and "<option value=\"中层干部\">" in paper_page.content.decode()
    # 领导班子成员: 2 优秀 (100% 优秀); 中层干部: 1 优秀, 1 称职, 2 基本称职 (50% 称职以上).
    _vote(evaluation, "领导班子成员", ["excellent", "excellent"])
    _vote(evaluation, "中层干部", ["excellent", "competent", "basic", "basic"])
    # 职工代表 on paper: 1 称职, 3 不称职 (25% 称职以上), keyed by both tellers.
    batch = enter_batch(PAPER, case=evaluation, declared_count=4, text="2\n4\n4\n4", actor=tellers[0],
                        category="职工代表")
    confirm_batch(PAPER, batch=batch, declared_count=4, text="2\n4\n4\n4", actor=tellers[1])
    assert sorted(Ballot.objects.filter(evaluation=evaluation).values_list("category", flat=True)) == (
        ["中层干部"] * 4 + ["职工代表"] * 4 + ["领导班子成员"] * 2)

    with CaptureQueriesContext(connection) as queries:
        f = tally(evaluation).rows[0]
    assert len(queries) == 4  # cast, issued, the grades, the grades per category
    # Unweighted: 5 of 10 are 称职以上 (50%). Weighted:
    # 称职以上 (30·1 + 30·1/2 + 40·1/4) / 100 = 55%; 优秀 (30·1 + 30·1/4 + 40·0) / 100 = 37.5%.
    assert f.competent_or_better_rate == Decimal("50.00")
    assert f.weighted_competent_or_better_rate == Decimal("55.00")
    assert f.weighted_excellent_rate == Decimal("37.50")
    # 不称职: 3/10 unweighted, weighted 40·3/4 / 100 = 30%: not above 1/3; 55% < 2/3: a warning talk.
    assert f.results == [RESULT_WARNING]

    finish(tree, evaluation)
    pdf = client.get(f"/evaluations/results/{evaluation.code}/results.pdf")
    text = "".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "加权称职及以上率" in text and "55.00%" in text and "37.50%" in text
    assert "领导班子成员30，中层干部30，职工代表40" in text and "Σ" in text  # the formula
    ws = load_workbook(io.BytesIO(client.get(f"/evaluations/results/{evaluation.code}/results.xlsx").content)).active
    header = [c.value for c in ws[3]]
    row = dict(zip(header, [c.value for c in ws[4]]))
    assert row["加权称职及以上率"] == pytest.approx(0.55) and row["称职及以上率"] == pytest.approx(0.50)
    assert ws.cell(4, header.index("加权优秀率") + 1).number_format == "0.00%"
    page = client.get(f"/evaluations/results/{evaluation.code}/").content.decode()
    assert 'id="weights"' in page and "55.00%" in page


def test_a_category_nobody_voted_in_drops_out_of_the_weights(tree, make_evaluation):
    evaluation = make_evaluation(to=S.PLAN_APPROVED, codes=0, entitled=4, cadres=ONE, category_weights=WEIGHTS)
    _codes(evaluation, tree.submitter, 领导班子成员=1, 职工代表=3)
    decide(case=evaluation, actor=tree.chair, decision="open_voting")
    _vote(evaluation, "领导班子成员", ["excellent"])
    _vote(evaluation, "职工代表", ["competent", "competent", "basic"])
    f = tally(evaluation).rows[0]
    # (30·1 + 40·2/3) / 70 = 80.95%; 中层干部 gave nothing and weighs nothing.
    assert f.weighted_competent_or_better_rate == Decimal("80.95") and f.result == RESULT_PASS
    assert f.weighted.categories == ["领导班子成员", "职工代表"]


def test_unweighted_evaluations_count_as_before(tree, make_evaluation):
    evaluation = make_evaluation(codes=2, entitled=2, cadres=ONE)
    _vote(evaluation, "", ["excellent", "basic"])
    with CaptureQueriesContext(connection) as queries:
        f = tally(evaluation).rows[0]
    assert len(queries) == 3 and f.weighted is None and f.weighted_competent_or_better_rate is None


def _xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "voters.xlsx"
    return out


def test_voters_imported_with_their_category(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.DRAFT, category_weights=WEIGHTS)
    client.force_login(tree.submitter)
    url = f"/evaluations/cadres/{evaluation.code}/voters/import/"
    bad = _xlsx([["姓名", "部门", "类别"], ["张三", "一车间", "职工代表"], ["李四", "二车间", "车间主任"]])
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and "车间主任" in str(response.context["errors"][0])
    assert "3" in str(response.context["errors"][0]) and not Voter.objects.exists()
    good = _xlsx([["姓名", "部门", "类别"], ["张三", "一车间", "职工代表"], ["李四", "办公室", "领导班子成员"]])
    assert client.post(url, {"file": good}).status_code == 302
    assert dict(Voter.objects.filter(evaluation=evaluation).values_list("name", "category")) == {
        "张三": "职工代表", "李四": "领导班子成员"}


def test_weights_typed_on_the_set_up_form(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.DRAFT)
    client.force_login(tree.submitter)
    url = f"/evaluations/cadres/{evaluation.code}/edit/"
    form = client.get(url).context["form"]
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields) if field.value() is not None}
    data.update(tellers=[t.pk for t in evaluation.tellers.all()], version=evaluation.version,
                voting_opens_at="2024-12-20T09:00", voting_closes_at="2024-12-20T11:00", meeting_date="2024-12-20")
    data.pop("rehearsal", None)
    response = client.post(url, {**data, "weights_text": "领导班子成员，30\n中层干部 三十"})
    assert response.status_code == 400 and "中层干部 三十" in response.content.decode()
    assert "weights_text" in response.context["form"].errors
    response = client.post(url, {**data, "weights_text": "领导班子成员，30\n中层干部，30\n职工代表：40"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.category_weights == WEIGHTS


def test_a_rehearsal_never_counts(tree, make_evaluation, client, pdf_renders):
    rehearsal = make_evaluation(codes=1, entitled=1, code="yanlian", rehearsal=True)
    do_cast_ballot(evaluation=rehearsal, code=VotingCode.objects.get(evaluation=rehearsal).code, grades={})
    finish(tree, rehearsal)
    client.force_login(tree.reviewer_d)
    rows = {u.code: u for u in client.get("/coverage/", {"year": 2024}).context["units"]}
    assert not rows["union-a1"].held and rows["union-a1"].case_code is None
    # Marked everywhere: the list, the page, the public page, the sheet, the slips.
    listed = client.get("/evaluations/cadres/").content.decode()
    assert "badge rehearsal" in listed
    assert "rehearsal-banner" in client.get(rehearsal.get_absolute_url()).content.decode()
    assert "rehearsal-banner" in client.get(f"/evaluations/results/{rehearsal.code}/").content.decode()
    pdf = client.get(f"/evaluations/results/{rehearsal.code}/results.pdf")
    assert "演练" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    ws = load_workbook(io.BytesIO(client.get(f"/evaluations/results/{rehearsal.code}/results.xlsx").content)).active
    assert ws["A1"].value.startswith("【演练】")
    # The real one held afterwards counts.
    real = make_evaluation(codes=1, entitled=1, code="zhengshi")
    finish(tree, real, through=S.TALLIED)
    rows = {u.code: u for u in client.get("/coverage/", {"year": 2024}).context["units"]}
    assert rows["union-a1"].held and rows["union-a1"].case_code == "zhengshi"


def test_slips_of_a_rehearsal_and_of_a_category_say_so(tree, make_evaluation):
    from evaluations.cadres.documents import slips_html
    from workflows.documents.rendering import html_to_pdf

    evaluation = make_evaluation(to=S.PLAN_APPROVED, codes=0, rehearsal=True, category_weights=WEIGHTS)
    _codes(evaluation, tree.submitter, 中层干部=1)
    text = PdfReader(io.BytesIO(html_to_pdf(slips_html(evaluation, list(evaluation.codes.all()))))).pages[0].extract_text()
    assert "演练" in text and "中层干部" in text


def test_the_superior_unions_review_is_printed(tree, make_evaluation, client, pdf_renders):
    evaluation = make_evaluation(codes=2, entitled=2, cadres=ONE)
    _vote(evaluation, "", ["excellent", "competent"])
    decide(case=evaluation, actor=tree.chair, decision="close_voting")
    decide(case=evaluation, actor=tree.chair, decision="tally")
    client.force_login(tree.chair)
    before = client.get(f"/evaluations/cadres/{evaluation.code}/results.pdf")
    assert "上级工会审核意见：＿" in "".join(PdfReader(io.BytesIO(before.content)).pages[0].extract_text().split())
    decide(case=evaluation, actor=tree.reviewer_a, decision="approve_results",
           comment="计票程序规范，结果有效，同意公布。")
    after = client.get(f"/evaluations/cadres/{evaluation.code}/results.pdf")
    text = "".join(PdfReader(io.BytesIO(after.content)).pages[0].extract_text().split())
    assert "上级工会审核意见：计票程序规范，结果有效，同意公布。（甲镇工会" in text
    wb = load_workbook(io.BytesIO(client.get(f"/evaluations/cadres/{evaluation.code}/results.xlsx").content))
    notes = [c.value for c in wb["说明及审核意见"]["A"]]
    assert any(v and v.startswith("上级工会审核意见：计票程序规范") for v in notes)
    assert Evaluation.objects.get(pk=evaluation.pk).state == S.RESULTS_APPROVED
