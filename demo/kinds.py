"""The kinds-of-campaign part of the demo (called by `seed_demo`): three
kinds a district sets up as data, made through the service the editor page
uses, a campaign of each for this year and cases in several states moved
on by the engine's decision service. Safe to run twice: the kinds are
looked up by code, a campaign's cases are made only when it is new.

The definitions live here, not in awards/kinds: the application knows no
particular kind of campaign (tests/demo/test_kinds_are_data.py)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.kinds import cases as case_services
from awards.kinds import scoring, services
from awards.kinds.definition import FORMAT
from awards.kinds.models import CampaignKind, KindCampaign
from awards.kinds.notices import do_publish_notice
from workflows.dataforms.identity import id_check_character
from workflows.models import Standard
from workflows.scoring.standards import standard_create
from workflows.steps.decisions import decide

GRANTED_OR_NOT = [{"value": "granted", "label": "授予", "positive": True},
                  {"value": "refused", "label": "不予授予", "positive": False}]

# A person nominated by their union: chair → intermediate → district,
# 5 working days of public notice, a certificate.
OUTSTANDING_UNION_WORKER = {
    "format": FORMAT,
    "title": "优秀工会工作者",
    "applicant": "person",
    "fields": [
        {"key": "name", "type": "text", "label": "姓名", "required": True, "public": True},
        {"key": "id_number", "type": "id_number", "label": "身份证号", "required": True, "public": False},
        {"key": "mobile", "type": "mobile", "label": "手机号码", "required": False, "public": False},
        {"key": "post", "type": "text", "label": "工会职务", "required": True, "public": True},
        {"key": "years", "type": "number", "label": "从事工会工作年限", "required": True, "public": False,
         "min": 0, "max": 50},
        {"key": "deeds", "type": "long_text", "label": "主要事迹", "required": True, "public": True,
         "max_length": 2000},
        {"key": "proof", "type": "file", "label": "证明材料", "required": False, "public": False,
         "types": ["pdf", "jpg", "png"], "max_mb": 10},
    ],
    "route": {
        "template": "honour",
        "steps": ["confirm", "intermediate_review", "district_review", "notice", "decision"],
        "signoffs": [],
        "notice_days": 5,
        "deadline_days": {"confirm": 5, "intermediate_review": 10, "district_review": 10},
        "outcomes": GRANTED_OR_NOT,
    },
    "ends_in": {
        "certificate": {"layout": "default", "title": "优秀工会工作者",
                        "wording": "{name}同志被评为{year}年度优秀工会工作者，特发此证。",
                        "issuer": "区总工会", "number_format": "YX{year}-{seq:03d}"},
        "approved_list": True,
        "payment_list": False,
    },
}

# A union applies for itself: the district reviews, two inspectors score
# the reading room on the district's standard (READING_ROOM_STANDARD, made
# through the engine's scoring standards), a public notice, and a plaque.
READING_ROOM = {
    "format": FORMAT,
    "title": "职工书屋示范点创建",
    "applicant": "union",
    "fields": [
        {"key": "room_area", "type": "number", "label": "书屋面积（平方米）", "required": True, "public": True,
         "min": 1, "max": 10000},
        {"key": "books", "type": "number", "label": "藏书量（册）", "required": True, "public": True,
         "min": 0, "max": 1000000},
        {"key": "members", "type": "number", "label": "服务职工人数", "required": True, "public": False,
         "min": 0, "max": 100000},
        {"key": "activities", "type": "long_text", "label": "读书活动开展情况", "required": True, "public": True,
         "max_length": 2000},
        {"key": "photos", "type": "file", "label": "书屋照片", "required": False, "public": False,
         "types": ["jpg", "png", "pdf"], "max_mb": 10},
    ],
    "route": {
        "template": "honour",
        "steps": ["district_review", "scoring", "notice", "decision"],
        "signoffs": [],
        "scoring": {"inspectors": 2},
        "notice_days": 5,
        "deadline_days": {"district_review": 15, "scoring": 10},
        "outcomes": [{"value": "granted", "label": "命名为示范点", "positive": True},
                     {"value": "refused", "label": "不予命名", "positive": False}],
    },
    "ends_in": {
        # A plaque (the kinds' plaque layout), verifiable and revocable as
        # every certificate.
        "certificate": {"layout": "plaque", "title": "职工书屋示范点",
                        "wording": "{union}被命名为{year}年度职工书屋示范点。",
                        "issuer": "区总工会", "number_format": "SW{year}-{seq:03d}"},
        "approved_list": True,
        "payment_list": False,
    },
}

# A worker's child, applied for through the union: chair → district, no
# public notice (the family's hardship is not posted), a payment list.
AUTUMN_SCHOOL_AID = {
    "format": FORMAT,
    "title": "金秋助学",
    "applicant": "worker",
    "fields": [
        {"key": "name", "type": "text", "label": "职工姓名", "required": True, "public": False},
        {"key": "id_number", "type": "id_number", "label": "职工身份证号", "required": True, "public": False},
        {"key": "child", "type": "text", "label": "子女姓名", "required": True, "public": False},
        {"key": "school", "type": "text", "label": "录取院校", "required": True, "public": False},
        {"key": "income", "type": "money", "label": "家庭人均月收入（元）", "required": True, "public": False},
        {"key": "letter", "type": "file", "label": "录取通知书", "required": True, "public": False,
         "types": ["pdf", "jpg", "png"], "max_mb": 10},
        {"key": "amount", "type": "money", "label": "申请金额（元）", "required": True, "public": False,
         "max": "10000"},
    ],
    "route": {
        "template": "aid",
        "steps": ["confirm", "district_review", "decision"],
        "signoffs": [],
        "notice_days": 0,
        "deadline_days": {"confirm": 5, "district_review": 10},
        "outcomes": [{"value": "granted", "label": "予以资助", "positive": True},
                     {"value": "refused", "label": "不予资助", "positive": False}],
    },
    "ends_in": {"certificate": None, "approved_list": False, "payment_list": True, "payment_field": "amount"},
}

# The standard the reading room's inspectors score against, after the
# city-level thresholds (../shared/domain.md): it is data, the district
# changes it on the standards pages (/standards/) or by Excel.
READING_ROOM_STANDARD = {
    "qualified": 75,
    "model": 90,
    "note": "示范区职工书屋示范点考核标准",
    "sections": [
        {"title": "一、场地设施", "items": [
            {"code": "1.1", "text": "书屋面积不少于30平方米，布局合理，环境整洁", "kind": "scored", "points": 15,
             "mandatory": True, "guidance": "平面图、照片"},
            {"code": "1.2", "text": "配备阅览座位、书架和联网电脑", "kind": "scored", "points": 10, "mandatory": False,
             "guidance": "设备清单"},
        ]},
        {"title": "二、图书资源", "items": [
            {"code": "2.1", "text": "藏书不少于500册，每年更新", "kind": "scored", "points": 20, "mandatory": True,
             "guidance": "图书登记台账"},
            {"code": "2.2", "text": "订阅报刊不少于5种（含工人日报）", "kind": "scored", "points": 10,
             "mandatory": False, "guidance": "订阅凭证"},
            {"code": "2.3", "text": "开通数字阅读平台", "kind": "scored", "points": 10, "mandatory": False,
             "guidance": "平台账号"},
        ]},
        {"title": "三、管理与活动", "items": [
            {"code": "3.1", "text": "有借阅制度，专人管理，按时开放", "kind": "scored", "points": 15,
             "mandatory": False, "guidance": "制度文本、值班表"},
            {"code": "3.2", "text": "定期开展读书分享、征文等活动", "kind": "scored", "points": 20,
             "mandatory": False, "guidance": "活动记录"},
        ]},
        {"title": "四、一票否决", "items": [
            {"code": "4.1", "text": "书屋挪作他用或长期不开放", "kind": "veto", "points": 0, "mandatory": False,
             "guidance": ""},
        ]},
    ],
}
# code of the kind → (code and name of its standard, its content)
STANDARDS = {"shuwu-shifan": ("shuwu-standard", "示范区职工书屋示范点考核标准", READING_ROOM_STANDARD)}
INSPECTORS = ("qz_inspect1", "qz_inspect2")

KINDS = [("youxiu-gonghui", OUTSTANDING_UNION_WORKER), ("shuwu-shifan", READING_ROOM),
         ("jinqiu-zhuxue", AUTUMN_SCHOOL_AID)]

# The union handing each case in (its intermediate union reviews when the
# route has that step) and the state the demo leaves it in. This year's
# campaigns are under way: the honours' notices are running, no title is
# granted yet; the aid has granted and refused cases on its payment list.
PLANS = {
    "youxiu-gonghui": [
        ("jixie", "孙志明", "in_notice"), ("fangzhi", "钱丽华", "in_notice"), ("gongdian", "吴海峰", "district"),
        ("jianzhu", "冯雅琴", "intermediate"), ("yiyuan", "蒋文博", "confirming"), ("xiaoxue", "沈佳怡", "draft"),
        ("shuiwu", "韩立新", "rejected"),
    ],
    # Two scored and on notice, one half scored, one awaiting inspectors,
    # one under review, one draft.
    "shuwu-shifan": [("jixie", "", "in_notice"), ("shuiwu", "", "in_notice"), ("fangzhi", "", "scoring"),
                     ("gongdian", "", "assigning"), ("jianzhu", "", "district"), ("yiyuan", "", "draft")],
    "jinqiu-zhuxue": [
        ("jixie", "马建华", "granted"), ("fangzhi", "林秀珍", "granted"), ("gongdian", "黄德胜", "district"),
        ("jianzhu", "邓春梅", "confirming"), ("xiaoxue", "曹永刚", "not_granted"),
    ],
}
CHILDREN = ["马小雨", "林一鸣", "黄思远", "邓欣然", "曹子涵", "孙可欣", "钱浩然"]
# A stand-in admission letter: a PDF by content, as the upload check asks.
LETTER = b"%PDF-1.4\n% demo admission letter\n%%EOF\n"
# Who moves a case on from each state, and by which decision.
FORWARD = {"confirming": ("chair", "confirm"), "intermediate": ("intermediate", "forward"),
           "district": ("qz_review", "approve"), "assigning": ("qz_admin", "assign"),
           "scoring": ("inspectors", "submit_scores"), "deciding": ("qz_admin", None)}
ORDER = ["draft", "confirming", "intermediate", "district", "assigning", "scoring", "awaiting_notice", "in_notice",
         "deciding"]


def seed_kinds(orgs, users):
    """The three kinds, a campaign of each for this year and its cases;
    returns the campaigns."""
    admin, district = users["qz_admin"], orgs["district"]
    year = timezone.localdate().year
    campaigns = []
    for code, definition in KINDS:
        kind = CampaignKind.objects.filter(district=district, code=code).first()
        version = (kind.versions.order_by("-number").first() if kind else
                   services.do_create_kind(district=district, code=code, definition=definition, actor=admin))
        campaign = KindCampaign.objects.filter(offers__kind=version.kind, year=year).first()
        if campaign is None:
            campaign = case_services.do_open_campaign(
                versions=[version], year=year, title=f"{year}年度{version.title}", actor=admin,
                deadline=timezone.localdate() + datetime.timedelta(days=30),
                standard_version=_standard(code, district, admin))
            _make_cases(campaign, PLANS[code], orgs, users)
        campaigns.append(campaign)
    return campaigns


def _standard(code, district, admin):
    """The version of the kind's scoring standard (made once, through the
    engine's service), or None for a kind without scoring."""
    if code not in STANDARDS:
        return None
    standard_code, name, data = STANDARDS[code]
    standard = Standard.objects.filter(code=standard_code).first()
    if standard is not None:
        return standard.latest_version()
    return standard_create(district=district, code=standard_code, name=name, data=data, actor=admin)


