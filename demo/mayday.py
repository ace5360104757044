"""The May Day award's part of the demo (called by `seed_demo`), run as
campaign kinds: the district's three kinds made from the starters the
application ships (awards/kinds/starters/mayday-{unit,individual,team}.json)
through the kind editor's service, with the departments' sign-offs for
enterprise units and individuals; `mayday-2024`, last year's story as it
happened (dated in 2024: submissions in March, the sign-offs, the notice of
8–12 April, the decisions of 16 April), with cases in every state and
certificates; and this year's campaign with what is under way (a live
notice with an objection pending, a case awaiting the departments'
sign-offs, one awaiting its notice).

Every case is handed in through the kinds' services (awards.kinds.cases)
and moved on by the engine's decision service, as a user's click would.
Safe to run twice: the departments and kinds are looked up by code, the
campaigns by code, and a campaign's cases are made only when it is new.
The sign-off departments are organisations of the district (OrgKind
DEPARTMENT) with an officer each, named by code in the versions' routes."""

import datetime
import zoneinfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from awards.kinds import cases as case_services
from awards.kinds import services as kind_services
from awards.kinds.models import CampaignKind, KindCampaign, KindCaseState as S
from awards.kinds.notices import do_publish_notice
from awards.kinds.starter_kinds import starter
from awards.roles import Role
from workflows.dataforms.identity import id_check_character
from workflows.mixrules.services import rule_create
from workflows.models import Membership, MixRule, Organisation, OrgKind, Sector
from workflows.notices.services import close_notice, entry_of, lodge_objection
from workflows.quotas.services import quota_set
from workflows.signoffs.services import pending_departments
from workflows.steps.decisions import decide

from demo.accounts import DEMO_PASSWORD

UNIT, INDIVIDUAL, TEAM = "mayday-unit", "mayday-individual", "mayday-team"
KINDS = (UNIT, INDIVIDUAL, TEAM)
ENTERPRISES = [Sector.STATE_OWNED, Sector.COLLECTIVE, Sector.NON_PUBLIC]
NUMBER_FORMAT = "示工奖〔{year}〕第{seq:04d}号"
PLACES = {INDIVIDUAL: 12, UNIT: 4, TEAM: 4}
GRASSROOTS = ["jixie", "fangzhi", "gongdian", "jianzhu", "yiyuan", "xiaoxue", "shuiwu"]

DEPARTMENT_OFFICERS = {"tax": "蒋涛", "labour_inspection": "吕娜", "safety": "曹勇", "environment": "田甜", "audit": "彭飞",
                       "discipline": "邵华"}
DEPARTMENTS = [
    # function (the officer's user name: dept_<function>), organisation code, name, state-owned enterprises only
    ("tax", "dept-tax", "区税务局", False),
    ("labour_inspection", "dept-labour", "区人社局劳动保障监察大队", False),
    ("safety", "dept-safety", "区应急管理局", False),
    ("environment", "dept-env", "区生态环境分局", False),
    ("audit", "dept-audit", "区审计局", True),
    ("discipline", "dept-discipline", "区纪委监委", True),
]
# The versions' sign-offs: every department for an enterprise's unit or
# worker, audit and discipline for state-owned enterprises only.
SIGNOFFS = [{"department": code, "sectors": [Sector.STATE_OWNED] if state_owned_only else ENTERPRISES}
            for _function, code, _name, state_owned_only in DEPARTMENTS]

PEOPLE = [
    "张伟", "王芳", "李娜", "刘洋", "陈杰", "杨静", "黄磊", "赵敏", "周强", "吴婷", "徐涛", "孙丽",
    "马超", "朱琳", "胡斌", "郭霞", "何勇", "高颖", "林峰", "罗佳", "郑浩", "梁燕", "谢军", "宋雪",
]
CATEGORIES = ["front_line", "front_line", "industrial_worker", "technical", "front_line", "migrant_worker",
              "enterprise_head", "front_line"]
