"""The starters (范本) a district begins a kind of campaign from: the May
Day award's three kinds, sound as shipped, offered on the kind list and the
new-kind page, filling the editor without saving anything; saved, each
asks exactly May Day's fields, and a campaign of the individual starter
runs from the submitter's form to a certificate worded and numbered as
May Day's."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.kinds.definition import problems_of_kind
from awards.kinds.endings import certificates_of
from awards.kinds.models import CampaignKind, KindCase
from awards.kinds.models import KindCaseState as S
from awards.kinds.starter_kinds import FOLDER, STARTERS, starter
from tests.awards.kinds.test_campaigns_and_cases import _decide
from tests.awards.kinds.test_endings import pdf_text
from tests.conftest import PDF_BYTES, valid_id_number

pytestmark = pytest.mark.django_db

# May Day's forms as the retired process had them (its forms.py, selectors.py), written out: each
# award's fields but the nominee's name (the case's own "applicant or
# candidate"), with whether it is required; the attachments are its file.
COMMON = [("deeds", True), ("summary", True), ("congress_discussed_on", True), ("contact_phone", True),
          ("attachments", False)]
MAYDAY_FIELDS = {
    "mayday-individual": [
        ("gender", True), ("ethnicity", True), ("birth_date", True), ("id_number", True),
        ("political_status", True), ("education", True), ("sector", False), ("work_unit", True), ("post", True),
        ("job_title", True), ("candidate_category", True), ("honours", False), *COMMON],
    "mayday-unit": [("sector", False), ("legal_representative", True), ("headcount", True),
                    ("work_unit", False), *COMMON],
    "mayday-team": [("sector", False), ("legal_representative", True), ("headcount", True),
                    ("work_unit", True), *COMMON],
}
TITLES = {"mayday-unit": "五一劳动奖状", "mayday-individual": "五一劳动奖章", "mayday-team": "工人先锋号"}


class BrowserForm(HTMLParser):
    """What a browser submits of the page's editor form as it stands: the
    inputs' values, ticked boxes, chosen options and the textareas' text."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea, self._inside = {}, None, None, False

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and not a.get("action"):
            self._inside = True
        if not self._inside:
            return
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value") or "on")
            elif kind != "file":
                self._add(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea and self.data[self._textarea][-1].startswith("\n"):
                # The newline a browser drops after <textarea>.
                self.data[self._textarea][-1] = self.data[self._textarea][-1][1:]
            self._textarea = None
        elif tag == "form":
            self._inside = False


def _editor_as_filled(client, code):
    page = client.get(reverse("kinds:create"), {"starter": code}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    form = BrowserForm()
    form.feed(page.content.decode())
    return page.content.decode(), form.data


def _create_from_starter(client, tree, code):
    client.force_login(tree.admin_d)
    _page, data = _editor_as_filled(client, code)
    saved = client.post(reverse("kinds:create"), data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    return CampaignKind.objects.get(district=tree.district, code=code).current_version


def test_the_three_may_day_starters_are_sound_as_shipped():
    assert sorted(s.code for s in STARTERS) == ["mayday-individual", "mayday-team", "mayday-unit"]
    assert sorted(p.stem for p in FOLDER.glob("*.json")) == sorted(s.code for s in STARTERS)
    for s in STARTERS:
        # They name no sign-off department (another district has other ones).
        assert problems_of_kind(s.definition, departments=()) == [], s.code
        assert s.title == TITLES[s.code]


def test_the_kind_list_and_the_new_kind_page_offer_the_starters(client, tree):
    client.force_login(tree.admin_d)
    for url in (reverse("kinds:list"), reverse("kinds:create")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "从范本新建" in page, url
        for code, title in TITLES.items():
            assert f"?starter={code}" in page and title in page
        assert "表单 17 项" in page  # the line on what the individual starter holds
    # A revision of a kind offers none: it starts from its own version.
    kind = _create_from_starter(client, tree, "mayday-unit").kind
    assert "从范本新建" not in client.get(reverse("kinds:edit", args=[kind.pk]),
                                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_a_starter_fills_the_editor_and_nothing_is_saved_until_the_clerk_saves(client, tree):
    client.force_login(tree.admin_d)
    page, data = _editor_as_filled(client, "mayday-individual")
    assert CampaignKind.objects.count() == 0
    assert "已按范本“五一劳动奖章”填好" in page
    assert data["code"] == ["mayday-individual"] and data["title"] == ["五一劳动奖章"]
    # Issued in the district's name, as May Day's certificate is by default.
    assert data["certificate_issuer"] == [tree.district.name]
    assert starter("mayday-individual").definition["ends_in"]["certificate"]["issuer"] == "区总工会"
    # The code and title are the clerk's to change.
    data.update(code=["wuyi-jiangzhang"], title=["五一劳动奖章（区级）"])
    assert client.post(reverse("kinds:create"), data).status_code == 302
    version = CampaignKind.objects.get(code="wuyi-jiangzhang").current_version
    assert version.title == "五一劳动奖章（区级）"
    assert client.get(reverse("kinds:create"), {"starter": "no-such"}).status_code == 404
    # Someone who administers no district is kept out, starter or not.
    client.force_login(tree.submitter)
    assert client.get(reverse("kinds:create"), {"starter": "mayday-individual"}).status_code == 404


@pytest.mark.parametrize("code", sorted(MAYDAY_FIELDS))
def test_a_kind_made_from_a_starter_asks_exactly_may_days_fields(client, tree, code):
    version = _create_from_starter(client, tree, code)
    definition = version.definition
    assert [(f["key"], f["required"]) for f in definition["fields"]] == MAYDAY_FIELDS[code]
    fields = {f["key"]: f for f in definition["fields"]}
    assert (fields["deeds"]["max_length"], fields["summary"]["max_length"]) == (2000, 500)
    assert fields["congress_discussed_on"]["not_future"] is True and fields["contact_phone"]["landline"] is True
    assert fields["attachments"]["max_mb"] == 20
    # Several files in the one field, as May Day's MultipleAttachmentField takes.
    assert fields["attachments"]["multiple"] is True
    if "birth_date" in fields:
        # In the past and the date the ID number holds, as May Day's PersonChecksMixin checks.
        assert fields["birth_date"]["not_future"] is True and fields["birth_date"]["matches_id"] == "id_number"
        assert fields["id_number"]["type"] == "id_number"
    # What the editor saved is the starter as shipped, issued in the district's name.
    assert definition == starter(code).definition_for(tree.district)
    route = definition["route"]
    assert route["steps"] == ["confirm", "intermediate_review", "district_review", "notice", "decision"]
    assert route["notice_days"] == 5 and route["signoffs"] == []
    assert route["deadline_days"] == {"confirm": 5, "intermediate_review": 10, "district_review": 10, "decision": 10}
    assert [(o["label"], o["positive"]) for o in route["outcomes"]] == [("授予", True), ("不予授予", False)]
    certificate = definition["ends_in"]["certificate"]
    assert certificate["title"] == "{year}年度" + TITLES[code] and certificate["layout"] == code.removeprefix("mayday-") and certificate["number_format"] == "工奖〔{year}〕第{seq:04d}号"
    assert definition["ends_in"]["approved_list"] is True


def _answers(**changes):
    data = {
        "case-organisation": "", "case-name": "李四", "action": "submit",
        "answers-gender": "M", "answers-ethnicity": "汉族", "answers-birth_date": "1985-03-01",
        "answers-id_number": valid_id_number("11010119850301001"), "answers-political_status": "cpc",
        "answers-education": "bachelor", "answers-sector": "non_public", "answers-work_unit": "甲一机械厂",
        "answers-post": "钳工班长", "answers-job_title": "高级技师", "answers-candidate_category": "front_line",
        "answers-honours": "2023年度区级优秀共产党员", "answers-deeds": "扎根一线二十年，攻克多项技术难题。",
        "answers-summary": "一线技术骨干，成绩突出。", "answers-congress_discussed_on": "2026-03-10",
        "answers-contact_phone": "023-6123 4567",
    }
    data.update(changes)
    return data


def test_a_campaign_of_the_individual_starter_runs_to_may_days_certificate(
        client, tree, open_campaign, django_capture_on_commit_callbacks):
    from workflows.models import NoticeEntry
    from workflows.notices.services import close_notice

    campaign = open_campaign(_create_from_starter(client, tree, "mayday-individual"))
    client.force_login(tree.submitter)
    url = reverse("kinds:case_new", args=[campaign.pk])
    form_page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "职代会讨论推荐日期" in form_page and "身份证号码" in form_page

    # A wrong ID number (its check character off) is refused in Chinese;
    # what was typed stays on the form.
    valid = valid_id_number("11010119850301001")
    typo = valid[:-1] + ("2" if valid[-1] == "1" else "1")
    wrong = client.post(url, _answers(**{"case-organisation": tree.union_a1.pk, "answers-id_number": typo}),
                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = wrong.content.decode()
    assert wrong.status_code == 200 and "身份证号码无效，请核对。" in page
    assert typo in page and "扎根一线二十年" in page and "钳工班长" in page
    assert not KindCase.objects.exists()
    # A congress that has not met yet is refused too.
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    future = client.post(url, _answers(**{"case-organisation": tree.union_a1.pk,
                                          "answers-congress_discussed_on": tomorrow}),
                         HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert future.status_code == 200 and "该日期不能晚于今天。" in future.content.decode()
    # A date of birth that is not the one the ID number holds, as on May Day's form.
    other_day = client.post(url, _answers(**{"case-organisation": tree.union_a1.pk,
                                             "answers-birth_date": "1985-03-02"}), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert other_day.status_code == 200 and "出生日期与身份证号码不一致" in other_day.content.decode()
    assert not KindCase.objects.exists()

    # The minutes and the other papers, several files in the one field.
    papers = [SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
              for name in ("职代会会议纪要.pdf", "获奖证书.pdf")]
    handed = client.post(url, _answers(**{"case-organisation": tree.union_a1.pk, "answers-attachments": papers}))
    case = KindCase.objects.get()
    assert handed.status_code == 302 and case.state == S.CONFIRMING
    assert [(a.kind, a.original_name) for a in case.attachment_files.order_by("pk")] == [
        ("attachments", "职代会会议纪要.pdf"), ("attachments", "获奖证书.pdf")]
    assert case.answers["contact_phone"] == "023-6123 4567" and case.answers["gender"] == "M"

    assert _decide(client, tree.chair, case, "confirm").state == S.INTERMEDIATE
    assert _decide(client, tree.reviewer_a, case, "forward").state == S.DISTRICT
    assert _decide(client, tree.reviewer_d, case, "approve").state == S.AWAITING_NOTICE
    client.force_login(tree.admin_d)
    assert client.post(reverse("kinds:campaign_notice", args=[campaign.pk]), {"confirmed": "1"}).status_code == 302
    entry = NoticeEntry.objects.get()
    # May Day's notice fields: the name and union, gender, work unit, post, job title, summary.
    assert entry.published["name"] == "李四" and entry.published["职务"] == "钳工班长"
    assert "023-6123 4567" not in str(entry.published) and case.answers["id_number"] not in str(entry.published)
    close_notice(notice=entry.notice, today=entry.notice.closes_on + datetime.timedelta(days=1))
    case.refresh_from_db()
    assert case.state == S.DECIDING
    with django_capture_on_commit_callbacks(execute=True):
        case = _decide(client, tree.admin_d, case, "outcome_1")
    assert case.state == S.GRANTED and case.outcome == "granted"

    [certificate] = certificates_of(case)
    assert certificate.number == f"工奖〔{campaign.year}〕第0001号"
    assert certificate.wording == f"李四同志：被授予{campaign.year}年度五一劳动奖章，特发此证，以资鼓励。"
    assert certificate.issuer == tree.district.name and certificate.award_title == f"{campaign.year}年度五一劳动奖章"
    assert certificate.layout == "individual"  # May Day's medal layout, moved into kinds
    answer = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert answer.status_code == 200
    _reader, text = pdf_text(b"".join(answer.streaming_content))
    flat = "".join(text.split())
    assert f"工奖〔{campaign.year}〕第0001号" in flat
    assert f"李四同志：被授予{campaign.year}年度五一劳动奖章，特发此证，以资鼓励。" in flat
    assert tree.district.name in flat
