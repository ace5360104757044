"""May Day's paper on the May Day kinds (docs/mayday-as-kinds.md §4.1
test_documents.py and test_real_names.py, P5–P9): the award list grouped
by kind then union with certificate numbers (page, PDF, Excel), long real
names on it, the printed notice without ID or phone numbers, the printed
form's opinion blocks, printing a whole campaign from its page and the
command line, exporting the award list, a reissue on the campaign's one
counter, and the certificate layouts' closing phrase and unit name.

Covered elsewhere, not repeated here: the stamped download of a revoked
certificate from the case page (test_endings.py::test_a_granted_case_gets_one_certificate_numbered_and_worded_from_the_case),
the reissue page (test_endings.py::test_a_revoked_certificate_is_reissued_with_the_next_number_by_the_district_only)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from awards.kinds import cases as case_services
from awards.kinds.endings import certificate_reissue, certificates_of
from awards.kinds.models import KindCaseState as S
from awards.kinds.printed import opinion_blocks
from tests.conftest import MEDAL_ANSWERS
from tests.workflows.test_documents import drawn_font_names, is_cjk_font, page_mm, page_qr_url, pdf_text
from workflows.documents.services import certificate_revoke
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Certificate, CertificateStatus, PrintJob
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db

ID_NUMBER = MEDAL_ANSWERS["id_number"]
PHONE = "13800138000"


def flat(text):
    return "".join(text.split())


def body(response):
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def to_notice(tree, case):
    """The chair, the town and the district pass the case: it awaits the notice."""
    in_a = case.organisation.is_within(tree.town_a)
    decide(decision="confirm", case=case, actor=tree.chair if in_a else tree.chair_b)
    decide(decision="forward", case=case, actor=tree.reviewer_a if in_a else tree.reviewer_b)
    decide(decision="approve", case=case, actor=tree.reviewer_d)
    case.refresh_from_db()
    assert case.state == S.AWAITING_NOTICE
    return case


@pytest.fixture
def awarded(tree, make_mayday_case, grant_case):
    """Two individuals of union_a1, a team of union_b1, all granted; one
    more individual of union_a1 still under review."""
    a = make_mayday_case(name="张三", contact_phone=PHONE)
    b = make_mayday_case(name="王五")
    team = make_mayday_case("team", name="乙一医院急诊科", org=tree.union_b1, legal_representative="赵主任",
                            headcount="30")
    certificates = [grant_case(case) for case in (a, b, team)]
    pending = make_mayday_case(name="候审人")
    return {"cases": [a, b, team], "certificates": certificates, "pending": pending}


def sheet_rows(ws):
    return [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]


# The award list ------------------------------------------------------------------

def test_the_award_list_page_groups_by_kind_then_union_with_certificate_numbers(
        client, tree, mayday_campaign, awarded):
    one, two, team = awarded["certificates"]
    # One counter across the three awards, in the starters' number format.
    assert [c.number for c in (one, two, team)] == [f"工奖〔2024〕第000{n}号" for n in (1, 2, 3)]
    assert (one.award_title, team.award_title) == ("2024年度五一劳动奖章", "2024年度工人先锋号")
    client.force_login(tree.admin_d)
    url = reverse("kinds:award_list", args=[mayday_campaign.pk])
    page = body(client.get(url)).decode()
    # By kind in the campaign's order (no unit granted: no 奖状 heading), then union, names in order.
    order = ["五一劳动奖章", tree.union_a1.name, "张三", one.number, "王五", two.number,
             "工人先锋号", tree.union_b1.name, "乙一医院急诊科", team.number]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions), order
    assert "五一劳动奖状" not in page and "候审人" not in page
    assert "甲一机械厂 · 车间主任" in page  # work unit · post

    # A revoked certificate leaves its line without a number.
    certificate_revoke(certificate=one, actor=tree.admin_d, reason="撤销")
    page = body(client.get(url)).decode()
    assert "张三" in page and one.number not in page and two.number in page


def test_the_award_list_excel_has_a_sheet_per_kind_banded_by_union_with_numbers(
        client, tree, mayday_campaign, awarded):
    one, two, team = awarded["certificates"]
    client.force_login(tree.admin_d)
    book = load_workbook(io.BytesIO(body(client.get(reverse("kinds:approved_list", args=[mayday_campaign.pk,
                                                                                         "xlsx"])))))
    assert book.sheetnames == ["五一劳动奖状", "五一劳动奖章", "工人先锋号"]
    medal = sheet_rows(book["五一劳动奖章"])
    assert medal[0] == [f"获批名单：{mayday_campaign.title} · 五一劳动奖章"]
    assert medal[1][:5] == ["序号", "工会", "申请人或候选人", "结果", "证书编号"]
    assert "工作单位" in medal[1] and "职务" in medal[1]
    assert medal[2] == [tree.union_a1.name]
    assert medal[3][:5] == [1, tree.union_a1.name, "张三", "授予", one.number]
    assert medal[4][:5] == [2, tree.union_a1.name, "王五", "授予", two.number]
    teams = sheet_rows(book["工人先锋号"])
    assert teams[2] == [tree.union_b1.name] and teams[3][:5] == [1, tree.union_b1.name, "乙一医院急诊科", "授予",
                                                                 team.number]
    cells = str([sheet_rows(ws) for ws in book.worksheets])
    assert "候审人" not in cells and ID_NUMBER not in cells and PHONE not in cells


def test_the_award_list_pdf(client, tree, mayday_campaign, awarded):
    client.force_login(tree.admin_d)
    reader, text = pdf_text(body(client.get(reverse("kinds:approved_list", args=[mayday_campaign.pk, "pdf"]))))
    assert page_mm(reader.pages[0]) == (297, 210)  # landscape A4, as the kinds' lists print
    text = flat(text)
    for expected in ("获批名单", "五一劳动奖章", "工人先锋号", tree.union_a1.name, "张三", "乙一医院急诊科",
                     *(c.number for c in awarded["certificates"])):
        assert expected in text, expected
    assert text.index("张三") < text.index("王五") < text.index("乙一医院急诊科")
    assert "候审人" not in text and ID_NUMBER not in text and PHONE not in text
    assert any(is_cjk_font(name) for name in drawn_font_names(reader.pages[0]))


LONG_NAME = "阿卜杜热合曼·买买提明"
LONG_UNIT = "新疆天山国际能源装备制造集团有限公司第二分公司设备维修车间"
POST = "党支部书记兼车间主任"


@pytest.fixture
def awarded_long(make_mayday_case, grant_case):
    case = make_mayday_case(name=LONG_NAME, work_unit=LONG_UNIT, post=POST)
    grant_case(case)
    return case


def test_the_award_list_pdf_breaks_long_names_only_between_their_parts(client, tree, mayday_campaign,
                                                                        awarded_long):
    client.force_login(tree.admin_d)
    data = body(client.get(reverse("kinds:approved_list", args=[mayday_campaign.pk, "pdf"])))
    lines = [line.strip() for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()]
    # Each part of the name stays whole on a line.
    assert any("阿卜杜热合曼" in line for line in lines), lines
    assert any("买买提明" in line for line in lines), lines
    # The post fits its column on one line; the unit breaks only after a whole word.
    assert any(POST in line for line in lines), lines
    assert any("设备维修车间" in line for line in lines), lines
    assert any("有限公司" in line for line in lines), lines


def test_the_award_list_excel_sizes_columns_to_content_and_wraps(client, tree, mayday_campaign, awarded_long):
    client.force_login(tree.admin_d)
    book = load_workbook(io.BytesIO(body(client.get(reverse("kinds:approved_list", args=[mayday_campaign.pk,
                                                                                         "xlsx"])))))
    ws = book["五一劳动奖章"]
    headers = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[2].value == LONG_NAME)
    name, unit, post = row[2], row[headers.index("工作单位")], row[headers.index("职务")]
    # Wide enough for the whole name and post (CJK characters count double) ...
    assert ws.column_dimensions[name.column_letter].width >= 2 * len(LONG_NAME)
    assert ws.column_dimensions[post.column_letter].width >= 2 * len(POST)
    # ... and a longer unit name wraps within a bounded column instead of being cut.
    assert unit.value == LONG_UNIT
    assert ws.column_dimensions[unit.column_letter].width < 2 * len(LONG_UNIT)
    for cell in (name, unit, post):
        assert cell.alignment.wrap_text
    # A short column stays narrow.
    assert ws.column_dimensions["A"].width < 10


def test_export_award_list_writes_the_campaigns_list_by_its_code(client, tree, tmp_path, mayday_campaign, awarded):
    client.force_login(tree.admin_d)
    downloaded = load_workbook(io.BytesIO(body(client.get(reverse("kinds:approved_list",
                                                                  args=[mayday_campaign.pk, "xlsx"])))))
    xlsx = tmp_path / "list.xlsx"
    call_command("export_award_list", campaign=mayday_campaign.code, format="xlsx", output=str(xlsx))
    written = load_workbook(str(xlsx))
    # What the district downloads: a sheet per kind, the same rows.
    assert written.sheetnames == downloaded.sheetnames
    assert [sheet_rows(ws) for ws in written.worksheets] == [sheet_rows(ws) for ws in downloaded.worksheets]
    pdf = tmp_path / "list.pdf"
    call_command("export_award_list", campaign=mayday_campaign.code, format="pdf", output=str(pdf))
    text = flat("".join(page.extract_text() for page in PdfReader(str(pdf)).pages))
    assert "获批名单" in text and "张三" in text and awarded["certificates"][2].number in text
    with pytest.raises(CommandError):
        call_command("export_award_list", campaign="no-such", format="pdf", output=str(pdf))


# The printed notice and the printed form ------------------------------------------

def test_the_printed_notice_has_no_id_or_phone_numbers(client, tree, make_mayday_case):
    a = make_mayday_case(name="张三", contact_phone=PHONE)
    b = make_mayday_case(name="王五", contact_phone="13900139000")
    team = make_mayday_case("team", name="乙一医院急诊科", org=tree.union_b1)
    pending = make_mayday_case(name="候审人")
    for case in (a, b, team):
        to_notice(tree, case)
    from awards.kinds.notices import do_publish_notice

    do_publish_notice(campaign=a.campaign, actor=tree.admin_d)
    url = reverse("kinds:notice_pdf", args=[a.campaign.pk])
    client.force_login(tree.chair)
    assert client.get(url).status_code == 403  # the district federation's own staff only
    client.force_login(tree.admin_d)
    reader, text = pdf_text(body(client.get(url)))
    compact = flat(text)
    for expected in ("公示", "张三", "王五", "乙一医院急诊科", "技术革新能手", "五一劳动奖章", "工人先锋号"):
        assert expected in compact, expected
    # By kind in the campaign's order: the medal's table, then the teams'.
    assert compact.index("五一劳动奖章") < compact.index("张三") < compact.index("工人先锋号") < compact.index(
        "乙一医院急诊科")
    for private in (ID_NUMBER, ID_NUMBER[:10], PHONE, "13900139000", "023-12345678", "1985"):
        assert private not in compact, private
    assert pending.name not in compact  # still under review: not on the notice
    assert any(is_cjk_font(name) for name in drawn_font_names(reader.pages[0]))


def test_the_printed_form_has_one_opinion_block_per_level(client, tree, make_mayday_case):
    case = make_mayday_case(name="张三")
    decide(decision="confirm", case=case, actor=tree.chair, comment="同意上报")
    decide(decision="return", case=case, actor=tree.reviewer_a, comment="请补充事迹")
    case.refresh_from_db()
    form = case_services.form_class(case)(dict(case.answers))
    assert form.is_valid(), form.errors
    case_services.do_resubmit_case(case=case, form=form, actor=tree.submitter, comment="补充了事迹")
    case.refresh_from_db()
    decide(decision="confirm", case=case, actor=tree.chair, comment="已补充，同意上报")
    decide(decision="forward", case=case, actor=tree.reviewer_a, comment="经审核同意推荐")
    case.refresh_from_db()
    blocks = [b for b in opinion_blocks(case) if not b.get("notice")]
    assert [b["opinion"] for b in blocks] == ["已补充，同意上报", "经审核同意推荐", "", ""]
    assert blocks[1]["reviewer"] == "reviewer_a" and blocks[1]["organisation"] == tree.town_a.name

    url = reverse("kinds:case_printed", args=[case.pk])
    client.force_login(tree.reviewer_b)  # another branch
    assert client.get(url).status_code == 404
    client.force_login(tree.chair)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    reader, text = pdf_text(body(response))
    # Printed on A4 (kinds' choice: the form is enlarged whole onto A3 where
    # it is kept on A3; May Day printed on A3), the opinions on a page of their own.
    assert page_mm(reader.pages[0]) == (210, 297) and len(reader.pages) >= 2
    compact = flat(text)
    for expected in ("五一劳动奖章推荐审批表", "张三", "汉族", "中共党员", "高级技师", "在生产一线攻坚克难",
                     "本单位工会主席确认", "已补充，同意上报", "上级工会审核", "经审核同意推荐", "区总工会审核",
                     "最终决定", "签字（盖章）"):
        assert expected in compact, expected
    assert "请补充事迹" not in compact  # the town's return gave way to its approval
    assert ID_NUMBER not in compact and ID_NUMBER[-4:] in compact  # masked
    assert any(is_cjk_font(name) for name in drawn_font_names(reader.pages[0]))


# Certificates of the whole campaign ------------------------------------------------

def test_the_district_prints_every_certificate_of_the_three_awards_in_one_job(
        client, tree, mayday_campaign, awarded, django_capture_on_commit_callbacks):
    url = reverse("kinds:print_certificates", args=[mayday_campaign.pk])
    client.force_login(tree.reviewer_a)
    assert client.post(url, {"confirmed": "1"}).status_code == 404
    assert not PrintJob.objects.exists()
    client.force_login(tree.admin_d)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirmed": "1"})
    job = PrintJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("print_job_detail", args=[job.pk])
    assert job.status == "done" and job.total == 3 and job.series == mayday_campaign.code
    assert set(job.certificates.values_list("pk", flat=True)) == {c.pk for c in awarded["certificates"]}


def test_print_certificates_command(tmp_path, mayday_campaign, awarded, capsys):
    output = tmp_path / "x.pdf"
    call_command("print_certificates", campaign=mayday_campaign.code, output=str(output), processes=1)
    assert "3/3 100%" in capsys.readouterr().err  # the progress bar
    reader = PdfReader(str(output))
    assert len(reader.pages) == 3
    for page, certificate in zip(reader.pages, awarded["certificates"]):
        text = flat(page.extract_text())
        assert certificate.holder_name in text and certificate.number in text
        assert any(is_cjk_font(name) for name in drawn_font_names(page))
        assert page_qr_url(page).endswith(f"/verify/{certificate.token}/")
    with pytest.raises(CommandError):
        call_command("print_certificates", campaign="no-such", output=str(output), no_progress=True)


def test_a_reissue_takes_the_next_number_of_the_campaigns_one_counter(tree, mayday_campaign, awarded):
    old = awarded["certificates"][0]
    with pytest.raises(RuleViolation):  # still valid
        certificate_reissue(certificate=old, actor=tree.admin_d)
    certificate_revoke(certificate=old, actor=tree.admin_d, reason="证书损毁")
    with pytest.raises(NotAllowed):
        certificate_reissue(certificate=old, actor=tree.reviewer_d)
    new = certificate_reissue(certificate=old, actor=tree.admin_d, comment="补发")
    # After the three awards' numbers 1-3: 4, in the campaign's series.
    assert new.pk != old.pk and (new.series, new.sequence, new.number) == (mayday_campaign.code, 4, "工奖〔2024〕第0004号")
    assert Certificate.objects.get(pk=old.pk).status == CertificateStatus.REVOKED
    assert certificates_of(awarded["cases"][0]).filter(status="valid").get() == new
    with pytest.raises(AlreadyHandled):  # one valid certificate per case
        certificate_reissue(certificate=old, actor=tree.admin_d)


# The layouts ----------------------------------------------------------------------

TITLES = ["五一劳动奖状", "2024年度示范区总工会五一劳动奖状", "示范区五一劳动奖状（先进集体）"]


@pytest.mark.parametrize("layout", ["unit", "individual", "team"])
def test_certificate_text_keeps_its_closing_phrase_whole(layout):
    from workflows.documents.rendering import SampleCertificate, certificate_context, html_to_pdf, render_html

    pages = [certificate_context(SampleCertificate(layout, award_title=title)) for title in TITLES]
    pdf = html_to_pdf(render_html("documents/certificates.html", {"pages": pages}, orientation="landscape", margin="0"))
    closing = "特发此状，以资鼓励。" if layout == "unit" else "特发此证，以资鼓励。"
    for page, title in zip(PdfReader(io.BytesIO(pdf)).pages, TITLES):
        lines = [line.strip() for line in page.extract_text().splitlines()]
        # No line holds a stray end of the sentence (鼓励。 or 励。 alone).
        assert any(line.endswith(closing) for line in lines), (title, lines)
        assert any(title in line for line in lines), (title, lines)


def test_the_unit_layouts_holder_name_breaks_between_words():
    """A certificate without a wording (as May Day issued them, and so
    those carried into kinds) prints its layout's page."""
    from workflows.documents.rendering import SampleCertificate, certificate_context, html_to_pdf, render_html

    page = certificate_context(SampleCertificate("unit", holder_name="示范区天山国际能源装备制造集团有限公司第二分公司设备维修车间"))
    pdf = html_to_pdf(render_html("documents/certificates.html", {"pages": [page]}, orientation="landscape", margin="0"))
    lines = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    assert any("设备维修车间" in line for line in lines), lines


@pytest.mark.parametrize("kind, name, closing", [
    ("unit", "示范区天山国际能源装备制造集团有限公司第二分公司设备维修车间", "特发此状，以资鼓励。"),
    ("individual", "张三", "特发此证，以资鼓励。"),
    ("team", "乙一医院急诊科", "特发此证，以资鼓励。"),
])
def test_a_granted_certificate_keeps_its_closing_phrase_and_the_units_name_whole(
        client, tree, make_mayday_case, grant_case, kind, name, closing):
    certificate = grant_case(make_mayday_case(kind, name=name))
    assert certificate.layout == kind and certificate.award_title.startswith("2024年度")
    client.force_login(tree.admin_d)
    _reader, text = pdf_text(body(client.get(reverse("certificate_pdf", args=[certificate.pk]))))
    lines = [line.strip() for line in text.splitlines()]
    assert any(line.endswith(closing) for line in lines), lines
    if kind == "unit":
        assert any("设备维修车间" in line for line in lines), lines