def _make_cases(campaign, plan, orgs, users):
    [version] = campaign.offered_versions
    for i, (org_code, person, target) in enumerate(plan):
        org = orgs[org_code]
        data, files = _filled(version, org, person, i)
        form = case_services.form_class(version)(data, files)
        if not form.is_valid():
            raise ValueError(f"demo case of {version.title}: {form.errors.as_text()}")
        case = case_services.do_create_case(campaign=campaign, organisation=org, name=person or org.name,
                                            form=form, actor=users[f"{org_code}_submit"],
                                            submit=target != "draft")
        _drive(case, target, org, users)
    if any(target == "in_notice" for _org, _person, target in plan):
        do_publish_notice(campaign=campaign, actor=users["qz_admin"])


def _filled(version, org, person, i):
    """The answers a submitter would type for `person` of `org`."""
    data, files = {}, {}
    for spec in version.definition["fields"]:
        key, kind = spec["key"], spec["type"]
        if kind == "file":
            if spec.get("required"):
                files[key] = SimpleUploadedFile(f"{spec['label']}.pdf", LETTER, content_type="application/pdf")
        elif kind == "id_number":
            data[key] = demo_id_number(datetime.date(1975 + i, 3 + i, 10 + i), 200 + i)
        elif kind == "mobile":
            data[key] = f"1390851{i:04d}"
        elif kind == "money":
            data[key] = f"{1200 + 150 * i}.00" if key == "income" else f"{3000 + 500 * (i % 3)}.00"
        elif kind == "number":
            data[key] = str(min(spec.get("max", 100), (spec.get("min") or 0) + 5 + 37 * i))
        elif kind == "long_text":
            data[key] = DEEDS[version.definition["applicant"]].format(org=org.name)
        elif key == "child":
            data[key] = CHILDREN[i % len(CHILDREN)]
        elif key == "school":
            data[key] = ["贵州大学", "华东师范大学", "四川大学", "武汉理工大学", "重庆医科大学"][i % 5]
        elif key == "post":
            data[key] = ["工会主席", "工会副主席", "工会委员", "女职工委员会主任"][i % 4]
        else:
            data[key] = person or org.name
    return data, files


