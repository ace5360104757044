"""A new kind of campaign is data (issue 18), through the pages, as each
person clicks them in Chromium.

1. An honour (优秀工会工作者): the district administrator sets the kind up
   on the editor page (three fields, saved; two more added on editing,
   still version 1), opens a campaign of it after the confirmation listing
   the unions; a grassroots union's submitter hands a case in on the form
   the kind generated, a file attached; the chair confirms, the town's
   reviewer recommends, the district's reviewer approves; the administrator
   publishes the notice; its 5 working days run out (the daily
   `close_notices`, the one step no person takes); the final decision,
   confirmed on its own page, grants; the case page shows the certificate,
   whose PDF carries the wording and number and whose QR code opens the
   verification page saying it is valid. Editing the kind then makes
   version 2, and the campaign and its case stay on version 1.
2. An aid (金秋助学 style): a worker applies through the union, chair →
   district, no notice, ending in a payment list. The editor refuses the
   kind until it names which of its two money fields is paid; the case is
   granted; the payment list (PDF and Excel) carries the amount asked
   for and the union's subtotal.

Screenshots kinds-01 … kinds-08 (desktop and phone) under var/screenshots/;
docs/campaign-kinds.md shows some of them.
"""

import datetime
import io
from urllib.parse import urlparse

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards.kinds.models import CampaignKind, KindCampaign, KindCase, KindCaseState as S
from tests.conftest import valid_id_number
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.journey_pages import (
    badge, click, expect_message, go, known_working_calendar, minutes_pdf, open_from_inbox, pdf_text, photo_jpg,
    qr_texts, shots, sign_in, text, watch, zh,
)
from workflows.models import Certificate, PublicNotice

HONOUR = "优秀工会工作者"
CANDIDATE = "赵卫东"
AID = "金秋助学"
WORKER = "刘春梅"


class People:
    """One watched tab per person, signed in once."""

    def __init__(self, open_page):
        self.open_page, self.pages, self.watches = open_page, {}, []
        self.refused = set()

    def __call__(self, user, phone=False):
        page = self.pages.get(user.username)
        if page is None:
            page = self.pages[user.username] = self.open_page(phone=phone)
            self.watches.append(watch(page))
            sign_in(page, user.username)
        return page

    def expect_refusal(self, path):
        """A form the journey sends wrong on purpose answers 400, which
        Chromium reports on the console: that one report is expected."""
        self.refused.add(path)

    def check(self):
        for w in self.watches:
            w.problems = [p for p in w.problems if not (
                "status of 400" in p and any(f"{path})" in p for path in self.refused))]
            w.check()


def pdf_page_png(data, name):
    """The PDF's first page as a person sees it, saved beside the
    screenshots (the guide shows the payment list)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=1.3).to_pil()
    finally:
        document.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image.convert("RGB").save(SCREENSHOTS / f"{name}.png")


def field_row(page, n, *, key, type, label, required=False, public=False, **options):
    """Fill the editor's row `n` (0-based, as the formset numbers it)."""
    row = f"fields-{n}-"
    page.fill(f"input[name={row}key]", key)
    page.select_option(f"select[name={row}type]", type)
    page.fill(f"input[name={row}label]", label)
    if required:
        page.check(f"input[name={row}required]")
    if public:
        page.check(f"input[name={row}public]")
    for name, value in options.items():
        if name == "file_types":
            for ext in value:
                page.check(f"input[name={row}file_types][value={ext}]")
        else:
            page.fill(f"[name={row}{name}]", str(value))


def set_route(page, *, route, steps, notice_days="", outcomes):
    page.select_option("select[name=route]", route)
    for box in page.locator("input[name=steps]").all():
        box.set_checked(box.get_attribute("value") in steps)
    page.fill("input[name=notice_days]", str(notice_days))
    page.fill("textarea[name=outcomes]", outcomes)


def save_kind(page, title, number):
    click(page, page.get_by_role("button", name=zh("Save"), exact=True))
    expect_message(page, zh("Saved as version %(number)s of “%(title)s”.", number=number, title=title))
    assert text(page, "h1") == f"{title} v{number}"


