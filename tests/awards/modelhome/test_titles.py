"""Title lifecycle: re-inspection (复查) keeps, downgrades or revokes;
expiry; the verification page and the PDF say so; the register lists and
exports titles with their history."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from awards.modelhome import decisions
from awards.modelhome.models import AppKind, Application, AppState, Title, TitleStatus
from workflows.models import Grade
from workflows.steps.decisions import decide

from .conftest import fill, score, through_notice, to_inspection


def granted(mh, org=None, submitter=None, grade="model"):
    application = to_inspection(mh, fill(mh, org=org, submitter=submitter))
    score(mh, application, mh.inspector_1)
    score(mh, application, mh.inspector_2)
    through_notice(mh, application)
    decide(case=application, actor=mh.admin_d, decision=grade)
    return Title.objects.get(application=application)


def reinspect(mh, title, scale):
    [case] = decisions.reinspection_open(titles=[title], actor=mh.admin_d)
    assert case.kind == AppKind.REINSPECTION and case.state == AppState.RECOMMENDED
    assert case.campaign.standard_version_id == title.campaign.standard_version_id
    from awards.modelhome import services

    services.inspectors_assign(application=case, actor=mh.admin_d, inspectors=[mh.inspector_1, mh.inspector_3])
    for inspector in (mh.inspector_1, mh.inspector_3):
        from .conftest import full_answers

        services.inspection_save(inspection=case.inspections.get(inspector=inspector), actor=inspector,
                                 scores=full_answers(mh.campaign, scale=scale), submit=True)
    case.refresh_from_db()
    assert case.state == AppState.REINSPECTED
    return case


def test_reinspection_revokes_and_the_verify_page_and_register_say_so(mh, client, pdf_renders):
    title = granted(mh)
    Title.objects.filter(pk=title.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=10))
    client.force_login(mh.admin_d)
    # The register offers the due title; a bulk action opens its re-inspection after confirmation.
    page = client.get(reverse("modelhome:register"), {"due_before": (timezone.localdate()
                                                                      + datetime.timedelta(days=30)).isoformat()})
    assert mh.union_a1.name in page.content.decode()
    confirm = client.post(reverse("modelhome:reinspect"), {"title": [title.pk]})
    assert confirm.status_code == 200 and not Application.objects.filter(kind=AppKind.REINSPECTION).exists()
    Application.objects.filter(kind=AppKind.REINSPECTION).delete()

    case = reinspect(mh, title, Decimal("0.6"))
    with pytest.raises(Exception):  # a mean of 60 cannot keep the title
        decide(case=case, actor=mh.admin_d, decision="keep")
    decide(case=case, actor=mh.admin_d, decision="revoke", comment="复查不合格")
    title.refresh_from_db()
    assert title.status == TitleStatus.REVOKED and case.state == AppState.NOT_GRANTED
    certificate = title.certificate
    assert certificate.is_revoked and certificate.revoked_reason == "摘牌"

    client.logout()
    verify = client.get(reverse("verify_certificate", args=[certificate.token])).content.decode()
    assert "已摘牌" in verify

    client.force_login(mh.submitter)
    # The plaque's address sends to the engine's document view: stamped
    # 已撤销 with its reason, like every revoked certificate.
    sent = client.get(reverse("modelhome:title_certificate", args=[title.pk]))
    assert sent.status_code == 302 and sent["Location"] == reverse("certificate_pdf", args=[certificate.pk])
    response = client.get(sent["Location"])
    pdf = b"".join(response.streaming_content)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "已撤销" in text and "摘牌" in text and certificate.number in text

    history = client.get(reverse("modelhome:title_detail", args=[title.pk])).content.decode()
    for label in ("称号授予", "开启复查", "摘牌", "已撤销证书", "复查不合格"):
        assert label in history, label
    register = client.get(reverse("modelhome:register"), {"status": "revoked"}).content.decode()
    assert mh.union_a1.name in register


def test_reinspection_downgrades_with_a_new_certificate(mh):
    title = granted(mh)
    old = title.certificate
    case = reinspect(mh, title, Decimal("0.8"))
    decide(case=case, actor=mh.admin_d, decision="downgrade")
    title.refresh_from_db()
    old.refresh_from_db()
    assert title.status == TitleStatus.DOWNGRADED and title.grade == Grade.QUALIFIED
    assert old.is_revoked and old.revoked_reason == "降级"
    assert title.certificate != old and title.certificate.award_title == "合格职工之家"


def test_reinspection_keeps_and_moves_the_due_date(mh):
    title = granted(mh)
    Title.objects.filter(pk=title.pk).update(due_on=timezone.localdate())
    case = reinspect(mh, title, Decimal("0.95"))
    decide(case=case, actor=mh.admin_d, decision="keep")
    title.refresh_from_db()
    assert title.status == TitleStatus.VALID and title.due_on.year == timezone.localdate().year + 2


def test_an_overdue_title_expires_and_verifies_as_expired(mh, client):
    title = granted(mh)
    Title.objects.filter(pk=title.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    from django.core.management import call_command

    call_command("expire_titles")  # the daily job (run_scheduler)
    title.refresh_from_db()
    assert title.status == TitleStatus.EXPIRED
    assert "已到期" in client.get(reverse("verify_certificate", args=[title.certificate.token])).content.decode()


def test_register_exports_to_excel_and_pages_in_constant_queries(mh, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    granted(mh)
    client.force_login(mh.admin_d)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("modelhome:register"))
    granted(mh, org=mh.sub_a1, submitter=mh.sub_submitter, grade="model")
    granted(mh, org=mh.union_a2, submitter=_submitter(mh, mh.union_a2))
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("modelhome:register"))
    assert len(three) == len(one)
    response = client.get(reverse("modelhome:register_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "称号持有单位" and len(rows) == 4
    assert {r[0] for r in rows[1:]} == {mh.union_a1.name, mh.sub_a1.name, mh.union_a2.name}


def _submitter(mh, org):
    from tests.conftest import make_user

    return make_user(f"submit_{org.code}", (org, "submitter"))