TEAMS = ["数控加工班组", "纺纱一车间甲班", "配电运维班", "钢筋工程班", "急诊科护理组", "数学教研组", "管网抢修队"]
UNITS = {"jixie": "城关机械制造有限公司", "fangzhi": "城关纺织集团", "gongdian": "城关供电所",
         "jianzhu": "城关建筑工程公司", "yiyuan": "区人民医院", "xiaoxue": "区实验小学", "shuiwu": "区自来水有限公司"}

# The state each of mayday-2024's cases ends in; 13 granted.
PLAN = ([S.GRANTED] * 13 + [S.NOT_GRANTED, S.DECIDING, S.DECIDING, S.DISTRICT, S.DISTRICT, S.INTERMEDIATE,
                            S.CONFIRMING, S.CONFIRMING, S.RETURNED, S.REJECTED, S.WITHDRAWN, S.DRAFT])
# Past the district's review: on the notice of April 2024, then decided.
AFTER_NOTICE = (S.GRANTED, S.NOT_GRANTED, S.DECIDING)
# This year's: two on the live notice (one objected to), one awaiting the
# departments, one awaiting its notice.
LIVE = ["韩梅", "丁磊", "邓超", "配电运维班"]

DEEDS = {
    INDIVIDUAL: (
        ("该同志扎根生产一线二十年，爱岗敬业，勇于创新，带领班组完成多项技术攻关，"
         "近三年提出合理化建议二十余条，为企业节约成本约260万元，在职工中起到了良好的示范带头作用。") * 3,
        "扎根一线、勇于创新，技术攻关成绩突出。",
    ),
    TEAM: (
        ("该班组坚持安全、质量、效率并重，常态化开展岗位练兵、技术比武和师带徒活动，"
         "近三年完成技术革新八项，连续三年实现零事故，班组成员中有三人取得高级技师资格。") * 3,
        "团结协作、技术过硬，连续三年零事故的先进班组。",
    ),
    UNIT: (
        ("该单位坚持以职工为中心，职代会制度健全，集体合同和工资专项集体合同履约良好，"
         "近三年无欠薪、无安全生产事故，职工收入年均增长百分之六以上，厂务公开和民主管理扎实有效。") * 3,
        "民主管理扎实、劳动关系和谐、经营业绩突出的先进单位。",
    ),
}


def current_code():
    return f"mayday-{timezone.localdate().year}"


def demo_time(year, month, day, hour, minute):
    """A moment of the demo's story, in the district's time zone."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def working_day_after(day, count):
    """`count` working days (Monday to Friday) after `day`; March 2024 has
    no statutory holiday."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def demo_id_number(birth_date, i):
    """A well-formed resident ID number (region 520102, the birth date, a
    serial number, the GB 11643 check character)."""
    first17 = f"520102{birth_date:%Y%m%d}{i:03d}"
    return first17 + id_check_character(first17)


def make_departments(orgs):
    """The sign-off departments (organisations under the district) and an
    officer of each; {function: officer}."""
    User = get_user_model()
    officers = {}
    for function, code, name, _state_owned_only in DEPARTMENTS:
        org, _ = Organisation.objects.get_or_create(
            code=code, defaults={"name": name, "kind": OrgKind.DEPARTMENT, "parent": orgs["district"]})
        username = f"dept_{function}"
        user, created = User.objects.get_or_create(username=username,
                                                   defaults={"first_name": DEPARTMENT_OFFICERS[function]})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.email = f"{username}@demo.unionflow.local"
            user.save()
        Membership.objects.get_or_create(user=user, organisation=org, role=Role.DEPARTMENT)
        officers[function] = user
    return officers


def officers_by_department():
    """{department organisation pk: its officer}, for the sign-offs."""
    return {m.organisation_id: m.user for m in Membership.objects.filter(
        role=Role.DEPARTMENT, organisation__kind=OrgKind.DEPARTMENT).select_related("user").order_by("pk")}