def open_campaign(page, kind, title, deadline, unions):
    """From the kind's page: the campaign form (that kind chosen), then its
    confirmation listing every union it reaches (nothing is saved before)."""
    go(page, reverse("kinds:detail", args=[kind.pk]))
    click(page, page.locator("main").get_by_role("link", name=zh("Open a campaign")))
    assert page.locator(f"input[name=kinds][value='{kind.pk}']").is_checked()
    page.fill("input[name=title]", title)
    # A datetime-local input: the day's last minute (the deadline includes it).
    page.fill("input[name=deadline]", f"{deadline.isoformat()}T23:59")
    click(page, page.get_by_role("button", name=zh("Continue")))
    assert zh("Confirm") in text(page, "h1")
    listed = page.locator("ul.units li").all_inner_texts()
    assert len(listed) == len(unions) and all(any(u.name in li for li in listed) for u in unions), listed
    assert not KindCampaign.objects.exists()  # not before it is confirmed
    return listed


def decide_on_case(page, case, step_title, code, expected_badge, done=None):
    """From the person's inbox to the case, its step's button, the decision."""
    open_from_inbox(page, case.get_absolute_url())
    decide_link = page.locator(f"main .actions a[href='{reverse('kinds:case_decide', args=[case.pk])}']")
    assert decide_link.inner_text().strip() == step_title
    click(page, decide_link)
    click(page, page.locator(f"form button[name=decision][value={code}]"))
    if done:
        expect_message(page, done)
    assert badge(page) == expected_badge, badge(page)


