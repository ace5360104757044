"""The May Day award's paper: recommendation-approval form, public notice,
award list (PDF and Excel), the certificates of a campaign on the command
line, and reissuing a revoked certificate."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from awards.mayday import documents

from awards.mayday import certificates
from workflows.steps.decisions import decide
from awards.mayday.models import NominationState as S
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import Certificate, CertificateStatus
from workflows.documents.rendering import html_to_pdf
from workflows.documents.services import certificate_revoke

from ..workflows.test_documents import drawn_font_names, is_cjk_font, page_mm, page_qr_url


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def awarded(tree, make_nomination, award):
    """Two individuals of union_a1, a team of union_b1, all awarded; one more
    nomination of union_a1 still under review."""
    a = make_nomination(nominee_name="张三", contact_phone="13800138000")
    b = make_nomination(nominee_name="王五", id_number="110101199001010011")
    team = make_nomination(
        kind="team", nominee_name="乙一医院急诊科", org=tree.union_b1, submitter=tree.submitter_b, id_number="",
        legal_representative="赵主任", headcount=30,
    )
    certificates = [award(n) for n in (a, b, team)]
    pending = make_nomination(nominee_name="候审人", id_number="110101199202020022")
    return {"nominations": [a, b, team], "certificates": certificates, "pending": pending}


def test_award_list_rows_group_by_kind_then_organisation(tree, campaign, awarded):
    groups = documents.award_list_rows(campaign)
    assert [g["title"] for g in groups] == ["五一劳动奖章", "工人先锋号"]
    assert [o["organisation"] for o in groups[0]["organisations"]] == [tree.union_a1]
    assert [r["name"] for r in groups[0]["organisations"][0]["rows"]] == ["张三", "王五"]
    assert groups[1]["organisations"][0]["rows"][0]["number"] == awarded["certificates"][2].number
    # A revoked certificate leaves its line without a number.
    certificate_revoke(certificate=awarded["certificates"][0], actor=tree.admin_d, reason="撤销")
    rows = documents.award_list_rows(campaign)[0]["organisations"][0]["rows"]
    assert rows[0]["number"] == ""


def test_award_list_xlsx(campaign, awarded):
    wb = load_workbook(io.BytesIO(documents.award_list_xlsx(campaign)))
    ws = wb.active
    values = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert values[0] == [f"{campaign.title} 表彰名单"]
    assert values[1] == documents.XLSX_HEADERS
    assert values[2] == ["五一劳动奖章（2）"]
    assert values[3] == ["甲一机械厂工会"]
    assert values[4][:4] == [1, "五一劳动奖章", "甲一机械厂工会", "张三"]
    assert values[4][-1] == awarded["certificates"][0].number
    assert values[6] == ["工人先锋号（1）"]
    assert values[8][3] == "乙一医院急诊科"
    assert "候审人" not in str(values)


def test_award_list_pdf(campaign, awarded):
    reader, text = pdf_text(documents.award_list_pdf(campaign))
    assert page_mm(reader.pages[0]) == (210, 297)
    for expected in ("表彰名单", "五一劳动奖章", "工人先锋号", "甲一机械厂工会", "张三", "乙一医院急诊科"):
        assert expected in text
    assert "候审人" not in text
    assert any(is_cjk_font(name) for name in drawn_font_names(reader.pages[0]))


def test_public_notice_has_no_id_or_phone_numbers(campaign, awarded, tree):
    services_state = [n.state for n in awarded["nominations"]]
    assert services_state == [S.AWARDED] * 3
    from workflows.notices.opening import notices_of as campaign_notices  # each was awarded after a notice of its own

    text = "\n".join(pdf_text(documents.public_notice_pdf(notice))[1] for notice in campaign_notices(campaign))
    assert "公示" in text and "张三" in text and "乙一医院急诊科" in text and "技术革新能手" in text
    compact = text.replace(" ", "").replace("\n", "")
    for private in ("110101198503011234", "1101011990", "13800138000", "1985"):
        assert private not in compact
    assert "候审人" not in text  # still under review: not on the notice


def test_recommendation_form_is_a3_with_one_opinion_block_per_level(tree, campaign, make_nomination):
    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair, comment="同意上报")
    decide(decision="return", case=n, actor=tree.reviewer_a, comment="请补充事迹")
    decide(decision="resubmit", case=n, actor=tree.submitter)
    decide(decision="approve", case=n, actor=tree.chair, comment="已补充，同意上报")
    decide(decision="approve", case=n, actor=tree.reviewer_a, comment="经审核同意推荐")
    blocks = documents.opinion_blocks(n)
    assert [b["opinion"] for b in blocks] == ["已补充，同意上报", "经审核同意推荐", ""]
    assert blocks[1]["reviewer"] == "reviewer_a" and blocks[1]["organisation"] == tree.town_a.name
    reader, text = pdf_text(html_to_pdf(documents.recommendation_form_html(n)))
    assert page_mm(reader.pages[0]) == (297, 420)
    for expected in ("推荐审批表", "张三", "汉族", "中共党员", "高级技师", "110***********1234", "在生产一线攻坚克难",
                     "基层工会意见", "已补充，同意上报", "经审核同意推荐", "区总工会意见", "盖章"):
        assert expected in text
    assert "110101198503011234" not in text
    assert any(is_cjk_font(name) for name in drawn_font_names(reader.pages[0]))


def test_document_views_access(client, tree, campaign, awarded):
    nomination = awarded["nominations"][0]
    url = reverse("awards:recommendation_form", args=[nomination.pk])
    client.force_login(tree.reviewer_b)  # another branch
    assert client.get(url).status_code == 404
    client.force_login(tree.chair)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    notice = reverse("awards:public_notice", args=[campaign.code])
    assert client.get(notice).status_code == 403
    client.force_login(tree.admin_d)
    assert client.get(notice).status_code == 200


def test_print_campaign_certificates_view(client, tree, campaign, awarded, django_capture_on_commit_callbacks):
    url = reverse("awards:print_certificates", args=[campaign.code])
    client.force_login(tree.reviewer_a)
    assert client.post(url).status_code == 403
    client.force_login(tree.admin_d)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    from workflows.models import PrintJob

    job = PrintJob.objects.get()
    assert job.status == "done" and job.total == 3 and job.series == campaign.code


def test_print_certificates_command(tmp_path, campaign, awarded, capsys):
    output = tmp_path / "x.pdf"
    call_command("print_certificates", campaign=campaign.code, output=str(output))
    captured = capsys.readouterr()
    assert "3/3 100%" in captured.err  # the progress bar
    reader = PdfReader(str(output))
    assert len(reader.pages) == 3
    for page, certificate in zip(reader.pages, awarded["certificates"]):
        assert certificate.holder_name in page.extract_text()
        assert any(is_cjk_font(name) for name in drawn_font_names(page))
        assert page_qr_url(page).endswith(f"/verify/{certificate.token}/")
    with pytest.raises(CommandError):
        call_command("print_certificates", campaign="no-such", output=str(output))


def test_export_award_list_command(tmp_path, campaign, awarded):
    xlsx = tmp_path / "list.xlsx"
    call_command("export_award_list", campaign=campaign.code, format="xlsx", output=str(xlsx))
    assert load_workbook(str(xlsx)).active["A1"].value == f"{campaign.title} 表彰名单"
    pdf = tmp_path / "list.pdf"
    call_command("export_award_list", campaign=campaign.code, format="pdf", output=str(pdf))
    assert "表彰名单" in PdfReader(str(pdf)).pages[0].extract_text()


def test_reissue_gives_a_new_number(tree, campaign, awarded):
    old = awarded["certificates"][0]
    with pytest.raises(RuleViolation):  # still valid
        certificates.certificate_reissue(certificate=old, actor=tree.admin_d)
    certificate_revoke(certificate=old, actor=tree.admin_d, reason="证书损毁")
    with pytest.raises(NotAllowed):
        certificates.certificate_reissue(certificate=old, actor=tree.reviewer_d)
    new = certificates.certificate_reissue(certificate=old, actor=tree.admin_d, comment="补发")
    assert new.pk != old.pk and new.number != old.number and new.sequence == 4
    assert Certificate.objects.get(pk=old.pk).status == CertificateStatus.REVOKED
    assert Certificate.objects.filter(object_id=old.object_id, status="valid").get() == new
    with pytest.raises(Exception):  # one valid certificate per case
        certificates.certificate_reissue(certificate=old, actor=tree.admin_d)


def test_reissue_view(client, tree, awarded):
    old = awarded["certificates"][0]
    certificate_revoke(certificate=old, actor=tree.admin_d, reason="证书损毁")
    client.force_login(tree.admin_d)
    detail = client.get(reverse("certificate_detail", args=[old.pk])).content.decode()
    url = reverse("awards:certificate_reissue", args=[old.pk])
    assert url in detail
    client.force_login(tree.reviewer_a)
    assert client.get(url).status_code == 403
    client.force_login(tree.admin_d)
    assert client.get(url).status_code == 200
    response = client.post(url, {"comment": "补发"})
    new = Certificate.objects.get(object_id=old.object_id, status="valid")
    assert response.status_code == 302 and response["Location"] == reverse("certificate_detail", args=[new.pk])
    assert url not in client.get(reverse("certificate_detail", args=[old.pk])).content.decode()


def test_the_nomination_pages_certificate_download_of_a_revoked_certificate_is_stamped(
        client, tree, make_nomination, award):
    """One document path: the nomination page's "下载证书（PDF）" goes through
    the engine's document view, so a revoked certificate comes stamped
    已撤销 (it used to serve the clean original)."""
    nomination = make_nomination()
    certificate = award(nomination)
    from workflows.documents.rendering import issue_certificate_document

    issue_certificate_document(certificate.pk)  # the worker renders it after the award
    certificate_revoke(certificate=certificate, actor=tree.admin_d, reason="事迹失实")
    client.force_login(tree.submitter)
    page = client.get(nomination.get_absolute_url()).content.decode()
    assert "下载证书（PDF）" in page
    link = page.split("下载证书（PDF）")[0].rsplit('href="', 1)[1].split('"', 1)[0]
    response = client.get(link, follow=True)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    _reader, text = pdf_text(data)
    assert "已撤销" in text and certificate.number in text
    # The old address of the download sends to the same view.
    old = client.get(reverse("awards:certificate_download", args=[nomination.pk]))
    assert old.status_code == 302 and old["Location"] == reverse("certificate_pdf", args=[certificate.pk])
