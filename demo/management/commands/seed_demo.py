"""Demo data: a district, its unions, a user for each role and the
`mayday-2024` campaign with nominations in every state, then each other
process's demo (demo/cadres.py, demo/congress.py, demo/modelhome.py, demo/kinds.py:
cadres' evaluations, congress reports, the model workers' home, kinds of campaign
set up as data). Safe to run twice: organisations and users are looked
up by code/name, and the campaign's nominations are made only when the
campaign is new."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from awards.mayday import services
from workflows.steps.decisions import decide
from workflows.dataforms.identity import id_check_character
from awards.mayday.models import AwardKind, Campaign, Nomination
from workflows.models import Membership, Organisation, OrgKind, Sector
from awards.mayday.models import Department
from awards.roles import Role

from demo.accounts import DEMO_PASSWORD

ORGS = [
    # code, name, kind, parent code, sector
    ("district", "示范区总工会", OrgKind.DISTRICT, None, ""),
    ("chengguan", "城关镇总工会", OrgKind.INTERMEDIATE, "district", ""),
    ("quzhi", "区直机关工会工作委员会", OrgKind.INTERMEDIATE, "district", ""),
    ("jixie", "城关机械制造有限公司工会", OrgKind.GRASSROOTS, "chengguan", Sector.NON_PUBLIC),
    ("fangzhi", "城关纺织集团工会", OrgKind.GRASSROOTS, "chengguan", Sector.STATE_OWNED),
    ("gongdian", "城关供电所工会", OrgKind.GRASSROOTS, "chengguan", Sector.STATE_OWNED),
    ("jianzhu", "城关建筑工程公司工会", OrgKind.GRASSROOTS, "chengguan", Sector.COLLECTIVE),
    ("yiyuan", "区人民医院工会", OrgKind.GRASSROOTS, "quzhi", Sector.INSTITUTION),
    ("xiaoxue", "区实验小学工会", OrgKind.GRASSROOTS, "quzhi", Sector.INSTITUTION),
    ("shuiwu", "区自来水有限公司工会", OrgKind.GRASSROOTS, "quzhi", Sector.STATE_OWNED),
    ("jixie-cj1", "机械公司一车间分工会", OrgKind.SUB_UNION, "jixie", Sector.NON_PUBLIC),
]

# Full names are people's names: the pages show the organisation and the
# role beside them ("城关镇总工会 · 审核人").
USERS = [
    # username, full name, [(org code, role)]
    ("qz_admin", "王建国", [("district", Role.DISTRICT_ADMIN)]),
    ("qz_review", "李红梅", [("district", Role.REVIEWER)]),
    ("cg_review", "赵志强", [("chengguan", Role.REVIEWER)]),
    ("qzjg_review", "陈静", [("quzhi", Role.REVIEWER)]),
]
for code, submitter, chair in [("jixie", "刘晓燕", "张国栋"), ("fangzhi", "陈晓雯", "王德明"), ("gongdian", "周敏", "李振华"),
                               ("jianzhu", "何丽", "孙建军"), ("yiyuan", "杨帆", "郑秀英"), ("xiaoxue", "许文静", "马立新"),
                               ("shuiwu", "唐佳", "韩志刚")]:
    USERS.append((f"{code}_submit", submitter, [(code, Role.SUBMITTER)]))
    USERS.append((f"{code}_chair", chair, [(code, Role.CHAIR)]))

PEOPLE = [
    "张伟", "王芳", "李娜", "刘洋", "陈杰", "杨静", "黄磊", "赵敏", "周强", "吴婷", "徐涛", "孙丽",
    "马超", "朱琳", "胡斌", "郭霞", "何勇", "高颖", "林峰", "罗佳", "郑浩", "梁燕", "谢军", "宋雪",
]
CATEGORIES = ["front_line", "front_line", "industrial_worker", "technical", "front_line", "migrant_worker",
              "enterprise_head", "front_line"]
TEAMS = ["数控加工班组", "纺纱一车间甲班", "配电运维班", "钢筋工程班", "急诊科护理组", "数学教研组", "管网抢修队"]
UNITS = {"jixie": "城关机械制造有限公司", "fangzhi": "城关纺织集团", "gongdian": "城关供电所",
         "jianzhu": "城关建筑工程公司", "yiyuan": "区人民医院", "xiaoxue": "区实验小学", "shuiwu": "区自来水有限公司"}

# The state each demo nomination ends in; at least 12 awarded.
PLAN = (["awarded"] * 13 + ["not_awarded", "district_approved", "district_approved", "intermediate_approved",
        "intermediate_approved", "confirmed", "submitted", "submitted", "returned", "rejected", "withdrawn", "draft"])


class Command(BaseCommand):
    help = "Load the demo organisations, users and the mayday-2024 campaign (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-production",
            action="store_true",
            dest="production_ok",
            help="Seed even though the settings are a production configuration (demo users with a known password).",
        )

    def handle(self, *args, **options):
        # Demo accounts share a published password: never on a real
        # installation by accident (config.settings.DEVELOPMENT is explicit).
        if not settings.DEVELOPMENT and not options["production_ok"]:
            raise CommandError(
                "This is a production configuration (UNIONFLOW_ENV is not 'development' and DEBUG is off): "
                "seed_demo would create demo accounts with a published password. Run it through `make demo`, "
                "set UNIONFLOW_ENV=development, or pass --i-know-this-is-production."
            )
        # The demo's story is not news: keep its notification mails out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self.seed()

    def seed(self):
        with transaction.atomic():
            orgs = self.make_orgs()
            users = self.make_users(orgs)
            # Before any nomination: enterprise candidates then pass the
            # departments' sign-offs on their way to the notice, as they must.
            self.officers = self.make_departments(orgs)
        campaign = Campaign.objects.filter(code="mayday-2024").first()
        if campaign is None:
            # The 2024 campaign happened in 2024: its history is stamped with
            # the dates it would carry (submissions in March, the notice of
            # 8–12 April, the decisions after it), not with today's.
            from freezegun import freeze_time

            with freeze_time(demo_time(2024, 3, 1, 9, 0)) as clock:
                self.clock = clock
                campaign = self.make_campaign(orgs, users)
                self.make_nominations(campaign, orgs, users)
        self.seed_mix_rules(campaign, users, sector_rule=True)
        # What is under way now belongs to this year's campaign.
        current = Campaign.objects.filter(code=current_code()).first() or self.make_current_campaign(orgs, users)
        self.seed_mix_rules(current, users, sector_rule=False)
        self.seed_engine_depth(current, orgs, users)
        for c in (campaign, current):
            self.stdout.write(self.style.SUCCESS(f"Demo ready: campaign {c.code}, {c.nominations.count()} nominations."))
        # Democratic evaluations of cadres (evaluations.cadres).
        from demo.cadres import seed_cadre_evaluations

        seed_cadre_evaluations(users, stdout=self.stdout)
        from demo.congress import seed_congress_demo

        reports = seed_congress_demo(orgs, users)
        self.stdout.write(self.style.SUCCESS(f"Congress reports: {reports} reports of 2024 (/reports/, /coverage/)."))
        from demo.modelhome import seed_model_home

        model_home = seed_model_home()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: campaign {model_home.code}, "
                                             f"{model_home.applications.count()} applications."))
        self.stdout.write("Model workers' home: inspectors qz_inspect1, qz_inspect2, qz_inspect3; "
                          "sub-union submitters such as jixie_cj1_submit.")
        # Kinds of campaign set up as data (awards.kinds).
        from demo.kinds import seed_kinds

        for campaign in seed_kinds(orgs, users):
            self.stdout.write(self.style.SUCCESS(f"Demo ready: {campaign.title}, {campaign.cases.count()} cases."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, full_name, pairs in USERS:
            self.stdout.write(f"  {username:<16} {full_name}")

    def make_orgs(self):
        orgs = {}
        for code, name, kind, parent, sector in ORGS:
            org, _ = Organisation.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "parent": orgs.get(parent), "sector": sector}
            )
            orgs[code] = org
        return orgs

    def make_users(self, orgs):
        User = get_user_model()
        users = {}
        for username, full_name, pairs in USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.email = f"{username}@demo.unionflow.local"
                user.save()
            for code, role in pairs:
                Membership.objects.get_or_create(user=user, organisation=orgs[code], role=role)
            users[username] = user
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "系统管理员"}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        return users

    def make_campaign(self, orgs, users):
        campaign = Campaign(
            code="mayday-2024",
            year=2024,
            title="2024年度示范区五一劳动奖评选",
            district=orgs["district"],
            submission_deadline=demo_time(2024, 3, 29, 18, 0),
            certificate_number_format="示工奖〔{year}〕第{seq:04d}号",
            issuer="示范区总工会",
        )
        return services.campaign_create(campaign=campaign, quotas=self.quotas(orgs), actor=users["qz_admin"])

    @staticmethod
    def quotas(orgs):
        return [(orgs[code], kind, count) for code in ("chengguan", "quzhi")
                for kind, count in ((AwardKind.INDIVIDUAL, 12), (AwardKind.UNIT, 4), (AwardKind.TEAM, 4))]

    def make_nominations(self, campaign, orgs, users):
        grassroots = ["jixie", "fangzhi", "gongdian", "jianzhu", "yiyuan", "xiaoxue", "shuiwu"]
        self.after_notice = []
        for i, target in enumerate(PLAN):
            code = grassroots[i % len(grassroots)]
            kind = [AwardKind.INDIVIDUAL, AwardKind.INDIVIDUAL, AwardKind.TEAM, AwardKind.UNIT][i % 4] if i < 20 else AwardKind.INDIVIDUAL
            nomination = self.new_nomination(campaign, orgs[code], kind, i)
            self.drive(nomination, target, code, users, index=i)
        self.decide_after_notice(campaign, users)

    def new_nomination(self, campaign, org, kind, i):
        deeds, summary = DEEDS[kind]
        common = dict(
            campaign=campaign, organisation=org, kind=kind, sector=org.sector,
            deeds=deeds, summary=summary,
            congress_discussed_on=min(datetime.date(campaign.year, 2, 26), timezone.localdate()),
            contact_phone="0851-8888" + f"{i:04d}",
        )
        if kind == AwardKind.INDIVIDUAL:
            name = PEOPLE[i % len(PEOPLE)]
            birth_date = datetime.date(1975 + i % 20, 1 + i % 12, 1 + i % 27)
            fields = dict(
                nominee_name=name, gender="M" if i % 2 == 0 else "F", ethnicity="汉族",
                birth_date=birth_date,
                id_number=demo_id_number(birth_date, i),
                political_status="cpc" if i % 3 else "masses", education="bachelor" if i % 2 else "senior",
                work_unit=UNITS[org.code], post="技术员" if i % 2 else "班组长", job_title="高级技师",
                candidate_category=CATEGORIES[i % len(CATEGORIES)], honours="",
            )
        elif kind == AwardKind.TEAM:
            fields = dict(nominee_name=f"{UNITS[org.code]}{TEAMS[i % len(TEAMS)]}", work_unit=UNITS[org.code],
                          legal_representative="班组长 " + PEOPLE[(i + 5) % len(PEOPLE)], headcount=12 + i)
        else:
            fields = dict(nominee_name=UNITS[org.code], work_unit=UNITS[org.code],
                          legal_representative=PEOPLE[(i + 7) % len(PEOPLE)], headcount=200 + 10 * i)
        return Nomination(**common, **fields)

    def drive(self, nomination, target, code, users, index=0):
        """Take a nomination through the real services to `target`, a few
        working days between the steps of March 2024."""
        submitter, chair = users[f"{code}_submit"], users[f"{code}_chair"]
        intermediate = users["cg_review"] if nomination.organisation.parent.code == "chengguan" else users["qzjg_review"]
        day = working_day_after(datetime.date(2024, 3, 4), index % 10)
        self.clock.move_to(demo_time(day.year, day.month, day.day, 9, 30))
        services.nomination_save_draft(nomination=nomination, actor=submitter)
        if target == "draft":
            return
        self.clock.tick(datetime.timedelta(hours=1))
        services.nomination_submit(nomination=nomination, actor=submitter)
        day = self.next_step_day(day, 1)
        if target == "withdrawn":
            services.nomination_withdraw(nomination=nomination, actor=submitter, comment="材料需重新准备")
            return
        if target == "submitted":
            return
        if target == "returned":
            decide(decision="return", case=nomination, actor=chair, comment="请补充职代会讨论记录")
            return
        decide(decision="approve", case=nomination, actor=chair, comment="经工会委员会研究，同意推荐")
        if target == "confirmed":
            return
        day = self.next_step_day(day, 2)
        if target == "rejected":
            decide(decision="reject", case=nomination, actor=intermediate, comment="事迹不够突出，不予推荐")
            return
        decide(decision="approve", case=nomination, actor=intermediate, comment="同意推荐")
        if target == "intermediate_approved":
            return
        day = self.next_step_day(day, 3)
        decide(decision="approve", case=nomination, actor=users["qz_review"], comment="材料齐全，同意上报")
        day = self.next_step_day(day, 2)
        self.sign_off(nomination, "经查，无不良记录，同意推荐")
        # The public notice comes next: decided after it, in decide_after_notice.
        self.after_notice.append((nomination, target))

    def next_step_day(self, day, working_days):
        day = working_day_after(day, working_days)
        self.clock.move_to(demo_time(day.year, day.month, day.day, 10, 0))
        return day

    def sign_off(self, nomination, comment):
        """Each department asked (an enterprise's candidate) agrees."""
        from workflows.models import SignoffRequest, SignoffStatus, case_q

        from workflows.signoffs.answering import answer_signoff

        pending = SignoffRequest.objects.filter(case_q(nomination), status=SignoffStatus.PENDING).select_related(
            "department__department")
        for request in list(pending):
            answer_signoff(case=nomination, actor=self.officers[request.department.department.function],
                           role=Role.DEPARTMENT, agreed=True, comment=comment)
            if getattr(self, "clock", None) is not None:
                self.clock.tick(datetime.timedelta(hours=1))

    # Engine depth (issue 4): the public notice, sign-offs, mix rules ---------------

    def decide_after_notice(self, campaign, users):
        """The nominations past the district's review were on a notice in
        April 2024 (8–12 April: 5 working days after Qingming) that ended
        with no objection; then the district decided."""
        from awards.mayday.notices import campaign_notice_open
        from workflows.notices.services import close_notice

        if not self.after_notice:
            return
        admin = users["qz_admin"]
        self.clock.move_to(demo_time(2024, 4, 8, 9, 0))
        notice = campaign_notice_open(
            campaign=campaign, actor=admin, nominations=[n for n, _ in self.after_notice],
            opened_on=datetime.date(2024, 4, 8),
        )
        after = notice.closes_on + datetime.timedelta(days=1)
        self.clock.move_to(demo_time(after.year, after.month, after.day, 8, 15))  # the daily job's run
        close_notice(notice=notice, today=after)
        self.clock.move_to(demo_time(2024, 4, 16, 10, 0))
        for nomination, target in self.after_notice:
            self.clock.tick(datetime.timedelta(minutes=5))
            nomination.refresh_from_db()
            if target == "district_approved":
                continue
            if target == "not_awarded":
                decide(case=nomination, actor=admin, decision="decline",
                                           comment="名额有限，本次不予授予")
                continue
            decide(case=nomination, actor=admin, decision="award",
                                       comment="经区总工会研究决定，予以表彰")

    def make_departments(self, orgs):
        """The sign-off departments and an officer of each."""
        User = get_user_model()
        officers = {}
        for function, code, name, state_owned_only in DEPARTMENTS:
            org, _ = Organisation.objects.get_or_create(
                code=code, defaults={"name": name, "kind": OrgKind.DEPARTMENT, "parent": orgs["district"]}
            )
            Department.objects.get_or_create(
                organisation=org, defaults={"function": function, "state_owned_only": state_owned_only}
            )
            username = f"dept_{function}"
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": DEPARTMENT_OFFICERS[function]})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.email = f"{username}@demo.unionflow.local"
                user.save()
            Membership.objects.get_or_create(user=user, organisation=org, role=Role.DEPARTMENT)
            officers[function] = user
        return officers

    def seed_mix_rules(self, campaign, users, *, sector_rule):
        """The campaign's mix rules (once). The sector rule only where the
        candidates can meet it: this year's few live candidates could not."""
        from workflows.models import MixRule

        from workflows.mixrules.services import rule_create

        if MixRule.objects.filter(scope_id=campaign.pk, scope_type__model="campaign").exists():
            return
        admin = users["qz_admin"]
        rule_create(scope=campaign, field="candidate_category", values=["front_line", "industrial_worker"],
                        comparison="min", percent=60, applies_to={"kind": "individual"}, actor=admin,
                        label="一线职工（含产业工人）不少于个人奖章的60%")
        rule_create(scope=campaign, field="candidate_category", values=["enterprise_head"],
                        comparison="max", percent=10, applies_to={"kind": "individual"}, actor=admin,
                        label="企业负责人不超过个人奖章的10%")
        if sector_rule:
            rule_create(scope=campaign, field="sector", values=["non_public"], comparison="min", percent=35,
                            actor=admin, label="非公有制企业不少于全部奖项的35%")

    def make_current_campaign(self, orgs, users):
        year = timezone.localdate().year
        campaign = Campaign(
            code=current_code(), year=year, title=f"{year}年度示范区五一劳动奖评选", district=orgs["district"],
            submission_deadline=timezone.now() + datetime.timedelta(days=60),
            certificate_number_format="示工奖〔{year}〕第{seq:04d}号", issuer="示范区总工会",
        )
        return services.campaign_create(campaign=campaign, quotas=self.quotas(orgs), actor=users["qz_admin"])

    def seed_engine_depth(self, campaign, orgs, users):
        """Sign-off departments and their officers, the campaign's mix rules,
        a live public notice with one objection pending, and a nomination
        waiting for the departments' sign-offs. Safe to run twice."""
        from workflows.notices.services import entry_of, lodge_objection

        from awards.mayday.notices import campaign_notice_open
        from workflows.signoffs.answering import answer_signoff

        officers = self.officers

        # Made once: the live notice's candidates exist from the first run on,
        # whatever has happened to the notice since (closed, objection found).
        if not campaign.nominations.filter(nominee_name__in=["韩梅", "丁磊", "邓超"]).exists():
            # Two candidates of public institutions (no sign-offs needed) on a
            # live notice; someone has objected to one of them.
            live = []
            for i, code in ((40, "yiyuan"), (41, "xiaoxue")):
                nomination = self.new_nomination(campaign, orgs[code], AwardKind.INDIVIDUAL, i)
                nomination.nominee_name = ["韩梅", "丁磊"][i - 40]
                nomination.candidate_category = "front_line"
                self.drive_to_notice(nomination, code, users)
                live.append(nomination)
            notice = campaign_notice_open(campaign=campaign, actor=users["qz_admin"], nominations=live)
            lodge_objection(entry=entry_of(live[0]), objector_kind="person", person_name="钱多多",
                            contact="13900000000", text="反映该同志所报技术革新成果系团队集体完成，事迹材料存在夸大。")
            # A non-public enterprise's worker: the tax bureau has agreed, the
            # other departments have still to answer.
            waiting = self.new_nomination(campaign, orgs["jixie"], AwardKind.INDIVIDUAL, 42)
            waiting.nominee_name = "邓超"
            waiting.candidate_category = "front_line"
            self.drive_to_notice(waiting, "jixie", users)
            answer_signoff(role=Role.DEPARTMENT, case=waiting, actor=officers["tax"], agreed=True, comment="经查无欠税记录")
            self.stdout.write(f"Live public notice: {notice.title} ({notice.opened_on} – {notice.closes_on}), "
                              f"1 objection pending; /notices/{notice.pk}/")
        self.stdout.write("Department officers (password as above): "
                          + ", ".join(f"dept_{f}" for f, *_ in DEPARTMENTS))

    def drive_to_notice(self, nomination, code, users):
        """Submit and review up to the district: then it awaits the notice
        (or, for an enterprise, the departments' sign-offs)."""
        submitter, chair = users[f"{code}_submit"], users[f"{code}_chair"]
        intermediate = users["cg_review"] if nomination.organisation.parent.code == "chengguan" else users["qzjg_review"]
        services.nomination_save_draft(nomination=nomination, actor=submitter)
        services.nomination_submit(nomination=nomination, actor=submitter)
        decide(decision="approve", case=nomination, actor=chair, comment="同意推荐")
        decide(decision="approve", case=nomination, actor=intermediate, comment="同意推荐")
        decide(decision="approve", case=nomination, actor=users["qz_review"], comment="材料齐全，同意上报")


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


# Deeds and summaries that fit the kind of nominee.
DEEDS = {
    AwardKind.INDIVIDUAL: (
        ("该同志扎根生产一线二十年，爱岗敬业，勇于创新，带领班组完成多项技术攻关，"
         "近三年提出合理化建议二十余条，为企业节约成本约260万元，在职工中起到了良好的示范带头作用。") * 3,
        "扎根一线、勇于创新，技术攻关成绩突出。",
    ),
    AwardKind.TEAM: (
        ("该班组坚持安全、质量、效率并重，常态化开展岗位练兵、技术比武和师带徒活动，"
         "近三年完成技术革新八项，连续三年实现零事故，班组成员中有三人取得高级技师资格。") * 3,
        "团结协作、技术过硬，连续三年零事故的先进班组。",
    ),
    AwardKind.UNIT: (
        ("该单位坚持以职工为中心，职代会制度健全，集体合同和工资专项集体合同履约良好，"
         "近三年无欠薪、无安全生产事故，职工收入年均增长百分之六以上，厂务公开和民主管理扎实有效。") * 3,
        "民主管理扎实、劳动关系和谐、经营业绩突出的先进单位。",
    ),
}


def demo_id_number(birth_date, i):
    """A well-formed resident ID number (region 520102, the birth date, a
    serial number, the GB 11643 check character)."""
    first17 = f"520102{birth_date:%Y%m%d}{i:03d}"
    return first17 + id_check_character(first17)


DEPARTMENT_OFFICERS = {"tax": "蒋涛", "labour_inspection": "吕娜", "safety": "曹勇", "environment": "田甜", "audit": "彭飞",
                       "discipline": "邵华"}

DEPARTMENTS = [
    # function, organisation code, name, state-owned enterprises only
    ("tax", "dept-tax", "区税务局", False),
    ("labour_inspection", "dept-labour", "区人社局劳动保障监察大队", False),
    ("safety", "dept-safety", "区应急管理局", False),
    ("environment", "dept-env", "区生态环境分局", False),
    ("audit", "dept-audit", "区审计局", True),
    ("discipline", "dept-discipline", "区纪委监委", True),
]