def test_an_honour_kind_set_up_in_the_browser_runs_a_case_to_its_verified_certificate(open_page, tree):
    known_working_calendar()
    people = People(open_page)
    district = people(tree.admin_d)

    # 1. The administrator sets the kind up on the editor page: three rows first.
    go(district, reverse("kinds:list"))
    click(district, district.locator("main").get_by_role("link", name=zh("New kind of campaign")))
    district.fill("input[name=code]", "youxiu-gongzuozhe")
    district.fill("input[name=title]", HONOUR)
    district.check("input[name=applicant][value=person]")
    field_row(district, 0, key="name", type="text", label="姓名", required=True, public=True)
    field_row(district, 1, key="id_number", type="id_number", label="身份证号", required=True)
    field_row(district, 2, key="deeds", type="long_text", label="主要事迹", required=True, public=True,
              max_length=2000)
    set_route(district, route="honour", steps={"confirm", "intermediate_review", "notice"}, notice_days=5,
              outcomes="granted|授予|+\nrefused|不予授予")
    district.fill("input[name=deadline_confirm]", "5")
    district.fill("input[name=deadline_district_review]", "10")
    district.check("input[name=certificate]")
    district.select_option("select[name=certificate_layout]", "default")
    district.fill("input[name=certificate_title]", HONOUR)
    district.fill("textarea[name=certificate_wording]", "{name}同志（{union}）在{campaign}中被评为{year}年度{title}。")
    district.fill("input[name=certificate_issuer]", tree.district.name)
    district.fill("input[name=certificate_number_format]", "YX{year}-{seq:03d}")
    shots(district, "kinds-01-editor")
    save_kind(district, HONOUR, 1)
    assert zh("Not yet used") in text(district)

    # Two more fields on editing: no campaign uses version 1, so it changes in place.
    click(district, district.locator("main").get_by_role("link", name=zh("Edit"), exact=True))
    assert zh("Version %(number)s is not used yet: saving changes it.", number=1) in text(district)
    assert district.locator("input[name=code]").is_disabled()  # the code never changes
    field_row(district, 3, key="mobile", type="mobile", label="手机号码")
    field_row(district, 4, key="proof", type="file", label="证明材料", file_types=["pdf", "jpg"], max_mb=5)
    save_kind(district, HONOUR, 1)
    shown = text(district, "main")
    for label in ("姓名", "身份证号", "主要事迹", "手机号码", "证明材料"):
        assert label in shown
    kind = CampaignKind.objects.get(code="youxiu-gongzuozhe")
    version = kind.versions.get()
    assert [f["key"] for f in version.definition["fields"]] == ["name", "id_number", "deeds", "mobile", "proof"]
    assert version.definition["route"]["steps"] == ["confirm", "intermediate_review", "district_review", "notice",
                                                    "decision"]

    # 2. A campaign of it, after the confirmation listing the unions it reaches.
    year = timezone.localdate().year
    title = f"{year}年度{HONOUR}评选"
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    open_campaign(district, kind, title, deadline, [tree.union_a1, tree.union_a2, tree.union_b1])
    shots(district, "kinds-02-campaign-confirm")
    click(district, district.get_by_role("button", name=zh("Open the campaign")))
    expect_message(district, zh("The campaign is open: %(count)s unions may hand in cases until %(date)s.",
                                count=3, date=f"{deadline.isoformat()} 23:59"))
    campaign = KindCampaign.objects.get()
    assert campaign.offered_versions == [version] and text(district, "h1") == title
    version.refresh_from_db()
    assert version.in_use

    # 3. The union's submitter hands a case in on the form the kind generated.
    # The way there: the header's 评选与救助, its campaigns, this one.
    submitter = people(tree.submitter)
    click(submitter, submitter.locator("header.top nav").get_by_role("link", name=zh("Honours and aid")))
    click(submitter, submitter.locator("main").get_by_role("link", name=zh("Campaigns of kinds")))
    click(submitter, submitter.locator("main").get_by_role("link", name=title))
    click(submitter, submitter.locator("main").get_by_role("link", name=zh("Hand in a case")))
    assert submitter.locator("select[name=case-organisation]").input_value() == str(tree.union_a1.pk)
    submitter.fill("input[name=case-name]", CANDIDATE)
    submitter.fill("input[name=answers-name]", CANDIDATE)
    submitter.fill("input[name=answers-id_number]", valid_id_number("11010119780612003"))
    submitter.fill("input[name=answers-mobile]", "13912345678")
    submitter.fill("textarea[name=answers-deeds]", "担任厂工会主席十年，推动集体协商，建成职工书屋，帮扶困难职工三十余户。")
    submitter.set_input_files("input[name=answers-proof]", files=[
        {"name": "先进事迹材料.pdf", "mimeType": "application/pdf", "buffer": minutes_pdf()},
    ])
    shots(submitter, "kinds-03-case-form")
    click(submitter, submitter.locator("button[name=action][value=submit]"))
    expect_message(submitter, zh("The case is handed in."))
    assert badge(submitter) == zh("Awaiting the chair's confirmation")
    case = KindCase.objects.get()
    assert case.name == CANDIDATE and case.kind_version == version
    page = text(submitter)
    assert "担任厂工会主席十年" in page and "先进事迹材料.pdf" in page
    assert "13912345678" not in page  # the mobile number is masked
    assert case.attachment_files.get().original_name == "先进事迹材料.pdf"

    # 4. The chair confirms, the town recommends, the district's reviewer approves.
    decide_on_case(people(tree.chair), case, zh("The unit's chair confirms"), "confirm",
                   zh("Under review by the intermediate union"), zh("Done: %(decision)s.", decision=zh("Confirm")))
    decide_on_case(people(tree.reviewer_a), case, zh("The intermediate union reviews"), "forward",
                   zh("Under review by the district"))
    decide_on_case(people(tree.reviewer_d), case, zh("The district reviews"), "approve",
                   zh("Awaiting public notice"))

    # 5. The administrator publishes the campaign's notice; its time runs out.
    go(district, reverse("kinds:campaign_detail", args=[campaign.pk]))
    click(district, district.get_by_role("button", name=zh("Publish the notice")))  # to the preview
    click(district, district.get_by_role("button", name=zh("Confirm and publish")))
    notice = PublicNotice.objects.get()
    expect_message(district, zh("The public notice is open until %(date)s with %(n)d candidate(s).",
                                date=notice.closes_on.isoformat(), n=1))
    public = people.open_page(phone=True)
    people.watches.append(watch(public))
    go(public, reverse("notice_detail", args=[notice.pk]))
    shown = text(public)
    assert CANDIDATE in shown and "担任厂工会主席十年" in shown and tree.union_a1.name in shown
    assert "110101" not in shown and "13912345678" not in shown  # never published
    go(district, case.get_absolute_url())
    assert badge(district) == zh("On public notice")
    call_command("close_notices", today=(notice.closes_on + datetime.timedelta(days=1)).isoformat(), verbosity=0)

    # 6. The final decision grants, on its confirmation page.
    open_from_inbox(district, case.get_absolute_url())
    assert badge(district) == zh("Awaiting the final decision")
    click(district, district.locator(f"main .actions a[href='{reverse('kinds:case_decide', args=[case.pk])}']"))
    # The buttons say the kind's own outcomes.
    assert text(district, "form button[name=decision][value=outcome_1]").strip() == "授予"
    assert text(district, "form button[name=decision][value=outcome_2]").strip() == "不予授予"
    click(district, district.locator("form button[name=decision][value=outcome_1]"))
    assert text(district, "h1") == zh("Confirm the decision")
    assert KindCase.objects.get().state == S.DECIDING  # not yet
    shots(district, "kinds-04-confirm-decision")
    click(district, district.get_by_role("button", name=zh("Yes: %(label)s", label="授予")))
    expect_message(district, zh("Done: %(decision)s.", decision="授予"))
    assert badge(district) == zh("Granted by the final decision")
    certificate = Certificate.objects.get()
    assert certificate.number == f"YX{year}-001"
    certificates = text(district, "main")
    assert certificate.number in certificates and "授予" in certificates
    shots(district, "kinds-05-case-certificate")

    # 7. The union downloads the certificate; its QR code opens the verification page.
    go(submitter, case.get_absolute_url())
    assert badge(submitter) == zh("Granted by the final decision")
    with submitter.expect_download() as download:
        submitter.locator(f"a[href='{reverse('certificate_pdf', args=[certificate.pk])}']").click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"%PDF-")
    flat = "".join(pdf_text(data).split())
    assert certificate.number in flat
    # The wording, its placeholders filled from the case.
    assert f"{CANDIDATE}同志" in flat and tree.union_a1.name in flat and title in flat and HONOUR in flat
    assert "{name}" not in flat and "{union}" not in flat
    [url] = qr_texts(data)
    checker = people.open_page(phone=True)
    people.watches.append(watch(checker))
    go(checker, urlparse(url).path)
    verified = text(checker)
    assert "该证书真实有效。" in verified and CANDIDATE in verified
    assert checker.locator(".badge.valid").inner_text() == "有效"
    shots(checker, "kinds-06-verified")

    # 8. What cannot change once cases exist: editing now makes version 2;
    # the campaign and its case stay on version 1.
    go(district, reverse("kinds:edit", args=[kind.pk]))
    assert zh("Version %(number)s is in use by a campaign: saving makes version %(next)s, and running campaigns "
              "stay on version %(number)s.", number=1, next=2) in text(district)
    district.fill("input[name=notice_days]", "7")
    shots(district, "kinds-07-editing-in-use")
    save_kind(district, HONOUR, 2)
    assert kind.versions.count() == 2
    go(district, case.get_absolute_url())
    assert f"{zh('Follows')} {HONOUR} v1" in text(district)
    campaign.refresh_from_db()
    version.refresh_from_db()
    assert campaign.offered_versions == [version] and version.definition["route"]["notice_days"] == 5
    people.check()


