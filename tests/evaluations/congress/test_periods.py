"""Opening a period gives exactly the right unions their due report;
overdue reports are listed per organisation, reminded and escalated."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.congress import services
from evaluations.congress.models import OUTSTANDING_STATES, Report, ReportState
from evaluations.congress.periods import do_open_period
from evaluations.congress.reminders import remind_reports
from evaluations.congress.declaration import REPORT_PROCESS
from tests.conftest import make_org, make_user
from workflows.exceptions import RuleViolation
from evaluations.congress.roles import SUBMITTER
from workflows.models import Notification, OrgKind, Sector
from workflows.cases.overdue import overdue_by_organisation as overdue_rows
from workflows.steps.deadlines import send_reminders

pytestmark = pytest.mark.django_db


def test_due_reports_for_exactly_the_unions_of_the_sectors(tree, open_period, kinds):
    other_district = make_org("另一区总工会", "other", OrgKind.DISTRICT)
    other_town = make_org("另一镇", "other-town", OrgKind.INTERMEDIATE, other_district)
    make_org("另一区企业工会", "other-np", OrgKind.GRASSROOTS, other_town, Sector.NON_PUBLIC)
    make_org("甲一车间分工会", "a1-sub", OrgKind.SUB_UNION, tree.union_a1, Sector.NON_PUBLIC)
    a3 = make_org("甲三民企工会", "union-a3", OrgKind.GRASSROOTS, tree.town_a, Sector.NON_PUBLIC)

    period = open_period(sectors=[Sector.NON_PUBLIC])
    assert set(period.reports.values_list("organisation__code", flat=True)) == {"union-a1", "union-a3"}
    # First half: 20 working days from 1 July 2024.
    assert period.due_on == datetime.date(2024, 7, 26)
    assert set(period.reports.values_list("due_on", flat=True)) == {period.due_on}
    assert all(r.state == ReportState.DRAFT for r in period.reports.all())
    assert Notification.objects.filter(user=tree.submitter, url=Report.objects.get(period=period, organisation=tree.union_a1).get_absolute_url()).exists()
    assert a3.congress_reports.count() == 1

    second = open_period(half=2, sectors=[Sector.STATE_OWNED, Sector.INSTITUTION])
    assert set(second.reports.values_list("organisation__code", flat=True)) == {"union-a2", "union-b1"}
    assert second.due_on == datetime.date(2025, 2, 5)  # 20 working days; the Spring Festival (28 Jan–4 Feb) skipped

    with pytest.raises(RuleViolation):
        open_period(sectors=[Sector.NON_PUBLIC])
    with pytest.raises(RuleViolation):
        do_open_period(kind=kinds["integrity"], year=2024, half=None, sectors=[Sector.NON_PUBLIC],
                       district=tree.district, actor=tree.reviewer_d)


def test_due_report_is_in_the_submitters_inbox(client, tree, open_period):
    open_period()
    client.force_login(tree.submitter)
    page = client.get(reverse("inbox")).content.decode()
    assert "业务招待费报告" in page and tree.union_a1.name in page
    client.force_login(tree.submitter_b)
    assert "业务招待费报告" not in client.get(reverse("inbox")).content.decode()


def overdue_by_organisation(user, today):
    return overdue_rows(REPORT_PROCESS.selector(user), OUTSTANDING_STATES, today)


def test_overdue_listed_reminded_and_escalated(tree, open_period, expense_data):
    submitter_a2 = make_user("submitter_a2", (tree.union_a2, SUBMITTER))
    period = open_period()
    a1 = Report.objects.get(period=period, organisation=tree.union_a1)
    services.do_save_report_draft(report=a1, data=expense_data(), actor=tree.submitter)
    services.do_submit_report(report=a1, actor=tree.submitter)

    before = period.due_on - datetime.timedelta(days=1)
    assert list(overdue_by_organisation(tree.admin_d, before)) == []
    counts = remind_reports(today=before)
    assert counts["reminded"] == 1  # union_a2 only: a1 has handed in
    assert Notification.objects.filter(user=submitter_a2, key__startswith="congress:remind:").count() == 1

    after = period.due_on + datetime.timedelta(days=1)
    rows = list(overdue_by_organisation(tree.admin_d, after))
    assert [(r["organisation__name"], r["count"]) for r in rows] == [(tree.union_a2.name, 1)]
    assert list(overdue_by_organisation(tree.reviewer_b, after)) == []
    counts = remind_reports(today=after)
    assert counts["overdue"] == 1
    a2 = Report.objects.get(period=period, organisation=tree.union_a2)
    assert Notification.objects.filter(user=tree.reviewer_a, key=f"congress:overdue-up:{a2.pk}:{a2.due_on}").exists()
    assert not Notification.objects.filter(user=tree.reviewer_b, key__startswith="congress:overdue").exists()
    # Twice the same day sends nothing twice.
    assert remind_reports(today=after)["overdue"] == 0

    # The intermediate union's check, not taken within its declared 5
    # working days, is escalated by the engine to the district's reviewers.
    late = timezone.localdate() + datetime.timedelta(days=30)
    assert send_reminders(today=late)["overdue"] == 1
    assert Notification.objects.filter(user=tree.reviewer_a, event="workflows.event.deadline_overdue").exists()
    assert Notification.objects.filter(user=tree.reviewer_d, event="workflows.event.deadline_overdue_superior").exists()


def test_overdue_page_lists_per_organisation(client, tree, open_period):
    open_period(year=2020)
    client.force_login(tree.reviewer_a)
    page = client.get(reverse("congress:overdue")).content.decode()
    assert tree.union_a1.name in page and tree.union_a2.name in page
    client.force_login(tree.reviewer_b)
    page = client.get(reverse("congress:overdue")).content.decode()
    assert tree.union_a1.name not in page


def test_remind_reports_command(tree, open_period):
    from io import StringIO

    from django.core.management import call_command

    open_period(year=2020)
    out = StringIO()
    call_command("remind_reports", stdout=out)
    assert "overdue 2" in out.getvalue()  # union_a1 and union_a2 (nobody there: its town is told)
    assert Notification.objects.filter(user=tree.reviewer_a, event="congress.event.report_overdue_superior").count() == 2