DEEDS = {
    "person": "长期扎根基层从事工会工作，在{org}推动集体协商、建设职工之家，帮扶困难职工，深受职工信赖。",
    "union": "{org}建成职工书屋，配备图书与电子阅读设备，每月开展读书分享会，全年借阅逾千人次。",
    "worker": "{org}职工，家庭经济困难，子女今年考入大学。",
}


def _drive(case, target, org, users):
    """Move `case` on to `target` by the decisions each step's people take,
    through the engine's decision service (the inspectors through the
    scoring services)."""
    stop = {"granted": "deciding", "not_granted": "deciding", "in_notice": "awaiting_notice",
            "rejected": "district"}.get(target, target)
    while case.state != stop and case.state in FORWARD and FORWARD[case.state][1]:
        who, decision = FORWARD[case.state]
        if who == "chair":
            who = f"{org.code}_chair"
        elif who == "intermediate":
            who = "cg_review" if org.parent.code == "chengguan" else "qzjg_review"
        if decision == "assign":
            scoring.do_assign_inspectors(case=case, actor=users[who], inspectors=_inspectors())
        elif decision == "submit_scores":
            _score(case, everyone=True)
        else:
            decide(case=case, actor=users[who], decision=decision)
        case.refresh_from_db()
    if target == "scoring":
        _score(case, everyone=False)
    if target == "rejected":
        decide(case=case, actor=users["qz_review"], decision="reject", comment="事迹材料不够具体，本年度不予推荐。")
    elif target in ("granted", "not_granted"):
        decide(case=case, actor=users["qz_admin"], decision="outcome_1" if target == "granted" else "outcome_2")


def _inspectors():
    """The demo's inspectors at the district (made with model home's demo)."""
    return list(get_user_model().objects.filter(username__in=INSPECTORS).order_by("username"))


def _score(case, *, everyone):
    """The inspectors submit their sheets, a little apart (or only the
    first: the case then awaits the other's)."""
    items = list(case.campaign.standard_version.ordered_items())
    for n, inspection in enumerate(case.inspections.select_related("inspector").order_by("assigned_at", "pk")):
        if n and not everyone:
            break
        scale = Decimal("0.92") - Decimal("0.05") * n - Decimal("0.03") * (case.pk % 3)
        answers = {item.pk: ({"score": None, "veto": False, "evidence": ""} if item.kind == "veto" else
                             {"score": (item.max_points * scale).quantize(Decimal("0.5")), "veto": None,
                              "evidence": "现场查看，台账齐全。"})
                   for item in items}
        scoring.do_save_scores(case=case, inspection=inspection, actor=inspection.inspector, scores=answers,
                               comment="书屋环境整洁，借阅记录完整。", submit=True)
        case.refresh_from_db()


def demo_id_number(birth_date, i):
    first17 = f"520102{birth_date:%Y%m%d}{i:03d}"
    return first17 + id_check_character(first17)