def test_an_aid_kind_set_up_in_the_browser_ends_in_a_payment_list(open_page, tree):
    people = People(open_page)
    district = people(tree.admin_d)

    # 1. The aid kind: chair → district, no notice, a payment list.
    go(district, reverse("kinds:create"))
    district.fill("input[name=code]", "jinqiu-zhuxue")
    district.fill("input[name=title]", AID)
    district.check("input[name=applicant][value=worker]")
    field_row(district, 0, key="income", type="money", label="家庭人均月收入（元）", required=True)
    field_row(district, 1, key="letter", type="file", label="录取通知书", required=True, file_types=["pdf", "jpg", "png"])
    field_row(district, 2, key="amount", type="money", label="申请金额（元）", required=True, maximum="10000")
    set_route(district, route="aid", steps=set(), outcomes="granted|予以资助|+\nrefused|不予资助")
    district.set_checked("input[name=approved_list]", False)
    district.check("input[name=payment_list]")
    # Two money fields: the editor will not guess which one is paid.
    click(district, district.get_by_role("button", name=zh("Save"), exact=True))
    people.expect_refusal(reverse("kinds:create"))
    alert = district.locator("div.warning[role=alert]").inner_text()
    assert zh("Amount paid (key of a money field)") in alert, alert
    assert not CampaignKind.objects.exists()
    assert district.input_value("input[name=fields-2-label]") == "申请金额（元）"  # what was typed comes back
    district.fill("input[name=payment_field]", "amount")
    shots(district, "kinds-08-aid-editor")
    save_kind(district, AID, 1)
    steps = district.locator("main ol").first.inner_text()
    assert zh("Review by the district") in steps and zh("Public notice with objections") not in steps

    # 2. The campaign.
    year = timezone.localdate().year
    title = f"{year}年度{AID}"
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    open_campaign(district, CampaignKind.objects.get(), title, deadline,
                  [tree.union_a1, tree.union_a2, tree.union_b1])
    click(district, district.get_by_role("button", name=zh("Open the campaign")))
    campaign = KindCampaign.objects.get()

    # 3. The worker applies through the union, on a phone.
    submitter = people(tree.submitter, phone=True)
    go(submitter, reverse("kinds:campaign_detail", args=[campaign.pk]))
    click(submitter, submitter.locator("main").get_by_role("link", name=zh("Hand in a case")))
    submitter.fill("input[name=case-name]", WORKER)
    submitter.fill("input[name=answers-income]", "1350")
    submitter.set_input_files("input[name=answers-letter]", files=[
        {"name": "录取通知书.jpg", "mimeType": "image/jpeg", "buffer": photo_jpg()},
    ])
    submitter.fill("input[name=answers-amount]", "4000")
    click(submitter, submitter.locator("button[name=action][value=submit]"))
    expect_message(submitter, zh("The case is handed in."))
    assert badge(submitter) == zh("Awaiting the chair's confirmation")
    case = KindCase.objects.get()
    assert case.answers["amount"] == "4000.00" and case.answers["income"] == "1350.00"

    # 4. The chair confirms (to the district: no intermediate step), the
    # district approves (no notice), the administrator grants.
    decide_on_case(people(tree.chair), case, zh("The unit's chair confirms"), "confirm",
                   zh("Under review by the district"))
    decide_on_case(people(tree.reviewer_d), case, zh("The district reviews"), "approve",
                   zh("Awaiting the final decision"))
    open_from_inbox(district, case.get_absolute_url())
    click(district, district.locator(f"main .actions a[href='{reverse('kinds:case_decide', args=[case.pk])}']"))
    click(district, district.locator("form button[name=decision][value=outcome_1]"))
    click(district, district.get_by_role("button", name=zh("Yes: %(label)s", label="予以资助")))
    expect_message(district, zh("Done: %(decision)s.", decision="予以资助"))
    assert badge(district) == zh("Granted by the final decision")
    assert not Certificate.objects.exists()  # this kind ends in a payment list only

    # 5. The payment list, PDF and Excel, from the campaign's page.
    go(district, reverse("kinds:campaign_detail", args=[campaign.pk]))
    ending = district.locator("section.card", has_text=zh("What the campaign ends in"))
    assert zh("Payment list") in ending.inner_text() and zh("Approved list") not in ending.inner_text()
    shots(district, "kinds-09-payment-list-links")
    with district.expect_download() as download:
        ending.get_by_role("link", name="PDF").click()
    data = open(download.value.path(), "rb").read()
    pdf_page_png(data, "kinds-10-payment-list-pdf")
    flat = "".join(pdf_text(data).split())
    assert WORKER in flat and tree.union_a1.name in flat and "申请金额（元）" in flat
    assert flat.count("4000.00") == 3  # the amount, the union's subtotal, the total
    assert "1350" not in flat  # the family's income is not what is paid
    with district.expect_download() as download:
        ending.get_by_role("link", name="Excel").click()
    rows = [[c.value for c in row] for row in
            load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active.iter_rows()]
    paid = next(r for r in rows if r[1] == WORKER)
    assert paid[0] == tree.union_a1.name and float(paid[2]) == 4000.0
    subtotal = next(r for r in rows if r[1] == zh("Subtotal"))
    total = next(r for r in rows if r[1] == zh("Total"))
    assert float(subtotal[2]) == float(total[2]) == 4000.0
    people.check()
