"""等保's audit points: the export for the auditor (a district's entries in
a date range), the retention check in check_integrity, and the page of
the security settings in force."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.conftest import make_org, make_user
from tests.workflows.test_audit_chain import raw
from workflows.audit import log_action
from workflows.audit_seal import seal_audit
from workflows.models import AuditEntry, OrgKind
from workflows.organisations.roles import ADMINISTRATOR
from workflows.security import audit_export
from workflows.security.retention import retention_problems


def entry(org, code, when):
    with freeze_time(when):
        return log_action(org, code, organisation=org, comment=f"{code} at {org.code}")


@pytest.fixture
def two_districts(tree):
    elsewhere = make_org("邻区总工会", "elsewhere", OrgKind.DISTRICT)
    make_user("admin_x", (elsewhere, ADMINISTRATOR))
    tz = timezone.get_current_timezone()
    entry(tree.union_a1, "test.entry.march", datetime.datetime(2026, 3, 10, 10, tzinfo=tz))
    entry(tree.town_b, "test.entry.april", datetime.datetime(2026, 4, 1, 0, 30, tzinfo=tz))
    entry(tree.district, "test.entry.may", datetime.datetime(2026, 5, 20, 10, tzinfo=tz))
    entry(elsewhere, "test.entry.foreign", datetime.datetime(2026, 3, 15, 10, tzinfo=tz))
    seal_audit()  # the sealer links them into the chain, as run_scheduler does
    return elsewhere


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_export_holds_the_districts_entries_of_the_range_only(client, tree, two_districts,
                                                                  django_assert_max_num_queries):
    client.force_login(tree.admin_d)
    assert client.get(reverse("audit_export")).status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit_export"), {"start": "2026-03-01", "end": "2026-04-01"})
        rows = read_csv(response)
    assert response["Content-Type"].startswith("text/csv")
    codes = [row[1] for row in rows[1:]]
    assert codes == ["test.entry.march", "test.entry.april"]  # not May, not the other district's
    assert rows[1][6] == "甲一机械厂工会"
    exported = AuditEntry.objects.get(action=audit_export.EXPORTED)
    assert exported.actor == tree.admin_d and exported.data == {"start": "2026-03-01", "end": "2026-04-01"}


def test_more_rows_cost_no_more_queries(client, tree, django_assert_max_num_queries):
    client.force_login(tree.admin_d)
    for i in range(30):
        log_action(tree.union_a1, "test.entry.many", organisation=tree.union_a1, actor=tree.submitter)
    today = timezone.localdate().isoformat()
    with django_assert_max_num_queries(12):
        rows = read_csv(client.get(reverse("audit_export"), {"start": today, "end": today}))
    # The header, the 30 entries, and the export's own entry.
    assert len(rows) == 32 and rows[-1][1] == audit_export.EXPORTED


def test_bad_ranges_are_refused_in_chinese_and_others_get_a_404(client, tree, two_districts):
    client.force_login(tree.admin_d)
    response = client.get(reverse("audit_export"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 200 and "结束日期早于开始日期" in response.content.decode()
    assert response.context["form"]["start"].value() == "2026-05-01"
    assert client.get(reverse("audit_export"), {"start": "x", "end": ""}).status_code == 200
    client.force_login(tree.reviewer_d)
    assert client.get(reverse("audit_export"), {"start": "2026-03-01", "end": "2026-04-01"}).status_code == 404
    client.force_login(tree.submitter)
    assert client.get(reverse("security_settings")).status_code == 404


def test_the_security_settings_page_shows_what_is_in_force(client, tree, settings):
    settings.UNIONFLOW_IDLE_TIMEOUT_SECONDS = 15 * 60
    settings.UNIONFLOW_AUDIT_RETENTION_DAYS = 200
    client.force_login(tree.admin_d)
    page = client.get(reverse("security_settings"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "15 分钟" in text and "200 天" in text
    # admin_d, reviewer_d and chair_a1, chair_b1 need it; nobody has it.
    assert "4 个中 0 个已启用" in text
    assert "本区最早的审计记录" in text


def test_retention_under_six_months_is_flagged(db, settings):
    settings.UNIONFLOW_AUDIT_RETENTION_DAYS = 90
    assert any("at least 180" in p for p in retention_problems())
    settings.UNIONFLOW_AUDIT_RETENTION_DAYS = 180
    assert retention_problems() == []


def test_entries_deleted_inside_the_window_are_flagged_by_check_integrity(tree, two_districts):
    first = AuditEntry.objects.order_by("seal_seq").first()
    assert retention_problems(now=datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)) == []
    raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [first.pk])
    # 2026-06-01: the first remaining entry (April) is inside the window.
    problems = retention_problems(now=datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc))
    assert problems and "missing" in problems[0]
    # A year on, what was removed is older than the window: not a retention matter.
    assert retention_problems(now=datetime.datetime(2027, 6, 1, tzinfo=datetime.timezone.utc)) == []
    err = io.StringIO()
    with freeze_time("2026-06-01"), pytest.raises(CommandError):
        call_command("check_integrity", "--no-documents", stdout=io.StringIO(), stderr=err)
    assert "are missing" in err.getvalue()


def test_a_break_inside_the_window_is_named_as_a_retention_problem(tree, two_districts):
    middle = AuditEntry.objects.order_by("seal_seq")[1]
    raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [middle.pk])
    from workflows.audit import verify_chain

    _checked, broken = verify_chain()
    problems = retention_problems(broken=broken, now=datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc))
    assert problems and "within the retention window" in problems[0]
