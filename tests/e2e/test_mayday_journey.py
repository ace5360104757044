"""The May Day award, end to end in Chromium, every step a person's clicks
on the real pages: a grassroots union nominates a worker with the congress
minutes attached; its chair confirms; the town's reviewer returns it once,
the submitter revises and resubmits; the reviewers approve; the district's
departments sign off; the district opens the public notice; someone objects
from a phone and the district dismisses the objection; the notice's time
runs out (the daily `close_notices` command, the one step no person takes);
the district awards on the confirmation page; the certificate downloads as
a PDF naming the worker, and its QR code, read off the rendered page, opens
the verification page saying the certificate is valid."""

import datetime
from urllib.parse import urlparse

from django.core.management import call_command

from awards.mayday.models import Nomination, NominationState as S
from tests.e2e.conftest import login, shot_both
from tests.e2e.mayday_pages import (
    badge,
    decide,
    flashes,
    known_working_calendar,
    minutes_pdf,
    open_from_inbox,
    pdf_text,
    photo_jpg,
    qr_texts,
)
from tests.conftest import valid_id_number
from workflows.models import Certificate, PublicNotice

NAME = "王建国"


def fill_nomination(page):
    """The nomination form of a May Day Labour Medal, as typed."""
    page.fill("input[name=nominee_name]", NAME)
    page.select_option("select[name=gender]", "M")
    page.fill("input[name=ethnicity]", "汉族")
    page.fill("input[name=birth_date]", "1980-05-12")
    page.fill("input[name=id_number]", valid_id_number("11010119800512123"))
    page.select_option("select[name=political_status]", "cpc")
    page.select_option("select[name=education]", "bachelor")
    page.select_option("select[name=sector]", "non_public")
    page.fill("input[name=work_unit]", "甲一机械厂")
    page.fill("input[name=post]", "数控车间班组长")
    page.fill("input[name=job_title]", "高级技师")
    page.select_option("select[name=candidate_category]", "front_line")
    page.fill("textarea[name=deeds]", "扎根数控车间二十年，带领班组完成技术革新十二项。")
    page.fill("textarea[name=summary]", "技术革新能手，带出高级技师八名。")
    page.fill("input[name=congress_discussed_on]", "2024-03-01")
    page.fill("input[name=contact_phone]", "023-12345678")
    page.set_input_files("input[name=attachments]", files=[
        {"name": "职代会会议纪要.pdf", "mimeType": "application/pdf", "buffer": minutes_pdf()},
    ])


class People:
    """One browser tab per person, signed in once; each errand of theirs
    starts from their inbox, where signing in lands them."""

    def __init__(self, open_page):
        self.open_page, self.pages = open_page, {}

    def inbox(self, username):
        page = self.pages.get(username)
        if page is None:
            page = self.pages[username] = self.open_page()
            login(page, username)
        else:
            page.goto("/inbox/")
        return page


def approve_from_inbox(people, username, expected_badge):
    page = people.inbox(username)
    open_from_inbox(page, NAME)
    decide(page, "approve")
    assert "推荐已通过，进入下一环节。" in flashes(page)
    assert badge(page) == expected_badge
    return page


def sign_off(people, username, opinion):
    page = people.inbox(username)
    open_from_inbox(page, NAME)
    # The one way to sign off: the step's button leads to the department's
    # form (the step's own form, which the engine's decision page sends to).
    decide(page, "agree")
    page.check("input[name=agreed][value='1']")
    page.fill("textarea[name=comment]", opinion)
    return page


