"""The pages: the form keeps what was typed, refusals name the field, the
decisions, the period's confirmation, and the access matrix (another
branch's report is a 404)."""

import pytest
from django.urls import reverse

from evaluations.congress.models import Report, ReportState
from workflows.models import Notification

pytestmark = pytest.mark.django_db


def form_post(report, **fields):
    data = {"version": report.version, "action": "save", "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000"}
    data.update(fields)
    return data


@pytest.fixture
def a1_report(tree, open_period):
    period = open_period()
    return Report.objects.get(period=period, organisation=tree.union_a1)


def test_bad_amount_keeps_what_was_typed(client, tree, a1_report):
    client.force_login(tree.submitter)
    url = reverse("congress:report_edit", args=[a1_report.pk])
    response = client.post(url, form_post(a1_report, budget="-5", compliance="按规定执行，未超标。",
                                          **{"items-0-item": "接待餐费", "items-0-amount": "abc"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“预算金额（元）”不能为负数。" in page
    assert "“主要开支项目 · 金额（元）”不是数字。" in page
    assert "按规定执行，未超标。" in page and "接待餐费" in page
    a1_report.refresh_from_db()
    assert a1_report.data == {}


def test_draft_saves_incomplete_and_submit_names_the_fields(client, tree, a1_report):
    client.force_login(tree.submitter)
    url = reverse("congress:report_edit", args=[a1_report.pk])
    response = client.post(url, form_post(a1_report, budget="50000", actual="100.00",
                                          **{"items-0-item": "接待", "items-0-amount": "60.00"}))
    assert response.status_code == 302
    a1_report.refresh_from_db()
    assert a1_report.data["budget"] == "50000.00" and a1_report.data["items"][0]["amount"] == "60.00"
    page = client.get(url).content.decode()
    assert 'value="50000.00"' in page and 'value="接待"' in page

    response = client.post(url, form_post(a1_report, action="submit", budget="50000", actual="100.00",
                                          review_opinion="同意", review_date="2024-07-10",
                                          **{"items-0-item": "接待", "items-0-amount": "60.00"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "各行合计 60.00 元" in page and "“实际支出（元）”为 100.00 元" in page
    a1_report.refresh_from_db()
    assert a1_report.state == ReportState.DRAFT and a1_report.data["review_opinion"] == "同意"

    response = client.post(url, form_post(a1_report, action="submit", budget="50000", actual="100.00",
                                          review_opinion="同意", review_date="2024-07-10",
                                          **{"items-0-item": "接待", "items-0-amount": "60.00",
                                             "items-1-item": "会议", "items-1-amount": "40"}))
    assert response.status_code == 302
    a1_report.refresh_from_db()
    assert a1_report.state == ReportState.SUBMITTED


def test_decisions_through_the_pages(client, tree, a1_report, expense_data):
    from evaluations.congress import services

    services.do_save_report_draft(report=a1_report, data=expense_data(), actor=tree.submitter)
    services.do_submit_report(report=a1_report, actor=tree.submitter)
    decide = reverse("congress:report_decide", args=[a1_report.pk])
    client.force_login(tree.reviewer_a)
    assert "审核通过，报区总工会" in client.get(a1_report.get_absolute_url()).content.decode()
    client.post(decide, {"decision": "return", "comment": "", "version": a1_report.version})
    a1_report.refresh_from_db()
    assert a1_report.state == ReportState.SUBMITTED  # a return needs comments
    client.post(decide, {"decision": "forward", "comment": "", "version": a1_report.version})
    a1_report.refresh_from_db()
    assert a1_report.state == ReportState.CHECKED
    stale = a1_report.version - 1
    client.force_login(tree.reviewer_d)
    assert client.post(decide, {"decision": "accept", "version": stale}).status_code == 409
    client.post(decide, {"decision": "accept", "version": a1_report.version})
    a1_report.refresh_from_db()
    assert a1_report.state == ReportState.ACCEPTED
    client.force_login(tree.admin_d)
    response = client.post(decide, {"decision": "archive", "version": a1_report.version})
    assert response.status_code == 200 and "此操作不可撤销" in response.content.decode()
    a1_report.refresh_from_db()
    assert a1_report.state == ReportState.ACCEPTED  # not before the confirmation
    client.post(decide, {"decision": "archive", "version": a1_report.version, "confirm": "1"})
    a1_report.refresh_from_db()
    assert a1_report.state == ReportState.ARCHIVED
    pdf = client.get(reverse("congress:report_pdf", args=[a1_report.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_opening_a_period_asks_for_confirmation(client, tree, kinds):
    client.force_login(tree.admin_d)
    url = reverse("congress:period_open")
    data = {"kind": kinds["integrity"].pk, "year": 2024, "half": "", "sectors": ["non_public", "institution"]}
    response = client.post(url, data)
    assert response.status_code == 200 and "2 个基层工会" in response.content.decode()
    assert not Report.objects.exists()
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert set(Report.objects.values_list("organisation__code", flat=True)) == {"union-a1", "union-b1"}
    assert Notification.objects.filter(user=tree.submitter_b).exists()
    response = client.post(url, {**data, "kind": kinds["entertainment-expenses"].pk})
    assert "半年报告须选择上半年或下半年" in response.content.decode()
    client.force_login(tree.reviewer_d)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who, status", [
    ("submitter", 200), ("chair", 200), ("reviewer_a", 200), ("reviewer_d", 200), ("admin_d", 200),
    ("submitter_b", 404), ("reviewer_b", 404), ("outsider", 404),
])
def test_access_matrix(client, tree, a1_report, who, status):
    client.force_login(getattr(tree, who))
    assert client.get(a1_report.get_absolute_url()).status_code == status
    listed = a1_report.organisation.name in client.get(reverse("congress:report_list")).content.decode()
    assert listed == (status == 200)
    edit = client.get(reverse("congress:report_edit", args=[a1_report.pk])).status_code
    assert edit == (200 if who == "submitter" else 404)
