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
    assert response.status_code == 200 and 'name="confirmed" value="1"' in response.content.decode()
    a1_report.refresh_from_db()
    assert a1_report.state == ReportState.ACCEPTED  # not before the confirmation
    client.post(decide, {"decision": "archive", "version": a1_report.version, "confirmed": "1"})
    a1_report.refresh_from_db()
    assert a1_report.state == ReportState.ARCHIVED
    pdf = client.get(reverse("congress:report_pdf", args=[a1_report.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_handed_in_report_prints_once_per_content(client, tree, a1_report, expense_data, pdf_renders):
    from evaluations.congress import services

    from ...workflows.test_document_cache import assert_refused_though_cached, fetch

    services.do_save_report_draft(report=a1_report, data=expense_data(), actor=tree.submitter)
    services.do_submit_report(report=a1_report, actor=tree.submitter)
    url = reverse("congress:report_pdf", args=[a1_report.pk])
    client.force_login(tree.reviewer_a)
    first, data = fetch(client, url)
    again, same = fetch(client, url)
    assert first.status_code == 200 and same == data and len(pdf_renders) == 1
    assert fetch(client, url, first["ETag"])[0].status_code == 304
    services.do_decide_report(report=a1_report, decision="forward", comment="材料齐全", actor=tree.reviewer_a)
    changed, text = fetch(client, url)  # the history printed on it grew: a new render
    assert changed["ETag"] != first["ETag"] and len(pdf_renders) == 2 and text != data
    client.force_login(tree.reviewer_b)  # another branch
    assert_refused_though_cached(client, url, changed["ETag"])


def test_opening_a_period_asks_for_confirmation(client, tree, kinds):
    client.force_login(tree.admin_d)
    url = reverse("congress:period_open")
    data = {"kind": kinds["integrity"].pk, "year": 2024, "half": "", "sectors": ["non_public", "institution"]}
    response = client.post(url, data)
    assert response.status_code == 200 and "2 个基层工会" in response.content.decode()
    assert not Report.objects.exists()
    response = client.post(url, {**data, "confirmed": "1"})
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


def test_list_pages_do_not_grow_with_their_rows(client, tree, open_period):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_org
    from workflows.models import OrgKind, Sector

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(tree.admin_d)
    urls = [reverse("congress:report_list"), reverse("congress:overdue"), reverse("congress:period_list"),
            reverse("congress:facts_list")]
    open_period(year=2020)
    [count(url) for url in urls]  # warm the per-process caches (content types)
    small = [count(url) for url in urls]
    for i in range(20):
        make_org(f"民企{i}工会", f"np-{i}", OrgKind.GRASSROOTS, tree.town_a, Sector.NON_PUBLIC)
    open_period(year=2021)
    assert Report.objects.count() == 2 + 22
    assert [count(url) for url in urls] == small


def test_bulk_check_from_the_inbox(client, tree, open_period, expense_data):
    from evaluations.congress import services
    from tests.conftest import make_user
    from evaluations.congress.roles import SUBMITTER

    make_user("submitter_a2", (tree.union_a2, SUBMITTER))
    period = open_period()
    reports = list(Report.objects.filter(period=period).order_by("pk"))
    for report in reports:
        submitter = tree.submitter if report.organisation == tree.union_a1 else report.organisation.memberships.get().user
        services.do_save_report_draft(report=report, data=expense_data(), actor=submitter)
        services.do_submit_report(report=report, actor=submitter)
    client.force_login(tree.reviewer_a)
    inbox = client.get(reverse("inbox")).content.decode()
    assert all(report.get_absolute_url() in inbox for report in reports)
    step = "evaluations.congress.flows.ReportFlow.check"
    response = client.post(reverse("inbox_bulk"), {"step": step, "action": "forward", "comment": "",
                                                   "items": [f"{r.pk}:{r.version}" for r in reports]})
    assert response.status_code == 200
    assert set(Report.objects.filter(period=period).values_list("state", flat=True)) == {ReportState.CHECKED}
    client.force_login(tree.reviewer_b)
    assert reports[0].get_absolute_url() not in client.get(reverse("inbox")).content.decode()


def test_an_attachment_is_checked_by_its_content(client, tree, open_period):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = Report.objects.get(period=open_period(), organisation=tree.union_a1)
    client.force_login(tree.submitter)
    url = reverse("congress:report_edit", args=[report.pk])
    fake = SimpleUploadedFile("minutes.pdf", b"MZ not a pdf at all")
    page = client.post(url, form_post(report, budget="100", file_minutes=fake)).content.decode()
    assert "文件内容并非 PDF 格式" in page
    assert not report.attachment_files.exists()
    real = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%%EOF\n")
    assert client.post(url, form_post(report, budget="100", file_minutes=real)).status_code == 302
    attachment = report.attachment_files.get()
    assert attachment.original_name == "minutes.pdf" and attachment.content_type == "application/pdf"
    assert attachment.kind == "minutes"
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 200
    client.force_login(tree.submitter_b)
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404



def test_the_report_page_names_the_open_step_and_who_holds_it(client, tree, a1_report, expense_data):
    """The engine's case page skeleton: the state's badge, the open step
    with who holds it (the role at its organisation), the history."""
    from django.utils import translation

    from evaluations.congress import services
    from evaluations.congress.declaration import REPORT_PROCESS
    from workflows.audit import history_of
    from workflows.organisations.roles import role_label

    services.do_save_report_draft(report=a1_report, data=expense_data(), actor=tree.submitter)
    services.do_submit_report(report=a1_report, actor=tree.submitter)
    client.force_login(tree.submitter)
    page = client.get(a1_report.get_absolute_url()).content.decode()
    with translation.override("zh-hans"):
        step = REPORT_PROCESS.step("check")
        holder = f"{role_label(step.actor.role)} · {tree.union_a1.parent.name}"
        assert f"等待: {step.title} ({holder})" in page
        assert f'<span class="badge submitted">{a1_report.get_state_display()}</span>' in page
    assert page.count('<td data-label="时间">') == history_of(a1_report).count() >= 1


def test_admin_shows_reports_and_facts_but_deletes_nothing(client, tree, a1_report, django_user_model):
    """A report changes only through its services, the facts through
    theirs, a period keeps its reports: the admin shows them, view only."""
    from evaluations.congress.facts import do_update_facts

    facts = do_update_facts(organisation=tree.union_a1, values={"has_congress": True}, actor=tree.admin_d)
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    for model, pk in (("report", a1_report.pk), ("organisationfacts", facts.pk),
                      ("reportingperiod", a1_report.period_id)):
        assert client.get(reverse(f"admin:congress_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:congress_{model}_delete", args=[pk])).status_code == 403
    assert client.post(reverse("admin:congress_report_change", args=[a1_report.pk]), {}).status_code == 403
    assert Report.objects.filter(pk=a1_report.pk).exists()