def test_mayday_nomination_from_form_to_verified_certificate(open_page, tree, campaign, departments):
    known_working_calendar()
    people = People(open_page)

    # A submitter of the grassroots union nominates, the minutes attached.
    submitter = people.inbox(tree.submitter.username)
    submitter.goto("/awards/")
    submitter.click(f"text={campaign.title}")
    submitter.click("text=推荐：五一劳动奖章")
    fill_nomination(submitter)
    shot_both(submitter, "mayday-01-nomination-form")
    submitter.click("button[name=action][value=submit]")
    submitter.wait_for_load_state()
    assert "推荐已提交，下一步由工会主席确认。" in flashes(submitter)
    assert badge(submitter) == "待工会主席确认"
    assert submitter.locator("table a", has_text="职代会会议纪要.pdf").count() == 1
    nomination = Nomination.objects.get(nominee_name=NAME)
    assert nomination.state == S.SUBMITTED
    stored = nomination.attachments.get()
    assert (stored.original_name, stored.content_type) == ("职代会会议纪要.pdf", "application/pdf")
    shot_both(submitter, "mayday-02-submitted")

    # The chair confirms; the town's reviewer returns it with what to fix.
    approve_from_inbox(people, tree.chair.username, "待乡镇街道工会/局工委审核")
    reviewer = people.inbox(tree.reviewer_a.username)
    open_from_inbox(reviewer, NAME)
    decide(reviewer, "return", "请补充个人照片，并写明技术革新项目的获奖情况。")
    assert "该推荐已退回经办人修改。" in flashes(reviewer)
    assert badge(reviewer) == "已退回修改"

    # The submitter sees why, revises, adds a photo and resubmits.
    submitter = people.inbox(tree.submitter.username)
    open_from_inbox(submitter, NAME)
    submitter.click("a.button:text-is('修改')")
    assert "请补充个人照片" in submitter.locator("main").inner_text()
    shot_both(submitter, "mayday-03-returned-for-revision")
    submitter.fill("textarea[name=deeds]", "扎根数控车间二十年，带领班组完成技术革新十二项，其中三项获市级技术革新奖。")
    submitter.set_input_files("input[name=attachments]", files=[
        {"name": "个人照片.jpg", "mimeType": "image/jpeg", "buffer": photo_jpg()},
    ])
    submitter.fill("textarea[name=comment]", "已补充照片和获奖情况。")
    submitter.click("button[name=action][value=resubmit]")
    submitter.wait_for_load_state()
    assert "推荐已重新提交，下一步由工会主席确认。" in flashes(submitter)
    assert badge(submitter) == "待工会主席确认"
    assert submitter.locator("ins", has_text="个人照片.jpg").count() == 1  # the change between rounds
    assert nomination.attachments.count() == 2

    # Round two goes up: chair, town, district; then the departments.
    approve_from_inbox(people, tree.chair.username, "待乡镇街道工会/局工委审核")
    approve_from_inbox(people, tree.reviewer_a.username, "待区总工会审核")
    approve_from_inbox(people, tree.reviewer_d.username, "待部门会签")
    tax = sign_off(people, departments["tax"].username, "该企业无欠税记录。")
    shot_both(tax, "mayday-04-department-signoff")
    tax.click("text=提交意见")
    assert "本部门意见已记录。" in flashes(tax)
    assert badge(tax) == "待部门会签"  # the safety department has yet to answer
    safety = sign_off(people, departments["safety"].username, "近三年无生产安全事故。")
    safety.click("text=提交意见")
    assert badge(safety) == "待公示"
    assert safety.locator("#signoffs .badge", has_text="同意").count() == 2

    # The district opens the public notice from its inbox.
    district = people.inbox(tree.admin_d.username)
    open_from_inbox(district, NAME)
    assert district.locator("table td", has_text=NAME).count() == 1
    assert district.locator("td[data-label=性别]").inner_text() == "男"  # as the public page will show it
    assert "110101" not in district.locator("main").inner_text()  # no ID number is published
    shot_both(district, "mayday-05-notice-preview")
    district.click("text=确认并发布")
    assert "公示已发布，共 1 个公示对象" in flashes(district)
    notice = PublicNotice.objects.get()
    assert district.url.endswith(f"/notices/{notice.pk}/manage/")

    # Someone objects on a phone, with their real name.
    public = open_page(phone=True)
    public.goto("/notices/")
    public.click(f"text={notice.title}")
    assert badge(public) == "受理异议中"
    assert NAME in public.locator("main").inner_text()
    shot_both(public, "mayday-06-public-notice")
    public.click("text=对该公示对象提出异议")
    public.check("input[name=objector_kind][value=person]")
    public.fill("input[name=person_name]", "李明")
    public.fill("input[name=contact]", "13800001234")
    public.fill("textarea[name=text]", "据悉其获奖的技术革新项目为集体成果，请核实。")
    shot_both(public, "mayday-07-objection-form")
    public.click("text=提交异议")
    public.wait_for_load_state()
    assert public.locator("h1").inner_text() == "异议已收到"
    reference = public.locator("#reference").inner_text().strip()
    assert reference
    shot_both(public, "mayday-08-objection-received")

    # The district investigates and dismisses it.
    district.reload()
    district.click(f"text={reference}")
    assert "据悉其获奖的技术革新项目为集体成果" in district.locator("main").inner_text()
    district.check("input[name=upheld][value='0']")
    district.fill("textarea[name=finding]", "经核实，该项目由其主持完成，异议不成立。")
    shot_both(district, "mayday-09-objection-finding")
    district.click("button:text-is('填写处理结论')")
    assert "处理结论已记录。" in flashes(district)
    assert district.locator("td .badge", has_text="异议不成立").count() == 1

    # Time passes: the window ends and the daily command closes the notice.
    district.goto(f"/awards/nominations/{nomination.pk}/")
    assert badge(district) == "公示中"
    call_command("close_notices", today=(notice.closes_on + datetime.timedelta(days=1)).isoformat(), verbosity=0)

    # The district awards, on the confirmation page.
    district = people.inbox(tree.admin_d.username)
    open_from_inbox(district, NAME)
    assert badge(district) == "待区总工会审定"
    assert "公示期满，所提异议经调查均不成立。" in district.locator("main").inner_text()
    decide(district, "award")
    assert district.locator("h1").inner_text() == "确认决定"
    assert Nomination.objects.get(pk=nomination.pk).state == S.DISTRICT_APPROVED  # not yet
    shot_both(district, "mayday-10-confirm-award")
    district.click("button:text-is('确定：授予')")
    district.wait_for_load_state()
    assert "已授予奖项并颁发证书。" in flashes(district)
    assert badge(district) == "已授予"
    shot_both(district, "mayday-11-awarded")

    # The nominating union downloads the certificate.
    submitter.reload()
    assert badge(submitter) == "已授予"
    with submitter.expect_download() as download:
        submitter.click("text=下载证书（PDF）")
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"%PDF-")
    assert NAME in pdf_text(data)
    certificate = Certificate.objects.get()
    assert download.value.suggested_filename == f"{certificate.number}.pdf"  # 涪工奖〔2024〕第0001号.pdf
    assert certificate.number in pdf_text(data)

    # Its QR code, read off the rendered page, opens the verification page.
    urls = qr_texts(data)
    assert len(urls) == 1, urls
    path = urlparse(urls[0]).path
    assert path.startswith("/verify/")
    checker = open_page(phone=True)
    checker.goto(path)
    main = checker.locator("main").inner_text()
    assert "该证书真实有效。" in main and NAME in main
    assert checker.locator(".badge.valid").inner_text() == "有效"
    shot_both(checker, "mayday-12-certificate-verified")
