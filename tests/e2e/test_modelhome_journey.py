"""A model workers' home (模范职工之家), through the pages, as each person
clicks it: the unit fills its sheet (a first try refused, naming the empty
必备 item, nothing saved), the intermediate union recommends, the district
names two inspectors, who score on their own tasks (one on a phone, seeing
neither the other's scores before submitting), the comparison, the public
notice, the grant of 模范; later a re-inspection (复查) scores low and the
district revokes the title (摘牌), which its certificate's verification
page then says.

Screenshots: modelhome-01-submitted … modelhome-06-verify (desktop and phone).
"""

import datetime
from decimal import Decimal


from awards.modelhome.models import Application, AppState, Title, TitleStatus
from tests.awards.modelhome.conftest import mh  # noqa: F401  (the campaign, its standard, the inspectors)
from tests.e2e.journey_pages import (
    badge, click, expect_message, go, open_from_inbox, shots, sign_in, text, watch, zh,
)
from workflows.models import PublicNotice
from workflows.notices.services import close_notice



def fill_sheet(page, items, scores, evidence=None):
    """Type a score for every scored / bonus / deduction item (`scores`:
    code → points; an item not named gets its full points, bonus and
    deduction items 0), answer every veto item "does not apply", and the
    evidence text of the items named in `evidence`."""
    for item in items:
        if item.kind == "veto":
            page.select_option(f"select[name=veto_{item.pk}]", "no")
            continue
        default = item.max_points if item.kind == "scored" else Decimal("0")
        page.fill(f"input[name=score_{item.pk}]", f"{Decimal(scores.get(item.code, default)).normalize():f}")
        if evidence is not None and item.code in evidence:
            page.fill(f"textarea[name=evidence_{item.pk}]", evidence[item.code])


def grand_total(page):
    # Computed in the browser by js/score-totals.js as the person types.
    return page.locator("#grand-total").inner_text().strip()


def score_as_inspector(page, application, items, scores, expected_total):
    open_from_inbox(page, f"/awards/model-home/applications/{application.pk}/inspect/")
    fill_sheet(page, items, scores)
    assert grand_total(page) == expected_total
    page.fill("#id_comment", "现场查看台账、走访职工")
    click(page, page.locator("button[name=action][value=submit]"))
    expect_message(page, zh("Your scores are submitted."))
    assert page.locator("fieldset[disabled]").count() == 1  # submitted: the sheet is locked