def definition(code, district):
    """The starter's definition for the district, with the demo's number
    format and, for units and individuals, the departments' sign-offs after
    the district's review."""
    wanted = starter(code).definition_for(district)
    wanted["ends_in"]["certificate"]["number_format"] = NUMBER_FORMAT
    if code != TEAM:
        route = wanted["route"]
        route["signoffs"] = [dict(entry, sectors=list(entry["sectors"])) for entry in SIGNOFFS]
        route["steps"].insert(route["steps"].index("district_review") + 1, "signoffs")
    return wanted


def mayday_versions(district, admin):
    """The latest version of each of the district's three May Day kinds,
    made from the starters where missing."""
    versions = []
    for code in KINDS:
        kind = CampaignKind.objects.filter(district=district, code=code).first()
        versions.append(kind.versions.order_by("-number").first() if kind else kind_services.do_create_kind(
            district=district, code=code, definition=definition(code, district), actor=admin))
    return versions


def version_of(campaign, code):
    return next(v for v in campaign.offered_versions if v.kind.code == code)


def seed_mayday(orgs, users, stdout=None):
    """The departments, the three kinds, `mayday-2024` and this year's
    campaign; returns the two campaigns."""
    from freezegun import freeze_time

    make_departments(orgs)
    story = Story(orgs, users)
    old = KindCampaign.objects.filter(code="mayday-2024").first()
    if old is None:
        # The 2024 campaign happened in 2024: its history is stamped with
        # the dates it would carry, not with today's.
        with freeze_time(demo_time(2024, 3, 1, 9, 0)) as clock:
            story.clock = clock
            old = story.open_campaign("mayday-2024", 2024, demo_time(2024, 3, 29, 18, 0))
            story.make_cases(old)
        story.clock = None
    story.seed_mix_rules(old, sector_rule=True)
    current = KindCampaign.objects.filter(code=current_code()).first()
    if current is None:
        year = timezone.localdate().year
        current = story.open_campaign(current_code(), year, timezone.now() + datetime.timedelta(days=60))
    story.seed_mix_rules(current, sector_rule=False)
    notice = story.seed_under_way(current)
    if notice is not None and stdout is not None:
        stdout.write(f"Live public notice: {notice.title} ({notice.opened_on} – {notice.closes_on}), "
                     f"1 objection pending; /notices/{notice.pk}/")
    return [old, current]


