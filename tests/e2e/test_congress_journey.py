"""A report to the workers' congress (业务招待费报告), through the pages: the
district opens the reporting period; the union finds the report due in its
inbox, saves an incomplete draft, is refused once (its rows do not add up
to the actual total, nothing lost) and submits; the intermediate union
checks it, the district returns it with comments; the union revises and
resubmits; checked again, the district accepts it; the coverage dashboard,
which showed no figure before, counts it as handed in on time.

Screenshots: congress-01-submitted … congress-04-coverage (desktop and phone).
"""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from evaluations.congress.declaration import REPORT_PROCESS
from evaluations.congress.models import Report, ReportState
from tests.e2e.journey_pages import (
    badge, click, expect_message, go, open_from_inbox, shots, sign_in, text, watch, zh, zhn,
)

pytestmark = pytest.mark.usefixtures("kinds_and_targets")


@pytest.fixture
def kinds_and_targets(transactional_db):
    """The report kinds and the work plan's targets, rows written by
    migrations: a journey before this one (a transactional test) emptied
    the tables. The migrations' own data and functions put them back: 0002's
    kinds and targets (updated or created), their fields in 0002's schema,
    then converted to the engine's described forms as 0008 converts them."""
    written = importlib.import_module("evaluations.congress.migrations.0002_kinds_and_targets")
    on_dataforms = importlib.import_module("evaluations.congress.migrations.0008_report_kinds_on_dataforms")
    ReportKind, CoverageTarget = apps.get_model("congress", "ReportKind"), apps.get_model("congress", "CoverageTarget")
    for kind in written.KINDS:
        row = {k: v for k, v in kind.items() if k not in ("code", "schema")}
        ReportKind.objects.update_or_create(code=kind["code"], defaults={**row, "fields": kind["schema"]})
    on_dataforms.to_fields(apps, None)
    for order, (code, label, target, unit) in enumerate(written.TARGETS, start=1):
        CoverageTarget.objects.update_or_create(
            code=code, defaults={"label": label, "target": target, "unit": unit, "ordering": order})


ON_TIME = "按时报送职代会报告"  # the target's label, data of migration 0002


def decision_label(step, code):
    return zh(next(d.label for d in REPORT_PROCESS.step(step).decisions if d.code == code))


def take(page, step, code, comment=""):
    """A reviewer takes the report's open step from the report's page."""
    if comment:
        page.fill("textarea[name=comment]", comment)
    click(page, page.locator(f"button[name=decision][value={code}]"))
    expect_message(page, zh("Done: %(decision)s.", decision=decision_label(step, code)))


def coverage_card(page):
    return page.locator("section.card", has=page.get_by_role("heading", name=ON_TIME))


