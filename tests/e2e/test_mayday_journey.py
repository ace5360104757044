"""The May Day award as campaign kinds (the district's `mayday-individual`
kind, made from its starter, departments' sign-offs asked), end to end in
Chromium, every step a person's clicks on the real pages: a grassroots
union nominates a worker for the medal with the congress minutes attached;
its chair confirms; the town's reviewer returns it once, the submitter
revises and hands it in again; the town recommends and the district
approves; the district's departments sign off on their own page; the
district opens the public notice from its inbox; someone objects from a
phone and the district dismisses the objection; the notice's time runs out
(the daily `close_notices` command, the one step no person takes); the
district grants on the confirmation page; the certificate downloads as a
PDF naming the worker, and its QR code, read off the rendered page, opens
the verification page saying the certificate is valid.

Screenshots mayday-01 … mayday-12 (desktop and phone) under var/screenshots/."""

import datetime
from urllib.parse import urlparse

from django.core.management import call_command
from django.urls import reverse

from awards.kinds.models import KindCase, KindCaseState as S
from tests.conftest import valid_id_number
from tests.e2e.journey_pages import (
    badge, click, expect_message, go, known_working_calendar, minutes_pdf, open_from_inbox, pdf_text, photo_jpg,
    qr_texts, shots, sign_in, text, watch, zh,
)
from workflows.models import Certificate, PublicNotice, SignoffRequest, SignoffStatus
from workflows.models.engine import case_q

NAME = "王建国"
MEDAL = "五一劳动奖章"  # the starter's title of the individual's kind


class People:
    """One watched tab per person, signed in once."""

    def __init__(self, open_page):
        self.open_page, self.pages, self.watches = open_page, {}, []

    def __call__(self, user, phone=False):
        page = self.pages.get(user.username)
        if page is None:
            page = self.pages[user.username] = self.open_page(phone=phone)
            self.watches.append(watch(page))
            sign_in(page, user.username)
        return page

    def anonymous(self, phone=True):
        page = self.open_page(phone=phone)
        self.watches.append(watch(page))
        return page

    def check(self):
        for w in self.watches:
            w.check()


def fill_nomination(page):
    """The medal's form (the starter's fields), as typed."""
    page.fill("input[name=case-name]", NAME)
    page.select_option("select[name=answers-gender]", "M")
    page.fill("input[name=answers-ethnicity]", "汉族")
    page.fill("input[name=answers-birth_date]", "1980-05-12")
    page.fill("input[name=answers-id_number]", valid_id_number("11010119800512123"))
    page.select_option("select[name=answers-political_status]", "cpc")
    page.select_option("select[name=answers-education]", "bachelor")
    page.select_option("select[name=answers-sector]", "non_public")
    page.fill("input[name=answers-work_unit]", "甲一机械厂")
    page.fill("input[name=answers-post]", "数控车间班组长")
    page.fill("input[name=answers-job_title]", "高级技师")
    page.select_option("select[name=answers-candidate_category]", "front_line")
    page.fill("textarea[name=answers-deeds]", "扎根数控车间二十年，带领班组完成技术革新十二项。")
    page.fill("textarea[name=answers-summary]", "技术革新能手，带出高级技师八名。")
    page.fill("input[name=answers-congress_discussed_on]", "2024-03-01")
    page.fill("input[name=answers-contact_phone]", "023-12345678")
    page.set_input_files("input[name=answers-attachments]", files=[
        {"name": "职代会会议纪要.pdf", "mimeType": "application/pdf", "buffer": minutes_pdf()},
    ])


def open_step(page, case):
    """From the person's inbox to the case, then its open step's button."""
    open_from_inbox(page, case.get_absolute_url())
    click(page, page.locator(f"main .actions a[href='{reverse('kinds:case_decide', args=[case.pk])}']"))


def decide_on_case(page, case, code, expected_badge, comment=""):
    open_step(page, case)
    if comment:
        page.fill("form textarea[name=comment]", comment)
    click(page, page.locator(f"form button[name=decision][value={code}]"))
    assert badge(page) == expected_badge, badge(page)


def sign_off(page, case, opinion):
    """The department's own page, where the step's button leads."""
    open_step(page, case)
    assert page.url.endswith(reverse("kinds:case_signoff", args=[case.pk])), page.url
    page.check("input[name=agreed][value='1']")
    page.fill("textarea[name=comment]", opinion)
    return page