class Story:
    """Who does what in the demo's May Day campaigns."""

    def __init__(self, orgs, users):
        self.orgs, self.users = orgs, users
        self.admin = users["qz_admin"]
        self.clock = None
        self.after_notice = []

    def open_campaign(self, code, year, deadline):
        versions = mayday_versions(self.orgs["district"], self.admin)
        campaign = case_services.do_open_campaign(
            versions=versions, year=year, title=f"{year}年度示范区五一劳动奖评选", code=code, deadline=deadline,
            actor=self.admin)
        for org_code in ("chengguan", "quzhi"):
            for kind_code in KINDS:
                quota_set(scope=campaign, organisation=self.orgs[org_code], category=kind_code,
                          count=PLACES[kind_code], actor=self.admin)
        return campaign

    def seed_mix_rules(self, campaign, *, sector_rule):
        """The campaign's mix rules (once). The sector rule only where the
        candidates can meet it: this year's few live candidates could not."""
        if MixRule.objects.filter(scope_id=campaign.pk, scope_type__model="kindcampaign").exists():
            return
        individuals = {"kind_version__kind__code": INDIVIDUAL}
        rule_create(scope=campaign, field="candidate_category", values=["front_line", "industrial_worker"],
                    comparison="min", percent=60, applies_to=individuals, actor=self.admin,
                    label="一线职工（含产业工人）不少于个人奖章的60%")
        rule_create(scope=campaign, field="candidate_category", values=["enterprise_head"],
                    comparison="max", percent=10, applies_to=individuals, actor=self.admin,
                    label="企业负责人不超过个人奖章的10%")
        if sector_rule:
            rule_create(scope=campaign, field="sector", values=["non_public"], comparison="min", percent=35,
                        actor=self.admin, label="非公有制企业不少于全部奖项的35%")

    # Cases -------------------------------------------------------------------------

    def new_case(self, campaign, org, kind, i, *, name=None, submit=True, **changes):
        """A case of `kind` for `org` handed in (or saved as a draft) by
        the union's submitter, with the answers a submitter would type."""
        deeds, summary = DEEDS[kind]
        data = dict(sector=org.sector, work_unit=UNITS.get(org.code, org.name), deeds=deeds, summary=summary,
                    congress_discussed_on=min(datetime.date(campaign.year, 2, 26), timezone.localdate()).isoformat(),
                    contact_phone=f"0851-8888{i:04d}")
        if kind == INDIVIDUAL:
            name = name or PEOPLE[i % len(PEOPLE)]
            birth_date = datetime.date(1975 + i % 20, 1 + i % 12, 1 + i % 27)
            data.update(gender="M" if i % 2 == 0 else "F", ethnicity="汉族", birth_date=birth_date.isoformat(),
                        id_number=demo_id_number(birth_date, i),
                        political_status="cpc" if i % 3 else "masses", education="bachelor" if i % 2 else "senior",
                        post="技术员" if i % 2 else "班组长", job_title="高级技师",
                        candidate_category=CATEGORIES[i % len(CATEGORIES)], honours="")
        elif kind == TEAM:
            name = name or f"{UNITS[org.code]}{TEAMS[i % len(TEAMS)]}"
            data.update(legal_representative="班组长 " + PEOPLE[(i + 5) % len(PEOPLE)], headcount=str(12 + i))
        else:
            name = name or UNITS[org.code]
            data.update(legal_representative=PEOPLE[(i + 7) % len(PEOPLE)], headcount=str(200 + 10 * i))
        data.update(changes)
        version = version_of(campaign, kind)
        form = case_services.form_class(version)(data)
        if not form.is_valid():
            raise ValueError(f"demo case {name}: {form.errors.as_text()}")
        return case_services.do_create_case(campaign=campaign, organisation=org, name=name, form=form,
                                            actor=self.users[f"{org.code}_submit"], submit=submit, version=version)

    def make_cases(self, campaign):
        for i, target in enumerate(PLAN):
            code = GRASSROOTS[i % len(GRASSROOTS)]
            kind = [INDIVIDUAL, INDIVIDUAL, TEAM, UNIT][i % 4] if i < 20 else INDIVIDUAL
            day = working_day_after(datetime.date(2024, 3, 4), i % 10)
            self.clock.move_to(demo_time(day.year, day.month, day.day, 9, 30))
            case = self.new_case(campaign, self.orgs[code], kind, i, submit=target != S.DRAFT)
            self.drive(case, target, day)
        self.decide_after_notice(campaign)

    def at(self, day, working_days):
        """A few working days on (the clock moved when the story is dated)."""
        day = working_day_after(day, working_days)
        if self.clock is not None:
            self.clock.move_to(demo_time(day.year, day.month, day.day, 10, 0))
        return day

    def drive(self, case, target, day=None):
        """Take a handed-in case by each step's decision to `target`
        (a state past the district's review: up to the notice, noted in
        after_notice)."""
        users, org = self.users, case.organisation
        chair = users[f"{org.code}_chair"]
        intermediate = users["cg_review"] if org.parent.code == "chengguan" else users["qzjg_review"]
        day = day or timezone.localdate()
        if target in (S.DRAFT, S.CONFIRMING):
            return case
        day = self.at(day, 1)
        if target == S.WITHDRAWN:
            return case_services.do_withdraw_case(case=case, actor=users[f"{org.code}_submit"],
                                                  comment="材料需重新准备")
        if target == S.RETURNED:
            return decide(decision="return", case=case, actor=chair, comment="请补充职代会讨论记录")
        decide(decision="confirm", case=case, actor=chair, comment="经工会委员会研究，同意推荐")
        if target == S.INTERMEDIATE:
            return case
        day = self.at(day, 2)
        if target == S.REJECTED:
            return decide(decision="reject", case=case, actor=intermediate, comment="事迹不够突出，不予推荐")
        decide(decision="forward", case=case, actor=intermediate, comment="同意推荐")
        if target == S.DISTRICT:
            return case
        day = self.at(day, 3)
        decide(decision="approve", case=case, actor=users["qz_review"], comment="材料齐全，同意上报")
        case.refresh_from_db()
        if case.state == S.SIGNOFFS and target != S.SIGNOFFS:
            self.at(day, 2)
            self.sign_off(case, "经查，无不良记录，同意推荐")
        # The public notice comes next: decided after it (decide_after_notice).
        self.after_notice.append((case, target))
        return case

    def sign_off(self, case, comment, only=None):
        """Each department asked (an enterprise's candidate) agrees (or
        only the one of organisation code `only`)."""
        officers = officers_by_department()
        for department_id in list(pending_departments(case)):
            officer = officers[department_id]
            if only and not officer.memberships.filter(organisation__code=only).exists():
                continue
            decide(decision="agree", case=case, actor=officer, comment=comment)
            case.refresh_from_db()
            if self.clock is not None:
                self.clock.tick(datetime.timedelta(hours=1))

    def decide_after_notice(self, campaign):
        """The cases past the district's review were on a notice in April
        2024 (8–12 April: 5 working days after Qingming) that ended with no
        objection; then the district decided."""
        self.clock.move_to(demo_time(2024, 4, 8, 9, 0))
        notice = do_publish_notice(campaign=campaign, actor=self.admin, cases=[c for c, _ in self.after_notice],
                                   opened_on=datetime.date(2024, 4, 8))
        after = notice.closes_on + datetime.timedelta(days=1)
        self.clock.move_to(demo_time(after.year, after.month, after.day, 8, 15))  # the daily job's run
        close_notice(notice=notice, today=after)
        self.clock.move_to(demo_time(2024, 4, 16, 10, 0))
        for case, target in self.after_notice:
            self.clock.tick(datetime.timedelta(minutes=5))
            case.refresh_from_db()
            if target == S.NOT_GRANTED:
                decide(case=case, actor=self.admin, decision="outcome_2", comment="名额有限，本次不予授予")
            elif target == S.GRANTED:
                decide(case=case, actor=self.admin, decision="outcome_1", comment="经区总工会研究决定，予以表彰")

    def seed_under_way(self, campaign):
        """This year's: two public institutions' workers (no sign-offs) on
        a live notice, someone objecting to one of them; a non-public
        enterprise's worker whose sign-offs the tax bureau has given and
        the other departments owe; a team awaiting its notice. Made once
        (by the candidates' names); returns the notice then, else None."""
        if campaign.cases.filter(name__in=LIVE).exists():
            return None
        self.after_notice = []
        live = []
        for i, code in ((40, "yiyuan"), (41, "xiaoxue")):
            case = self.new_case(campaign, self.orgs[code], INDIVIDUAL, i, name=LIVE[i - 40],
                                 candidate_category="front_line")
            live.append(self.drive(case, S.IN_NOTICE))
        notice = do_publish_notice(campaign=campaign, actor=self.admin, cases=live)
        lodge_objection(entry=entry_of(live[0]), objector_kind="person", person_name="钱多多", contact="13900000000",
                        text="反映该同志所报技术革新成果系团队集体完成，事迹材料存在夸大。")
        waiting = self.new_case(campaign, self.orgs["jixie"], INDIVIDUAL, 42, name=LIVE[2],
                                candidate_category="front_line")
        self.drive(waiting, S.SIGNOFFS)
        waiting.refresh_from_db()
        self.sign_off(waiting, "经查无欠税记录", only="dept-tax")
        team = self.new_case(campaign, self.orgs["gongdian"], TEAM, 43, name=f"{UNITS['gongdian']}{LIVE[3]}")
        self.drive(team, S.AWAITING_NOTICE)
        return notice