def test_report_returned_resubmitted_accepted_and_counted(open_page, tree):
    today = timezone.localdate()
    # The current half-year: its report is not due yet, so handing it in now is on time.
    year, half = today.year, (1 if today.month <= 6 else 2)

    # 0. The district opens the period for non-public and state-owned unions.
    admin = open_page()
    admin_watch = watch(admin)
    sign_in(admin, tree.admin_d.username)
    go(admin, "/reports/periods/new/")
    admin.select_option("select[name=kind]", label="业务招待费报告")
    admin.fill("input[name=year]", str(year))
    admin.select_option("select[name=half]", str(half))
    admin.check("input[name=sectors][value=non_public]")
    admin.check("input[name=sectors][value=state_owned]")
    click(admin, admin.get_by_role("button", name=zh("Continue")))
    assert zhn("%(count)s grassroots union will get a report due.",
                "%(count)s grassroots unions will get a report due.", 2, count=2) in text(admin)
    click(admin, admin.get_by_role("button", name=zh("Open the period")))
    report = Report.objects.get(organisation=tree.union_a1)
    expect_message(admin, zh("The period is open: %(count)s unions have a report due by %(date)s.",
                             count=2, date=report.due_on.isoformat()))
    go(admin, f"/coverage/?year={year}")
    assert "—" in coverage_card(admin).locator("p").first.inner_text()  # nothing handed in yet

    # 1. The union finds the report in its inbox and fills it in.
    union = open_page()
    union_watch = watch(union)
    sign_in(union, tree.submitter.username)
    assert zh("Reports due") in text(union)
    click(union, union.locator(f"main a[href='{report.get_absolute_url()}']"))
    click(union, union.get_by_role("link", name=zh("Fill in the report")))
    union.fill("input[name=budget]", "50000")
    union.fill("input[name=actual]", "42000")
    union.fill("input[name=items-0-item]", "客户接待餐费")
    union.fill("input[name=items-0-amount]", "30000")
    union.fill("input[name=items-0-note]", "12次")
    click(union, union.get_by_role("button", name=zh("Save draft")))
    expect_message(union, zh("The draft is saved. You can come back and finish it later."))
    assert union.input_value("input[name=items-0-amount]") == "30000.00"
    # Submitting with the rows 12,000 short of the actual total is refused.
    union.fill("textarea[name=compliance]", "严格执行公务接待规定。")
    union.fill("textarea[name=review_opinion]", "同意该报告。")
    union.fill("input[name=review_date]", f"{year}-{6 if half == 1 else 12:02d}-01")
    click(union, union.get_by_role("button", name=zh("Submit")))
    expect_message(union, zh("The draft is saved, but the report cannot be submitted yet: "
                             "correct what is marked below."))
    assert "12000.00" in text(union, "fieldset .errorlist")  # the difference, in yuan
    assert union.input_value("textarea[name=review_opinion]") == "同意该报告。"
    union.fill("input[name=items-1-item]", "会议接待")
    union.fill("input[name=items-1-amount]", "12000")
    click(union, union.get_by_role("button", name=zh("Submit")))
    expect_message(union, zh("The report is submitted to the intermediate union."))
    assert badge(union) == zh(ReportState.SUBMITTED.label)
    assert "42000.00" in text(union, "table table")  # the rows' total as shown
    shots(union, "congress-01-submitted")

    # 2. The intermediate union checks it and sends it on.
    town = open_page()
    town_watch = watch(town)
    sign_in(town, tree.reviewer_a.username)
    open_from_inbox(town, report.get_absolute_url())
    take(town, "check", "forward")
    assert badge(town) == zh(ReportState.CHECKED.label)

    # 3. The district returns it with comments.
    district = open_page()
    district_watch = watch(district)
    sign_in(district, tree.reviewer_d.username)
    open_from_inbox(district, report.get_absolute_url())
    take(district, "review", "return", comment="请在备注中写明每项接待的次数。")
    assert badge(district) == zh(ReportState.RETURNED.label)
    shots(district, "congress-02-returned")

    # 4. The union reads the comments, revises and resubmits.
    open_from_inbox(union, report.get_absolute_url())
    assert "请在备注中写明每项接待的次数。" in text(union)
    click(union, union.get_by_role("link", name=zh("Revise and resubmit")))
    union.fill("input[name=items-1-note]", "3次")
    click(union, union.get_by_role("button", name=zh("Resubmit")))
    expect_message(union, zh("The report is submitted to the intermediate union."))
    assert badge(union) == zh(ReportState.SUBMITTED.label)

    # 5. Checked again, then accepted by the district.
    open_from_inbox(town, report.get_absolute_url())
    take(town, "check", "forward")
    open_from_inbox(district, report.get_absolute_url())
    take(district, "review", "accept")
    assert badge(district) == zh(ReportState.ACCEPTED.label)
    history = text(district, "main > .table-wrap:last-of-type")
    assert "请在备注中写明每项接待的次数。" in history  # the return is kept in the history
    shots(district, "congress-03-accepted")

    # 6. The coverage dashboard counts it: handed in on time, 1 of 1.
    go(admin, f"/coverage/?year={year}")
    card = coverage_card(admin)
    summary = card.locator("p").first.inner_text()
    assert "100%" in summary and "(1 / 1)" in summary and zh("Reached") in summary
    branch_row = card.locator("tbody tr", has_text=tree.town_a.name).locator("td").all_inner_texts()
    assert branch_row[1:] == ["100%", "1", "1"]
    shots(admin, "congress-04-coverage")

    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    for w in (admin_watch, union_watch, town_watch, district_watch):
        w.check()