def test_mayday_nomination_from_form_to_verified_certificate(open_page, tree, departments, open_mayday):
    known_working_calendar()
    campaign = open_mayday(signoffs=True)
    people = People(open_page)

    # A submitter of the grassroots union nominates, the minutes attached:
    # the campaign offers three kinds, each its own button; the medal's.
    submitter = people(tree.submitter)
    go(submitter, reverse("kinds:campaign_list"))
    click(submitter, submitter.locator("main").get_by_role("link", name=campaign.title))
    apply = submitter.locator("main").get_by_role("link", name=zh("Hand in a case"))
    assert apply.count() == 3
    click(submitter, apply.and_(submitter.locator("a[href$='?kind=mayday-individual']")))
    assert MEDAL in text(submitter)
    fill_nomination(submitter)
    shots(submitter, "mayday-01-nomination-form")
    click(submitter, submitter.locator("button[name=action][value=submit]"))
    expect_message(submitter, zh("The case is handed in."))
    assert badge(submitter) == zh("Awaiting the chair's confirmation")
    assert "职代会会议纪要.pdf" in text(submitter)
    case = KindCase.objects.get(name=NAME)
    assert case.state == S.CONFIRMING and case.kind_version.kind.code == "mayday-individual"
    stored = case.attachment_files.get()
    assert (stored.original_name, stored.content_type) == ("职代会会议纪要.pdf", "application/pdf")
    shots(submitter, "mayday-02-submitted")

    # The chair confirms; the town's reviewer returns it with what to fix.
    decide_on_case(people(tree.chair), case, "confirm", zh("Under review by the intermediate union"))
    reviewer = people(tree.reviewer_a)
    decide_on_case(reviewer, case, "return", zh("Returned to the union for revision"),
                   comment="请补充个人照片，并写明技术革新项目的获奖情况。")

    # The submitter sees why, revises, adds a photo and hands it in again.
    open_from_inbox(submitter, case.get_absolute_url())
    click(submitter, submitter.locator(f"main .actions a[href='{reverse('kinds:case_revise', args=[case.pk])}']"))
    assert "请补充个人照片" in text(submitter)
    shots(submitter, "mayday-03-returned-for-revision")
    submitter.fill("textarea[name=answers-deeds]", "扎根数控车间二十年，带领班组完成技术革新十二项，其中三项获市级技术革新奖。")
    submitter.set_input_files("input[name=answers-attachments]", files=[
        {"name": "个人照片.jpg", "mimeType": "image/jpeg", "buffer": photo_jpg()},
    ])
    submitter.fill("textarea[name=comment]", "已补充照片和获奖情况。")
    click(submitter, submitter.locator("main form button.primary"))
    expect_message(submitter, zh("The case is handed in again."))
    assert badge(submitter) == zh("Awaiting the chair's confirmation")
    shown = text(submitter)
    # Kinds show the round before beside the new answers (May Day marked the
    # changes inline): the new deeds, the photo, the first round kept.
    assert "其中三项获市级技术革新奖" in shown and "个人照片.jpg" in shown
    assert submitter.locator("main details summary").count() == 1
    assert case.attachment_files.count() == 2

    # Round two goes up: chair, town, district; then the departments.
    decide_on_case(people(tree.chair), case, "confirm", zh("Under review by the intermediate union"))
    decide_on_case(reviewer, case, "forward", zh("Under review by the district"))
    decide_on_case(people(tree.reviewer_d), case, "approve", zh("Awaiting the departments' sign-offs"))
    tax = sign_off(people(departments["tax"]), case, "该企业无欠税记录。")
    shots(tax, "mayday-04-department-signoff")
    click(tax, tax.locator("main form button.primary"))
    assert badge(tax) == zh("Awaiting the departments' sign-offs")  # the safety department has yet to answer
    safety = sign_off(people(departments["safety"]), case, "近三年无生产安全事故。")
    click(safety, safety.locator("main form button.primary"))
    assert badge(safety) == zh("Awaiting public notice")
    case.refresh_from_db()
    assert case.state == S.AWAITING_NOTICE
    # The audit department signs off state-owned candidates only: not asked.
    assert sorted(SignoffRequest.objects.filter(case_q(case)).values_list("department__code", "status", "opinion")) == [
        ("dept-safety", SignoffStatus.AGREED, "近三年无生产安全事故。"), ("dept-tax", SignoffStatus.AGREED, "该企业无欠税记录。")]

    # The district opens the public notice from its inbox: the preview first.
    district = people(tree.admin_d)
    open_from_inbox(district, reverse("kinds:campaign_notice", args=[campaign.pk]))
    preview = text(district)
    assert NAME in preview and "男" in preview
    assert "110101" not in preview and "023-12345678" not in preview  # neither is published
    shots(district, "mayday-05-notice-preview")
    click(district, district.get_by_role("button", name=zh("Confirm and publish")))
    notice = PublicNotice.objects.get()
    expect_message(district, zh("The public notice is open until %(date)s with %(n)d candidate(s).",
                                date=notice.closes_on.isoformat(), n=1))
    assert district.url.endswith(f"/notices/{notice.pk}/manage/")

    # Someone objects on a phone, with their real name.
    public = people.anonymous(phone=True)
    go(public, "/notices/")
    click(public, public.locator("main").get_by_role("link", name=notice.title))
    assert badge(public) == "受理异议中"
    assert NAME in text(public)
    shots(public, "mayday-06-public-notice")
    click(public, public.get_by_text("对该公示对象提出异议"))
    public.check("input[name=objector_kind][value=person]")
    public.fill("input[name=person_name]", "李明")
    public.fill("input[name=contact]", "13800001234")
    public.fill("textarea[name=text]", "据悉其获奖的技术革新项目为集体成果，请核实。")
    shots(public, "mayday-07-objection-form")
    click(public, public.get_by_text("提交异议"))
    assert text(public, "h1") == "异议已收到"
    reference = public.locator("#reference").inner_text().strip()
    assert reference
    shots(public, "mayday-08-objection-received")

    # The district investigates and dismisses it.
    go(district, f"/notices/{notice.pk}/manage/")
    click(district, district.get_by_text(reference))
    assert "据悉其获奖的技术革新项目为集体成果" in text(district)
    district.check("input[name=upheld][value='0']")
    district.fill("textarea[name=finding]", "经核实，该项目由其主持完成，异议不成立。")
    shots(district, "mayday-09-objection-finding")
    click(district, district.locator("button:text-is('填写处理结论')"))
    expect_message(district, "处理结论已记录。")
    assert district.locator("td .badge", has_text="异议不成立").count() == 1

    # Time passes: the window ends and the daily command closes the notice.
    go(district, case.get_absolute_url())
    assert badge(district) == zh("On public notice")
    call_command("close_notices", today=(notice.closes_on + datetime.timedelta(days=1)).isoformat(), verbosity=0)

    # The district grants, on the confirmation page.
    open_step(district, case)
    assert text(district, "form button[name=decision][value=outcome_1]").strip() == "授予"
    click(district, district.locator("form button[name=decision][value=outcome_1]"))
    assert text(district, "h1") == zh("Confirm the decision")
    assert KindCase.objects.get(pk=case.pk).state == S.DECIDING  # not yet
    shots(district, "mayday-10-confirm-award")
    click(district, district.get_by_role("button", name=zh("Yes: %(label)s", label="授予")))
    expect_message(district, zh("Done: %(decision)s.", decision="授予"))
    assert badge(district) == zh("Granted by the final decision")
    certificate = Certificate.objects.get()
    assert certificate.number == "工奖〔2024〕第0001号" and certificate.number in text(district)
    shots(district, "mayday-11-awarded")

    # The nominating union downloads the certificate.
    go(submitter, case.get_absolute_url())
    assert badge(submitter) == zh("Granted by the final decision")
    with submitter.expect_download() as download:
        submitter.locator(f"a[href='{reverse('certificate_pdf', args=[certificate.pk])}']").first.click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"%PDF-")
    flat = "".join(pdf_text(data).split())
    assert NAME in flat and certificate.number in flat
    assert download.value.suggested_filename == f"{certificate.number}.pdf"

    # Its QR code, read off the rendered page, opens the verification page.
    urls = qr_texts(data)
    assert len(urls) == 1, urls
    path = urlparse(urls[0]).path
    assert path.startswith("/verify/")
    checker = people.anonymous(phone=True)
    go(checker, path)
    verified = text(checker)
    assert "该证书真实有效。" in verified and NAME in verified
    assert checker.locator(".badge.valid").inner_text() == "有效"
    shots(checker, "mayday-12-certificate-verified")
    people.check()
