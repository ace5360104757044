"""A report's route: draft → submitted → checked → accepted → archived,
returned and resubmitted, refused when incomplete."""

import datetime
import io

import pytest
from pypdf import PdfReader

from evaluations.congress import services
from tests.workflows.test_documents import drawn_font_names, is_cjk_font
from evaluations.congress.models import Report, ReportState
from workflows.dataforms.completeness import Incomplete as ReportIncomplete
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Notification

pytestmark = pytest.mark.django_db


def report_of(period, org):
    return Report.objects.get(period=period, organisation=org)


def test_expense_report_from_draft_to_archived(tree, open_period, expense_data, django_capture_on_commit_callbacks):
    report = report_of(open_period(), tree.union_a1)
    assert report.state == ReportState.DRAFT

    # An incomplete draft is kept as typed.
    services.do_save_report_draft(report=report, data={"budget": "50000.00"}, actor=tree.submitter)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.data["budget"] == "50000.00"
    with pytest.raises(ReportIncomplete) as refusal:
        services.do_submit_report(report=report, actor=tree.submitter)
    fields = {field for field, _message in refusal.value.errors}
    assert {"actual", "items", "review_opinion", "review_date"} <= fields
    assert "“实际支出（元）”" in refusal.value.message

    services.do_save_report_draft(report=report, data=expense_data(), actor=tree.submitter)
    services.do_submit_report(report=report, actor=tree.submitter)
    assert report.state == ReportState.SUBMITTED and report.first_submitted_at is not None
    # The intermediate union's reviewer is told.
    assert Notification.objects.filter(user=tree.reviewer_a).exists()

    with pytest.raises(NotAllowed):
        services.do_decide_report(report=report, actor=tree.reviewer_b, decision="forward")
    services.do_decide_report(report=report, actor=tree.reviewer_a, decision="forward")
    assert report.state == ReportState.CHECKED
    services.do_decide_report(report=report, actor=tree.reviewer_d, decision="accept")
    assert report.state == ReportState.ACCEPTED and report.accepted_at

    with django_capture_on_commit_callbacks(execute=True):
        services.do_decide_report(report=report, actor=tree.admin_d, decision="archive")
    report.refresh_from_db()
    assert report.state == ReportState.ARCHIVED
    pdf = PdfReader(io.BytesIO(report.document.file.read()))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "业务招待费报告" in text and "客户接待餐费" in text and "42000.00" in text
    # The Chinese is drawn with an embedded CJK font, not as empty boxes.
    assert any(is_cjk_font(name) for name in drawn_font_names(pdf.pages[0]))
    actions = [e.action for e in history_of(report)]
    assert actions == ["congress.report.due", "congress.report.saved", "congress.report.saved",
                       "congress.report.submit", "congress.report.forward", "congress.report.accept",
                       "congress.report.archive"]
    # The administrator opened the period as the district: the audit and the
    # archived PDF name the district, not the union the report is due from.
    due = history_of(report).get(action="congress.report.due")
    assert due.organisation == tree.district and due.role == "district_admin"
    assert f"admin_d（{tree.district.name}）" in text.replace("\n", "")


def test_returned_then_resubmitted(tree, open_period, expense_data):
    report = report_of(open_period(), tree.union_a1)
    services.do_save_report_draft(report=report, data=expense_data(), actor=tree.submitter)
    services.do_submit_report(report=report, actor=tree.submitter)
    services.do_decide_report(report=report, actor=tree.reviewer_a, decision="forward")
    with pytest.raises(RuleViolation):
        services.do_decide_report(report=report, actor=tree.reviewer_d, decision="return", comment=" ")
    services.do_decide_report(report=report, actor=tree.reviewer_d, decision="return", comment="请补充审议意见日期。")
    assert report.state == ReportState.RETURNED and report.last_comment == "请补充审议意见日期。"
    assert Notification.objects.filter(user=tree.submitter, data__comment="请补充审议意见日期。").exists()

    stale = report.version
    services.do_save_report_draft(report=report, data={"review_opinion": "同意，建议压缩开支。"}, actor=tree.submitter)
    with pytest.raises(AlreadyHandled):
        services.do_submit_report(report=report, actor=tree.submitter, version=stale)
    report.refresh_from_db()  # as the next page would load it
    services.do_submit_report(report=report, actor=tree.submitter, version=report.version)
    assert report.state == ReportState.SUBMITTED
    assert history_of(report).filter(action="congress.report.resubmit").count() == 1
    services.do_decide_report(report=report, actor=tree.reviewer_a, decision="forward")
    services.do_decide_report(report=report, actor=tree.reviewer_d, decision="accept")
    assert report.state == ReportState.ACCEPTED


def test_items_not_adding_up_are_refused(tree, open_period, expense_data):
    report = report_of(open_period(), tree.union_a1)
    services.do_save_report_draft(report=report, data=expense_data(actual="45000.00"), actor=tree.submitter)
    with pytest.raises(ReportIncomplete) as refusal:
        services.do_submit_report(report=report, actor=tree.submitter)
    message = refusal.value.message
    assert "42000.00" in message and "45000.00" in message and "3000.00" in message and "主要开支项目" in message
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_session_with_too_few_delegates_is_refused(tree, open_period, kinds):
    period = open_period("session-record", half=None)
    report = report_of(period, tree.union_a1)
    data = {"session_name": "第三届职代会第二次会议", "session_date": "2024-03-08", "delegates_entitled": 90,
            "delegates_present": 60, "agenda": "审议业务招待费报告", "resolutions": "通过"}
    services.do_save_report_draft(report=report, data=data, actor=tree.submitter)
    report.refresh_from_db()
    # Due 20 working days after the session.
    assert report.due_on == datetime.date(2024, 4, 8)
    with pytest.raises(ReportIncomplete) as refusal:
        services.do_submit_report(report=report, actor=tree.submitter)
    message = refusal.value.message
    assert "60" in message and "90" in message and "61" in message and "2/3" in message
    services.do_save_report_draft(report=report, data={"delegates_present": 61}, actor=tree.submitter)
    services.do_submit_report(report=report, actor=tree.submitter)
    assert report.state == ReportState.SUBMITTED


def test_only_the_unions_submitter_edits(tree, open_period, expense_data):
    report = report_of(open_period(), tree.union_a1)
    with pytest.raises(NotAllowed):
        services.do_save_report_draft(report=report, data=expense_data(), actor=tree.reviewer_a)
    with pytest.raises(NotAllowed):
        services.do_submit_report(report=report, actor=tree.submitter_b)


def test_every_congress_action_has_a_label():
    from evaluations.congress.declaration import REPORT_PROCESS
    from workflows.audit import ACTION_LABELS

    codes = {REPORT_PROCESS.audit_action(d.code, d.action) for s in REPORT_PROCESS.steps for d in s.decisions}
    codes |= {REPORT_PROCESS.audit_action(t.code, t.action) for t in REPORT_PROCESS.transitions}
    codes |= {"congress.report.saved", "congress.report.due", "congress.period.opened", "congress.facts.updated"}
    assert sorted(code for code in codes if code not in ACTION_LABELS) == []