def test_model_home_granted_then_revoked_after_reinspection(open_page, mh):  # noqa: F811
    campaign = mh.campaign
    items = list(campaign.standard_version.ordered_items())
    mandatory = {i.code: f"{i.code} 佐证材料" for i in items if i.mandatory}

    # 1. The unit's submitter applies from the campaign page.
    unit = open_page()
    unit_watch = watch(unit)
    sign_in(unit, mh.submitter.username)
    go(unit, campaign.get_absolute_url())
    click(unit, unit.get_by_role("link", name=zh("Apply for %(name)s", name=mh.union_a1.name)))
    for name, value in (("chair_name", "王主席"), ("staff_count", "200"), ("member_count", "196"),
                        ("satisfaction_surveyed", "150"), ("satisfaction_satisfied", "145"),
                        ("deeds", "建家工作扎实，职工满意。")):
        unit.fill(f"[name={name}]", value)
    # First try: item 1.1 (必备) has its score but no evidence.
    fill_sheet(unit, items, {}, evidence={k: v for k, v in mandatory.items() if k != "1.1"})
    assert grand_total(unit) == "100"
    click(unit, unit.locator("button[name=action][value=submit]"))
    first = next(i for i in items if i.code == "1.1")
    expect_message(unit, zh("The application was not submitted and nothing was saved: %(why)s", why=""))
    assert "1.1" in unit.locator(f"#item-{first.pk}").inner_text()
    assert unit.locator(f"#item-{first.pk}.has-errors").count() == 1
    assert unit.input_value(f"input[name=score_{first.pk}]") == "3"  # what was typed comes back
    assert not Application.objects.exists()
    unit.fill(f"textarea[name=evidence_{first.pk}]", mandatory["1.1"])
    click(unit, unit.locator("button[name=action][value=submit]"))
    expect_message(unit, zh("Submitted to the intermediate union."))
    application = Application.objects.get()
    assert badge(unit) == zh("Awaiting recommendation")
    assert "100.00" in text(unit, "dl.fields")  # the self-assessment total
    shots(unit, "modelhome-01-submitted")

    # 2. The intermediate union recommends, from its inbox.
    town = open_page()
    town_watch = watch(town)
    sign_in(town, mh.reviewer_a.username)
    open_from_inbox(town, application.get_absolute_url())
    town.fill("textarea[name=comment]", "同意推荐")
    click(town, town.locator("form[action$='/review/'] button[name=decision][value=recommend]"))
    expect_message(town, zh("Your decision is recorded."))
    assert badge(town) == zh("Awaiting inspectors")

    # 3. The district names two inspectors.
    district = open_page()
    district_watch = watch(district)
    sign_in(district, mh.admin_d.username)
    open_from_inbox(district, application.get_absolute_url())
    click(district, district.get_by_role("link", name=zh("Assign inspectors")))
    district.get_by_label(mh.inspector_1.username).check()
    district.get_by_label(mh.inspector_2.username).check()
    click(district, district.locator("form button.primary"))
    expect_message(district, zh("Inspectors assigned; each has their own scoring task."))
    assert badge(district) == zh("Being inspected")

    # 4. Each inspector scores on their own task: the first at a desk, the
    # second on site with a phone, who sees no other score before submitting.
    desk = open_page()
    desk_watch = watch(desk)
    sign_in(desk, mh.inspector_1.username)
    score_as_inspector(desk, application, items, {"6.3": Decimal("3")}, "99")
    phone = open_page(phone=True)
    phone_watch = watch(phone)
    sign_in(phone, mh.inspector_2.username)
    go(phone, application.get_absolute_url())
    # The other inspector's total (99) is not shown to this one yet.
    assert "99" not in text(phone) and zh("not yet submitted") in text(phone)
    score_as_inspector(phone, application, items, {"5.1": Decimal("3"), "6.2": Decimal("2")}, "96")
    assert zh("Your total: %(t)s", t="96.00") in text(phone)
    shots(phone, "modelhome-02-scoring")

    # 5. The district compares (mean 97.5) and puts the application on notice.
    go(district, f"/awards/model-home/applications/{application.pk}/compare/")
    table = text(district, "table.compare")
    assert mh.inspector_1.username in table and mh.inspector_2.username in table
    assert "99.00" in table and "96.00" in table and "97.50" in table
    go(district, campaign.get_absolute_url())
    click(district, district.get_by_role("button", name=zh(
        "Put %(n)s inspected application on public notice", n=1)))
    assert mh.union_a1.name in text(district)  # the confirmation lists what goes on notice
    click(district, district.get_by_role("button", name=zh("Open the notice")))
    notice = PublicNotice.objects.get()
    expect_message(district, zh("Public notice open until %(date)s.", date=notice.closes_on.isoformat()))
    assert district.locator("table .badge.in_notice").inner_text().strip() == zh("Under public notice")
    shots(district, "modelhome-03-notice")

    # Time passes: the notice's window ends with no objection (the daily job).
    close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))

    # 6. The district grants 模范, confirming on a second page.
    go(district, application.get_absolute_url())
    assert badge(district) == zh("Awaiting district decision")
    click(district, district.get_by_role("link", name=zh("Decide"), exact=True))
    click(district, district.locator("button[name=decision][value=model]"))
    assert zh("Confirm the decision") in text(district, "h1")
    click(district, district.get_by_role("button", name=zh("Yes: %(label)s", label=zh("Grant 模范 (model)"))))
    expect_message(district, zh("Decision recorded."))
    assert badge(district) == zh("Granted")
    assert zh("Model (模范)") in text(district, "dl.fields")
    title = Title.objects.get(application=application)
    assert title.status == TitleStatus.VALID
    shots(district, "modelhome-04-granted")

    # 7. Later, the district opens a re-inspection of the title from the register.
    go(district, "/awards/model-home/titles/")
    district.get_by_label(mh.union_a1.name).check()
    click(district, district.get_by_role("button", name=zh("Open re-inspection (复查) for the ticked titles")))
    click(district, district.get_by_role("button", name=zh("Confirm")))
    expect_message(district, zh("%(n)d re-inspection(s) opened; assign their inspectors.", n=1))
    reinspection = Application.objects.get(title=title)
    go(district, title.get_absolute_url())
    click(district, district.locator(f"a[href='{reinspection.get_absolute_url()}']"))
    click(district, district.get_by_role("link", name=zh("Assign inspectors")))
    district.get_by_label(mh.inspector_1.username).check()
    district.get_by_label(mh.inspector_2.username).check()
    click(district, district.locator("form button.primary"))
    expect_message(district, zh("Inspectors assigned; each has their own scoring task."))

    # The re-inspection finds half the points at most.
    half = {i.code: i.max_points / 2 for i in items if i.kind == "scored"}
    score_as_inspector(desk, reinspection, items, half, "50")
    score_as_inspector(phone, reinspection, items, {**half, "6.1": Decimal("0")}, "46")

    # 8. The district revokes the title (摘牌).
    go(district, reinspection.get_absolute_url())
    assert badge(district) == zh("Re-inspected, awaiting decision")
    click(district, district.get_by_role("link", name=zh("Decide"), exact=True))
    district.fill("textarea[name=comment]", "复查未达合格线")
    click(district, district.locator("button[name=decision][value=revoke]"))
    click(district, district.get_by_role("button", name=zh("Yes: %(label)s", label=zh("Revoke the title (摘牌)"))))
    expect_message(district, zh("Decision recorded."))
    assert badge(district) == zh("Not granted")
    go(district, title.get_absolute_url())
    assert zh("Revoked (摘牌)") in text(district, "dl.fields")
    title.refresh_from_db()
    assert title.status == TitleStatus.REVOKED
    shots(district, "modelhome-05-revoked")

    # Anyone checking the plaque's certificate reads that it was revoked.
    public = open_page(phone=True)
    public_watch = watch(public)
    go(public, f"/verify/{title.certificate.token}/")
    assert "已摘牌" in text(public)
    shots(public, "modelhome-06-verify")

    assert Application.objects.get(pk=application.pk).state == AppState.GRANTED
    for w in (unit_watch, town_watch, district_watch, desk_watch, phone_watch, public_watch):
        w.check()
